"""`--format junit`: JUnit XML for CI test reports (GitLab `artifacts:reports:junit`, Jenkins …).

One `<testsuite>` per report (name = the path as given), one `<testcase>` per rule
(classname = pack id, name = "AR101 标题"). Mapping of statuses:

- fail → `<failure message=… type="error">` whose text has the evidence, hint and reference;
- skip → `<skipped message=…/>`;
- waived → `<skipped message="豁免：reason"/>` (accepted, so neither passed nor failed);
- warn → a passing testcase with a `<system-out>` that starts with "警告：" and gives the
  details: warnings never fail a CI gate by themselves, but stay visible in the test report;
- pass → an empty passing testcase.

A report that could not be checked is a testsuite with one testcase holding an `<error>`.
The suite's `<properties>` carry pack, verdict, score, report year and issuing body.
"""

from __future__ import annotations

from typing import Any, IO, Sequence, TYPE_CHECKING

from auditor.models import Scorecard, Status
from auditor.reporters import _common

NAME = "junit"
BINARY = False
EXTENSION = "xml"  # a file of this format is called X.xml
MEDIA_TYPE = "text/plain; charset=utf-8"  # served as text to be saved, not shown
DESCRIPTION = "JUnit XML (CI test reports)"


def _clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (control characters from odd documents)."""
    return "".join(ch for ch in text if ch in "\t\n\r" or (ord(ch) >= 0x20 and ch not in "\ufffe\uffff"))


def _suite(card: Scorecard) -> Any:
    import xml.etree.ElementTree as ET

    suite = ET.Element("testsuite", name=_clean(card.path))
    props = ET.SubElement(suite, "properties")
    for key, value in (("pack", card.pack), ("verdict", card.verdict), ("score", card.score),
                       ("report_year", card.report_year), ("body", card.body)):
        if value is not None:
            ET.SubElement(props, "property", name=key, value=_clean(str(value)))
    tests = failures = skipped = errors = 0
    if card.verdict == "error":
        case = ET.SubElement(suite, "testcase", classname=card.pack or "auditor", name="读取与识别")
        err = ET.SubElement(case, "error", message=_clean(card.error or "无法检查"), type="error")
        err.text = _clean(f"{card.path}：无法检查：{card.error or ''}")
        tests, errors = 1, 1
    for r in card.results:
        tests += 1
        case = ET.SubElement(suite, "testcase", classname=r.addon or card.pack or "auditor",
                             name=_clean(f"{r.rule} {r.title}"))
        if r.status is Status.FAIL:
            failures += 1
            fail = ET.SubElement(case, "failure", message=_clean(r.message or r.title), type=r.severity.value)
            fail.text = _clean(_common.detail(r))
        elif r.status is Status.SKIP:
            skipped += 1
            ET.SubElement(case, "skipped", message=_clean(r.message or "不适用"))
        elif r.status is Status.WAIVED:
            skipped += 1
            ET.SubElement(case, "skipped", message=_clean(f"豁免：{_common.waiver_reason(r)}"))
        elif r.status is Status.WARN:
            ET.SubElement(case, "system-out").text = _clean("警告：" + _common.detail(r))
    suite.set("tests", str(tests))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", str(skipped))
    return suite


def tree(cards: Sequence[Scorecard]) -> Any:
    """The `<testsuites>` element for a batch."""
    import xml.etree.ElementTree as ET

    root = ET.Element("testsuites", name="auditor")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for card in cards:
        suite = _suite(card)
        for key in totals:
            totals[key] += int(suite.get(key))
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    return root


def write(cards: Sequence[Scorecard], out: IO[str], *, ctx: Any = None) -> None:
    import xml.etree.ElementTree as ET

    root = tree(cards)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")


if TYPE_CHECKING:  # mypy checks this module against the Reporter protocol
    from auditor.reporters import Reporter
    import auditor.reporters.junit as _this

    _contract: Reporter = _this

"""Immutable records that flow between the stages.

loaders → RawText → structure → Document → checks → Outcome → engine → Scorecard → reporters.
Nothing here does IO or knows about click or rich.

The records are NamedTuples: creating the classes costs a tenth of a frozen dataclass (which
was ~40 ms of every cold start for the 25 records), and creating an instance is one C call.
`replace(record, field=value)` makes a changed copy.
"""

from __future__ import annotations

import enum
from typing import Any, Mapping, NamedTuple, TypeVar

_R = TypeVar("_R", bound=tuple[Any, ...])


def replace(record: _R, **changes: Any) -> _R:
    """A copy of a record with some fields changed (what dataclasses.replace did)."""
    result: _R = record._replace(**changes)  # type: ignore[attr-defined]
    return result


class _Word(str, enum.Enum):
    """An enum whose members are also their word: "pass" == Status.PASS, f"{Status.PASS}" == "pass"."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, spec: str) -> str:
        return str.__format__(self, spec)


class Severity(_Word):
    ERROR = "error"
    WARNING = "warning"


class Status(_Word):
    PASS = "pass"
    WARN = "warn"
    FAIL = "fail"
    SKIP = "skip"
    WAIVED = "waived"


class Verdict(_Word):
    """A report's conclusion: fail when any rule fails; error when it could not be audited."""

    PASS = "pass"
    FAIL = "fail"
    ERROR = "error"


class Met(enum.Enum):
    """What a check found, before the rule's severity turns it into a Status."""

    MET = "met"
    PARTLY = "partly"  # e.g. achievements given under thematic headings only
    UNMET = "unmet"
    NOT_APPLICABLE = "n/a"


class SourceLine(NamedTuple):
    """One line (paragraph) as a loader extracted it, before normalization."""

    text: str
    where: str | None = None  # location in the user's terms: "第3页", "第12段", "表1 第2行"
    style: str | None = None  # "title" | "heading1" | "heading2" when the source marks it


class RawText(NamedTuple):
    """A document's text as extracted by a loader."""

    path: str
    fmt: str
    lines: tuple[SourceLine, ...]
    encoding: str | None = None
    meta: Mapping[str, str] = {}  # e.g. published: "2024-03-10"
    layout: Layout | None = None  # a Word draft's page and type layout, when asked for (`load(layout=True)`)


class Line(NamedTuple):
    """A line of the document: `text` is the original (for evidence), `norm` is for matching."""

    no: int  # 1-based line number in the extracted text
    text: str
    norm: str
    where: str | None = None
    style: str | None = None


class Part(NamedTuple):
    """A top-level part (一、…) with its heading, body lines and sub-headings."""

    index: int  # type: ignore[assignment]  # 0-based position among the parts (shadows tuple.index)
    numeral: int | None  # 1 for 一、 / 第一部分; None for Markdown headings without numbers
    heading: Line
    body: tuple[Line, ...]
    subheadings: tuple[Line, ...]
    role: str | None  # a role name of the pack (achievements, plan …) or None for thematic parts
    inferred: bool = False  # role inferred from position rather than named in the heading

    @property
    def lines(self) -> tuple[Line, ...]:
        return (self.heading, *self.body)


class Signature(NamedTuple):
    """The signature block after the last part: issuing body (or signer) and date lines."""

    body: Line | None
    date: Line | None
    date_value: tuple[int, int, int] | None
    under_title: bool = False  # signed under the title (a 述法 report's layout), not after the last part


class Document(NamedTuple):
    """A report's structure as found by `structure.build`."""

    path: str
    fmt: str
    lines: tuple[Line, ...]  # every line, chrome included, in order
    title: tuple[Line, ...]
    preamble: tuple[Line, ...]
    parts: tuple[Part, ...]
    signature: Signature
    chrome: tuple[Line, ...]  # website leftovers, not report content
    report_year: int | None
    year_evidence: Line | None
    traditional: bool = False
    encoding: str | None = None
    meta: Mapping[str, str] = {}
    content: tuple[Line, ...] = ()  # all non-blank report lines except website chrome
    layout: Layout | None = None
    letter: tuple[Line, ...] = ()  # a cover letter sent with the report, above its title

    def parts_with_role(self, role: str) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.role == role)


class Fix(NamedTuple):
    """A mechanical correction at one place (公文规范): `found` at offset `at` of the line's
    original text is to be written `replace` (“,” → “，”, “(一)” → “（一）”)."""

    at: int
    found: str
    replace: str


class Evidence(NamedTuple):
    line: int | None
    text: str
    where: str | None = None
    fix: Fix | None = None  # the correction, where one follows mechanically from the finding


class Outcome(NamedTuple):
    """What one check kind concluded for one rule on one document."""

    met: Met
    message: str = ""
    evidence: tuple[Evidence, ...] = ()
    data: Mapping[str, Any] = {}  # structured findings a reporter may tabulate (plain JSON values)


class RuleResult(NamedTuple):
    rule: str
    name: str
    title: str
    severity: Severity
    status: Status
    message: str
    evidence: tuple[Evidence, ...] = ()
    hint: str | None = None  # how to fix, shown when the rule is not passed
    reference: str | None = None  # the clause that requires it
    addon: str | None = None  # id of the add-on pack (--with) the rule belongs to; None: the report's pack
    # what the check found as plain JSON values, for reporters that tabulate it (AR209: the core
    # areas, each with its figure); empty for most rules
    data: Mapping[str, Any] = {}


class Scorecard(NamedTuple):
    """Everything a reporter needs about one audited input."""

    path: str
    pack: str | None
    verdict: Verdict
    score: float | None
    results: tuple[RuleResult, ...] = ()
    report_year: int | None = None
    error: str | None = None
    fmt: str | None = None
    pack_evidence: Evidence | None = None
    pack_confidence: str | None = None  # "high" | "low": how surely the report type was inferred
    year_evidence: Evidence | None = None
    body: str | None = None  # the issuing body, from the signature (or the title)
    meta: Mapping[str, Any] = {}

    @property
    def failed(self) -> bool:
        return self.verdict is Verdict.FAIL


# A Word draft's layout (auditor.loaders.docx_layout): what GB/T 9704 prescribes and a .docx
# records. Sizes in points, lengths in millimetres; None where the file leaves it unset.


class TextFormat(NamedTuple):
    """The effective East Asian font and size of some text (runs, after styles)."""

    font: str | None
    size: float | None  # points
    chars: int = 0  # characters of text in this format


class ParagraphLayout(NamedTuple):
    where: str  # 第N段, as the text reader numbers paragraphs
    text: str
    formats: tuple[TextFormat, ...]  # its runs in order, adjacent runs of one format merged
    line_rule: str | None = None  # "exact" | "atLeast" | "auto"
    line_pt: float | None = None  # the line spacing in points (exact / at least)
    align: str | None = None


class PageSetup(NamedTuple):
    width: float | None
    height: float | None
    top: float | None
    bottom: float | None
    left: float | None
    right: float | None
    line_pitch: float | None = None  # document grid: points per line
    char_pitch: float | None = None  # document grid: points per character (when a char grid is set)


class FooterLayout(NamedTuple):
    part: str  # word/footer1.xml
    text: str  # its text with the page number field shown as {PAGE}
    formats: tuple[TextFormat, ...]


class Layout(NamedTuple):
    page: PageSetup | None
    paragraphs: tuple[ParagraphLayout, ...]
    footers: tuple[FooterLayout, ...]

from __future__ import annotations

import io
import json
from typing import Any

import jsonschema

from auditor.run.engine import audit_file
from auditor.reporters import ReportContext, get

from conftest import FIXTURES, ROOT

SCHEMA = json.loads((ROOT / "auditor/schema/report.schema.json").read_text(encoding="utf-8"))


def test_every_fixture_output_validates(packs: Any, tmp_path: Any) -> None:
    paths = sorted(str(p) for d in ("seeds", "reports") for p in (FIXTURES / d).iterdir())
    paths.append(str(tmp_path / "missing.docx"))
    cards = [audit_file(p, packs) for p in paths]
    out = io.StringIO()
    get("json").write(cards, out, ctx=ReportContext(packs=packs))
    doc = json.loads(out.getvalue())
    jsonschema.validate(doc, SCHEMA)
    assert doc["version"] == 1 and doc["summary"]["reports"] == len(paths)
    assert doc["reports"][-1]["verdict"] == "error" and doc["reports"][-1]["score"] is None


def test_evidence_and_fix_are_in_the_contract(packs: Any) -> None:
    card = audit_file(str(FIXTURES / "seeds/002_84eb398e434a8021.txt"), packs)
    out = io.StringIO()
    get("json").write([card], out, ctx=ReportContext(packs=packs))
    report = json.loads(out.getvalue())["reports"][0]
    ar103 = next(r for r in report["results"] if r["rule"] == "AR103")
    assert ar103["status"] == "fail" and ar103["evidence"][0]["line"] == 4
    assert ar103["hint"] and ar103["reference"].startswith("《法治政府建设与责任落实督察工作规定》")
    assert report["pack_evidence"]["line"] == 1 and report["year_evidence"]["line"] == 1
    assert report["body"] == "常德市鼎城区周家店镇人民政府"


def test_many_reports_are_streamed_as_the_same_bytes(packs: Any) -> None:
    """Beyond PRETTY_UP_TO reports the JSON is written a report at a time: same bytes as one dumps."""
    import io
    import json as _json

    from auditor.models import replace as _replace
    from auditor.reporters import json_report
    from auditor.run.engine import audit_file, error_card

    from conftest import FIXTURES as _F

    card = audit_file(str(_F / "reports" / "compliant.txt"), packs)
    cards = [_replace(card, path=f"r{i}.txt") for i in range(json_report.PRETTY_UP_TO + 5)] + [error_card("x.pdf", "坏")]
    out = io.StringIO()
    json_report.write(cards, out)
    assert out.getvalue() == _json.dumps(json_report.document(cards), ensure_ascii=False) + "\n"


def test_card_json_is_json_dumps_of_card_dict_byte_for_byte(packs: Any) -> None:
    """The fast writer of big batches gives exactly what json.dumps(card_dict(card)) gives."""
    from auditor.models import Evidence, RuleResult, Scorecard, Severity, Status, Verdict, replace
    from auditor.reporters.json_report import card_dict, card_json
    from auditor.run.engine import AuditOptions, error_card

    paths = sorted(p for d in ("seeds", "reports", "duty", "gongwen", "formats") for p in (FIXTURES / d).iterdir()
                   if p.is_file())
    gongwen = AuditOptions(with_packs=("gongwen",))
    cards = [audit_file(str(p), packs) for p in paths] + [audit_file(str(p), packs, gongwen) for p in paths[:12]]
    odd = RuleResult(rule="X1", name="n\"q", title="t\\u\n\t\x01", severity=Severity.ERROR, status=Status.WAIVED,
                     message="m “引号” \u2028", evidence=(Evidence(None, "无行号"), Evidence(3, "x", "第1页第2段")),
                     hint=None, reference=None, addon="gongwen")
    cards += [
        error_card("坏.pdf", "无法读取"),
        Scorecard(path="p\"ath", pack="annual", verdict=Verdict.FAIL, score=float("nan"), results=(odd,),
                  meta={"pack_name": "名", "published": "2024-03-01", "ocr_pages": [1, 2],
                        "similarity": {"share": 0.42, "with": ["b.txt"]}, "previous": {"path": "去年.txt", "n": 3},
                        "addons": [{"id": "gongwen", "name": "公文规范"}]}),
        Scorecard(path="z", pack=None, verdict=Verdict.PASS, score=100.0, report_year=2023,
                  pack_evidence=Evidence(1, "标题", None), pack_confidence="low", meta={"ocr_pages": 3}),
    ]
    assert any(r.addon for c in cards for r in c.results)
    for card in cards + [replace(c, score=87.5) for c in cards[:3]]:
        assert card_json(card) == json.dumps(card_dict(card), ensure_ascii=False), card.path

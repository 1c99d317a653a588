"""--similarity and --previous from the command line, in every output format, and XR rules
like any rule: disabled, re-graded, waived, gated with --fail-on warning."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import jsonschema
import openpyxl
import pytest
from conftest import FIXTURES, ROOT, invoke

COPIED = FIXTURES / "batch" / "copied"
PREV = FIXTURES / "batch" / "previous"
A, B = "baoshenghu_2023.txt", "shuangfengqiao_2023.txt"

pytestmark = pytest.mark.usefixtures("isolated")


@pytest.fixture
def batch(tmp_path: Path) -> Path:
    d = tmp_path / "batch"
    shutil.copytree(COPIED, d)
    return d


def report(result: object) -> dict[str, object]:
    data = json.loads(result.stdout)  # type: ignore[attr-defined]
    schema = json.loads((ROOT / "auditor/schema/report.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    return dict(data)


def xr(rep: dict, rule: str) -> dict | None:
    return next((r for r in rep["results"] if r["rule"] == rule), None)


def by_name(data: dict) -> dict[str, dict]:
    return {Path(r["path"]).name: r for r in data["reports"]}


def test_similarity_json(batch: Path) -> None:
    result = invoke("check", batch, "--similarity", "--format", "json")
    assert result.exit_code == 0, result.output  # a warning does not fail by default
    data = report(result)
    reps = by_name(data)
    assert xr(reps[A], "XR101")["status"] == "warn" and xr(reps[B], "XR101")["status"] == "warn"
    assert xr(reps["longmenhao_2023.txt"], "XR101")["status"] == "pass"
    assert reps[A]["similarity"] > 0.7 and reps["longmenhao_2023.txt"]["similarity"] < 0.05
    (pair,) = data["similarity"]["pairs"]
    assert {Path(pair["a"]).name, Path(pair["b"]).name} == {A, B} and pair["passages"]
    assert data["similarity"]["threshold"] == 0.4
    ev = xr(reps[A], "XR101")["evidence"]
    assert ev and all(B in e["where"] for e in ev) and len({(e["line"], e["text"]) for e in ev}) == len(ev)


def test_fail_on_warning_disable_and_threshold(batch: Path, tmp_path: Path) -> None:
    assert invoke("check", batch, "--similarity", "--fail-on", "warning").exit_code == 1
    off = report(invoke("check", batch, "--similarity", "--disable", "XR101", "--format", "json"))
    assert all(xr(r, "XR101") is None for r in off["reports"]) and off["reports"][0]["similarity"] is not None
    (tmp_path / "auditor.yaml").write_text("similarity: true\nthresholds: {XR101: 0.95}\n", encoding="utf-8")
    high = report(invoke("check", batch, "--format", "json"))
    assert high["similarity"]["pairs"] == [] and xr(by_name(high)[A], "XR101")["status"] == "pass"


def test_waiver_and_severity(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text(
        "severity: {XR101: error}\n"
        f"waivers:\n  - rule: XR101\n    path: batch/{A}\n    reason: 统一模板\n    approved_by: 区司法局\n",
        encoding="utf-8")
    result = invoke("check", batch, "--similarity", "--format", "json")
    reps = by_name(report(result))
    assert xr(reps[A], "XR101")["status"] == "waived"
    assert xr(reps[B], "XR101")["status"] == "fail" and reps[B]["verdict"] == "fail"
    assert result.exit_code == 1


def test_unknown_threshold_rule_is_a_config_error(batch: Path, tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("thresholds: {AR101: 0.5}\n", encoding="utf-8")
    result = invoke("check", batch)
    assert result.exit_code == 2 and "not a cross-report rule" in result.output


def test_on_by_default_in_a_summary_only(batch: Path) -> None:
    summary = invoke("check", batch, "--summary", "-o", "json:out.json")
    assert summary.exit_code == 0
    assert json.loads(Path("out.json").read_text(encoding="utf-8"))["similarity"] is not None
    plain = report(invoke("check", batch, "--format", "json"))
    assert plain["similarity"] is None and all(xr(r, "XR101") is None for r in plain["reports"])
    assert report(invoke("check", batch, "--summary", "--no-similarity", "--format", "json"))["similarity"] is None
    single = report(invoke("check", batch / A, "--summary", "--format", "json"))
    assert single["similarity"] is None


def test_text_csv_xlsx_html(batch: Path) -> None:
    result = invoke("check", batch, "--similarity", "--no-color", "-o", "csv:o.csv", "-o", "xlsx:o.xlsx",
                    "-o", "html:o.html")
    assert "与其他报告重复的比例：" in result.stdout and "XR101" in result.stdout
    rows = list(csv.reader(io.StringIO(Path("o.csv").read_text(encoding="utf-8-sig"))))
    assert rows[0][7:9] == ["得分", "与其他报告重复的比例"] and "XR101" in rows[0]
    assert float(rows[1][8]) > 0.7
    wb = openpyxl.load_workbook("o.xlsx")
    assert "雷同报告" in wb.sheetnames
    head, *pairs = list(wb["雷同报告"].iter_rows(values_only=True))
    assert head[:4] == ("报告甲", "报告乙", "甲重复比例", "乙重复比例") and pairs
    assert head[4] == "甲位置" and head[7] == "乙位置"  # the lines of a .txt file, as its reader sees them
    assert all(re.fullmatch(r"第\d+(-\d+)?行", str(p[4])) and re.fullmatch(r"第\d+(-\d+)?行", str(p[7])) for p in pairs)
    assert {Path(pairs[0][0]).name, Path(pairs[0][1]).name} == {A, B}
    assert wb["汇总"].cell(row=1, column=9).value == "与其他报告重复的比例"
    matrix = invoke("check", batch, "--summary", "--no-color", "--width", "200").stdout
    row = next(ln for ln in matrix.splitlines() if A in ln)
    assert "重复" in matrix and f"{round(100 * float(rows[1][8]))}%" in row
    html = Path("o.html").read_text(encoding="utf-8")
    assert '<th title="与其他报告重复的比例">重复</th>' in html
    assert "雷同报告（1 对）" in html and html.count('<table class="side">') == 1
    assert "同批雷同比对：开" in html and '<div title="XR101"><b>未与同批其他报告大量雷同' in html
    assert "<span>与其他报告重复的比例：" in html


def test_previous(tmp_path: Path) -> None:
    result = invoke("check", PREV / "2023", "--previous", PREV / "2022", "--format", "json", "-o", "csv:p.csv")
    reps = by_name(report(result))
    bao = reps["baoshenghu_2023.txt"]
    assert bao["previous"]["match"] == "body_year" and bao["previous"]["carried_over"] > 0.7
    assert xr(bao, "XR201")["status"] == "warn" and xr(bao, "XR202")["status"] == "pass"
    assert xr(reps["longmenhao_2023.txt"], "XR201")["status"] == "pass"
    rows = list(csv.reader(io.StringIO(Path("p.csv").read_text(encoding="utf-8-sig"))))
    assert "沿用上年报告的比例" in rows[0]
    text = invoke("check", PREV / "2023" / "baoshenghu_2023.txt", "--previous", PREV / "2022", "--no-color")
    assert "上一年度报告：" in text.stdout and "沿用比例 82%" in text.stdout


def test_previous_needs_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = invoke("check", COPIED / A, "--previous", tmp_path / "empty")
    assert result.exit_code == 2 and "--previous" in result.output


def test_rules_and_explain_list_the_cross_rules() -> None:
    listing = invoke("rules").stdout
    assert "XR101" in listing and "XR201" in listing and "XR202" in listing
    explained = invoke("explain", "xr101")
    assert explained.exit_code == 0 and "阈值：0.4" in explained.stdout and "--similarity" in explained.stdout


def test_the_batch_hands_over_each_report_read_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The workers hand each report's comparable text back with its card: the same text a
    second reading gives, with each report loaded once; cached cards' texts are read once too."""
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.run import engine
    from auditor.pool import batch, cache, workers
    from auditor.cross import crosscheck, similarity
    from auditor.run.engine import AuditOptions

    packs = load_builtin_packs()
    files = [str(f) for f in (*sorted(COPIED.glob("*.txt")), *sorted((FIXTURES / "seeds").glob("*.txt")))]
    job = batch.Job(packs=packs, options=AuditOptions(), signatures=True)
    handed: dict[str, crosscheck.Comparable] = {}
    cards = batch.run(files, job, jobs=2, texts=handed)
    reread = crosscheck.read_texts(cards, crosscheck.Reader(packs=packs, signatures=True))
    assert list(handed) == list(reread) and len(handed) == sum(c.verdict != "error" for c in cards)
    assert {p: t.open() for p, (t, _) in handed.items()} == {p: t for p, (t, _) in reread.items()}
    assert all((handed[p][1] == reread[p][1]).all() for p in handed)
    a = similarity.find([t for t, _ in handed.values()], 0.4, signatures={p: s for p, (_, s) in handed.items()})
    # longmenhao_2023.txt is seed 000 itself: the same report twice is the first pair
    assert [(Path(p.a).name, Path(p.b).name) for p in a.pairs] == [
        ("longmenhao_2023.txt", "000_ae009fae7ef3885b.txt"), (A, B)]
    assert a.pairs[0].share == 1.0

    from auditor import loaders

    loads: list[str] = []
    real = loaders.load

    def counted(path: str, **kw: object) -> object:
        loads.append(path)
        return real(path, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "load", counted)
    monkeypatch.setattr(loaders, "load", counted)
    monkeypatch.setattr(workers, "HAS_FORK", False)  # in this process, to count the loads
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    for expected in (files, list(reread)):  # audited (and cached), then served by the cache
        cached = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()),
                           signatures=True)
        loads.clear()
        again: dict[str, crosscheck.Comparable] = {}
        assert [c.verdict for c in batch.run(files, cached, texts=again)] == [c.verdict for c in cards]
        cached.cache.close()
        assert sorted(loads) == sorted(expected)  # each report read once, or not at all
        assert {p: t.open().text for p, (t, _) in again.items()} == {p: t.text for p, (t, _) in reread.items()}


def test_cached_reports_texts_are_read_in_the_worker_pool(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from auditor.packs.ruleset import load_builtin_packs
    from auditor.pool import batch, cache
    from auditor.cross import crosscheck
    from auditor.run.engine import AuditOptions

    packs = load_builtin_packs()
    files = [str(f) for f in sorted(COPIED.glob("*.txt"))]
    monkeypatch.setenv("AUDITOR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(batch, "REREAD_PER_WORKER", 1)  # every cached report's text read by a worker
    texts = []
    for _ in range(2):  # audited, then served by the cache
        job = batch.Job(packs=packs, options=AuditOptions(), cache=cache.open_cache(packs, AuditOptions()),
                        signatures=True)
        handed: dict[str, crosscheck.Comparable] = {}
        batch.run(files, job, jobs=2, texts=handed)
        job.cache.close()
        opened = {p: (t.open(), s) for p, (t, s) in handed.items()}  # handed over sealed, opened when compared
        texts.append({p: (t.text, list(t.starts), list(t.nos), dict(t.lines), s.tolist()) for p, (t, s) in opened.items()})
    assert texts[0] == texts[1] and len(texts[0]) == len(files)

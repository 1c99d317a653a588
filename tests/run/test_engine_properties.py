"""Property tests: whatever the text or bytes, the engine returns a well-formed scorecard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.run.engine import AuditOptions, audit_file, audit_text
from auditor.loaders import LOADER_BY_SUFFIX
from auditor.packs.ruleset import load_builtin_packs

PACKS = load_builtin_packs()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# pieces of real reports, so that random documents reach the structure and rule code paths
FRAGMENTS = [
    "某某街道2023年法治政府建设情况报告", "一、2023年推进法治政府建设的主要举措和成效", "二、存在的不足和原因",
    "三、主要负责人履行推进法治建设第一责任人职责情况", "四、2024年工作安排", "五、其他需要报告的情况", "无。",
    "（一）加强领导", "一是学法12次。二是述法。", "某某区人民政府", "2024年3月4日", "二〇二四年三月四日",
    "版权所有:某某", "今天是：2019年10月31日", "本人带头学法", "述法人：张三", "XX件", "【待补充】", "#", "## 一、",
    "第一部分", "1.", "(", "）", "\u3000", "\t", "***", "2024-13-45", "9999年99月99日", "原因：",
]
lines = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40))
documents = st.lists(lines, max_size=40).map("\n".join)


def _well_formed(card: Any, n_lines: int | None = None) -> None:
    assert card.verdict in {"pass", "fail", "error"}
    if card.verdict == "error":
        assert card.error and card.score is None
        return
    assert card.error is None and 0 <= card.score <= 100
    assert {r.status.value for r in card.results} <= {"pass", "warn", "fail", "skip"}
    assert (card.verdict == "fail") == any(r.status.value == "fail" for r in card.results)
    for r in card.results:
        for e in r.evidence:
            assert e.line is None or (n_lines is None or 1 <= e.line <= n_lines)


@SETTINGS
@given(documents, st.sampled_from(["auto", "annual", "duty"]))
def test_any_text_gives_a_scorecard(text: str, pack: str) -> None:
    card = audit_text(text, PACKS, AuditOptions(pack=pack, time_budget=0))
    _well_formed(card, len(text.splitlines()))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000), st.sampled_from(sorted(LOADER_BY_SUFFIX)))
def test_any_bytes_under_any_suffix_give_a_scorecard(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"doc{suffix}"
    path.write_bytes(data)
    _well_formed(audit_file(str(path), PACKS, AuditOptions(time_budget=20)))

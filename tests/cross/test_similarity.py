"""Copied text within a batch: masking, shingles + MinHash LSH, exact passages (cross/similarity.py)."""

from __future__ import annotations

import random
import re
from typing import Any, Mapping

import pytest
from conftest import FIXTURES, make_doc

from auditor.cross import similarity, streams


def _spans(line_at: list[int]) -> dict[str, Any]:
    starts, nos = streams.line_spans(line_at)
    return {"starts": starts, "nos": nos}

COPIED = FIXTURES / "batch" / "copied"
DISTINCT = FIXTURES / "batch" / "distinct"


def stream_of(path: Any, packs: Mapping[str, Any]) -> streams.Stream:
    doc = streams.read(str(path), packs)
    assert doc is not None
    return streams.stream(doc, streams.body_of(doc))


def test_masking_removes_names_dates_figures_and_stock_formulas() -> None:
    names = streams.name_forms("重庆市渝北区人民政府宝圣湖街道办事处")
    assert names[0] == "重庆市渝北区人民政府宝圣湖街道办事处" and {"宝圣湖街道", "宝圣湖", "渝北区"} <= set(names)
    a = streams.mask("2023年，宝圣湖街道坚持以习近平新时代中国特色社会主义思想为指导，开展普法活动56场，覆盖1.2万人次。", names)
    b = streams.mask("2022年,双凤桥街道坚持以习近平新时代中国特色社会主义思想为指导,开展普法活动十二场,覆盖3万人次.",
                     streams.name_forms("重庆市璧山区双凤桥街道办事处"))
    assert a == b == "##开展普法活动#场覆盖#万人次"


def test_headings_and_title_are_not_compared(annual: Any) -> None:
    doc = make_doc("某某街道2023年法治政府建设情况报告\n一、2023年推进法治政府建设的主要举措和成效\n开展普法活动12场。\n"
                   "某某街道办事处\n2024年3月1日", annual)
    s = streams.stream(doc, "某某街道办事处")
    assert s.text == "开展普法活动#场"
    assert list(s.nos) == [3] and s.part_of[3].endswith("主要举措和成效")


def test_a_copy_with_another_name_and_figures_is_found(packs: Mapping[str, Any]) -> None:
    texts = [stream_of(p, packs) for p in sorted(COPIED.glob("*.txt"))]
    result = similarity.find(texts, 0.4)
    assert [(p.a, p.b) for p in result.pairs] == [(str(COPIED / "baoshenghu_2023.txt"),
                                                   str(COPIED / "shuangfengqiao_2023.txt"))]
    pair = result.pairs[0]
    assert 0.7 < pair.share_a < 0.95 and 0.7 < pair.share_b < 0.95
    assert result.shares[str(COPIED / "longmenhao_2023.txt")] < 0.05
    first = pair.passages[0]
    assert first.a_part and "主要举措和成效" in first.a_part and first.b_part == first.a_part
    assert first.a_text.startswith("（一）加强组织领导") and "严格规范执法" in first.b_text
    assert all(p.chars >= similarity.MIN_PASSAGE for p in pair.passages)


def test_reports_sharing_only_headings_and_formulas_are_no_pair(packs: Mapping[str, Any]) -> None:
    texts = [stream_of(p, packs) for p in sorted(DISTINCT.glob("*.txt"))]
    texts += [stream_of(p, packs) for p in sorted((FIXTURES / "seeds").glob("*.txt"))]
    result = similarity.find(texts, 0.2)
    assert result.pairs == ()
    assert max(result.shares.values()) < 0.1


def test_lsh_finds_half_copied_pairs_and_skips_unrelated() -> None:
    """Random Chinese texts: a pair sharing half its text is a candidate, unrelated ones are not."""
    rng = random.Random(7)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]

    def text(n: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(n))

    def s(path: str, body: str) -> streams.Stream:

        return streams.Stream(path=path, text=body, **_spans([1] * len(body)), lines={1: body},
                              part_of={})

    base = [text(2000) for _ in range(30)]
    half = base[0][:1000] + text(1000)
    found = similarity.find([s(f"r{i}", b) for i, b in enumerate(base)] + [s("copy", half)], 0.4)
    assert [(p.a, p.b) for p in found.pairs] == [("r0", "copy")]
    assert found.pairs[0].share_a == pytest.approx(0.5, abs=0.02)
    assert found.candidates < 10  # never all pairs: 31 reports have 465


def test_too_short_reports_are_not_compared() -> None:

    short = streams.Stream(path="s", text="短", **_spans([1]), lines={1: "短"}, part_of={})
    assert similarity.find([short, short], 0.4).compared == 0


def test_passages_say_where_a_reader_finds_them() -> None:
    """Issue 11: a passage's place is the loader's 第N页第N段 when it has one, else the file's lines."""

    body = "甲" * 40
    s = streams.Stream(path="d.docx", text=body, **_spans([3] * 20 + [4] * 20), lines={3: "", 4: ""},
                       part_of={}, where_of={3: "第2页第1段", 4: "第2页第2段"})
    assert similarity.place(s, 3, 3) == "第2页第1段"
    assert similarity.place(s, 3, 4) == "第2页第1段至第2页第2段"
    plain = streams.Stream(path="t.txt", text=body, **_spans([3] * 40), lines={3: ""}, part_of={})
    assert similarity.place(plain, 3, 3) == "第3行" and similarity.place(plain, 3, 5) == "第3-5行"


def test_a_stream_keeps_one_span_per_line_and_finds_each_characters_line() -> None:
    starts, nos = streams.line_spans([3, 3, 3, 5, 5, 8])
    assert list(starts) == [0, 3, 5] and list(nos) == [3, 5, 8]
    s = streams.Stream(path="x", text="甲乙丙丁戊己", starts=starts, nos=nos, lines={}, part_of={})
    assert [s.line_of(i) for i in range(6)] == [3, 3, 3, 5, 5, 8]


def test_a_sealed_text_opens_into_the_same_stream_and_is_smaller(packs: Any) -> None:
    s = stream_of(FIXTURES / "reports" / "compliant.txt", packs)
    sealed = streams.Sealed.seal(s)
    assert len(sealed) == len(s) and sealed.path == s.path
    assert sealed.open() == s
    assert len(sealed.data) < len(s.text.encode("utf-8")) + sum(len(t.encode("utf-8")) for t in s.lines.values())


def _signature_in_one_array(hashes: Any) -> Any:
    """MinHash as one NUM_PERM × n array (what `signature` computed before it took blocks)."""
    import numpy as np

    u = np.unique(hashes)
    x = (u ^ (u >> np.uint64(32))).astype(np.uint32)
    a, b = similarity._perms()
    v = np.multiply(x[None, :], a) + b
    v ^= v >> np.uint32(16)
    return v.min(axis=1)


@pytest.mark.parametrize("n", [1, 2, similarity._BLOCK - 1, similarity._BLOCK, similarity._BLOCK + 1, 2_300, 9_000])
def test_the_signature_taken_in_blocks_has_the_one_array_minima(n: int) -> None:
    import numpy as np

    hashes = np.random.default_rng(n).integers(0, 2**63, size=n, dtype=np.uint64)
    got = similarity.signature(hashes, similarity._perms())
    assert got.dtype == np.uint32 and got.shape == (similarity.NUM_PERM,)
    assert (got == _signature_in_one_array(hashes)).all()


def _formulas_line_by_line(stock: streams.Formulas, text: str) -> str:
    """Each line, each formula in turn where the line holds its literal: what `Formulas.sub` does."""
    out = []
    for line in text.split("\n"):
        for literal, rx in stock.patterns:
            if literal in line:
                line = rx.sub("", line)
        out.append(line)
    return "\n".join(out)


def test_stock_formulas_go_from_the_joined_lines_as_line_by_line(packs: Mapping[str, Any]) -> None:
    stock, _ = streams.shared_text()
    texts = []
    for path in sorted(p for p in FIXTURES.rglob("*") if p.suffix in {".txt", ".md", ".html", ".docx"}):
        doc = streams.read(str(path), packs)
        if doc is not None:
            texts.append("\n".join(ln.norm for ln in doc.content))
    assert len(texts) > 20
    # a formula removed can bring the literal of a later one together, in that line only
    texts.append("深入贯彻落实习近平法治思想\n特此报\n特此xx报告\n现将有关情况报告如下：特此报告")
    made = streams.Formulas((("", re.compile("xx")), *stock.patterns))  # a formula with no literal first
    for text in texts:
        assert stock.sub(text) == _formulas_line_by_line(stock, text)
        assert made.sub(text) == _formulas_line_by_line(made, text)
    assert made.sub("特此xx报告\n特此报") == "\n特此报"


def test_covered_marks_each_character_of_a_shingle_found_in_the_other() -> None:
    import numpy as np

    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(similarity.K, 300))
        ha = rng.integers(0, 6, size=n - similarity.K + 1).astype(np.uint64)  # few values: many shared
        hb = rng.integers(3, 9, size=int(rng.integers(1, 50))).astype(np.uint64)
        want = np.zeros(n, dtype=bool)
        for i, h in enumerate(ha):
            if h in set(hb.tolist()):
                want[i:i + similarity.K] = True
        assert (similarity.covered(ha, hb, n) == want).all()

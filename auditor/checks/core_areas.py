"""Kind `core_areas`: the core areas of legal work a body answers for are reported with figures.

The areas, their words and the kinds of body that answer for each are data
(rules/data/core-areas.yaml, editable by a province): 行政复议, 行政应诉, 负责人出庭应诉, 规范性文件,
重大行政决策, 行政执法“三项制度”, 普法, 矛盾纠纷化解. The kind of body (government, department,
乡镇/街道) is read from the signature, the title or the opening; unknown → the government list.
An area is *reported* when one of its words stands in the same sentence as a figure (a count with
its measure word, 387件, 11次, 1500余人次; a percentage; or “无…案件”, a count of none) at most
`reach` characters away; *mentioned* when its words appear without a figure; *missing* otherwise.

params: `areas_file` (another data file, e.g. a province's; default the shipped one);
`max_missing` (how many applicable areas may go without a figure before the rule is not met;
default 0: a reviewer notes every core area reported without figures).
The outcome's `data` lists every area with its status and figure (the xlsx 核心工作 sheet).
Passes: a 街道 whose part 1 gives 应诉 (出庭应诉率100%), 决策 (审查合同87份), 执法 (执法人次5800余次),
普法 (普法宣传活动28场) and 调解 (调解纠纷387件). Fails: a 镇 whose part 1 gives figures for 普法 and
调解 only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Annotated, Any, NamedTuple

from auditor.checks.contract import CheckKind, Context, Kind, Schema, Scoping, Target
from auditor.checks.matching import ends_in, evidence, place
from auditor.checks.numerals import COUNT, PERCENT
from auditor.document.bodies import body_kind
from auditor.document.normalize import original_span
from auditor.document.patterns import LazyPattern
from auditor.models import Evidence, Line, Met, Outcome
from auditor.packs.areas import Area, CoreAreas, shipped_areas

_SENTENCE = re.compile(r"[^。;!?]+")
_CLAUSE = re.compile(r"[,:]")  # a clause ends at a comma (normalized text: ASCII punctuation)
# what may stand before the figure of a sentence that goes on with the last one's subject
_GOES_ON = LazyPattern(r"(?:全年|年内|本年度?|当年|共计?|累计|合计|先后|其中|依法|受理|办理|审结|办结|审核|审查|"
                      r"收到|化解|调解|出庭|备案|纠正|发生|涉及|达到?|计|各类|案件|申请)*")
# a count of none: 无行政复议案件, 未发生行政诉讼案件, 零败诉
# (each branch starts with its word, so `re` skips to their first characters; the same matches as
# `(无|未发生|没有|零)[\u4e00-\u9fff]{0,10}?(案件|纠纷|诉讼|败诉)|(败诉率|纠错率)为?(零|0)`, which it
# tried at every position: tests/checks/test_core_areas.py)
_NONE = re.compile("|".join(rf"{w}[\u4e00-\u9fff]{{0,10}}?(?:案件|纠纷|诉讼|败诉)" for w in ("无", "未发生", "没有", "零"))
                   + "|" + "|".join(f"{w}为?(?:零|0)" for w in ("败诉率", "纠错率")))
_QUOTE = 40  # characters of a quote, at most
_BEFORE = 8  # a figure before the word counts as this much farther


class Params(NamedTuple):
    areas_file: str | None = None
    max_missing: Annotated[int, Schema(minimum=0)] = 0


class _Found(NamedTuple):
    line: Line
    span: tuple[int, int]  # the word and the figure
    figure: str | None


def _figures(text: str, a: int, b: int) -> list[tuple[tuple[int, int], str]]:
    """Figures in text[a:b]: counts with a measure word (Chinese numerals only from 两 up, so
    “一个机制” is no figure), percentages, and counts of none."""
    out = []
    for m in COUNT.finditer(text, a, b):
        num = m.group("num")
        if num[0].isdigit() or (num not in ("一", "二") and m.group("unit") not in ("个", "项", "批")):
            out.append((m.span(), m.group().strip()))
    out += [(m.span(), m.group().strip()) for m in PERCENT.finditer(text, a, b)]
    out += [(m.span(), m.group()) for m in _NONE.finditer(text, a, b)]
    return out


def _gap(word: tuple[int, int], fig: tuple[int, int]) -> int:
    return fig[0] - word[1] if fig[0] >= word[1] else word[0] - fig[1]


def _occurrences(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Each word's non-overlapping occurrences in `text`, word by word (what `re.finditer` of the
    escaped word gives, found with str.find: no pattern built per word and sentence)."""
    hits = []
    for w in words:
        if not w:
            hits += [(m.start(), m.start()) for m in re.finditer("", text)]
            continue
        at = text.find(w)
        while at >= 0:
            hits.append((at, at + len(w)))
            at = text.find(w, at + len(w))
    return hits


_ANY_WORD: dict[tuple[str, ...], re.Pattern[str]] = {}


def _any_word(words: tuple[str, ...]) -> re.Pattern[str]:
    """One alternation of the words, compiled once per word list: whether a sentence holds any
    of them is one search in C (most sentences hold none of an area's words)."""
    rx = _ANY_WORD.get(words)
    if rx is None:
        rx = _ANY_WORD[words] = re.compile("|".join(map(re.escape, words)))
    return rx


def _hits(text: str, a: int, b: int, area: Area) -> list[tuple[int, int]]:
    """Where the area's words stand in text[a:b], leaving out those inside one of its not_words
    (协调解决 holds 调解)."""
    if not _any_word(area.words).search(text, a, b):
        return []
    away = _occurrences(text[a:b], area.not_words)
    hits = _occurrences(text[a:b], area.words)
    return [(a + x, a + y) for x, y in sorted(hits) if not any(p <= x and y <= q for p, q in away)]


_STOPS = frozenset("。;!?")  # what ends a _SENTENCE


class _Lines:
    """Each line's sentences, and each sentence's figures, read once for all the areas."""

    __slots__ = ("_sentences", "_figures")

    def __init__(self) -> None:
        self._sentences: dict[int, tuple[Line, list[tuple[int, int]]]] = {}
        self._figures: dict[tuple[int, int, int], list[tuple[tuple[int, int], str]]] = {}

    def sentences(self, ln: Line) -> list[tuple[int, int]]:
        held = self._sentences.get(id(ln))
        if held is None or held[0] is not ln:
            held = self._sentences[id(ln)] = (ln, [m.span() for m in _SENTENCE.finditer(ln.norm)])
        return held[1]

    def figures(self, ln: Line, a: int, b: int) -> list[tuple[tuple[int, int], str]]:
        key = (id(ln), a, b)  # the line is held by `_sentences` (asked first), so its id stays its own
        found = self._figures.get(key)
        if found is None:
            found = self._figures[key] = _figures(ln.norm, a, b)
        return found


def _by_sentence(text: str, sentences: list[tuple[int, int]], area: Area) -> dict[int, list[tuple[int, int]]]:
    """`_hits` of each sentence that has some (by the sentence's index), from the words' occurrences
    in the whole line: no word holds a sentence's end, so an occurrence lies in one sentence and
    each word's run of non-overlapping occurrences is, sentence by sentence, what `_hits` finds."""
    away = _occurrences(text, area.not_words)
    hits = sorted(h for h in _occurrences(text, area.words) if not any(p <= h[0] and h[1] <= q for p, q in away))
    out: dict[int, list[tuple[int, int]]] = {}
    i = 0
    for h in hits:
        while sentences[i][1] <= h[0]:
            i += 1
        out.setdefault(i, []).append(h)
    return out


def _plain_words(area: Area) -> bool:
    """Whether no word or not-word of the area is empty or holds a sentence's end (`_by_sentence`'s case)."""
    return _plain(area.words, area.not_words)


@lru_cache(maxsize=64)
def _plain(words: tuple[str, ...], not_words: tuple[str, ...]) -> bool:
    return all(w and not _STOPS.intersection(w) for w in (*words, *not_words))


def _find(lines: tuple[Line, ...], area: Area, others: tuple[str, ...],
          reach: int, read: _Lines | None = None) -> tuple[_Found | None, _Found | None]:
    """(the first mention with a figure, the first mention at all). The figure stands in the
    mention's sentence: after its word (“调解纠纷387件”, “受理行政复议申请,共12件”), or before it in the
    same clause (“办理12件行政复议案件”; not “召开专题会议4次,专题研究法治宣传”, where 4次 counts the
    meetings). A sentence that names the area without a figure may take its figure from the next
    sentence of the paragraph when that one names no other area and opens with the count, going on
    with the subject (“加强行政复议工作。全年共受理十二件,审结十件。”; not “…。全年开展培训3次。”).
    `read`: the lines' sentences and figures, shared by the areas of one report."""
    read = read or _Lines()
    plain = _plain_words(area)
    first: _Found | None = None
    for ln in lines:
        text = ln.norm
        if not _any_word(area.words).search(text):
            continue
        sentences = read.sentences(ln)
        per = (_by_sentence(text, sentences, area) if plain else
               {i: got for i, (a, b) in enumerate(sentences) if (got := _hits(text, a, b, area))})
        for i, (a, b) in enumerate(sentences):
            hits = per.get(i)
            if not hits:
                continue
            first = first or _Found(ln, hits[0], None)
            figs = read.figures(ln, a, b)
            # the nearest figure; one after its word is the usual order (“调解纠纷387件”), so preferred
            best = min(((_gap(h, f) + (0 if f[0] >= h[1] else _BEFORE), h, f, t)
                        for h in hits for f, t in figs if _gap(h, f) <= reach
                        and (f[0] >= h[1] or not _CLAUSE.search(text[f[1]:h[0]]))), default=None)
            if best is None and i + 1 < len(sentences):
                c, d = sentences[i + 1]
                if i + 1 not in per and not any(w in text[c:d] for w in others):
                    # only a count that goes on with the subject: “全年共受理十二件,审结十件”, not
                    # “全年开展培训3次” or “2025年,司法所共参与领导班子会议9次” (another subject)
                    after = [(f, t) for f, t in read.figures(ln, c, d) if _GOES_ON.fullmatch(text[c:f[0]].strip())]
                    best = min(((f[0] - c, hits[-1], f, t) for f, t in after), default=None)
            if best is not None:
                _, h, f, t = best
                return _Found(ln, (min(h[0], f[0]), max(h[1], f[1])), t), first
    return None, first


def _quote(found: _Found) -> str:
    a, b = original_span(found.line.text, found.line.norm, found.span)
    q = found.line.text[a:b].strip()
    return q if len(q) <= _QUOTE else q[: _QUOTE // 2] + "…" + q[-(_QUOTE // 2):]


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    store: Any = ctx.options.get("store")  # gives the run's store of validated data (the engine's)
    data: CoreAreas = shipped_areas(p.areas_file, store if callable(store) else None)
    doc = target.doc
    read = body_kind(doc)
    kind = read.kind if read else "government"
    kind_name = data.kind_names.get(kind, kind)
    said_kind = (f"按{kind_name}的核心工作（据{read.source}“{read.name}”）" if read
                 else f"未能从落款、标题或开头看出单位类别，按{kind_name}的核心工作")
    rows: list[dict[str, Any]] = []
    shown: list[Evidence] = []  # the figures found, then where the kind of body was read
    reported, without = [], []
    lines = target.body
    read_lines = _Lines()
    for area in data.areas:
        if not area.applies(kind, doc.report_year):
            rows.append({"name": area.name, "status": "n/a", "figure": None, "quote": None, "line": None})
            continue
        hit, mention = _find(lines, area, area.others, data.reach, read_lines)
        if hit is not None:
            quote = _quote(hit)
            reported.append(f"{area.name}（{quote}）")
            shown.append(evidence(hit.line, hit.span))
            rows.append({"name": area.name, "status": "reported", "figure": hit.figure, "quote": quote,
                         "line": hit.line.no})
        elif mention is not None:
            without.append(f"{area.name}（提到但没有数字）")
            rows.append({"name": area.name, "status": "mentioned", "figure": None, "quote": _quote(mention),
                         "line": mention.line.no})
        else:
            without.append(area.name)
            rows.append({"name": area.name, "status": "missing", "figure": None, "quote": None, "line": None})
    # the message quotes every figure; the evidence points at the first two and at the line the kind
    # of body was read from (three lines: what a scorecard shows of a finding)
    shown = shown[:2] + ([evidence(read.line)] if read else [])
    table = {"body_kind": kind, "body_kind_name": kind_name, "body_from": read.source if read else None,
             "areas": rows}
    has = f"有数据的：{'、'.join(reported)}" if reported else "没有一项核心工作写出数据"
    if not without:
        return Outcome(Met.MET, f"{said_kind}，{has}。", tuple(shown), table)
    cut = ends_in(doc, target.parts)
    if cut is not None:
        # the text stops inside part 1 (no later part, no signature): what it has not reached may
        # stand beyond the cut, so no area is called missing
        return Outcome(Met.NOT_APPLICABLE,
                       f"{target.where}在{place(cut)}句子没写完就结束了，其后没有其他部分和落款，文本可能不完整，"
                       f"未写到数据的核心工作无法判断是否缺少；{has}。", tuple(shown), table)
    message = f"{said_kind}，{target.where}没有写出数据的：{'、'.join(without)}；{has}。"
    met = Met.MET if len(without) <= p.max_missing else Met.UNMET
    return Outcome(met, message, tuple(shown), table)


KIND: CheckKind[Params] = Kind("core_areas", Params, check, Scoping.OPTIONAL, __doc__)

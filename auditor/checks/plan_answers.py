"""Kind `plan_answers`: the next year's plan answers each shortcoming the report lists.

The rule's `scope:` names the shortcomings part (required); `plan_role` (default plan) names the
part whose measures must answer them. Both are split into their items (（一）…, 1. …, 一是…,
else paragraphs or sentences; a cause stays with its shortcoming). Each shortcoming's subjects
are read from its words and its cause's, with the subjects of rules/data/subjects.yaml (执法,
培训, 宣传, 备案, 决策, 复议, 机构, 意识, 队伍, 监督 …: plain words a province may edit); a
shortcoming is answered when a measure names one of its subjects (its words, or the words that
answer it: 法治意识 ← 学法, 培训). With `concrete` (default true) only a concrete measure answers
(one that names a quantity, a time, a named instrument or body, or an action with its object:
rules/data/measures.yaml); a bare “继续加强行政执法。” is quoted as no answer. Shortcomings
whose subject is outside the body's powers (上位法) need no answer; those with no known subject
are left out, and the finding says how many. Causes listed apart (原因分析 （一）…) pair with the
problems one for one when their numbers agree. Not applicable when either part is missing (the
part rules report that) or no shortcoming has a known subject.
Passes: 不足“法治意识需进一步提升” and 安排“（一）加强执法人员法治培训。通过典型案例讲解…开展执法业务培训”.
Fails: 不足“（四）法治机构不健全。” and a plan that speaks only of 宣传 and 学习.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from auditor.checks._plan import measure_in, measure_words, subject_words
from auditor.checks.contract import CheckKind, Context, Kind, Scoping, Target
from auditor.checks.matching import place
from auditor.document.items import Item, split_items
from auditor.models import Met, Outcome
from auditor.packs.plan_words import Subject

MAX_SHOWN = 5  # shortcomings quoted in a finding


class Params(NamedTuple):
    plan_role: str = "plan"
    concrete: bool = True


class Reading(NamedTuple):
    """One shortcoming, what it is about, and the measure that answers it (if any)."""

    item: Item
    subjects: tuple[Subject, ...]  # in its statement first, then in the rest (its cause)
    stated: int  # how many of `subjects` its first sentence names
    answer: Item | None = None
    bare: Item | None = None  # a measure that names the subject without a concrete measure


_ANY_OF: dict[tuple[str, ...], re.Pattern[str] | None] = {}


def _named(text: str, words: tuple[str, ...]) -> bool:
    """Whether `text` contains one of `words` (one search of an alternation of them, compiled
    once per word list, instead of a substring test per word)."""
    try:
        rx = _ANY_OF[words]
    except KeyError:
        rx = _ANY_OF[words] = re.compile("|".join(map(re.escape, words))) if words else None
    return rx is not None and rx.search(text) is not None


def _spans(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """Where each of `words` occurs in `text`, non-overlapping occurrences of each word (what a
    search for the word alone finds). Plain substring searches: a word is a literal, and most
    words are absent, which `str.find` tells far faster than a regex built per call."""
    spans = []
    for w in words:
        at = text.find(w)
        while at >= 0:
            spans.append((at, at + len(w)))
            at = text.find(w, at + len(w))
    return spans


_WORDS: dict[int, tuple[tuple[Subject, ...], tuple[tuple[int, str], ...]]] = {}


def _words(known: tuple[Subject, ...]) -> tuple[tuple[int, str], ...]:
    """Every word of the subjects with its subject's index, in order (once per subjects tuple)."""
    held = _WORDS.get(id(known))
    if held is None or held[0] is not known:
        held = _WORDS[id(known)] = (known, tuple((i, w) for i, s in enumerate(known) for w in s.words))
    return held[1]


def _subjects(text: str, known: tuple[Subject, ...], among: tuple[tuple[int, str], ...] | None = None
              ) -> tuple[Subject, ...]:
    """The subjects a shortcoming's text names. A word met only inside a longer word of another
    subject does not name its own (“群众的法律意识” is the public's, not the cadres' 意识); a broad
    subject (依法行政) counts only when no other subject is named (“对部门依法行政的督导还不够经常”
    is about 督导). `among`: the words to look for (default all of `known`'s); a word left out
    must not occur in `text`."""
    # only the subjects met at all matter: most of the ~90 words are absent from a shortcoming,
    # which one substring test each tells; the occurrences are read of the words present
    present: dict[int, list[str]] = {}
    for i, w in (among if among is not None else _words(known)):
        if w in text:
            present.setdefault(i, []).append(w)
    return named_subjects([(known[i], _spans(text, tuple(words))) for i, words in sorted(present.items())])


def named_subjects(found: list[tuple[Subject, list[tuple[int, int]]]]) -> tuple[Subject, ...]:
    """Of the subjects met, with where their words occur (in the subjects' order), those the text
    names (see `_subjects`)."""
    named = []
    for s, mine in found:
        others = [sp for o, theirs in found if o is not s for sp in theirs]
        if any(not any(a <= x and y <= b and b - a > y - x for a, b in others) for x, y in mine):
            named.append(s)
    narrow = [s for s in named if not s.broad]
    return tuple(s for s in named if not s.broad or not narrow)


def _read(item: Item, known: tuple[Subject, ...], measures: list[tuple[Item, bool]], p: Params) -> Reading:
    """A shortcoming's subjects, and its best answer: the measure naming most of the subjects its
    statement names (then of those its cause names), the earliest of equals."""
    statement = item.statement  # normalized: a traditional 督導 is read as 督导
    text = item.text
    words = _words(known)
    # the statement is part of the text: only the words the text holds can be in it
    held = tuple(iw for iw in words if iw[1] in text)
    stated = _subjects(statement, known, held if statement in text else words)
    rest = tuple(s for s in _subjects(text, known, held) if s not in stated)
    about = stated + rest
    answerable = [s for s in about if s.answerable]
    answer = bare = None
    best = (0, 0)
    for measure, concrete in measures:
        hits = [s for s in answerable if _named(measure.text, s.answered_by)]
        if not hits:
            continue
        if concrete or not p.concrete:
            score = (sum(1 for s in hits if s in stated), len(hits))
            if score > best:
                answer, best = measure, score
        else:
            bare = bare or measure
    return Reading(item, about, len(stated), answer, bare)


def _with_causes(items: tuple[Item, ...]) -> list[Item]:
    """The shortcomings, each with its cause when the causes are listed apart, one for each
    (原因分析 （一）… （二）… after the problems); causes that do not pair up are left out."""
    problems = [i for i in items if not i.cause]
    causes = [i for i in items if i.cause]
    if len(causes) != len(problems):
        return problems
    return [Item(p.segments + c.segments) for p, c in zip(problems, causes)]


def _names(r: Reading) -> str:
    shown = [s for s in r.subjects[:r.stated] if s.answerable] or [s for s in r.subjects if s.answerable]
    return "、".join(s.name for s in shown)


def check(target: Target, p: Params, ctx: Context) -> Outcome:
    plan_parts = target.doc.parts_with_role(p.plan_role)
    plan_title = ctx.role_title(p.plan_role)
    if not plan_parts:
        return Outcome(Met.NOT_APPLICABLE, f"没有“{plan_title}”部分，不检查此项")
    shortcomings = _with_causes(split_items(target.body))
    plan = split_items(tuple(ln for part in plan_parts for ln in part.body))
    words = measure_words(ctx)
    measures = [(m, measure_in(m.text, words) is not None) for m in plan]
    known = subject_words(ctx)
    readings = [_read(item, known, measures, p) for item in shortcomings]
    unknown = [r for r in readings if not r.subjects]
    exempt = [r for r in readings if r.subjects and not any(s.answerable for s in r.subjects)]
    judged = [r for r in readings if any(s.answerable for s in r.subjects)]
    aside = []
    if unknown:
        aside.append(f"{len(unknown)}条未能识别主题")
    if exempt:
        aside.append(f"{len(exempt)}条不在本单位职权内")
    note = f"（另有{'、'.join(aside)}，未核对）" if aside else ""
    if not judged:
        return Outcome(Met.NOT_APPLICABLE, f"{target.where}列出的不足都未能识别主题{note}，不检查此项")
    open_ = [r for r in judged if r.answer is None]
    if not open_:
        pairs = "；".join(f"“{r.item.quote()}”→{place(r.answer.line)}“{r.answer.quote()}”"
                          for r in judged if r.answer is not None)
        return Outcome(Met.MET, f"{len(judged)}条不足都有对应的举措{note}：{pairs}",
                       tuple(r.answer.evidence() for r in judged if r.answer is not None))
    shown = []
    for r in open_[:MAX_SHOWN]:
        bare = f"，只有笼统表述{place(r.bare.line)}“{r.bare.quote()}”" if r.bare is not None else ""
        shown.append(f"{place(r.item.line)}“{r.item.quote()}”（{_names(r)}{bare}）")
    more = f"等{len(open_)}条" if len(open_) > MAX_SHOWN else ""
    return Outcome(
        Met.UNMET,
        f"{target.where}列出的{len(judged)}条不足{'都' if len(open_) == len(judged) else f'中有{len(open_)}条'}"
        f"在“{plan_title}”部分没有对应的具体举措{note}："
        + "；".join(shown) + more + "。",
        tuple(r.item.evidence() for r in open_[:MAX_SHOWN]),
    )


KIND: CheckKind[Params] = Kind("plan_answers", Params, check, Scoping.REQUIRED, __doc__)

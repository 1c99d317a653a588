"""Kind `heading_sequence`: heading numbers in the order of levels, one form per level, no gaps.

params: `levels` (from the top: {label, pattern}; the pattern's first group is the number, tried
on the original text of each line), `variants` (wrong forms: {level, label, pattern}, e.g. “一.”
or “(一)” for a level), `allow_skip` (a level may be left out, “1.” directly under “一、”;
default true, as GB/T 9704 7.3.3 says 依次可以用), `shown`.
Flags: a wrong form; a gap (一、二、四、) or a first number other than 1 under a new parent;
a reversed order (“（一）” under a “1.” that stands directly under “一、”); a skipped level when
`allow_skip` is false.
Passes: 一、 （一） 1. （1） （2） 2. （二） 二、. Fails: 一、 二、 四、; 一、 1. （一）; (一) beside （一）.
"""

from __future__ import annotations

import re
from typing import Annotated, NamedTuple

from auditor.checks._fixes import minimal
from auditor.checks._typography import normalised_copy, text_evidence
from auditor.checks.contract import ORIGINAL, CheckKind, Context, Kind, Pattern, Schema, Scoping, Target
from auditor.checks.matching import place, places
from auditor.document.patterns import cn_number
from auditor.models import Evidence, Fix, Line, Met, Outcome, replace


class Level(NamedTuple):
    label: Annotated[str, Schema(minLength=1)]
    pattern: Annotated[Pattern, ORIGINAL]  # its first non-empty group is the number


class Variant(NamedTuple):
    level: Annotated[int, Schema(minimum=1)]  # the level it stands for (1 = “一、”)
    label: Annotated[str, Schema(minLength=1)]
    pattern: Annotated[Pattern, ORIGINAL]
    fix: str | None = None  # the right form, {n} for the number: “（{n}）”
    width_only: bool = False  # differs from the right form only by half-width marks: “(一)”


class Params(NamedTuple):
    levels: Annotated[tuple[Level, ...], Schema(minItems=1)]
    variants: tuple[Variant, ...] = ()
    allow_skip: bool = True
    shown: Annotated[int, Schema(minimum=1, maximum=50)] = 8
    normalised_copy: Annotated[int, Schema(minimum=1)] = 10  # see the punctuation kind


def _number(m: re.Match[str]) -> int | None:
    raw = next((g for g in m.groups() if g), m.group(0))
    return int(raw) if raw.isdigit() else cn_number(raw)


def _classify(ln: Line, params: Params, copy: bool = False) -> tuple[int, int | None, str | None, Fix | None] | None:
    """(level, number, wrong form label or None, its correction) of a heading line, None for
    other lines. On a normalised copy a form that differs only by width counts as right."""
    text = ln.text
    for v in params.variants:  # first: a variant may extend a right form (“（一）、”)
        m = v.pattern.match(text)
        if m:
            if copy and v.width_only:
                return v.level, _number(m), None, None
            fix = None
            if v.fix:
                raw = next((g for g in m.groups() if g), "")
                a = len(m.group(0)) - len(m.group(0).lstrip())
                fix = minimal(text, a, m.group(0)[a:], v.fix.replace("{n}", raw)) if raw else None
            return v.level, _number(m), v.label, fix
    for i, lv in enumerate(params.levels, 1):
        m = lv.pattern.match(text)
        if m:
            return i, _number(m), None, None
    return None


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    doc = target.doc
    labels = [lv.label for lv in params.levels]
    allow_skip = params.allow_skip
    problems: list[tuple[Line, str]] = []
    wrong_forms: dict[str, list[Line]] = {}  # a wrong form is often used throughout: one entry each
    # the open headings, outermost first: (level, number); and per parent, the first child level used
    stack: list[tuple[int, int | None]] = []
    last: dict[tuple[int, ...], int] = {}  # (parent position, level) → last number
    child_level: dict[int, int] = {}  # parent position (len(heads) when opened) → its child level
    opened: list[int] = []  # positions of the open headings, parallel to stack
    position = 0
    skip_lines = {ln.no for ln in doc.title} | {x.no for x in (doc.signature.body, doc.signature.date) if x}
    copy = any(v.width_only for v in params.variants) and normalised_copy(doc.lines, params.normalised_copy)
    fixes: list[Evidence] = []  # every wrong form, with its correction
    for ln in doc.content:
        if ln.no in skip_lines:
            continue
        found = _classify(ln, params, copy)
        if found is None:
            continue
        level, number, wrong, fix = found
        position += 1
        if wrong:
            wrong_forms.setdefault(f"“{wrong}”式应写作“{labels[level - 1]}”式", []).append(ln)
            ev = text_evidence(ln, (0, min(len(ln.text), 20)))
            fixes.append(ev if fix is None else replace(ev, fix=fix))
        while stack and stack[-1][0] >= level:
            stack.pop()
            opened.pop()
        parent_pos = opened[-1] if opened else 0
        parent_level = stack[-1][0] if stack else 0
        first_child = child_level.setdefault(parent_pos, level)
        if level < first_child:
            problems.append((ln, f"层次倒置，“{labels[level - 1]}”用在了“{labels[first_child - 1]}”之后"))
        elif level > parent_level + 1 and not allow_skip:
            problems.append((ln, f"跳过了“{labels[parent_level]}”一层"))
        key = (parent_pos, level)
        expected = last.get(key, 0) + 1
        if number is not None and number != expected:
            problems.append((ln, f"序数不连续，应为第{expected}个，写成了第{number}个"))
        if number is not None:
            last[key] = number
        stack.append((level, number))
        opened.append(position)
    if not problems and not wrong_forms:
        return Outcome(Met.MET, "结构层次序数规范")
    shown = params.shown
    for why, lines in wrong_forms.items():
        at = places(lines[:shown], compact=True)
        problems.append((lines[0], f"{why}（{len(lines)}处，{at}{'等' if len(lines) > shown else ''}）"))
    problems.sort(key=lambda p: p[0].no)
    listed = "；".join(why if why.startswith("“") else f"{place(ln)}{why}" for ln, why in problems[:shown])
    more = f"；另有{len(problems) - shown}处" if len(problems) > shown else ""
    evidence = [text_evidence(ln, (0, min(len(ln.text), 20))) for ln, why in problems[:shown] if not why.startswith("“")]
    evidence = sorted([*evidence, *fixes], key=lambda e: e.line or 0)  # every wrong form, each with its fix
    return Outcome(Met.UNMET, listed + more + "。", tuple(evidence))


KIND: CheckKind[Params] = Kind("heading_sequence", Params, check, Scoping.NONE, __doc__)

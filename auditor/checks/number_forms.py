"""Kind `number_forms`: numbers written in a wrong form, or the same kind of figure two ways.

params: `groups` (label → patterns of forms wrong wherever they are: 3-5次, 12，345), `mixed`
(a list of {label, groups: {form name → patterns}}: a document using two forms of one kind of
figure, 1万人次 beside 一万人次, is flagged with the places of the less used form), `shown`.
Patterns are tried on the original text (normalization folds ～ into ~ and ， into ,).
Passes: “1.2万人次，覆盖率95%，3～5次”. Fails: “1.2万人次……一万人次”, “3-5次”, “95%……百分之九十八”.
"""

from __future__ import annotations

from typing import Annotated, NamedTuple

from auditor.checks._typography import Hit, by_group, places, text_evidence
from auditor.checks.contract import ORIGINAL, CheckKind, Context, Groups, Kind, Schema, Scoping, Target
from auditor.models import Evidence, Met, Outcome


class Mixed(NamedTuple):
    label: Annotated[str, Schema(minLength=1)]
    groups: Annotated[Groups, Schema(minProperties=2), ORIGINAL]  # form name → patterns


class Params(NamedTuple):
    groups: Annotated[Groups, ORIGINAL] | None = None
    mixed: tuple[Mixed, ...] = ()
    shown: Annotated[int, Schema(minimum=1, maximum=20)] = 3


def check(target: Target, params: Params, ctx: Context) -> Outcome:
    shown = params.shown
    lines = target.lines
    problems: list[str] = []
    evidence: list[Evidence] = []
    for label, hits in by_group(lines, params.groups or {}).items():
        problems.append(f"{label}{len(hits)}处（{_quoted(hits, shown)}，{places(hits, shown)}）")
        evidence += [text_evidence(ln, m.span()) for ln, m in hits[:shown]]
    for mix in params.mixed:
        forms = by_group(lines, mix.groups)
        if len(forms) < 2:
            continue
        ranked = sorted(forms.items(), key=lambda kv: -len(kv[1]))
        rest = ranked[1:]  # the most used form is taken as the document's own
        odd = sorted((h for _, hs in rest for h in hs), key=lambda h: (h[0].no, h[1].start()))
        names = "、".join(f"{name}{len(hs)}处" for name, hs in ranked)
        problems.append(f"{mix.label}写法不一致（{names}；如{_quoted(odd, shown)}，{places(odd, shown)}）")
        evidence += [text_evidence(ln, m.span()) for ln, m in odd[:shown]]
    if not problems:
        return Outcome(Met.MET, "数字用法一致")
    return Outcome(Met.UNMET, "；".join(problems) + "。", tuple(evidence))


def _quoted(hits: list[Hit], shown: int) -> str:
    return "、".join(dict.fromkeys(f"“{m.group(0).strip()}”" for _, m in hits[:shown]))


KIND: CheckKind[Params] = Kind("number_forms", Params, check, Scoping.OPTIONAL, __doc__)

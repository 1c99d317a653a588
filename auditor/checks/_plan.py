"""What the plan rules share: whether a listed measure is concrete (AR203, DR103, AR207, DR207).

A measure is concrete when it names an object and a measure: a quantity (全年轮训一次, 不少于12次),
a time (每季度, 6月底前), a named instrument or body (案卷评查, 司法所, 《…》, “谁执法谁普法”), or
a verb of action with an object beyond the generic nouns (开展执法人员轮训; not 推进法治政府建设).
“继续加强组织领导。” names none of these. The words are data: rules/data/measures.yaml.
"""

from __future__ import annotations

import re
from typing import Any

from auditor.checks.contract import Context
from auditor.packs.plan_words import Measures, StoreGetter, Subject, measures, subjects

_CJK = re.compile(r"[\u4e00-\u9fff]")


def _store(ctx: Context) -> StoreGetter | None:
    store: Any = ctx.options.get("store")  # the engine's: gives the run's store of validated data
    return store if callable(store) else None


def measure_words(ctx: Context) -> Measures:
    """rules/data/measures.yaml, validated once per change."""
    return measures(store=_store(ctx))


def subject_words(ctx: Context) -> tuple[Subject, ...]:
    """rules/data/subjects.yaml, validated once per change."""
    return subjects(store=_store(ctx))


def _time(text: str, m: Measures) -> re.Match[str] | None:
    """`m.time.search(text)`: the leftmost of its two branches searched apart, its words on a tie."""
    if m.time_words is None or m.time_date is None:
        return m.time.search(text)
    words, date = m.time_words.search(text), m.time_date.search(text)
    if date is not None and (words is None or date.start() < words.start()):
        return date
    return words


#: The latest answers of measure_in, by Measures (held: its id stays its own) and text: two rules
#: read the plan part's items (AR203 and AR207, DR103 and DR207)
_MEASURED: dict[int, tuple[Measures, dict[str, str | None]]] = {}


def measure_in(text: str, m: Measures) -> str | None:
    """The words that make `text` a concrete measure (for messages), or None when it has none."""
    held = _MEASURED.get(id(m))
    if held is None or held[0] is not m:
        held = _MEASURED[id(m)] = (m, {})
    answers = held[1]
    if text in answers:
        return answers[text]
    if len(answers) >= 256:
        answers.clear()
    found = answers[text] = _measure_in(text, m)
    return found


def _measure_in(text: str, m: Measures) -> str | None:
    found = m.quantity.search(text) or _time(text, m) or m.named.search(text)
    if found:
        return found.group()
    for found in m.action.finditer(text):
        rest = m.generic.sub("", found.group(1))
        if len(_CJK.findall(rest)) >= 2:
            return found.group()
    return None

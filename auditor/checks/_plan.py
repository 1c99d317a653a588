"""What the plan rules share: whether a listed measure is concrete (AR203, DR103, AR207, DR207).

A measure is concrete when it names an object and a measure: a quantity (全年轮训一次, 不少于12次),
a time (每季度, 6月底前), a named instrument or body (案卷评查, 司法所, 《…》, “谁执法谁普法”), or
a verb of action with an object beyond the generic nouns (开展执法人员轮训; not 推进法治政府建设).
“继续加强组织领导。” names none of these. The words are data: rules/data/measures.yaml.
"""

from __future__ import annotations

import re

from auditor.packs.plan_words import Measures, measures

_CJK = re.compile(r"[\u4e00-\u9fff]")


def measure_in(text: str, words: Measures | None = None) -> str | None:
    """The words that make `text` a concrete measure (for messages), or None when it has none."""
    m = words or measures()
    for rx in (m.quantity, m.time, m.named):
        found = rx.search(text)
        if found:
            return found.group()
    for found in m.action.finditer(text):
        rest = m.generic.sub("", found.group(1))
        if len(_CJK.findall(rest)) >= 2:
            return found.group()
    return None

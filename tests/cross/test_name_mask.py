"""streams.NameMask replaces the body's names exactly as the regular expression it stands for."""

from __future__ import annotations

import random
import re

from auditor.cross.streams import NameMask, mask, name_forms


def test_same_as_the_alternation_longest_first() -> None:
    rng = random.Random(3)
    alpha = "南岸区龙门浩街道办事处人民政府重庆市"
    for _ in range(3000):
        forms = sorted({"".join(rng.choice(alpha) for _ in range(rng.randint(1, 5))) for _ in range(rng.randint(1, 6))},
                       key=len, reverse=True)
        text = "".join(rng.choice(alpha + "的是在") for _ in range(rng.randint(0, 60)))
        expected = re.compile("|".join(re.escape(f) for f in forms)).sub("#", text)
        assert NameMask(tuple(forms)).sub("#", text) == expected, (forms, text)


def test_the_body_and_its_short_forms_are_masked() -> None:
    forms = name_forms("重庆市南岸区人民政府龙门浩街道办事处")
    assert mask("龙门浩街道办事处会同南岸区司法局，龙门浩街道开展普法", forms) == "#会同#司法局#开展普法"

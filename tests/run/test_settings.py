"""One set of settings for every front door (auditor.run.settings): check, annotate, the web
page and auditor.audit() build and check a run's options the same way."""

from __future__ import annotations

import json
from typing import Any, Mapping

import pytest

from auditor.run import settings
from auditor.run.settings import SettingError, audit_options
from auditor.setup.config import Config


def test_the_config_schema_and_the_options_accept_the_same_deadlines() -> None:
    from pathlib import Path

    import auditor

    schema = json.loads((Path(auditor.__file__).parent / "schema" / "config.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["deadline"]["pattern"] == settings.MMDD.pattern
    assert [settings.is_mmdd(v) for v in ("04-01", "12-31", "4-1", "13-01", "04-32")] == [True, True, False, False, False]


@pytest.mark.parametrize(("given", "key", "value"), [
    ({"pack": "gongwen"}, "pack", "gongwen"),  # an add-on pack is no report type
    ({"pack": "nope"}, "pack", "nope"),
    ({"with_packs": ["annual"]}, "with", "annual"),
    ({"deadline": "4-1"}, "deadline", "4-1"),
    ({"disable": ["AR999"]}, "disable", "AR999"),
])
def test_an_unusable_option_names_itself(packs: Mapping[str, Any], given: dict[str, Any], key: str, value: str) -> None:
    with pytest.raises(SettingError) as caught:
        audit_options(None, packs, **given)
    assert (caught.value.key, caught.value.value) == (key, value)


def test_options_lay_what_was_given_over_the_config(packs: Mapping[str, Any]) -> None:
    cfg = Config(pack="duty", deadline="03-01", disable=("AR105",), ocr=True, with_packs=("gongwen",))
    opts = audit_options(cfg, packs, disable=["XR101"], time_budget=5)
    assert (opts.pack, opts.deadline, opts.ocr, opts.with_packs, opts.time_budget) == ("duty", "03-01", True,
                                                                                    ("gongwen",), 5)
    assert opts.disabled == frozenset({"AR105", "XR101"})  # a cross-report rule id is a rule too
    given = audit_options(cfg, packs, pack="auto", deadline="04-15", ocr=False)
    assert (given.pack, given.deadline, given.ocr) == ("auto", "04-15", False)

"""The format registry: every output format is registered, well formed, and copes with any batch."""

from __future__ import annotations

from typing import Any

import pytest

from auditor import reporters
from auditor.models import Scorecard

from .conftest import render

FORMATS = ("sarif", "junit", "github", "csv", "xlsx", "html", "markdown")


def test_registered_for_format_choices() -> None:
    assert set(FORMATS) | {"text", "json"} <= set(reporters.names())
    with pytest.raises(KeyError, match="valid formats"):
        reporters.get("pdf")


@pytest.mark.parametrize("name", FORMATS)
def test_module_shape(name: str) -> None:
    module = reporters.get(name)
    assert module.NAME == name and isinstance(module.BINARY, bool) and module.DESCRIPTION
    assert module.BINARY == (name == "xlsx")
    assert module.__doc__ and callable(module.write)


@pytest.mark.parametrize("name", FORMATS)
def test_any_batch(name: str, cards: list[Scorecard], waived_cards: list[Scorecard], ctx: Any,
                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    for batch, context in ((cards, ctx), (cards, None), (waived_cards, ctx), ([], ctx), ([cards[-1]], ctx),
                           (cards, reporters.ReportContext(packs=ctx.packs, sort="score"))):
        out = render(name, batch, context)
        assert out, (name, len(batch))

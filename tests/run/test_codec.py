"""The plain form of a Scorecard: round trip, and a wrong shape is a CardFormatError."""

from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.errors import CardFormatError
from auditor.models import Scorecard, Verdict
from auditor.run.codec import card_from_plain, card_to_plain
from auditor.run.engine import audit_file, error_card

from conftest import FIXTURES


@pytest.fixture(scope="module")
def card(packs: Any) -> Scorecard:
    path = next(p for p in sorted((FIXTURES / "reports").glob("*.txt")))
    return audit_file(str(path), packs)


def test_round_trip_through_json(card: Scorecard) -> None:
    plain = card_to_plain(card)
    again = card_from_plain(json.loads(json.dumps(plain, ensure_ascii=False)))
    assert again == card
    assert card.results and again.verdict is card.verdict and isinstance(again.verdict, Verdict)


def test_error_card_round_trips() -> None:
    card = error_card("x.docx", "无法读取", fmt="docx")
    assert card_from_plain(card_to_plain(card)) == card


def _break(plain: dict[str, Any], how: str) -> Any:
    if how == "missing key":
        del plain["score"]
    elif how == "extra key":
        plain["colour"] = "red"
    elif how == "bad verdict":
        plain["verdict"] = "maybe"
    elif how == "bad status":
        plain["results"][0]["status"] = "great"
    elif how == "results not a list":
        plain["results"] = "none"
    elif how == "evidence line is text":
        plain["results"][0]["evidence"] = [{"line": "3", "text": "x", "where": None}]
    elif how == "path is a number":
        plain["path"] = 3
    elif how == "not a mapping":
        return [plain]
    return plain


@pytest.mark.parametrize("how", ["missing key", "extra key", "bad verdict", "bad status", "results not a list",
                                 "evidence line is text", "path is a number", "not a mapping"])
def test_wrong_shape_raises_card_format_error(card: Scorecard, how: str) -> None:
    with pytest.raises(CardFormatError):
        card_from_plain(_break(card_to_plain(card), how))


def test_addon_results_round_trip(card: Scorecard) -> None:
    from auditor.models import replace

    with_addon = replace(card, results=(*card.results, replace(card.results[0], addon="gongwen")))
    assert card_from_plain(json.loads(json.dumps(card_to_plain(with_addon)))) == with_addon

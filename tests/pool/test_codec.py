"""The plain form of a Scorecard: round trip, and a wrong shape is a CardFormatError."""

from __future__ import annotations

import json
from typing import Any

import pytest

from auditor.errors import CardFormatError
from auditor.models import Scorecard, Verdict
from auditor.pool.codec import card_from_plain, card_from_wire, card_to_plain, card_to_wire, pack_strings
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


# ---- the wire form workers send -------------------------------------------------------------

def test_wire_round_trip_through_marshal(card: Scorecard, packs: Any) -> None:
    import marshal

    table = pack_strings(packs)
    wire = card_to_wire(card, table)
    data = marshal.dumps(wire)
    assert len(data) < len(marshal.dumps(card_to_plain(card))) / 1.5  # the pack's texts go as indexes
    again = card_from_wire(marshal.loads(data), table)
    assert again == card
    assert isinstance(again.results[0].status, type(card.results[0].status))
    assert again.results[0].title is card.results[0].title  # the parent's own string, shared


def test_wire_error_card_round_trips(packs: Any) -> None:
    card = error_card("x.docx", "无法读取", fmt="docx")
    assert card_from_wire(card_to_wire(card, pack_strings(packs)), pack_strings(packs)) == card


def _break_wire(wire: tuple[Any, ...], how: str) -> Any:
    card = list(wire)
    first = list(card[4][0])
    if how == "short":
        return tuple(card[:11])
    if how == "index outside the table":
        first[2] = 10 ** 6
    elif how == "negative index":
        first[2] = -1
    elif how == "bad status":
        first[4] = "great"
    elif how == "evidence line is text":
        first[6] = (("3", "x", None),)
    elif how == "results not a tuple":
        card[4] = "none"
        return tuple(card)
    elif how == "path is a number":
        card[0] = 3
        return tuple(card)
    elif how == "bad confidence":
        card[9] = "certain"
        return tuple(card)
    elif how == "a list, not a tuple":
        return card
    card[4] = (tuple(first), *card[4][1:])
    return tuple(card)


@pytest.mark.parametrize("how", ["short", "index outside the table", "negative index", "bad status",
                                 "evidence line is text", "results not a tuple", "path is a number",
                                 "bad confidence", "a list, not a tuple"])
def test_wire_wrong_shape_raises_card_format_error(card: Scorecard, packs: Any, how: str) -> None:
    table = pack_strings(packs)
    with pytest.raises(CardFormatError):
        card_from_wire(_break_wire(card_to_wire(card, table), how), table)


def test_result_data_round_trips_and_old_entries_still_read(card: Scorecard, packs: Any) -> None:
    import marshal

    ar209 = next(r for r in card.results if r.rule == "AR209")
    assert ar209.data["areas"]  # the check's table travels with its result
    plain = card_to_plain(card)
    assert card_from_plain(json.loads(json.dumps(plain, ensure_ascii=False))) == card
    table = pack_strings(packs)
    assert card_from_wire(marshal.loads(marshal.dumps(card_to_wire(card, table))), table) == card
    # a cache entry written before results carried data: read as results without data
    for r in plain["results"]:
        r.pop("data", None)
    old = card_from_plain(plain)
    assert next(r for r in old.results if r.rule == "AR209").data == {}
    plain["results"][0]["data"] = ["not", "a", "mapping"]
    with pytest.raises(CardFormatError):
        card_from_plain(plain)

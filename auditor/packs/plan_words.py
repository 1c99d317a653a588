"""The plain words a plan is read with (rules/data/subjects.yaml, rules/data/measures.yaml).

Data a province may edit, not code: the subjects that match a shortcoming to a measure (AR207,
DR207) and the words that make a measure concrete (AR203, DR103). Like a pack, each file is
validated (YAML + auditor/schema/plan-words.schema.json) only when it changes: given the run's
store (the engine's, through the check's context), the validated data is cached as JSON, so an
ordinary run imports neither PyYAML nor jsonschema. A bad file stops the run with a
RuleFileError naming the file and key.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, NamedTuple

from auditor.errors import RuleFileError
from auditor.packs import datafile
from auditor.packs.ruleset import ValidatedStore

StoreGetter = Callable[[], ValidatedStore | None]


class Subject(NamedTuple):
    name: str
    words: tuple[str, ...]
    answers: tuple[str, ...] = ()  # further words of a measure that answer it
    answerable: bool = True  # False: outside the body's powers, no measure is expected
    broad: bool = False  # True: says how well (依法行政 …), not what: another subject named beside it decides

    @property
    def answered_by(self) -> tuple[str, ...]:
        return self.words + self.answers


class Measures(NamedTuple):
    """What makes a measure concrete (see rules/data/measures.yaml)."""

    quantity: re.Pattern[str]
    time: re.Pattern[str]
    named: re.Pattern[str]
    action: re.Pattern[str]  # group 1: the object after the verb, to the next punctuation
    generic: re.Pattern[str]
    # `time`'s two branches apart, each starting with what `re` can skip to (the words' literals;
    # a month's digit or numeral): `time`, whose last branch starts with a group, was tried at every
    # position. `_plan.measure_in` takes the leftmost, the words' on a tie (as `time` does).
    time_words: re.Pattern[str] | None = None
    time_date: re.Pattern[str] | None = None


def data_file(name: str) -> Path:
    """rules/data/<name> beside the packs (the shipped one when a test moves the packs)."""
    return datafile.beside_packs("data", name)


def read(path: Path, required: tuple[str, ...], store: StoreGetter | None = None) -> dict[str, Any]:
    """A words file, validated (or as validated before, from the store); RuleFileError naming the
    file and key when it is not valid."""
    def complete(data: dict[str, Any]) -> dict[str, Any]:
        missing = [k for k in required if k not in data]
        if missing:  # from the store: an entry without a key this reader needs is a miss
            raise KeyError(missing[0])
        return data

    return datafile.load(path, f"words-{path.stem}", lambda raw, where: _validate(raw, where, required), complete,
                         store() if store is not None else None)


def _validate(raw: bytes, where: str, required: tuple[str, ...]) -> dict[str, Any]:
    data = datafile.validated(raw, where, "plan-words.schema.json")
    missing = [k for k in required if k not in data]
    if missing:
        raise RuleFileError(where, f"missing key '{missing[0]}'")
    if "subjects" in data:
        datafile.names_once(data["subjects"], where, what="subject", key="subjects")
    return datafile.plain(data)


_SUBJECTS: dict[str | None, tuple[Subject, ...]] = {}
_MEASURES: dict[str | None, Measures] = {}


def subjects(path: str | None = None, store: StoreGetter | None = None) -> tuple[Subject, ...]:
    """The subjects of rules/data/subjects.yaml (or of `path`), read once per process; with the
    run's `store` (a function that gives it, called on the first read only), validated once per change."""
    found = _SUBJECTS.get(path)
    if found is None:
        data = read(Path(path) if path else data_file("subjects.yaml"), ("subjects",), store)
        found = _SUBJECTS[path] = tuple(
            Subject(s["name"], tuple(s["words"]), tuple(s.get("answers", ())), bool(s.get("answerable", True)),
                    bool(s.get("broad", False)))
            for s in data["subjects"])
    return found


def _any(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_CN_NUM = "[一二三四五六七八九十两百千万]+"
# a Chinese numeral inside a word is no quantity: 统一部署, 唯一, 进一步, 第一
_NOT_BEFORE_CN = "(?<![统唯第进万逐同专之其])"
# an action glued to the word before it is no action: 落实行政… holds 实行, 切实施… holds 实施
_NOT_AFTER_SHI = "(?<![落切扎务坚夯核证真充])"
_QUOTED = "《[^》]{2,30}》|“[^”]{2,20}”"
# A quantity's number: `(?:\d+(?:\.\d+)?|{_NOT_BEFORE_CN}{_CN_NUM})`, spelled to start with the class
# of its first character (the lookbehind after it), so `re` scans for a digit or numeral instead
# of trying the pattern at every position; the same matches (tests/packs/test_words.py).
_QUANTITY = (r"[\d一二三四五六七八九十两百千万](?:(?<=\d)\d*(?:\.\d+)?|"
             r"(?<![统唯第进万逐同专之其].)(?<=[一二三四五六七八九十两百千万])[一二三四五六七八九十两百千万]*)")


def _glued_not(words: list[str]) -> str:
    """`_NOT_AFTER_SHI` + `(?:{_any(words)})`, the lookbehind put after each word's first character:
    every branch then starts with a literal and `re` skips to the words' first characters instead
    of trying the lookbehind at every position; the same matches (tests/packs/test_words.py)."""
    cls = _NOT_AFTER_SHI[len("(?<!"):-1]
    return "|".join(f"{re.escape(w[0])}(?<!{cls}{re.escape(w[0])}){re.escape(w[1:])}"
                    for w in sorted(words, key=len, reverse=True))
_DATE = r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(底|前|份|上旬|中旬|下旬|\d{1,2}\s*日)"
# _DATE starting with the class of its first character: the same matches (tests/checks/test_pattern_forms.py)
_DATE_AT = r"[\d一二三四五六七八九十](?:(?<=\d)\d?|(?<=[一二三四五六七八九十])[一二三四五六七八九十]{0,2})\s*月\s*(?:底|前|份|上旬|中旬|下旬|\d{1,2}\s*日)"


def measures(path: str | None = None, store: StoreGetter | None = None) -> Measures:
    """The concreteness words of rules/data/measures.yaml (or of `path`), compiled, once per process."""
    found = _MEASURES.get(path)
    if found is None:
        data = read(Path(path) if path else data_file("measures.yaml"),
                    ("units", "times", "named", "actions", "generic"), store)
        found = _MEASURES[path] = Measures(
            quantity=re.compile(rf"{_QUANTITY}\s*(?:余|多)?\s*(?:{_any(data['units'])})"),
            time=re.compile(f"{_any(data['times'])}|{_DATE}"),
            named=re.compile(f"{_any(data['named'])}|{_QUOTED}"),
            action=re.compile(f"(?:{_glued_not(data['actions'])})([^,.;:!?。、]*)"),
            generic=re.compile(_any(data["generic"])),
            time_words=re.compile(_any(data["times"])),
            time_date=re.compile(_DATE_AT),
        )
    return found

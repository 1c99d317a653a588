"""Searching a document's lines for patterns fast: each pattern once over the lines joined by
newlines (when that finds exactly what a line-by-line run finds), after a prefilter of rare
characters every match must contain. Used by the check kinds (auditor.checks.matching, which
re-exports these names) and by the weighing of detection signs (auditor.document.signs).
"""

from __future__ import annotations

import re
import sys
from bisect import bisect_right
from itertools import accumulate
from typing import Any, Iterable

from auditor.document.patterns import GLOBAL_FLAGS as _GLOBAL_FLAGS, LazyPattern, Rx, install_needs
from auditor.models import Line


# A pattern is written for one line, but running each pattern over each line costs a Python
# loop per line. So each pattern runs once over all lines joined by newlines, which finds the
# same matches when a newline cannot change the outcome: no match contains one (checked on the
# result), `^`/`$` match at every line's ends (MULTILINE), and no lookaround or `\A`/`\Z`
# could see across a line's end. Patterns that fail the last test run line by line.

def _can_match_newline(items: Any) -> bool:
    """Whether any part of a parsed (sub)pattern can consume or test a newline."""
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            if av == 10:
                return True
        elif name == "NOT_LITERAL":
            if av != 10:
                return True
        elif name == "ANY":
            return True  # only with DOTALL, but be safe
        elif name == "IN":
            if _class_has_newline(av):
                return True
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if _can_match_newline(av[2]):
                return True
        elif name == "SUBPATTERN":
            if _can_match_newline(av[-1]):
                return True
        elif name == "BRANCH":
            if any(_can_match_newline(b) for b in av[1]):
                return True
        elif name in ("ASSERT", "ASSERT_NOT"):
            if _can_match_newline(av[1]):
                return True
        elif name in ("AT", "GROUPREF", "GROUPREF_EXISTS", "ATOMIC_GROUP"):
            return True  # anchors inside a lookaround, backreferences: line by line
    return False


def _class_has_newline(items: Any) -> bool:
    negate, found = False, False
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            negate = True
        elif name == "LITERAL" and av == 10:
            found = True
        elif name == "RANGE" and av[0] <= 10 <= av[1]:
            found = True
        elif name == "CATEGORY" and str(av) in ("CATEGORY_SPACE", "CATEGORY_NOT_WORD", "CATEGORY_NOT_DIGIT"):
            found = True
    return found != negate


def _lookarounds_faithful(items: Any) -> bool:
    r"""No lookaround (at any depth) whose body can match a newline; no \A or \Z."""
    for op, av in items:
        name = str(op)
        if name in ("ASSERT", "ASSERT_NOT"):
            if _can_match_newline(av[1]):
                return False
        elif name == "AT" and str(av) in ("AT_BEGINNING_STRING", "AT_END_STRING"):
            return False
        elif name in ("GROUPREF", "GROUPREF_EXISTS"):
            return False
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if not _lookarounds_faithful(av[2]):
                return False
        elif name == "SUBPATTERN" or name == "ATOMIC_GROUP":
            if not _lookarounds_faithful(av[-1]):
                return False
        elif name == "BRANCH":
            if not all(_lookarounds_faithful(b) for b in av[1]):
                return False
    return True


def _parse(pattern: str, flags: int) -> Any:
    """The parse tree of a pattern (the parser `re` itself uses, already loaded)."""
    if sys.version_info >= (3, 11):
        from re import _parser  # type: ignore[attr-defined]
    else:  # pragma: no cover
        import sre_parse as _parser
    return _parser.parse(pattern, flags)


_JOINED: dict[Rx, Rx | None] = {}

# How a pattern runs over the joined lines: as it is, not at all (line by line), or with ^ and $
# at every line's ends.
_SAME, _NONE, _MULTILINE = 0, 1, 2


def _joined_how(pattern: str, flags: int, parsed: Any) -> int:
    if not _lookarounds_faithful(parsed):
        return _NONE
    if len(parsed) and str(parsed[0][0]) == "AT" and str(parsed[0][1]) == "AT_BEGINNING":
        # anchored at a line's start: one attempt per line, while over the joined lines
        # (MULTILINE) the engine would try every position
        return _NONE
    if any(c in _ESCAPE_OR_CLASS.sub("", pattern) for c in "^$"):  # `[^…]`, `\$` are no anchors
        return _MULTILINE  # ^ and $ at every line's ends
    return _SAME


def joined_form(rx: Rx) -> Rx | None:
    """The pattern to run over the joined lines, or None when only a line-by-line run is faithful."""
    try:
        return _JOINED[rx]
    except KeyError:
        pass
    how = _analysis(rx)[0]
    found: Rx | None = (rx if how == _SAME else None if how == _NONE
                        else LazyPattern(rx.pattern, rx.flags | re.MULTILINE))
    _JOINED[rx] = found
    return found


_ESCAPE_OR_CLASS = LazyPattern(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]")


# ---- the prefilter: literals a match must contain --------------------------------------
# Python's re skips ahead fast only for a pattern that starts with a literal string; one that
# starts with a class or an alternation (“××|○○○”, “[Xx]…”, “_{2,}”) tries every position, ~6 ns
# a character. Most of those patterns look for what a finished report lacks (placeholders), so
# each pattern gets the literal strings one of which any match must contain, read from its parse
# tree; `lit in text` (a fast substring search) rules the pattern out when none occurs.

_CAP = 32  # alternatives in one set of literals; beyond that the set is not worth testing
_ZERO_WIDTH = ("ASSERT", "ASSERT_NOT", "AT")
Literals = frozenset[str]  # one of these strings occurs in every match


def _exact(op: str, av: Any) -> set[str] | None:
    """The strings one item matches, when they are few and known (a literal, a small class, an
    alternation of such, a fixed repeat); None otherwise."""
    if op == "LITERAL":
        return {chr(av)}
    if op == "IN":
        chars: set[str] = set()
        for iop, iav in av:
            name = str(iop)
            if name == "LITERAL":
                chars.add(chr(iav))
            elif name == "RANGE" and iav[1] - iav[0] < _CAP:
                chars.update(chr(c) for c in range(iav[0], iav[1] + 1))
            else:  # NEGATE, CATEGORY, a big range
                return None
        return chars if len(chars) <= _CAP else None
    if op == "SUBPATTERN":
        if av[1] & (re.IGNORECASE | re.LOCALE):
            return None
        return _exact_seq(av[-1])
    if op == "ATOMIC_GROUP":
        return _exact_seq(av)
    if op == "BRANCH":
        out: set[str] = set()
        for branch in av[1]:
            one = _exact_seq(branch)
            if one is None:
                return None
            out |= one
        return out if len(out) <= _CAP else None
    if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        lo, hi, body = av
        one = _exact_seq(body)
        if one is None or hi > 2 or hi < lo:
            return None
        strings = {""}
        found = {""} if lo == 0 else set()
        for k in range(1, hi + 1):
            strings = {a + b for a in strings for b in one}
            if len(strings) > _CAP:
                return None
            if k >= lo:
                found |= strings
        return found if len(found) <= _CAP else None
    return None


def _exact_seq(items: Any) -> set[str] | None:
    chain = {""}
    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue
        one = _exact(name, av)
        if one is None:
            return None
        chain = {a + b for a in chain for b in one}
        if len(chain) > _CAP:
            return None
    return chain


def _needed(items: Any) -> list[Literals]:
    """Sets of literals, each of which has a member in every match of the sequence `items`."""
    found: list[Literals] = []
    chain = {""}

    def flush() -> None:
        if "" not in chain and all("\n" not in c for c in chain):
            found.append(Literals(chain))

    for op, av in items:
        name = str(op)
        if name in _ZERO_WIDTH:
            continue  # consumes nothing: the text on either side is contiguous
        one = _exact(name, av)
        if one is not None:
            longer = {a + b for a in chain for b in one}
            if len(longer) <= _CAP:
                chain = longer
                continue
            flush()
            chain = one
            continue
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT") and av[0] >= 1:
            body = _exact_seq(av[2])
            if body is not None:  # at least `min` copies follow the chain, then anything
                ext = chain
                for _ in range(min(av[0], 4)):
                    ext = {a + b for a in ext for b in body}
                if len(ext) <= _CAP:
                    chain = ext
            else:
                found += _needed(av[2])
        elif name == "SUBPATTERN" and not av[1] & (re.IGNORECASE | re.LOCALE):
            found += _needed(av[-1])
        elif name == "ATOMIC_GROUP":
            found += _needed(av)
        elif name == "BRANCH":
            union: set[str] = set()
            for branch in av[1]:
                best = _best(_needed(branch), 1)
                if not best:
                    union = set()
                    break
                union |= best[0]
            if union and len(union) <= _CAP:
                found.append(Literals(union))
        flush()
        chain = {""}
    flush()
    return found


def _best(sets: list[Literals], n: int) -> list[Literals]:
    """The n most selective sets: the longest shortest member, then the fewest members."""
    return sorted(set(sets), key=lambda s: (-min(map(len, s)), len(s), sorted(s)))[:n]


_COMMON = LazyPattern(r"[\d\s\u4e00-\u9fff，。、；：“”（）《》]")  # in most reports: tested after the rare ones


def _rarest(lit: str) -> str:
    """The character of a literal least likely to occur in a report (ASCII letters and
    symbols before digits, spaces, ideographs and common punctuation)."""
    return next((c for c in lit if not _COMMON.match(c)), lit[0])


_MAX_ALTERNATIVES = 8  # literals in one test: each is a substring search of the text


def required_literals(rx: Rx) -> tuple[tuple[str, ...], ...]:
    """Tests that rule a pattern out: sets of literals such that every match of `rx` contains a
    member of each set (empty: nothing known, always search). First one character per literal
    (a one-character search is a fast scan, ~0.1 µs over a report, rare or common alike); then,
    for a pattern the engine cannot skip through (it does not start with a literal, so `re`
    tries every position, ~6 ns a character), the literals themselves (~2 µs each)."""
    return _analysis(rx)[1]


def _literals(flags: int, parsed: Any) -> tuple[tuple[str, ...], ...]:
    if flags & (re.IGNORECASE | re.LOCALE):
        return ()
    try:
        sets = _needed(parsed)
    except (re.error, TypeError, ValueError, IndexError, RecursionError):
        return ()
    skips = bool(len(parsed)) and str(parsed[0][0]) == "LITERAL"  # re's own fast search
    chars: set[tuple[str, ...]] = set()
    words: set[tuple[str, ...]] = set()
    for found in sets:
        # “contains 记者 or 本报记者” is “contains 记者”: drop a literal that holds another
        lits = {lit for lit in found if not any(o != lit and o in lit for o in found)}
        one = tuple(sorted({_rarest(lit) for lit in lits}))
        if len(one) <= _MAX_ALTERNATIVES:
            chars.add(one)
        else:  # too many to test: a character every one of them holds (出庭率, 完成率 … hold 率)
            shared = set.intersection(*map(set, lits))
            if shared:
                chars.add((min(shared, key=lambda c: (bool(_COMMON.match(c)), c)),))
        if not skips and len(lits) <= _MAX_ALTERNATIVES and max(map(len, lits)) > 1:
            words.add(tuple(sorted(lits)))
    # rare characters first: the likeliest to be absent
    ranked = sorted(chars, key=lambda c: (any(_COMMON.match(x) for x in c), len(c), c))[:2]
    return (*ranked, *sorted(words, key=lambda w: (len(w), w))[:1])


# ---- each pattern's analysis, kept between runs ------------------------------------------
# Parsing a pattern for the two analyses above costs about what compiling it does. The results
# depend only on the pattern's text and flags (and this module), so they are read once, kept by
# (text, flags), and can be exported to a cache and seeded from it in the next run
# (auditor.pool.cache, seed_pattern_analyses and save_pattern_analyses): a warm start parses no pattern.

Analysis = tuple[int, tuple[tuple[str, ...], ...]]  # (how it runs joined, required literals)
_ANALYSES: dict[tuple[str, int], Analysis] = {}
_NEW = 0  # analyses made in this process since the last seed or export


def _analysis(rx: Rx) -> Analysis:
    return _analysed(rx.pattern, rx.flags)


def _analysed(pattern: str, flags: int) -> Analysis:
    global _NEW
    key = (pattern, flags)
    found = _ANALYSES.get(key)
    if found is None:
        try:
            parsed = _parse(pattern, flags)
        except (re.error, TypeError, ValueError, IndexError, RecursionError):
            found = (_NONE, ())
        else:
            try:
                how = _joined_how(pattern, flags, parsed)
            except (re.error, TypeError, ValueError, IndexError, RecursionError):
                how = _NONE
            found = (how, _literals(flags, parsed))
        _ANALYSES[key] = found
        _NEW += 1
    return found


Needs = tuple[tuple[str, ...], ...]


def needs_of(sources: tuple[str, ...]) -> tuple[Needs, ...] | None:
    """For each pattern, given as its text, the literals a match needs (`required_literals`),
    known without compiling it (the analyses are kept by text, see below); None when some
    pattern cannot be ruled out so (nothing known, or flags only compiling it tells)."""
    found = []
    for source in sources:
        if _GLOBAL_FLAGS.match(source):
            return None
        needs = _analysed(source, re.UNICODE)[1]  # re.UNICODE: what re.compile gives a str pattern
        if not needs:
            return None
        found.append(needs)
    return tuple(found)


def ruled_out(needs: tuple[Needs, ...], lines: tuple[Line, ...]) -> bool:
    """Whether patterns with these `needs_of` can match none of `lines`: each lacks a literal
    every match of it contains (as `first_and_count` tests it, without the compiled patterns)."""
    if not lines:
        return True
    joined, _ = _joined(lines)
    for n in needs:  # (a loop: `all` over a generator costs more than the tests, most of them short)
        if not _absent(n, joined):
            return False
    return True


def analyse(patterns: Iterable[Rx]) -> int:
    """Analyse these patterns now (e.g. in a parent process before workers fork), and those a
    LazyPattern compiled without knowing their analysis; the number of analyses made in this
    process that no seed provided."""
    for rx in patterns:
        _analysis(rx)
    while _WANTED:
        _analysed(*_WANTED.pop())
    return _NEW


# LazyPattern, before compiling, asks which literals a match needs (patterns.install_needs):
# answered only from the analyses at hand (parsing costs about what compiling does). A pattern
# not analysed yet is compiled, and analysed when the analyses are next stored, for the next run.
_WANTED: set[tuple[str, int]] = set()
_CASELESS = re.compile(r"\(\?[aiLmsux]*[iL]")  # (?i) or (?L) anywhere: literals say nothing


def _known_needs(pattern: str, flags: int) -> Needs:
    if flags & (re.IGNORECASE | re.LOCALE) or _CASELESS.search(pattern):
        return ()
    found = _ANALYSES.get((pattern, flags))
    if found is None:
        _WANTED.add((pattern, flags))
        return ()
    return found[1]


install_needs(_known_needs)


def export_analyses() -> list[list[Any]]:
    """Every analysis held, as JSON-ready rows [pattern, flags, how, literal sets]."""
    global _NEW
    _NEW = 0
    return [[p, f, how, [list(s) for s in needs]] for (p, f), (how, needs) in _ANALYSES.items()]


def seed_analyses(rows: Any) -> None:
    """Analyses exported by an earlier run; a row of another shape is skipped (analysed again)."""
    if not isinstance(rows, list):
        return
    for row in rows:
        try:
            p, f, how, needs = row
            if (type(p) is not str or type(f) is not int or how not in (_SAME, _NONE, _MULTILINE)
                    or not all(type(lit) is str for s in needs for lit in s)):
                continue
            _ANALYSES.setdefault((p, f), (how, tuple(tuple(s) for s in needs)))
        except (TypeError, ValueError):
            continue


def _absent(needs: tuple[tuple[str, ...], ...], text: str) -> bool:
    """Whether some required set has no member in `text` (the pattern cannot match)."""
    for alternatives in needs:
        for lit in alternatives:
            if lit in text:
                break
        else:
            return True
    return False


class _Plan:
    """How to search one tuple of patterns (built once per rule's tuple)."""

    __slots__ = ("patterns", "joined", "needs")

    def __init__(self, patterns: tuple[Rx, ...]) -> None:
        # (One combined alternation as a first test was tried: Python's re then tries every
        # branch at every position, slower than the separate searches, each of which skips
        # ahead on its first character.)
        self.patterns = patterns
        self.joined = tuple(joined_form(rx) for rx in patterns)
        self.needs = tuple(required_literals(rx) for rx in patterns)


_PLANS: dict[int, _Plan] = {}


def _plan(patterns: Iterable[Rx]) -> _Plan:
    key = id(patterns)
    plan = _PLANS.get(key)
    if plan is None or plan.patterns is not patterns:
        pats = patterns if isinstance(patterns, tuple) else tuple(patterns)
        plan = _Plan(pats)
        if pats is patterns:  # the rule's own tuple lives as long as the pack: remember the plan
            _PLANS[key] = plan
    return plan


class Hit:
    """A match located in one line: what `re.Match` offers that the kinds use (`start()`,
    `end()`, `span()`, `group()` / `group(0)` and `re`; groups other than 0 are not kept)."""

    __slots__ = ("_start", "_end", "_text", "re")

    def __init__(self, start: int, end: int, text: str, pattern: Rx) -> None:
        self._start, self._end, self._text = start, end, text
        self.re = pattern  # the pattern that matched, as re.Match.re

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def span(self) -> tuple[int, int]:
        return self._start, self._end

    def group(self, index: int = 0) -> str:
        if index != 0:
            raise IndexError("only the whole match is kept")
        return self._text


def may_match(patterns: Iterable[Rx], joined: str) -> tuple[Rx, ...]:
    """The patterns that can match some line of `joined` (lines joined by newlines)."""
    plan = _plan(patterns)
    return tuple(rx for rx, j, needs in zip(plan.patterns, plan.joined, plan.needs)
                 if not (needs and _absent(needs, joined)) and (j is None or j.search(joined)))


def can_match(rx: Rx, joined: str) -> bool:
    """Whether `rx` can match some line of `joined`: whether `may_match` keeps it."""
    needs = required_literals(rx)
    if needs and _absent(needs, joined):
        return False
    j = joined_form(rx)
    return j is None or j.search(joined) is not None


#: Recent scopes searched, with their joined text and line offsets: several rules (and every sign
#: of a detection place) search the same lines one after another. Keyed by identity; each entry
#: holds its scope, so an id is never reused while it is here.
_JOINED_MEMO: dict[int, tuple[tuple[Line, ...], str, list[int]]] = {}


def _joined(scope: tuple[Line, ...]) -> tuple[str, list[int]]:
    hit = _JOINED_MEMO.get(id(scope))
    if hit is not None and hit[0] is scope:
        return hit[1], hit[2]
    joined = "\n".join(ln.norm for ln in scope)
    starts = list(accumulate((len(ln.norm) + 1 for ln in scope[:-1]), initial=0))  # each line's offset
    if len(_JOINED_MEMO) >= 8:
        _JOINED_MEMO.clear()
    _JOINED_MEMO[id(scope)] = (scope, joined, starts)
    return joined, starts


_SHORT = 200  # characters below which a prefilter costs about what the search does


def ready(rx: Rx) -> bool:
    """Whether a pattern is compiled (a LazyPattern not yet searched is not)."""
    return type(rx) is not LazyPattern or rx.ready


def first_and_count(lines: tuple[Line, ...], patterns: tuple[Rx, ...], limit: int
                    ) -> tuple[int | None, int]:
    """(index in `lines` of the first line where any pattern matches, or None; the number of
    matches of all patterns in all lines, counted up to `limit`): what a loop over the lines with
    `findall` finds, each pattern searched once over the joined lines and stopped early."""
    if not lines:
        return None, 0
    plan = _plan(patterns)
    joined, starts = _joined(lines)
    first: int | None = None
    count = 0
    short = len(joined) < _SHORT
    for rx, jx, needs in zip(plan.patterns, plan.joined, plan.needs):
        if first == 0 and count >= limit:
            break  # nothing can come before the first line, and the count is reached
        if needs and (not short or not ready(rx if jx is None else jx)) and _absent(needs, joined):
            continue  # (a pattern not compiled yet is tested on short text too: compiling costs more)
        mine_first: int | None = None
        mine = 0
        faithful = jx is not None
        if jx is not None:
            for m in jx.finditer(joined):
                if "\n" in m.group():
                    faithful = False
                    break
                if mine_first is None:
                    mine_first = bisect_right(starts, m.start()) - 1
                mine += 1
                if count + mine >= limit:
                    break
        if not faithful:
            mine_first, mine = None, 0
            for k, ln in enumerate(lines):
                n = len(rx.findall(ln.norm))
                if n and mine_first is None:
                    mine_first = k
                mine += n
                if count + mine >= limit:
                    break
        count = min(limit, count + mine)
        if mine_first is not None and (first is None or mine_first < first):
            first = mine_first
    return first, count


def search_all(lines: Iterable[Line], patterns: Iterable[Rx]) -> list[tuple[Line, Hit]]:
    """Every non-overlapping match of any pattern in each line, in line order."""
    scope = lines if type(lines) is tuple else tuple(lines)
    if not scope:
        return []
    plan = _plan(patterns)
    joined, starts = _joined(scope)
    hits: list[tuple[Line, Hit]] = []
    producing = 0  # patterns that found something: one alone gives its hits in line order
    for rx, jx, needs in zip(plan.patterns, plan.joined, plan.needs):
        if needs and _absent(needs, joined):
            continue  # a literal every match contains is not there
        before = len(hits)
        found: list[tuple[int, int, str]] | None = None
        if jx is not None:
            found = []
            for m in jx.finditer(joined):
                text = m.group()
                if "\n" in text:  # spans lines: only a line-by-line run says what each line holds
                    found = None
                    break
                found.append((m.start(), m.end(), text))
        if found is not None:
            for a, b, text in found:
                k = bisect_right(starts, a) - 1
                at = starts[k]
                hits.append((scope[k], Hit(a - at, b - at, text, rx)))
        else:
            for ln in scope:
                hits.extend((ln, Hit(m.start(), m.end(), m.group(), rx)) for m in rx.finditer(ln.norm))
        producing += len(hits) > before
    if producing > 1:
        hits.sort(key=lambda h: (h[0].no, h[1].start()))
    return hits

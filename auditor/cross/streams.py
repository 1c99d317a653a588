"""A report's text as the cross-report checks compare it (similarity, previous edition).

What legitimately differs between two reports is masked: the issuing body's name (and its
short forms), years, dates and figures (Arabic and Chinese numerals) become "#". What every
report shares is cut out: the title, the top-level part headings, the signature, website
chrome, and the stock formulas listed in rules/data/shared-text.yaml. Punctuation and spaces
go too, so that a comma changed into a full stop does not hide a copy. What is left is one
string per report (`Stream.text`) with, for each of its characters, the line it came from.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping, Sequence

from auditor.models import Document, Line, Part

#: the pieces of an issuing body's name: 重庆市|南岸区|人民政府|龙门浩街道办事处
_NAME_PIECE = re.compile(r"人民政府|办事处|.+?(?:街道办事处|人民政府|办事处|委员会|街道|管委会|省|市|区|县|镇|乡|局|委|办)")
_SUFFIX = re.compile(r"(街道办事处|人民政府|办事处|街道|管委会|委员会)$")
_DATE = re.compile(r"\d{4} *年( *\d{1,2} *月( *\d{1,2} *日)?)?|\d{4}[-./]\d{1,2}([-./]\d{1,2})?")
_ARABIC = re.compile(r"\d+(?:[.,]\d+)*")
#: Chinese numerals counting something (十二次, 三场, 两万人次); 一是 … 二是 stay as they are
_CN_COUNT = re.compile(r"(?<!#)[零〇一二三四五六七八九十百千万亿两]+(?=[余多]?(?:次|件|场|人|名|个|项|万|亿|期|批|家|所|份|篇|条|户|起|类|支|处|天|小时|%))")
#: kept: Chinese, letters and the mask; the rest (punctuation, spaces) goes
_DROP = re.compile(r"[^\w#\n]|_")
MASK = "#"


@dataclass(frozen=True)
class Stream:
    """A report's comparable text and where each of its characters comes from."""

    path: str
    text: str
    # the text is made of one piece per line: piece k starts at text[starts[k]] and comes from line
    # nos[k] (two small arrays, not one entry per character: 10,000 reports are held at once)
    starts: array  # type: ignore[type-arg]  # array('i')
    nos: array  # type: ignore[type-arg]  # array('i')
    lines: Mapping[int, str] = field(repr=False)  # line no → original text (for excerpts)
    part_of: Mapping[int, str] = field(repr=False)  # line no → the title of the part it is in
    role_of: Mapping[int, str] = field(default_factory=dict, repr=False)  # line no → its part's role
    where_of: Mapping[int, str] = field(default_factory=dict, repr=False)  # line no → the loader's 第3页第1段
    body: str | None = None
    year: int | None = None

    def __len__(self) -> int:
        return len(self.text)

    def open(self) -> Stream:
        """Itself (a Sealed text opens into one)."""
        return self

    def line_of(self, i: int) -> int:
        """The line text[i] comes from."""
        return int(self.nos[bisect_right(self.starts, i) - 1])


def line_spans(line_at: Sequence[int]) -> tuple[array, array]:  # type: ignore[type-arg]
    """(starts, nos) of a text whose character i comes from line line_at[i]."""
    starts, nos = array("i"), array("i")
    for i, no in enumerate(line_at):
        if not nos or nos[-1] != no:
            starts.append(i)
            nos.append(no)
    return starts, nos


@dataclass(frozen=True)
class Sealed:
    """A comparable text as a worker hands it over, compressed (about a third of a Stream's
    memory: a batch holds every report's text until the cross-report checks run, 10,000 of
    them); `open()` gives the Stream, when a check compares it."""

    path: str
    length: int  # len(text): what decides whether it is compared at all
    data: bytes  # zlib(marshal(the Stream's fields))

    def __len__(self) -> int:
        return self.length

    def open(self) -> Stream:
        import marshal
        import zlib

        text, start_bytes, no_bytes, lines, part_of, role_of, where_of, body, year = \
            marshal.loads(zlib.decompress(self.data))
        starts, nos = array("i"), array("i")
        starts.frombytes(start_bytes)
        nos.frombytes(no_bytes)
        return Stream(path=self.path, text=text, starts=starts, nos=nos, lines=lines, part_of=part_of,
                      role_of=role_of, where_of=where_of, body=body, year=year)

    @classmethod
    def seal(cls, s: Stream) -> Sealed:
        import marshal
        import zlib

        fields = (s.text, s.starts.tobytes(), s.nos.tobytes(), dict(s.lines), dict(s.part_of), dict(s.role_of),
                  dict(s.where_of), s.body, s.year)
        return cls(s.path, len(s.text), zlib.compress(marshal.dumps(fields), 1))


#: a report's comparable text, whole or sealed
Text = Stream | Sealed


def data_dir() -> Path:
    from auditor.packs.ruleset import builtin_dir

    return builtin_dir() / "data"


_GROUP = re.compile(r"\\.|\[[^\]]*\]|\([^()]*\)[?*+]?|\{[^}]*\}")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


def required_literal(pattern: str) -> str:
    """A piece of text every match of the pattern contains: its longest run of Chinese outside
    groups, classes and escapes, less a last character made optional (empty if none)."""
    prev = None
    while prev != pattern:
        prev, pattern = pattern, _GROUP.sub("|", pattern)
    pattern = re.sub(r".[?*]|.\{", "|", pattern)
    return max(_CJK_RUN.findall(pattern), key=len, default="")


@dataclass(frozen=True)
class Formulas:
    """The stock formulas, each with a literal that any match contains: a pattern is searched
    only in lines holding its literal (searching every line with every formula cost as much
    as all the rest of the masking)."""

    patterns: tuple[tuple[str, re.Pattern[str]], ...]  # (literal or "", pattern)

    def sub(self, text: str) -> str:
        """Each line of `text` (lines joined by newlines) without the formulas, each applied in
        turn to what the ones before it left of the line. A formula at a time: tried only on the
        lines holding its literal, and only when the text holds it (no literal holds a newline;
        "" is in every text), instead of testing every line for every literal."""
        for literal, rx in self.patterns:
            if literal in text:
                text = "\n".join(rx.sub("", ln) if literal in ln else ln for ln in text.split("\n"))
        return text


@lru_cache(maxsize=None)
def shared_text() -> tuple[Formulas, frozenset[str]]:
    """(the stock formulas as one pattern, generic words) from rules/data/shared-text.yaml.
    A formula never spans lines: the text is masked a whole report at a time, lines joined."""
    from auditor.errors import RuleFileError

    path = data_dir() / "shared-text.yaml"
    data = _read_yaml(path)
    try:
        compiled = tuple((required_literal(p), re.compile(p)) for p in data.get("stock", ()))
    except re.error as exc:
        raise RuleFileError(str(path), f"stock: invalid regular expression: {exc}") from exc
    return Formulas(compiled), frozenset(data.get("generic_words", ()))


def _read_yaml(path: Path) -> dict[str, Any]:
    import yaml

    from auditor.errors import RuleFileError

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise RuleFileError(str(path), f"cannot read data file: {exc}") from exc
    if not isinstance(data, dict):
        raise RuleFileError(str(path), "a data file must be a mapping")
    return data


def name_forms(body: str | None) -> list[str]:
    """The body's name and the pieces and short forms a report calls itself by, longest first:
    重庆市南岸区人民政府龙门浩街道办事处 → …, 龙门浩街道办事处, 龙门浩街道, 龙门浩, 南岸区 …"""
    if not body:
        return []
    body = re.sub(r"\s+", "", body)
    forms = {body}
    for piece in _NAME_PIECE.findall(body):
        forms.add(piece)
        short = _SUFFIX.sub("", piece)
        if short != piece:
            forms.add(short)
            if piece.endswith("街道办事处"):
                forms.add(short + "街道")
    return sorted((f for f in forms if len(f) >= 2 and f not in {"人民政府", "办事处", "委员会"}),
                  key=len, reverse=True)


def mask(text: str, names: list[str] | re.Pattern[str] | NameMask | None = None) -> str:
    """The comparable form of one line: names, dates, figures masked; stock formulas and
    punctuation gone."""
    stock, _ = shared_text()
    text = stock.sub(text)
    if isinstance(names, list):
        names = _names_rx(tuple(names)) if names else None
    if names is not None:
        text = names.sub(MASK, text)
    text = _DATE.sub(MASK, text)
    text = _ARABIC.sub(MASK, text)
    text = _CN_COUNT.sub(MASK, text)
    return _DROP.sub("", text)


@dataclass(frozen=True)
class NameMask:
    """What `re.compile("|".join(map(re.escape, forms))).sub` does with the forms longest first:
    from left to right, the longest form starting at a place is replaced, the search going on
    after it. Found with str.find: compiling that pattern, a different one for each body, cost
    more than all the masking (0.3-0.5 ms a report)."""

    forms: tuple[str, ...]  # longest first, none empty

    def sub(self, repl: str, text: str) -> str:
        longest: dict[int, int] = {}  # start → length of the longest form found there
        for form in self.forms:
            at = text.find(form)
            while at >= 0:
                if len(form) > longest.get(at, 0):
                    longest[at] = len(form)
                at = text.find(form, at + 1)
        if not longest:
            return text
        out: list[str] = []
        pos = 0
        for at in sorted(longest):
            if at >= pos:
                out += (text[pos:at], repl)
                pos = at + longest[at]
        out.append(text[pos:])
        return "".join(out)


def _names_rx(names: tuple[str, ...]) -> NameMask | None:
    return NameMask(names) if names else None


def _part_title(part: Part) -> str:
    from auditor.document.roles import heading_text

    return heading_text(part) or part.heading.text.strip()


def stream(doc: Document, body: str | None = None) -> Stream:
    """The comparable text of a report whose parts have their roles."""
    skip = {ln.no for ln in (*doc.title, *doc.chrome)}
    for ln in (doc.signature.body, doc.signature.date):
        if ln is not None:
            skip.add(ln.no)
    part_of: dict[int, str] = {}
    role_of: dict[int, str] = {}
    for p in doc.parts:
        skip.add(p.heading.no)
        title = _part_title(p)
        for ln in p.lines:
            part_of[ln.no] = title
            if p.role:
                role_of[ln.no] = p.role
    names = _names_rx(tuple(name_forms(body or (doc.signature.body.text if doc.signature.body else None))))
    kept = [ln for ln in doc.content if ln.no not in skip]
    # one pass of each pattern over the report (lines joined; no pattern crosses a newline)
    masked = mask("\n".join(ln.norm.replace("\n", " ") for ln in kept), names) if kept else ""
    pieces: list[str] = []
    starts, nos, at = array("i"), array("i"), 0
    lines: dict[int, str] = {}
    where_of: dict[int, str] = {}
    for ln, m in zip(kept, masked.split("\n")):
        if not m:
            continue
        pieces.append(m)
        starts.append(at)
        nos.append(ln.no)
        at += len(m)
        lines[ln.no] = ln.text.strip()
        if ln.where:
            where_of[ln.no] = ln.where
    return Stream(path=doc.path, text="".join(pieces), starts=starts, nos=nos, lines=lines, part_of=part_of,
                  role_of=role_of, where_of=where_of, body=body, year=doc.report_year)


def read(path: str, packs: Mapping[str, Any], *, pack: str | None = None, max_bytes: int | None = None,
         loader: Any = None) -> Document | None:
    """A report's Document with the roles of its pack (the card's, or detected); None when it
    cannot be read or is no report. Used for the batch (again, after the audits) and for the
    previous year's reports."""
    from auditor import loaders
    from auditor.document.structure import build
    from auditor.errors import DocumentLoadError
    from auditor.run.detect import Detection, detect, forced

    try:
        raw = (loader or loaders.load)(path, max_bytes=max_bytes) if max_bytes else (loader or loaders.load)(path)
        doc = build(raw)
    except DocumentLoadError:
        return None
    except Exception:  # noqa: BLE001 - a document that breaks here was reported by its own audit
        return None
    found: Detection | None
    if pack is not None and pack in packs:
        found = forced(doc, packs[pack])
    else:
        from auditor.packs.ruleset import report_packs

        found = detect(doc, report_packs(packs))  # never an add-on pack (公文规范)
    return found.document if found else None


def body_of(doc: Document) -> str | None:
    """The issuing body, as the engine reports it: the signature, else a two-line title's first."""
    line: Line | None = doc.signature.body or (doc.title[0] if len(doc.title) > 1 else None)
    return line.text.strip() if line else None

"""`--roster`: the list of bodies a supervisor expects a report from, matched to the batch.

A roster is one name a line (.txt, .csv: the first column) or a column of an .xlsx (the column
headed 单位/名称/机关/主体, else the first). Each report is matched by its issuing body (the
signature, else the body named in the title) to the roster entry that names the same body:
the full name (重庆市沙坪坝区人民政府小龙坎街道办事处), a shorter one (沙坪坝区小龙坎街道), or the
简称 (小龙坎街道). Names are compared without 人民政府 / 办事处 and without spaces and punctuation,
a roster name matching the end of the report's body at an administrative boundary (after
省/市/区/县/州/旗/盟, or the whole name): 小龙坎街道 matches 重庆市沙坪坝区小龙坎街道, 坎街道 does not.

The result lists the bodies with no report (shown first by every batch reporter), the bodies
with two or more reports, and the reports from bodies not on the roster.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from auditor.models import Scorecard

#: words a body's name carries or not, depending on who writes it
_NOISE = re.compile(r"人民政府|办事处|\s+|[，,。、.·:：;；“”\"'‘’（）()《》<>【】\[\]—-]")
#: the end of an administrative level: a shorter name may start right after one
_BOUNDARY = set("省市区县州旗盟")
#: a roster column's head
_HEAD = re.compile(r"单位|名称|机关|主体|部门|街道|乡镇|名单")
_TITLE_BODY = re.compile(r"^(.{2,40}?)(?:20\d{2}|二[〇○零]\S{2}|关于|法治政府)")
_SELF_LABELLED = re.compile(r"^\S{1,6}[:：]")
MAX_NAMES = 5000


class RosterError(ValueError):
    """The roster could not be read (in Chinese: shown to the CLI user and on the page)."""


def key(name: str) -> str:
    """The comparable form of a body's name: without 人民政府, 办事处, spaces and punctuation."""
    return _NOISE.sub("", name or "")


def names_from_text(text: str) -> list[str]:
    """One name a line; blank lines and # comments skipped; a csv line's first field."""
    out: list[str] = []
    for line in text.splitlines():
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        name = re.split(r"[,\t，]", line.strip(), maxsplit=1)[0].strip().strip('"')
        if name and not (not out and _HEAD.fullmatch(name)):
            out.append(name)
    return out


def names_from_xlsx(data: bytes) -> list[str]:
    """The names in an .xlsx's first sheet: the column headed 单位/名称/…, else the first column."""
    import io

    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped,unused-ignore]

        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = [[("" if v is None else str(v).strip()) for v in row]
                for row in wb.worksheets[0].iter_rows(values_only=True, max_row=MAX_NAMES + 1)]
        wb.close()
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise RosterError(f"无法读取名单表格（{type(exc).__name__}）：请确认是 .xlsx 文件") from exc
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    col, start = 0, 0
    for i, cell in enumerate(rows[0]):
        if cell and _HEAD.search(cell) and len(cell) <= 8:
            col, start = i, 1
            break
    return [r[col] for r in rows[start:] if col < len(r) and r[col]]


def load(path_or_name: str, data: bytes | None = None) -> list[str]:
    """The names of a roster file (read from disk when `data` is None). RosterError when unreadable."""
    if data is None:
        try:
            with open(path_or_name, "rb") as f:
                data = f.read(20 * 1048576 + 1)
        except OSError as exc:
            raise RosterError(f"无法读取名单文件：{exc.strerror or exc}") from exc
    if len(data) > 20 * 1048576:
        raise RosterError("名单文件过大（上限 20 MB）")
    if path_or_name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        names = names_from_xlsx(data)
    else:
        text = None
        for enc in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(enc)
                break
            except UnicodeDecodeError:
                continue
        if text is None:
            raise RosterError("名单文件不是文本文件：请每行写一个单位名称，或上传 .xlsx 表格")
        names = names_from_text(text)
    names = list(dict.fromkeys(n for n in names if key(n)))
    if not names:
        raise RosterError("名单中没有单位名称：请每行写一个单位名称，或在 .xlsx 的一列中列出")
    if len(names) > MAX_NAMES:
        raise RosterError(f"名单过长（{len(names)} 个单位，上限 {MAX_NAMES} 个）")
    return names


def body_of(card: Scorecard) -> str | None:
    """The body a report comes from: its signature, else the body named at the head of its title."""
    body = card.body or ""
    if body and not _SELF_LABELLED.match(body):
        return body
    title = str(card.meta.get("title") or "")
    m = _TITLE_BODY.match(re.sub(r"\s+", "", title))
    return m.group(1) if m else None


def matches(entry: str, body: str) -> bool:
    """Whether the roster entry names this body (see the module's docstring)."""
    e, b = key(entry), key(body)
    if not e or not b:
        return False
    if e == b:
        return True
    if b.endswith(e):
        return b[-len(e) - 1] in _BOUNDARY
    if e.endswith(b):  # the roster has the fuller name, the report signs with a shorter one
        return e[-len(b) - 1] in _BOUNDARY
    return False


@dataclass(frozen=True)
class Entry:
    name: str  # as the roster writes it
    paths: tuple[str, ...]  # the reports matched to it, in batch order


@dataclass(frozen=True)
class Result:
    entries: tuple[Entry, ...]
    unlisted: tuple[str, ...]  # paths of reports whose body is on no roster line
    bodies: Mapping[str, str | None]  # path → the body it was matched by

    @property
    def missing(self) -> list[str]:
        return [e.name for e in self.entries if not e.paths]

    @property
    def duplicates(self) -> list[Entry]:
        return [e for e in self.entries if len(e.paths) > 1]

    def entry_of(self, path: str) -> str | None:
        return next((e.name for e in self.entries if path in e.paths), None)

    def mark(self, path: str) -> str:
        """The report's roster note: 未列入名单, 同一单位报送多份（…）, or ''."""
        if path in self.unlisted:
            return "不在名单中"
        for e in self.entries:
            if path in e.paths and len(e.paths) > 1:
                return f"同一单位报送 {len(e.paths)} 份"
        return ""

    def summary(self) -> str:
        return (f"名单 {len(self.entries)} 个单位：已报送 {len(self.entries) - len(self.missing)}，"
                f"未报送 {len(self.missing)}，重复报送 {len(self.duplicates)}，名单外报告 {len(self.unlisted)} 份")

    def as_json(self) -> dict[str, object]:
        return {"names": len(self.entries), "missing": self.missing,
                "duplicates": [{"name": e.name, "paths": list(e.paths)} for e in self.duplicates],
                "unlisted": [{"path": p, "body": self.bodies.get(p)} for p in self.unlisted],
                "matched": [{"name": e.name, "paths": list(e.paths)} for e in self.entries if e.paths]}


def match(names: Sequence[str], cards: Iterable[Scorecard]) -> Result:
    """Each report to the roster entry naming its body (the longest such name when several do);
    unreadable reports (no body) are neither matched nor marked as off the roster."""
    found: dict[str, list[str]] = {n: [] for n in names}
    unlisted: list[str] = []
    bodies: dict[str, str | None] = {}
    for card in cards:
        body = body_of(card) if card.verdict != "error" else None
        bodies[card.path] = body
        if card.verdict == "error":
            continue
        hits = [n for n in names if body and matches(n, body)]
        if not hits:
            unlisted.append(card.path)
            continue
        found[max(hits, key=lambda n: len(key(n)))].append(card.path)
    return Result(entries=tuple(Entry(n, tuple(p)) for n, p in found.items()), unlisted=tuple(unlisted),
                  bodies=bodies)

"""Text normalization for matching; evidence always quotes the original.

Why per character and not NFKC on the whole text: NFKC turns ，：；（） and U+3000 into ASCII but
also rewrites other characters reports use; we want exactly one canonical form for punctuation
(ASCII), spaces (U+0020) and ideographs (Simplified, no Kangxi radicals), with the length of each
line kept so a match offset is also an offset into the original line.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Full-width ASCII variants → ASCII; every kind of space → U+0020; Traditional corner quotes →
# the mainland curly quotes (no OpenCC config converts punctuation).
_TABLE: dict[int, int | str] = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_TABLE.update({cp: " " for cp in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x200A, 0x202F, 0x205F, 0xFEFF)})
_TABLE.update({ord("「"): "“", ord("」"): "”", ord("『"): "‘", ord("』"): "’", ord("\t"): " "})
_TABLE.update({0x200B: " ", 0x200C: " ", 0x200D: " "})

# Characters common in Traditional text that never occur in Simplified text. Cheap gate so that
# OpenCC (import + dictionary load ≈ 40 ms) runs only on documents that need it.
_TRADITIONAL_MARKERS = frozenset(
    "這們國會來說時個對於與為發經關區實現進問題務機體點當項質設計過應處員學業從動將並還門間長條開頭"
    "報議論總規劃權義傳統較據導師觀歷雖廣興舉辦強調護黨領營環態變價幫聽親覽綜織職責視聯網絡歲製嚴審"
    "認識請讀訴訟範執訓練級繼續彙覈數據縣鄉鎮區廳員戶頁專題講檢監計劃構劃貫徹獲謀優環務氣"
)


_MARKERS_RX = re.compile("[" + "".join(sorted(_TRADITIONAL_MARKERS)) + "]")
_CJK_RX = re.compile("[\u4e00-\u9fff]")
_COMPAT_RX = re.compile("[\u2e80-\u2fdf\uf900-\ufaff]")


def looks_traditional(text: str) -> bool:
    """True when enough Traditional-only characters appear to be worth converting."""
    hits = len(_MARKERS_RX.findall(text))
    if hits < 3:
        return False
    return hits * 100 >= len(_CJK_RX.findall(text))  # ≥ 1 % of the ideographs


@lru_cache(maxsize=1)
def _converter() -> object:
    import opencc  # lazy: most reports are Simplified

    # tw2s, not t2s: t2s leaves 著力/隨著 unconverted (formats.md §7).
    return opencc.OpenCC("tw2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC tw2s; keeps the original when lengths would differ."""
    converted: str = _converter().convert(text)  # type: ignore[attr-defined]
    return converted if len(converted) == len(text) else text


def _fold_compat(ch: str) -> str:
    # Kangxi radicals and CJK compatibility ideographs from some PDF producers: NFKC per char.
    cp = ord(ch)
    if 0x2E80 <= cp <= 0x2FDF or 0xF900 <= cp <= 0xFAFF:
        folded = unicodedata.normalize("NFKC", ch)
        return folded if len(folded) == 1 else ch
    return ch


def normalize_line(text: str) -> str:
    """The matching form of one line (same length as the input)."""
    out = text.translate(_TABLE)
    if _COMPAT_RX.search(out):
        out = "".join(_fold_compat(c) for c in out)
    return out


def normalize_lines(lines: list[str]) -> tuple[list[str], bool]:
    """Normalize every line; returns (normalized lines, whether Traditional was converted)."""
    # one translate over the whole text instead of one per line (lines never contain "\n")
    joined = "\n".join(lines).translate(_TABLE)
    if _COMPAT_RX.search(joined):
        joined = "".join(_fold_compat(c) for c in joined)
    normed = joined.split("\n")
    if len(normed) != len(lines):  # a line held a character the table maps to "\n": go line by line
        normed = [normalize_line(s) for s in lines]
        joined = "\n".join(normed)
    if not looks_traditional(joined):
        return normed, False
    converted = to_simplified(joined).split("\n")
    if len(converted) != len(normed):  # never lose the line mapping
        return normed, False
    return [c if len(c) == len(n) else n for c, n in zip(converted, normed)], True

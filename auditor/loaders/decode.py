"""Bytes → str for text formats: BOM, strict UTF-8, then GB18030 / Big5 detection.

Measured choice (shared notes, formats.md §6): decode Chinese legacy text as GB18030, never
GBK/GB2312 (they reject characters real files hold); a strict GB18030 decode accepts Big5 bytes
as garbage, so once UTF-8 fails charset-normalizer decides between the two, restricted to them
because on short text its default guesses cp949 or UTF-16.
"""

from __future__ import annotations

import codecs

from auditor.errors import DocumentLoadError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters: not a text file (UTF-16 is caught by its BOM first)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(4, len(sample) // 100)


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a byte-order mark (some Windows tools do): its ASCII characters
    (digits, line breaks, punctuation) put NUL bytes on one side of each 16-bit unit (a few
    ideographs such as 一 U+4E00 have a NUL low byte too), which no 8-bit text has. The decode
    must then succeed strictly and give printable text."""
    sample = data[:8192]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if min(even, odd) * 4 > max(even, odd):
        return None
    name = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    head = text[:4096]
    printable = sum(c.isprintable() or c in "\r\n\t" for c in head)
    return (text, name) if printable >= 0.98 * len(head) else None


MAX_BROKEN = 0.01  # share of characters that may be undecodable before a file counts as unreadable


def _lossy(data: bytes) -> tuple[str, str] | None:
    """A file with a few broken bytes (a truncated copy, one bad character) is still a report:
    decode it with U+FFFD for the broken characters, as browsers do, when they are rare."""
    best: tuple[int, str, str] | None = None
    for name in ("utf-8", "gb18030"):
        text = data.decode(name, errors="replace")
        broken = text.count("\ufffd")
        if broken <= max(1, len(text) * MAX_BROKEN) and (best is None or broken < best[0]):
            best = (broken, text, f"{name}（有{broken}处无法解码的字符）")
    return (best[1], best[2]) if best else None


def decode_bytes(data: bytes, *, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding). `declared` is a charset named by the file itself (HTML meta)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise DocumentLoadError(f"文件以 {name} 字节序标记开头，但内容无法按该编码解码") from exc
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if looks_binary(data):
        raise DocumentLoadError("不是文本文件（含二进制内容），请检查文件类型是否正确")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if declared:
        name = declared.lower().strip()
        if name in {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"}:
            name = "gb18030"  # as WHATWG does: the label undersells what the page holds
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 input pays for it

    best = from_bytes(data, cp_isolation=["gb18030", "big5"]).best()
    if best is not None:
        encoding = "gb18030" if best.encoding in {"gb18030", "gbk", "gb2312"} else best.encoding
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        lossy = _lossy(data)
        if lossy is not None:
            return lossy
        raise DocumentLoadError("无法识别文本编码（支持 UTF-8、GB18030/GBK、Big5、UTF-16），请另存为 UTF-8 后再检查") from exc

"""Just enough of the OLE compound-file format to tell what an old-style Office file is.

Three questions matter to the loaders, and each one decides which Chinese message the user gets:
is it a password-protected new-format Office file (an `EncryptedPackage` stream: Word wraps an
encrypted .docx in OLE), a Word 97-2003 document (a `WordDocument` stream), and is that .doc
encrypted (the fEncrypted bit of its FIB). Reading the directory properly (rather than searching
the bytes for names) keeps a stray string in the document text from fooling us. Every chain walk
is bounded, so a crafted file cannot loop.
"""

from __future__ import annotations

import struct

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END = 0xFFFFFFFF, 0xFFFFFFFE


def is_ole(data: bytes) -> bool:
    return data.startswith(MAGIC)


class _Ole:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.ssize = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        if self.ssize not in (512, 4096):
            raise ValueError("bad sector size")
        first_dir, = struct.unpack_from("<I", data, 0x30)
        first_difat, n_difat = struct.unpack_from("<II", data, 0x44)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        # Large files continue the sector list of the FAT in DIFAT sectors.
        # A crafted file loops its DIFAT chain or lists sectors many times over: every chain is
        # walked with a set of sectors seen, and no file has more FAT sectors than sectors.
        n_sectors = len(data) // self.ssize
        sec, seen = first_difat, set[int]()
        while sec < _END and sec not in seen and len(seen) < min(n_difat, n_sectors):
            seen.add(sec)
            words = struct.unpack_from(f"<{self.ssize // 4}I", self._sector(sec))
            fat_sectors += [s for s in words[:-1] if s < _END]
            sec = words[-1]
        fat_sectors = list(dict.fromkeys(fat_sectors))[:n_sectors]
        self.fat: list[int] = []
        for s in fat_sectors:
            self.fat += struct.unpack_from(f"<{self.ssize // 4}I", self._sector(s))
        self.entries: dict[str, tuple[int, int]] = {}
        raw = self._chain(first_dir)
        for off in range(0, len(raw) - 127, 128):
            name_len, kind = struct.unpack_from("<HB", raw, off + 64)
            if kind not in (1, 2, 5) or not 2 <= name_len <= 64:
                continue
            name = raw[off : off + name_len - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<II", raw, off + 116)
            self.entries[name] = (start, size)

    def _sector(self, sec: int) -> bytes:
        off = (sec + 1) * self.ssize
        if off + self.ssize > len(self.data):
            raise ValueError("sector out of range")
        return self.data[off : off + self.ssize]

    def _chain(self, sec: int, limit: int = 1 << 24) -> bytes:
        out, seen = bytearray(), set()
        while sec < _END and sec not in seen and len(out) < limit:
            seen.add(sec)
            out += self._sector(sec)
            sec = self.fat[sec] if sec < len(self.fat) else _END
        return bytes(out)


def inspect(data: bytes) -> str:
    """'encrypted-ooxml', 'encrypted-doc', 'doc' or 'other' (also for damaged OLE files)."""
    try:
        ole = _Ole(data)
    except (ValueError, struct.error, IndexError):
        return "other"
    if "EncryptedPackage" in ole.entries:
        return "encrypted-ooxml"
    if "WordDocument" in ole.entries:
        start, size = ole.entries["WordDocument"]
        try:
            # The FIB opens the stream; WordDocument is always >= 4096 bytes, so it lives in
            # regular sectors. Bit 0x0100 of the flags word at 0x0A is fEncrypted.
            fib = ole._chain(start, limit=512)
            if size >= 12 and struct.unpack_from("<H", fib, 0x0A)[0] & 0x0100:
                return "encrypted-doc"
        except (ValueError, struct.error, IndexError):
            pass
        return "doc"
    return "other"

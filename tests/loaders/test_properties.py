"""Property tests: whatever the bytes or text, load() returns RawText or raises DocumentLoadError."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.errors import DocumentLoadError
from auditor.loaders import LOADER_BY_SUFFIX, legacy, load
from auditor.models import RawText

from .conftest import FORMATS

SUFFIXES = sorted(LOADER_BY_SUFFIX)
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_WHICH = shutil.which  # legacy.shutil is the shutil module: keep the real one before patching
SEEDS = {ext: (FORMATS / name).read_bytes() for ext, name in
         [(".docx", "002_revs.docx"), (".pdf", "002.pdf"), (".html", "002_gbk.html"), (".doc", "002.doc")]}


def _load(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        _soffice_off = pytest.MonkeyPatch()
        # LibreOffice takes a second per call: property runs use antiword (or nothing) only.
        _soffice_off.setattr(legacy.shutil, "which", lambda n: None if n in ("soffice", "libreoffice") else _WHICH(n))
        try:
            raw = load(str(path))
            assert isinstance(raw, RawText)
        except DocumentLoadError as exc:
            assert str(exc) and "\n" not in str(exc)
        finally:
            _soffice_off.undo()


@SETTINGS
@given(data=st.binary(max_size=4096), suffix=st.sampled_from(SUFFIXES))
def test_arbitrary_bytes(data: bytes, suffix: str) -> None:
    _load(data, suffix)


@SETTINGS
@given(text=st.text(max_size=2000), suffix=st.sampled_from([".txt", ".md", ".html", ".htm"]),
       codec=st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_arbitrary_text(text: str, suffix: str, codec: str) -> None:
    _load(text.encode(codec, "replace"), suffix)


@st.composite
def _mutated(draw: st.DrawFn) -> tuple[bytes, str]:
    """A real document with a few bytes overwritten, or cut short: the inputs that reach the
    format readers' deep paths, unlike random bytes that fail at the file header."""
    suffix = draw(st.sampled_from(sorted(SEEDS)))
    data = bytearray(SEEDS[suffix])
    for _ in range(draw(st.integers(1, 8))):
        pos = draw(st.integers(0, len(data) - 1))
        data[pos : pos + 4] = draw(st.binary(min_size=1, max_size=4))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data), suffix


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_mutated())
def test_mutated_documents(case: tuple[bytes, str]) -> None:
    _load(*case)

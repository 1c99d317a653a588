"""What a run may change about an audit. Its own small module: the CLI and a fully cached batch
need the options without importing the engine (and compiling the document patterns)."""

from __future__ import annotations

from typing import Mapping, NamedTuple

from auditor.loaders import DEFAULT_MAX_BYTES


class AuditOptions(NamedTuple):
    pack: str = "auto"  # "auto" or a pack id
    deadline: str | None = None  # MM-DD
    max_bytes: int = DEFAULT_MAX_BYTES
    time_budget: float = 60.0  # seconds per document
    disabled: frozenset[str] = frozenset()
    severity: Mapping[str, str] = {}  # rule id → error | warning
    ocr: bool = False  # read scanned PDF pages with Tesseract (--ocr)
    with_packs: tuple[str, ...] = ()  # add-on packs (--with gongwen) run beside the detected one

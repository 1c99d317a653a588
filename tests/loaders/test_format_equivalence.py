"""Every generated document gives the verdict and per-rule statuses of the text it was made from.

The one allowed difference: a web page carries its publication date (发布日期), so AR304 (published
by the deadline) can be judged there, while for the text it is skipped as unknown.
"""

from __future__ import annotations

import shutil
from typing import Any

import pytest

from auditor.run.engine import AuditOptions, audit_file

from .conftest import FORMATS, MANIFEST, ROOT, ids

_TEXT_CARDS: dict[str, Any] = {}
_LEGACY_TOOL = any(shutil.which(t) for t in ("antiword", "soffice", "libreoffice"))


@pytest.mark.parametrize("entry", MANIFEST, ids=ids(MANIFEST))
def test_same_statuses_as_text(packs: Any, entry: dict[str, str]) -> None:
    if entry["variant"] == "legacy" and not _LEGACY_TOOL:
        pytest.skip(".doc/.wps need antiword or LibreOffice")
    source = entry["source"]
    if source not in _TEXT_CARDS:
        _TEXT_CARDS[source] = audit_file(str(ROOT / source), packs, AuditOptions())
    want = _TEXT_CARDS[source]
    got = audit_file(str(FORMATS / entry["file"]), packs, AuditOptions())
    assert got.error is None and got.pack == want.pack
    assert got.verdict == want.verdict
    want_status = {r.rule: r.status.value for r in want.results}
    got_status = {r.rule: r.status.value for r in got.results}
    if "published" in got.meta:
        assert (want_status.pop("AR304"), got_status.pop("AR304")) == ("skip", "pass")
    assert got_status == want_status

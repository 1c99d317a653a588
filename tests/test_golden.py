"""Golden files are written only on request: a missing one fails its test instead of writing itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import check_golden


def test_a_missing_golden_file_fails_and_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("UPDATE_GOLDEN", raising=False)
    golden = tmp_path / "golden" / "x.txt"
    with pytest.raises(pytest.fail.Exception, match="UPDATE_GOLDEN=1"):
        check_golden(golden, "output\n")
    assert not golden.exists()


def test_update_golden_writes_it_and_then_it_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    golden = tmp_path / "golden" / "x.txt"
    monkeypatch.setenv("UPDATE_GOLDEN", "1")
    check_golden(golden, "output\n")
    assert golden.read_text(encoding="utf-8") == "output\n"
    monkeypatch.delenv("UPDATE_GOLDEN")
    check_golden(golden, "output\n")
    with pytest.raises(AssertionError):
        check_golden(golden, "other output\n")

"""`--previous` with a path that does not exist is a usage error (exit 2) naming it: a
mistyped directory used to read as "未找到…的报告" (no previous edition), with exit 0."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import FIXTURES, invoke


def test_a_missing_previous_path_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    (tmp_path / "2023").mkdir()
    shutil.copy(FIXTURES / "seeds" / "000_ae009fae7ef3885b.txt", tmp_path / "2023" / "a.txt")
    result = invoke("check", "2023", "--previous", "2022/")
    assert result.exit_code == 2
    assert "--previous" in result.output and "no such file or directory: 2022/" in result.output

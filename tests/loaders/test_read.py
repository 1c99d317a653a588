"""read_bytes: one stat, a read sized by it, and the same Chinese reasons as before."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from auditor.errors import DocumentLoadError
from auditor.loaders import load, read_bytes


def test_reads_exactly_the_file(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    data = "报告".encode() * 5000
    f.write_bytes(data)
    assert read_bytes(str(f), max_bytes=len(data)) == data


def test_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    f = tmp_path / "r.txt"
    f.write_bytes(b"x" * 101)
    with pytest.raises(DocumentLoadError, match="文件过大"):
        read_bytes(str(f), max_bytes=100)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_special_file_of_unknown_size_is_read_up_to_the_cap_only(tmp_path: Path) -> None:
    assert len(read_bytes("/dev/zero", max_bytes=1000)) == 1001  # one byte over: extract says 文件过大
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(DocumentLoadError, match="文件过大"):
        load(str(link), max_bytes=1000)


@pytest.mark.parametrize("what, reason", [("missing", "文件不存在"), ("dir", "这是一个目录")])
def test_missing_and_directory(tmp_path: Path, what: str, reason: str) -> None:
    path = tmp_path / "x.txt"
    if what == "dir":
        path.mkdir()
    for fn in (read_bytes, load):
        with pytest.raises(DocumentLoadError, match=reason):
            fn(str(path))

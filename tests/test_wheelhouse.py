"""tools/wheelhouse.py, the offline install's folder of wheels. The whole build (pip download for
Linux x86-64, install into a fresh venv with no index, serve a page) runs in .ci/run; here: the
platform tags it asks pip for, and the markers pip gets wrong for another platform."""

from __future__ import annotations

import zipfile
from pathlib import Path

from conftest import load_script

wheelhouse = load_script("tools/wheelhouse.py")


def _wheel(folder: Path, name: str, requires: list[str]) -> None:
    with zipfile.ZipFile(folder / f"{name}-1.0-py3-none-any.whl", "w") as zf:
        meta = "Metadata-Version: 2.1\nName: %s\nVersion: 1.0\n" % name + "".join(f"Requires-Dist: {r}\n" for r in requires)
        zf.writestr(f"{name}-1.0.dist-info/METADATA", meta)


def test_linux_takes_every_manylinux_tag_up_to_glibc_2_28_and_windows_its_own() -> None:
    linux = wheelhouse.PLATFORMS["linux_x86_64"]
    assert linux[0] == "manylinux_2_28_x86_64" and "manylinux2014_x86_64" in linux and "manylinux_2_17_x86_64" in linux
    assert "manylinux_2_29_x86_64" not in linux and not [t for t in linux if not t.endswith("_x86_64")]
    assert wheelhouse.PLATFORMS["win_amd64"] == ["win_amd64"]


def test_requirements_are_read_for_the_target_platform_not_this_one(tmp_path: Path) -> None:
    _wheel(tmp_path, "tool", ["colorama; platform_system == 'Windows'", "helper>=1", "uvloop; sys_platform != 'win32'",
                              "pytest; extra == 'test'", "tomli; python_version < '3.11'"])
    _wheel(tmp_path, "helper", [])
    windows = wheelhouse.target_environment("win_amd64", "3.11")
    linux = wheelhouse.target_environment("manylinux_2_28_x86_64", "3.11")
    assert wheelhouse.missing_requirements(tmp_path, windows) == ["colorama"]
    assert wheelhouse.missing_requirements(tmp_path, linux) == ["uvloop"]
    assert wheelhouse.missing_requirements(tmp_path, wheelhouse.target_environment("win_amd64", "3.10")) == ["colorama", "tomli"]


def test_the_project_dependencies_come_from_pyproject() -> None:
    deps = wheelhouse.dependencies()
    assert any(d.startswith("fastapi") for d in deps) and any(d.startswith("uvicorn") for d in deps)

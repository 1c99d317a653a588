"""Build a folder of wheels from which auditor installs on a machine with no internet.

    python tools/wheelhouse.py --platform linux_x86_64 -o wheelhouse/
    python tools/wheelhouse.py --platform win_amd64 -o wheelhouse-win/

Run it where the package index is reachable, with any Python and pip; the wheels are for the named
platform and Python version (3.11 unless told), whatever this machine is. Copy the folder over and
install with no index at all:

    python -m pip install --no-index --find-links wheelhouse auditor

What it does: `pip wheel --no-deps .` for auditor itself (pure Python, one wheel for every
platform), then `pip download --only-binary=:all: --platform … --python-version …` for every
dependency in pyproject.toml and theirs, so only wheels built for that platform are taken (never a
source package that would need a compiler there). A dependency with no wheel for the platform
stops the build with pip's message naming it: the folder is complete or it is not made.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]

def _manylinux(arch: str, glibc_minor: int) -> list[str]:
    """Every manylinux tag a machine with glibc 2.<glibc_minor> runs, newest first (pip, given
    --platform, takes exactly the tags it is given)."""
    legacy = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}
    tags = []
    for minor in range(glibc_minor, 4, -1):
        tags.append(f"manylinux_2_{minor}_{arch}")
        if minor in legacy and (minor != 12 and minor != 5 or arch in ("x86_64", "i686")):
            tags.append(f"{legacy[minor]}_{arch}")
    return tags


#: a short name → pip's platform tags. Linux: manylinux wheels for glibc 2.28 and older (Debian 10+,
#: RHEL/CentOS 8+, 麒麟 V10, 统信 UOS 20).
PLATFORMS = {
    "linux_x86_64": _manylinux("x86_64", 28),
    "linux_aarch64": _manylinux("aarch64", 28),
    "win_amd64": ["win_amd64"],
    "macos_arm64": [f"macosx_{v}_0_arm64" for v in range(14, 10, -1)],
}


def dependencies() -> list[str]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def pip(*args: str) -> list[str]:
    return [sys.executable, "-m", "pip", *args]


def build(platform: str, out: Path, python_version: str, *, quiet: bool = True) -> list[Path]:
    tags = PLATFORMS.get(platform, [platform])  # an unknown name is taken as pip's own platform tag
    out.mkdir(parents=True, exist_ok=True)
    q = ["--quiet"] if quiet else []
    with tempfile.TemporaryDirectory(prefix="auditor-wheel-") as scratch:
        # the project's own wheel; built from a copy so the checkout gets no build/ or egg-info
        subprocess.run(pip("wheel", *q, "--no-deps", "--wheel-dir", str(out), str(ROOT)), check=True,
                       cwd=scratch)
    platform_args = [arg for tag in tags for arg in ("--platform", tag)]

    def download(requirements: list[str]) -> None:
        subprocess.run(pip("download", *q, "--only-binary=:all:", *platform_args, "--python-version",
                           python_version, "--implementation", "cp", "--dest", str(out), *requirements), check=True)

    download(dependencies())
    # pip evaluates environment markers for the machine it runs on, not the --platform it is given
    # (click needs colorama on Windows only; pip on Linux leaves it out): what the wheels require
    # on the target is read from their metadata, and whatever is missing is fetched, until closed
    environment = target_environment(tags[0], python_version)
    for _ in range(10):
        missing = missing_requirements(out, environment)
        if not missing:
            break
        download(missing)
    else:
        raise RuntimeError(f"the requirements do not close: {missing}")
    return sorted(out.glob("*.whl"))


def _packaging() -> Any:
    try:
        import packaging.markers
        import packaging.requirements
        import packaging.utils

        return packaging
    except ImportError:  # pip's own copy
        from pip._vendor import packaging as vendored
        import pip._vendor.packaging.markers  # noqa: F401
        import pip._vendor.packaging.requirements  # noqa: F401
        import pip._vendor.packaging.utils  # noqa: F401

        return vendored


def target_environment(tag: str, python_version: str) -> dict[str, str]:
    """PEP 508 marker values of the machine a platform tag stands for."""
    if tag.startswith("win"):
        system, sys_platform, os_name, machine = "Windows", "win32", "nt", "AMD64" if "amd64" in tag else "ARM64"
    elif tag.startswith("macosx"):
        system, sys_platform, os_name, machine = "Darwin", "darwin", "posix", tag.rsplit("_", 1)[-1]
    else:
        system, sys_platform, os_name = "Linux", "linux", "posix"
        machine = "aarch64" if tag.endswith("aarch64") else "x86_64"
    return {"implementation_name": "cpython", "implementation_version": f"{python_version}.0", "os_name": os_name,
            "platform_machine": machine, "platform_python_implementation": "CPython", "platform_release": "",
            "platform_system": system, "platform_version": "", "python_full_version": f"{python_version}.0",
            "python_version": python_version, "sys_platform": sys_platform, "extra": ""}


def missing_requirements(folder: Path, environment: dict[str, str]) -> list[str]:
    """The requirements of the wheels in `folder`, for `environment`, that no wheel there meets by name."""
    import email.parser
    import zipfile

    pk = _packaging()
    canonical = pk.utils.canonicalize_name
    have = {canonical(w.name.split("-", 1)[0]) for w in folder.glob("*.whl")}
    missing: dict[str, str] = {}
    for wheel in sorted(folder.glob("*.whl")):
        with zipfile.ZipFile(wheel) as zf:
            meta = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1)
            message = email.parser.Parser().parsestr(zf.read(meta).decode("utf-8"))
        for line in message.get_all("Requires-Dist") or ():
            req = pk.requirements.Requirement(line)
            if req.marker is not None and not req.marker.evaluate(environment):
                continue
            name = canonical(req.name)
            if name not in have:
                missing[name] = f"{req.name}{req.specifier}"
    return sorted(missing.values())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--platform", required=True, metavar="NAME",
                        help=f"{', '.join(PLATFORMS)}, or a pip platform tag such as manylinux_2_17_x86_64")
    parser.add_argument("--python-version", default="3.11", metavar="X.Y",
                        help="the Python of the machine it is for (default: 3.11)")
    parser.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help="the folder of wheels")
    parser.add_argument("-v", "--verbose", action="store_true", help="show pip's output")
    args = parser.parse_args(argv)
    try:
        wheels = build(args.platform, args.output, args.python_version, quiet=not args.verbose)
    except subprocess.CalledProcessError as exc:
        print(f"wheelhouse: failed ({' '.join(exc.cmd[2:4])} exited {exc.returncode}); pip's message above names "
              f"the package without a wheel for {args.platform} / Python {args.python_version}", file=sys.stderr)
        return 1
    size = sum(w.stat().st_size for w in wheels)
    print(f"wheelhouse: {len(wheels)} wheels ({size / 1048576:.0f} MB) in {args.output} for {args.platform}, "
          f"Python {args.python_version}")
    print(f"install there with: python -m pip install --no-index --find-links {args.output} auditor")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Hostile and broken input, each beside a good report in one batch, through the real command.

Every test builds its hostile file itself, runs `python -m auditor` as a subprocess (so exit
codes, signals and the memory of the whole process tree are the real ones), and asserts the
error card, the exit code, a bound on time, where it matters a bound on memory (the child's
ru_maxrss, which covers the workers it reaped), and that the good report was still audited.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES

GOOD = FIXTURES / "seeds" / "000_ae009fae7ef3885b.txt"


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    max_rss_mb: float  # the largest resident set among the process and the workers it reaped

    def reports(self) -> dict[str, dict[str, Any]]:
        return {os.path.basename(r["path"]): r for r in json.loads(self.stdout)["reports"]}


# The command runs under a small spawner process: a child forked straight from pytest would
# inherit pytest's own peak resident set (Linux keeps ru_maxrss across fork and exec), so a
# large test session would read as the child's memory.
SPAWNER = """
import json, os, subprocess, sys
result, cmd = sys.argv[1], sys.argv[2:]
child = subprocess.Popen(cmd)
_, status, usage = os.wait4(child.pid, 0)
with open(result, "w") as fh:
    json.dump([os.waitstatus_to_exitcode(status), usage.ru_maxrss], fh)
"""


def auditor(*args: str | Path, cwd: Path, timeout: float = 60, env: dict[str, str] | None = None,
            prefix: tuple[str, ...] = ()) -> Run:
    """`python -m auditor ARGS` in `cwd`, under a spawner that reads the tree's peak memory (wait4)."""
    full_env = {**os.environ, "AUDITOR_CACHE_DIR": str(cwd / ".cache-dir"), **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FIXTURES.parent), os.environ.get("PYTHONPATH")]))
    out, err, result = cwd / ".stdout", cwd / ".stderr", cwd / ".result"
    with open(out, "wb") as fo, open(err, "wb") as fe:
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", SPAWNER, str(result), *prefix, sys.executable, "-m",
                                 "auditor", *map(str, args)], cwd=cwd, env=full_env, stdout=fo, stderr=fe,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            pytest.fail(f"auditor {args} ran over {timeout} s")
        seconds = time.monotonic() - t0
    code, max_rss_kb = json.loads(result.read_text(encoding="utf-8"))
    run = Run(code, out.read_text(encoding="utf-8", errors="replace"),
              err.read_text(encoding="utf-8", errors="replace"), seconds, max_rss_kb / 1024)
    for f in (out, err, result):
        f.unlink()
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    return run


def batch_dir(tmp_path: Path) -> Path:
    d = tmp_path / "batch"
    d.mkdir()
    shutil.copy(GOOD, d / "good.txt")
    return d


def assert_good_audited(run: Run) -> None:
    assert run.reports()["good.txt"]["verdict"] in ("pass", "fail")


# --- the time budget is hard --------------------------------------------------------------------

def test_nested_div_page_is_stopped_at_its_budget(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    n = 200_000  # the C parser and the tree walk take far longer than the budget on this
    (d / "nested.html").write_text("<html><body><p>2023年度法治政府建设工作报告</p>" + "<div>" * n + "中文"
                                   + "</div>" * n + "</body></html>", encoding="utf-8")
    run = auditor("check", "--format", "json", "-j", "1", "--timeout", "1", "--no-cache", d, cwd=tmp_path)
    assert run.code == 2
    assert run.reports()["nested.html"]["error"].startswith("处理超时（超过 1 秒），已跳过")
    assert_good_audited(run)
    assert run.seconds < 1 + 15  # the budget, plus start-up and the good report on a busy machine


def test_single_file_is_stopped_too(tmp_path: Path) -> None:
    n = 200_000
    page = tmp_path / "nested.html"
    page.write_text("<html><body>" + "<div>" * n + "中文" + "</div>" * n + "</body></html>", encoding="utf-8")
    run = auditor("check", "--format", "json", "--timeout", "1", page, cwd=tmp_path)
    assert run.code == 2 and "处理超时" in run.reports()["nested.html"]["error"]
    assert run.seconds < 1 + 10


# --- memory is bounded ----------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx(paragraphs: list[str], numbering: str) -> bytes:
    ns = f'xmlns:w="{_W}"'
    body = "".join(paragraphs)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml",
                    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                    'officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", f"<w:document {ns}><w:body>{body}</w:body></w:document>")
        zf.writestr("word/numbering.xml", f"<w:numbering {ns}>{numbering}</w:numbering>")
    return buf.getvalue()


def test_numbering_counter_at_int_max_stays_small(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    numbering = ("<w:abstractNum w:abstractNumId='1'><w:lvl w:ilvl='0'><w:start w:val='2147483647'/>"
                 "<w:numFmt w:val='upperLetter'/><w:lvlText w:val='%1%1%1%1%1%1%1%1%1.'/></w:lvl></w:abstractNum>"
                 "<w:num w:numId='1'><w:abstractNumId w:val='1'/></w:num>")
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    paras = [f"<w:p><w:pPr><w:numPr><w:ilvl w:val='0'/><w:numId w:val='1'/></w:numPr></w:pPr>"
             f"<w:r><w:t>{ln}</w:t></w:r></w:p>" for ln in lines if ln.strip()]
    (d / "numbered.docx").write_bytes(_docx(paras, numbering))
    run = auditor("check", "--format", "json", "--no-cache", d, cwd=tmp_path)
    card = run.reports()["numbered.docx"]
    assert card["verdict"] in ("pass", "fail", "error") and "内部错误" not in (card["error"] or "")
    assert_good_audited(run)
    assert run.seconds < 20
    assert run.max_rss_mb < 400  # unbounded, this took 3–7 GB


def _looping_ole() -> bytes:
    """A 2 KB OLE compound file whose DIFAT chain points back at itself and lists sector 0
    as a FAT sector 127 times over: without cycle detection, 1.3 GB of FAT."""
    ssize = 512
    header = bytearray(ssize)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 0x18, 0x3E, 3, 0xFFFE)
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x2C, 1)  # FAT sectors
    struct.pack_into("<I", header, 0x30, 1)  # first directory sector
    struct.pack_into("<II", header, 0x44, 0, 0x7FFFFFFF)  # first DIFAT sector 0, "2³¹ of them"
    struct.pack_into("<109I", header, 0x4C, *([0] * 109))
    difat = struct.pack("<128I", *([0] * 127 + [0]))  # every entry: FAT sector 0; next DIFAT: itself
    return bytes(header) + difat + bytes(ssize) * 2


def test_looping_ole_file_is_an_error_card_in_bounded_memory(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    (d / "loop.doc").write_bytes(_looping_ole())
    run = auditor("check", "--format", "json", "--no-cache", d, cwd=tmp_path)
    card = run.reports()["loop.doc"]
    assert card["verdict"] == "error" and "内部错误" not in card["error"]
    assert run.code == 2
    assert_good_audited(run)
    assert run.seconds < 20
    assert run.max_rss_mb < 400


def test_text_of_a_million_short_lines_is_refused_quickly(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    (d / "lines.txt").write_bytes("中\n".encode() * 1_000_000)
    run = auditor("check", "--format", "json", "--no-cache", d, cwd=tmp_path)
    assert run.reports()["lines.txt"]["error"].startswith("行数过多")
    assert run.code == 2
    assert_good_audited(run)
    assert run.seconds < 20
    assert run.max_rss_mb < 400


def test_memory_cap_turns_a_runaway_document_into_an_error_card() -> None:
    from auditor.pool import workers

    def work(item: int) -> int:
        if item == 1:
            hog = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, well over the cap
            return len(hog)
        return item * 10

    t0 = time.monotonic()
    with workers.Pool(work, max_memory_mb=600, on_timeout=lambda i: "timeout", on_crash=lambda i: "crash") as pool:
        assert pool.map([0, 1, 2], timeout=30) == [0, "crash", 20]
        assert pool.started == 2  # the crashed worker was replaced, the others reused
    assert time.monotonic() - t0 < 20


def test_pool_kills_a_stuck_worker_and_goes_on() -> None:
    from auditor.pool import workers

    def work(item: int) -> int:
        if item == 1:
            while True:  # a native loop would ignore signals too: only a kill stops it
                time.sleep(1)
        return item

    t0 = time.monotonic()
    with workers.Pool(work, size=2, on_timeout=lambda i: "timeout", on_crash=lambda i: "crash") as pool:
        assert pool.map([0, 1, 2, 3], timeout=0.5) == [0, "timeout", 2, 3]
    assert time.monotonic() - t0 < 10


# --- bad configuration stops the run, quickly ---------------------------------------------------

ALIAS_BOMB = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8))


def test_alias_bomb_in_config_is_refused(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    (tmp_path / "auditor.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    run = auditor("check", d, cwd=tmp_path, timeout=30)
    assert run.code == 2
    assert "auditor.yaml: refused: YAML expands to more than" in run.stderr
    assert run.seconds < 10 and run.max_rss_mb < 300


def test_alias_bomb_in_rule_file_is_refused(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    (tmp_path / "bomb.yaml").write_text(ALIAS_BOMB, encoding="utf-8")
    (tmp_path / "auditor.yaml").write_text("rule_files: [bomb.yaml]\n", encoding="utf-8")
    run = auditor("check", d, cwd=tmp_path, timeout=30)
    assert run.code == 2 and "bomb.yaml: refused: YAML expands" in run.stderr
    assert run.seconds < 10 and run.max_rss_mb < 300


def test_rule_file_that_is_not_a_regular_file_is_refused(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    (tmp_path / "auditor.yaml").write_text("rule_files: [/dev/zero]\n", encoding="utf-8")
    run = auditor("check", d, cwd=tmp_path, timeout=30)
    assert run.code == 2 and "/dev/zero: refused: not a regular file" in run.stderr
    assert run.seconds < 10


def test_recursive_alias_is_refused() -> None:
    from auditor.packs.bounded import BoundsError, load_yaml

    with pytest.raises(BoundsError):
        load_yaml("a: &a [1, *a]\n")
    assert load_yaml("x: &x {k: 1}\ny: *x\n") == {"x": {"k": 1}, "y": {"k": 1}}  # a few aliases are fine


# --- configuration is trusted only when it is ours ------------------------------------------------

def _untrusted(path: Path) -> None:
    """Make a file another user could have planted: owned by nobody (as root), else world-writable."""
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    else:
        path.chmod(0o666)


def test_config_owned_by_another_user_is_ignored_unless_named(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    cfg = tmp_path / "auditor.yaml"
    cfg.write_text("disable: [AR001, AR106]\n", encoding="utf-8")
    _untrusted(cfg)
    run = auditor("check", "--format", "json", d, cwd=tmp_path)
    assert f"ignoring config file {cfg}" in run.stderr
    doc = json.loads(run.stdout)
    assert doc["config"] is None
    assert {r["rule"] for r in doc["reports"][0]["results"]} >= {"AR001", "AR106"}
    named = auditor("check", "--format", "json", "--config", cfg, d, cwd=tmp_path)
    assert json.loads(named.stdout)["config"] == str(cfg)
    assert "AR001" not in {r["rule"] for r in json.loads(named.stdout)["reports"][0]["results"]}
    text = auditor("check", "--config", cfg, d, cwd=tmp_path)
    assert text.stdout.startswith(f"配置文件：{cfg}")


def test_config_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / "auditor.yaml").write_text("disable: [AR001]\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    shutil.copy(GOOD, repo / "good.txt")
    run = auditor("check", "--format", "json", "good.txt", cwd=repo)
    assert json.loads(run.stdout)["config"] is None


# --- nothing is skipped silently ----------------------------------------------------------------

def _without_dac_override() -> tuple[str, ...] | None:
    """How to run a command that file permissions apply to: as is for a normal user; as root,
    without the capabilities that bypass them (setpriv, util-linux). None: impossible here."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    probe = subprocess.run([setpriv, "--bounding-set=-dac_override,-dac_read_search", "true"], capture_output=True)
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search") if probe.returncode == 0 else None


def test_unreadable_directory_is_an_error_entry(tmp_path: Path) -> None:
    prefix = _without_dac_override()
    if prefix is None:
        pytest.skip("running as root without setpriv: root reads any directory")
    d = batch_dir(tmp_path)
    locked = d / "locked"
    locked.mkdir()
    shutil.copy(GOOD, locked / "hidden.txt")
    locked.chmod(0)
    empty = tmp_path / "empty"
    empty.mkdir()
    try:
        run = auditor("check", "--format", "json", d, empty, "missing*.txt", cwd=tmp_path, prefix=prefix)
    finally:
        locked.chmod(0o755)
    reports = run.reports()
    assert reports["locked"]["error"] == "没有读取权限（目录）"
    assert reports["empty"]["error"].startswith("目录中没有可检查的报告文件")
    assert reports["missing*.txt"]["error"] == "没有与之匹配的文件"
    assert "hidden.txt" not in reports
    assert run.code == 2
    assert_good_audited(run)


def test_own_outputs_are_not_audited_again(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    first = auditor("check", "-o", f"html:{d / '汇总.html'}", "-o", f"markdown:{d / 'summary.md'}",
                    "-o", f"json:{d / 'out.json'}", d, cwd=tmp_path)
    assert first.code == 0 and (d / "汇总.html").exists() and (d / "summary.md").exists()
    second = auditor("check", "--format", "json", "-v", d, cwd=tmp_path)
    assert set(second.reports()) == {"good.txt"}
    assert f"skipped: {d / '汇总.html'} (auditor output)" in second.stderr
    assert f"skipped: {d / 'summary.md'} (auditor output)" in second.stderr
    # the run's own -o path is never an input, marker or not
    (d / "later.md").write_text("placeholder", encoding="utf-8")
    third = auditor("check", "--format", "json", "-o", f"markdown:{d / 'later.md'}", d, cwd=tmp_path)
    assert set(third.reports()) == {"good.txt"}


def test_sigint_exits_130_without_partial_output(tmp_path: Path) -> None:
    d = batch_dir(tmp_path)
    n = 200_000
    (d / "slow.html").write_text("<html><body>" + "<div>" * n + "中文" + "</div>" * n + "</body></html>",
                                 encoding="utf-8")
    env = {**os.environ, "AUDITOR_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": str(FIXTURES.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "auditor", "check", "--timeout", "0", "-j", "1",
                             "-o", f"json:{tmp_path / 'out' / 'result.json'}", str(d)], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(3)  # started, and busy with the slow page
    os.killpg(proc.pid, signal.SIGINT)  # as Ctrl-C does: the whole foreground group
    t0 = time.monotonic()
    out, err = proc.communicate(timeout=20)
    assert time.monotonic() - t0 < 10
    assert proc.returncode == 130
    assert "已中断" in err.decode()
    assert "Traceback" not in err.decode()
    assert not (tmp_path / "out" / "result.json").exists()
    assert not list((tmp_path / "out").glob("*")) if (tmp_path / "out").exists() else True
    time.sleep(0.2)
    with pytest.raises(ProcessLookupError):  # no worker left behind
        os.killpg(proc.pid, 0)


# --- the cache ---------------------------------------------------------------------------------

@pytest.mark.parametrize("entry", ["[]", '{"path": 1}', '{"verdict": "pass"}', '"text"', "{}"])
def test_cache_entry_of_the_wrong_shape_is_a_miss(tmp_path: Path, entry: str) -> None:
    d = batch_dir(tmp_path)
    shutil.copy(FIXTURES / "seeds" / "002_84eb398e434a8021.txt", d / "other.txt")
    (d / "page.html").write_text("<html><body>" + "".join(f"<p>{ln}</p>" for ln in GOOD.read_text(
        encoding="utf-8").splitlines()) + "</body></html>", encoding="utf-8")  # its extracted text is cached too
    first = auditor("check", "--format", "json", d, cwd=tmp_path)
    import sqlite3

    db = sqlite3.connect(tmp_path / ".cache-dir" / "results.sqlite3")
    with db:
        assert db.execute("UPDATE results SET card = ?", (entry,)).rowcount == 3
        assert db.execute("UPDATE texts SET raw = ?", (entry,)).rowcount >= 1
    db.close()
    entries = list((tmp_path / ".cache-dir").rglob("*.json"))  # validated packs
    assert entries
    for p in entries:
        p.write_text(entry, encoding="utf-8")
    again = auditor("check", "--format", "json", d, cwd=tmp_path)
    assert again.code == first.code and again.stdout == first.stdout
    third = auditor("check", "--format", "json", d, cwd=tmp_path)  # rewritten, and served
    assert third.stdout == first.stdout


# --- output -------------------------------------------------------------------------------------

def test_evidence_is_capped_in_every_format(tmp_path: Path) -> None:
    lines = GOOD.read_text(encoding="utf-8").splitlines()
    lines[0] += "依法行政" * 500_000  # a 2-million-character title line
    long = tmp_path / "long.txt"
    long.write_text("\n".join(lines), encoding="utf-8")
    run = auditor("check", "--format", "json", "-o", "sarif:out.sarif", "-o", "xlsx:out.xlsx", long,
                  cwd=tmp_path)
    card = run.reports()["long.txt"]
    assert card["verdict"] in ("pass", "fail")
    assert len(run.stdout) < 100_000
    texts = [e["text"] for r in card["results"] for e in r["evidence"]]
    assert texts and max(map(len, texts)) <= 300
    assert (tmp_path / "out.sarif").stat().st_size < 200_000
    assert (tmp_path / "out.xlsx").stat().st_size < 100_000


def test_narrow_stream_encoding_falls_back(tmp_path: Path) -> None:
    """`PYTHONIOENCODING=gbk auditor check r.txt > out.txt`, as a redirect on Chinese Windows."""
    done = subprocess.run([sys.executable, "-m", "auditor", "check", str(GOOD)], capture_output=True, timeout=60,
                          env={**os.environ, "PYTHONIOENCODING": "gbk", "PYTHONPATH": str(FIXTURES.parent),
                               "AUDITOR_CACHE_DIR": str(tmp_path / "c")})
    assert done.returncode == 0, done.stderr.decode("gbk", "replace")
    text = done.stdout.decode("gbk")  # all of it is GBK
    assert "√ 通过" in text and "报告类型" in text


def test_utf16_without_bom_is_text(tmp_path: Path) -> None:
    d = tmp_path / "batch"
    d.mkdir()
    (d / "le.txt").write_bytes(GOOD.read_text(encoding="utf-8").encode("utf-16-le"))
    (d / "be.txt").write_bytes(GOOD.read_text(encoding="utf-8").encode("utf-16-be"))
    shutil.copy(GOOD, d / "good.txt")
    run = auditor("check", "--format", "json", d, cwd=tmp_path)
    reports = run.reports()
    assert reports["le.txt"]["score"] == reports["good.txt"]["score"] == reports["be.txt"]["score"]


def test_internal_error_is_one_line_naming_how_to_report(monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    import auditor.cli as cli

    def broken(*a: Any, **k: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "_select", broken)
    with pytest.raises(SystemExit) as exit_info:
        cli.entry(["check", str(GOOD)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("internal error (RuntimeError: boom)") == 1 and "Please report it" in err
    assert "Traceback" not in err


def test_a_run_that_cannot_fork_still_audits(packs: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from auditor.pool import batch
    from auditor.run.engine import AuditOptions

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    cards = batch.run([str(GOOD)], batch.Job(packs=packs, options=AuditOptions()))
    assert cards[0].verdict in ("pass", "fail")

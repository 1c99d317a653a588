"""docs/ci.md: its workflow files parse and use only formats and options that exist."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from auditor import reporters

DOC = Path(__file__).resolve().parents[2] / "docs" / "ci.md"


def blocks() -> list[Any]:
    return [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)]


def test_github_workflow() -> None:
    wf = blocks()[0]
    steps = wf["jobs"]["audit"]["steps"]
    audit = next(s for s in steps if s.get("name") == "Audit the reports")["run"]
    assert "--format github" in audit and "-o sarif:auditor.sarif" in audit
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@"))
    assert upload["with"]["sarif_file"] == "auditor.sarif" and upload["if"] == "always()"
    assert wf["permissions"]["security-events"] == "write"


def test_gitlab_junit() -> None:
    job = blocks()[1]["audit-reports"]
    assert job["artifacts"]["reports"]["junit"] == "auditor-junit.xml" and job["artifacts"]["when"] == "always"
    assert any("-o junit:auditor-junit.xml" in line for line in job["script"])


def test_formats_named_in_the_doc_exist() -> None:
    text = DOC.read_text(encoding="utf-8")
    used = set(re.findall(r"--format ([a-z]+)", text)) | set(re.findall(r"-o ([a-z]+):", text))
    assert used and used <= set(reporters.names())

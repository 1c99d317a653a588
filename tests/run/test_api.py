"""The public API: `auditor.audit`, `auditor.load_rules`, the records, one error tree."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import auditor
from conftest import FIXTURES

COMPLIANT = FIXTURES / "reports" / "compliant.txt"


def test_audit_a_path() -> None:
    card = auditor.audit(COMPLIANT)
    assert isinstance(card, auditor.Scorecard)
    assert card.pack == "annual" and card.verdict is auditor.Verdict.PASS
    assert all(isinstance(r, auditor.RuleResult) for r in card.results)


def test_audit_bytes_equals_audit_path() -> None:
    by_path = auditor.audit(COMPLIANT)
    by_bytes = auditor.audit(COMPLIANT.read_bytes(), name=str(COMPLIANT))
    assert by_bytes == by_path
    unnamed = auditor.audit(COMPLIANT.read_bytes())
    assert unnamed.path == "<bytes>.txt" and unnamed.results == by_path.results


def test_audit_docx_bytes_recognised_without_a_name() -> None:
    docx = FIXTURES / "formats" / "000.docx"
    card = auditor.audit(docx.read_bytes())
    assert card.fmt == "docx" and card.path == "<bytes>.docx"
    assert card.results == auditor.audit(docx).results


def test_bad_documents_are_cards_not_exceptions(tmp_path: Path) -> None:
    assert auditor.audit(tmp_path / "missing.docx").verdict is auditor.Verdict.ERROR
    assert auditor.audit(b"no Chinese at all").verdict == "error"
    assert auditor.audit(b"\x00\x01", name="x.xyz").error


def test_pack_and_options() -> None:
    card = auditor.audit(COMPLIANT, pack="duty", options=auditor.AuditOptions(disabled=frozenset({"DR001"})))
    assert card.pack == "duty" and "DR001" not in {r.rule for r in card.results}
    with pytest.raises(auditor.ConfigError, match="unknown pack 'nope'"):
        auditor.audit(COMPLIANT, pack="nope")


def test_load_rules_and_a_pack_object(tmp_path: Path) -> None:
    rules = auditor.load_rules()
    assert set(rules) == {"annual", "duty", "gongwen"} and isinstance(rules["annual"], auditor.Pack)
    assert rules["gongwen"].addon and not rules["annual"].addon  # 公文规范: added with --with
    card = auditor.audit(COMPLIANT, pack=rules["annual"], rules={})
    assert card.pack == "annual"
    bad = tmp_path / "bad.yaml"
    bad.write_text("pack: [unclosed", encoding="utf-8")
    with pytest.raises(auditor.RuleFileError) as info:
        auditor.load_rules(bad)
    assert isinstance(info.value, auditor.AuditorError)


def test_one_error_tree() -> None:
    for name in ("DocumentLoadError", "UnsupportedFormatError", "BudgetExceeded", "RuleFileError", "ConfigError",
                 "CardFormatError"):
        assert issubclass(getattr(auditor, name), auditor.AuditorError), name


def test_plain_codec_is_public() -> None:
    card = auditor.audit(COMPLIANT)
    assert auditor.card_from_plain(auditor.card_to_plain(card)) == card


def test_import_auditor_imports_nothing_else() -> None:
    code = "import sys, auditor; print(sorted(m for m in sys.modules if m.startswith('auditor')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['auditor']"
    with pytest.raises(AttributeError):
        auditor.no_such_thing  # noqa: B018


def test_every_name_in_all_resolves() -> None:
    assert all(getattr(auditor, name) is not None for name in auditor.__all__)

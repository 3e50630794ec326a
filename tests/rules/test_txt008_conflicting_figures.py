"""TXT008: incompatible figures for the same structure in two documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import cli

from .helper import lint_files

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "text"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "muscle-atlas" / "pages"


def lint(*paths: Path):
    return lint_files(*paths, select=["TXT008"])


def test_prevalence_conflict_reported_in_both_documents():
    fs = lint(FIX / "figures" / "conflict")
    got = {Path(f.path).name: f for f in fs}
    assert set(got) == {"fabella.txt", "leg-lateralgastrocnemius.md"}
    page = got["leg-lateralgastrocnemius.md"]
    assert (page.line, page.column) == (28, 333) and "'3-5%'" in page.message and "'10-30%'" in page.message
    assert Path(page.related[0].path).name == "fabella.txt"
    art = got["fabella.txt"]
    assert (art.line, art.column) == (3, 83) and art.severity.value == "warning"


def test_absent_and_missing_wordings_that_agree():
    # 'absent in about 10%' and 'missing in 7 to 20 percent' can both be true
    assert lint(FIX / "figures" / "consistent") == []


def test_counts_of_parts(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Triceps\n\nThe triceps brachii is made up of three heads.\n", encoding="utf-8")
    b.write_text("Triceps\n\nThe triceps brachii comprises two heads and a common tendon.\n", encoding="utf-8")
    fs = lint(a, b)
    assert sorted(Path(f.path).name for f in fs) == ["a.txt", "b.txt"]
    b.write_text("Triceps\n\nThe triceps brachii comprises three heads.\n", encoding="utf-8")
    assert lint(a, b) == []


def test_same_document_is_not_compared(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text("Fabella\n\nThe fabella is present in 3-5% of knees in one study. The fabella is found in 30-40% in another.\n", encoding="utf-8")
    assert lint(a) == []


def test_cli():
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["lint", "--no-files", "--select", "TXT008", str(FIX / "figures" / "conflict")])
    assert r.exit_code == 0 and "Found 2 finding(s)" in r.output and "TXT008" in r.output, r.output


def test_real_sample_has_no_conflicts():
    if not CORPUS.is_dir():
        pytest.skip(f"real sample not present at {CORPUS}")
    assert lint(CORPUS) == []

"""TXT003: misspelt, run-together and repeated words in front matter prose and the body."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.config import ConfigError
from pipeline.lint.text.vocab import Speller

from .helper import lint_files

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "text"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "muscle-atlas" / "pages"


def lint(*paths: Path, words: Path | None = None):
    return lint_files(*paths, select=["TXT003"], words=words)


def test_each_defect_at_its_word():
    fs = lint(FIX / "spelling")
    got = {(Path(f.path).name, f.line, f.column): f.message for f in fs}
    page = "leg-lateralgastrocnemius.md"
    assert got[(page, 5, 33)].startswith("'gastrocnemus' is not a known word: did you mean 'gastrocnemius'?")
    assert "6 times on this page" in got[(page, 5, 33)]  # title, image title, captions and gallery titles
    assert got[(page, 6, 26)].startswith("'discription'") and "'description'" in got[(page, 6, 26)]  # subheadline
    assert got[(page, 16, 66)].startswith("'behnd'")  # alt text
    assert got[(page, 28, 21)] == "'composedof' looks like words run together: 'composed of'"
    assert got[(page, 28, 54)] == "repeated word: 'are are'"
    assert got[(page, 35, 4)] == "'AgurArthur' looks like words run together: 'Agur Arthur'"
    assert len(fs) == 6 and all(f.severity.value == "warning" for f in fs)


def test_latin_names_eponyms_abbreviations_and_references_pass():
    assert lint(FIX / "spelling" / "leg-plantaris.md") == []
    assert lint(FIX / "clean") == []


def test_project_words_file(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("# site words\ngastrocnemus behnd\n", encoding="utf-8")
    msgs = [f.message for f in lint(FIX / "spelling", words=words)]
    assert not any("gastrocnemus" in m or "behnd" in m for m in msgs)
    assert any("discription" in m for m in msgs)


def test_missing_words_file_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError):
        lint(FIX / "spelling", words=tmp_path / "nope.txt")


def test_plain_text_article_is_checked(tmp_path):
    (tmp_path / "notes.txt").write_text("Notes\n\nThe soleus lies deep to the gastrocnemius and\nand joins the calcaneal tendon.\n", encoding="utf-8")
    fs = lint(tmp_path / "notes.txt")
    assert [(f.line, f.column, f.message) for f in fs] == [(4, 1, "repeated word: 'and and'")]


def test_suggestions_rank_likely_typos_first():
    sp = Speller()
    assert sp.suggest("compises")[0] == "comprises"  # a dropped letter
    assert sp.suggest("gunction")[0] == "function"  # a neighbouring key
    assert sp.suggest("contians") == ["contains"]  # swapped letters
    assert sp.split_run_on("rectusfemoris") == ("rectus", "femoris")
    assert sp.split_run_on("Agur") is None
    assert sp.known("trochanter's") and sp.known("infrahyoids") and sp.known("fibres") and sp.known("fibers")


def test_cli(tmp_path):
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["lint", "--no-files", "--select", "TXT003", str(FIX / "spelling")])
    assert r.exit_code == 0, r.output
    assert "composedof" in r.output and "TXT003" in r.output


def test_real_sample_only_real_typos():
    if not CORPUS.is_dir():
        pytest.skip(f"real sample not present at {CORPUS}")
    words = set()
    for f in lint(CORPUS):
        words.add(f.message.split("'")[1])
    assert words == {"discription", "saccrum", "are are", "gunction", "reffered", "contians", "compises", "skelteton", "rectusfemoris"}


def test_word_glued_to_digits_does_not_clear_the_bare_word():
    from pipeline.lint.text.spelling import Checker, Speller

    checker = Checker(Speller(set()))
    assert checker.issues("gastrocnemus1") == []  # a word touching digits is not checked
    assert [i.word for i in checker.issues("gastrocnemus")] == ["gastrocnemus"]

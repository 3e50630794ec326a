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


def _pair(tmp_path, a_text: str, b_text: str):
    (tmp_path / "a.txt").write_text("Notes\n\n" + a_text + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Notes\n\n" + b_text + "\n", encoding="utf-8")
    return lint(tmp_path / "a.txt", tmp_path / "b.txt")


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The fabella is present in 3-5% of people.", "The fabella is seen in approximately ten to thirty percent of people."),
        ("The fabella is visible on radiographs in 12% of knees.", "The fabella was identified in 40% of specimens."),
        ("In 3-5% of people a fabella is present.", "In about 35% of people the fabella occurs."),
        ("The plantaris varies a great deal. It is absent in 7% of limbs.", "The plantaris is reported in 55% of limbs."),
        ("No psoas minor was observed in 60% of cadavers.", "The psoas minor is seen in 90% of cadavers."),
        ("The os trigonum is found in one in five people.", "The os trigonum is found in two thirds of people."),
    ],
)
def test_conflicts_in_words_verbs_and_word_order(tmp_path, a, b):
    fs = _pair(tmp_path, a, b)
    assert sorted(Path(f.path).name for f in fs) == ["a.txt", "b.txt"]
    for f in fs:
        other = "b.txt" if Path(f.path).name == "a.txt" else "a.txt"
        assert other in f.message and [Path(r.path).name for r in f.related] == [other]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The fabella was bilateral in 67% of the cases.", "The fabella is present in 10% of knees."),  # cases, not people
        ("A cyst beside the soleus was seen in 30% of knees.", "The soleus is present in 99% of limbs."),  # about the cyst
        ("The psoas minor is absent in 50% of people.", "The psoas major is absent in 1% of people."),  # two muscles
        ("The fabella is present in ten to thirty percent of knees.", "The fabella is found in about 25% of knees."),  # agree
    ],
)
def test_shares_of_other_things_and_other_structures_are_not_compared(tmp_path, a, b):
    assert _pair(tmp_path, a, b) == []


def test_number_words_and_shares():
    from pipeline.lint.text.figures import number, shares

    assert number("thirty-five") == 35 and number("a hundred") == 100 and number("3,5") == 3.5
    got = [(s.lo, s.hi, s.text) for s in shares("It occurs in one in four knees, in two thirds of cadavers and in 10 to 20 percent of limbs.")]
    assert got == [(10.0, 20.0, "10 to 20 percent"), (25.0, 25.0, "one in four"), (200 / 3, 200 / 3, "two thirds")]
    assert shares("It was found in 40% of the cases.") == []


def test_having_names_the_structure_after_the_verb():
    from pipeline.lint.text.figures import claims
    from pipeline.lint.text.vocab import anatomy

    about = lambda text: [(c.structure, c.lo, c.hi) for c in claims(text, [], None, anatomy())]  # noqa: E731
    assert about("About 10% of people have a fabella.") == [(("fabella",), 10.0, 10.0)]
    assert about("14% of limbs lack a palmaris longus.") == [(("palmaris", "longus"), 86.0, 86.0)]
    assert about("The fabella has a cartilage cap in 20% of knees.") == []  # how often the cap is there
    assert about("The fabella is present in 3-5% of knees and has a cap.") == [(("fabella",), 3.0, 5.0)]

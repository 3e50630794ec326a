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


def test_clinical_latin_and_compound_words_pass_in_real_looking_prose():
    fs = lint(FIX / "prose" / "knee-notes.txt")
    got = [(f.line, f.column, f.message) for f in fs]
    assert got == [
        (15, 16, "'composedof' looks like words run together: 'composed of'"),
        (15, 50, "repeated word: 'the the'"),
        (17, 5, "'tendin' is not a known word: did you mean 'tendon', 'tending' or 'tenpin'?"),
        (19, 1, "'Bytheendofthischapter' looks like words run together: 'By the end of this chapter'"),
    ]


@pytest.mark.parametrize(
    "word",
    [
        "inferiorly", "decussates", "midshaft", "interphalangeal", "avascular", "paraxial",  # affixes of known words
        "acromioclavicular", "talocalcaneonavicular", "costochondritis", "tendinopathy", "osteosarcoma",  # compounds
        "surae", "nuchae", "clavicularis", "centrale", "fibrosus", "flexoris", "solea", "synchondroses", "menisci",  # Latin
        "rofecoxib", "ketoprofen", "chondrocytes", "tendinosis", "fasciitis",
    ],
)  # fmt: skip
def test_words_built_by_rule_are_known(word):
    assert Speller().known(word)


@pytest.mark.parametrize(
    "word",
    ["brachoradialis", "osteoctyes", "ostegenic", "cartilagenous", "illiacus", "suprascpular", "compises", "skelteton", "coverge", "calped", "graftsize", "alsocontains"],
)
def test_slips_stay_unknown_though_their_parts_are_words(word):
    assert not Speller().known(word)


def test_shipped_medical_forms_are_the_hunspell_engine_s():
    from pipeline.lint.text import medical

    shipped, made = medical.forms(), medical.compile_forms()
    assert shipped == made, "run tools/build_data.py after editing medical.dic or medical.aff"
    assert {"osteoblasts", "apophyses", "thoracis", "fasciae", "ganglia"} <= made.words
    assert "osteo" not in made.words and "osteo" in made.combining and "itis" in made.finals


def test_words_file_entries_with_hunspell_flags(tmp_path):
    words = tmp_path / "words.txt"
    words.write_text("zorbicula/L  # a made-up Latin noun of the first declension\nvexilloid/S\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Notes\n\nThe zorbiculae and the vexilloids of the zorbicula.\n", encoding="utf-8")
    assert lint(tmp_path / "a.txt", words=words) == []
    assert [f.message.split("'")[1] for f in lint(tmp_path / "a.txt")] == ["zorbiculae", "vexilloids", "zorbicula"]


def test_context_names_brands_hyphens_and_etymology():
    from pipeline.lint.text.spelling import Checker

    c = Checker(Speller())
    words = lambda text: [i.word for i in c.issues(text)]  # noqa: E731
    assert words("A test named after Zwolinski and Brannigar is used.") == []  # capitalised inside a sentence: names
    assert words("Brannigar described the test.") == []  # unknown, no close word: a name
    assert words("The OpenStax and eMedicine pages agree.") == []  # brands
    assert words("The muscle tears at the joint.In rare cases it heals.") == []
    assert words("the stretchThe test") == ["stretchThe"]  # a lost line break
    assert words("The antero-lateral and postero-medial parts; intra- and extra-articular.") == []
    assert words("The prefix omo- and the suffix -itis are Greek.") == []
    assert words("The name comes from Latin *serrare*, to saw.") == []
    assert words("From the Latin spathula, a diminutive of spatha, meaning blade.") == []
    assert words("The tendin is short.") == ["tendin"]


def test_a_word_used_throughout_a_page_is_a_term(tmp_path):
    text = "Zorbic acid\n\nZorbic acid forms in muscle. Some zorbic acid leaves the cell, and zorbic acid returns.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert lint(tmp_path / "a.txt") == []
    (tmp_path / "a.txt").write_text("Notes\n\nThe zorbic acid forms in muscle.\n", encoding="utf-8")
    assert [f.message.split("'")[1] for f in lint(tmp_path / "a.txt")] == ["zorbic"]


def test_frequency_evidence_does_not_clear_a_slip_of_a_common_word():
    from pipeline.lint.text import freq

    sp = Speller()
    if freq.available():
        assert freq.zipf("tendon") > 3 and freq.zipf("zxqv") == 0.0
        assert sp.known("fasciitis") and sp.known("flickr")  # used in English, no commoner word a slip away
    assert not sp.known("withthe")  # a small word glued to a common one, though web text has it
    assert sp.slip_of_common("bordes")  # 'borders'


def test_works_without_wordfreq(monkeypatch):
    from pipeline.lint.text import freq

    monkeypatch.setattr(freq, "_lookup", lambda: None)
    sp = Speller()
    assert not freq.available() and freq.zipf("tendon") == 0.0
    assert sp.known("acromioclavicular") and not sp.known("osteoctyes")


def test_names_in_reference_lists_without_doi(tmp_path):
    text = (
        "Reading\n\n**References**\n\n"
        "1. Vandermeulen KT, Okwuosa-Ibe C. Loading the calf in Zwolle runners. Scand J Sports. 2018;28(4):12-18.\n\n"
        "Zwartkruis QX, Brannigar T. A study of the soleus tendon in cadavers.\n"
    )
    (tmp_path / "refs.txt").write_text(text, encoding="utf-8")
    assert lint(tmp_path / "refs.txt") == []
    (tmp_path / "refs.txt").write_text(text.replace("tendon in", "tendno in"), encoding="utf-8")
    assert [f.message.split("'")[1] for f in lint(tmp_path / "refs.txt")] == ["tendno"]


def test_a_common_word_misspelt_throughout_is_still_reported(tmp_path):
    (tmp_path / "a.txt").write_text("Notes\n\nThe heads seperate early. They seperate again, and the tendons seperate last.\n", encoding="utf-8")
    assert [f.message.split("'")[1] for f in lint(tmp_path / "a.txt")] == ["seperate"]


def test_sorted_word_lists_are_searched_in_their_text(tmp_path):
    from pipeline.lint.text.vocab import SortedLines

    words = sorted(["acromion", "b", "bursa", "fabella", "soleus", "zygoma", "éminence"])
    (tmp_path / "w.txt").write_text("\n".join(words) + "\n", encoding="utf-8")
    lines = SortedLines(tmp_path / "w.txt")
    assert all(w in lines for w in words)
    assert not any(w in lines for w in ["", "a", "acromio", "bursae", "fabell", "zz", "soleu", "zygomas"])


def test_frequencies_read_from_wordfreq_s_list_match_its_api():
    wordfreq = pytest.importorskip("wordfreq")
    from pipeline.lint.text import freq

    sample = ["the", "tendon", "fasciitis", "intubation", "flickr", "naïve", "über", "zzqx", "bordes", "a"]
    expected = [z if (z := wordfreq.zipf_frequency(w, "en")) >= freq.FLOOR else 0.0 for w in sample]
    freq._lookup.cache_clear()
    assert [freq.zipf(w) for w in sample] == expected  # searched in the bytes
    table = freq._lookup().__wrapped__.__self__
    table._scans = table.SCANS  # from here on: the index
    assert [table.zipf(w) for w in sample] == expected

"""TXT004: malformed DOIs and citation fields, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.lint.text.cite import doi_problem, trim_doi

from .helper import lint_files

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "text"
PROJECT = Path(__file__).resolve().parents[2]


def lint(*paths: Path, articles=()):
    return lint_files(*paths, select=["TXT004"], articles=articles)


def test_broken_references_each_at_their_place():
    fs = lint(FIX / "references" / "broken.txt")
    got = [(f.line, f.column, f.message) for f in fs]
    assert got[0] == (7, 75, "DOI '7759/cureus.2736' lacks the '10.' directory indicator (expected 10.7759/cureus.2736)")
    assert got[1][:2] == (8, 49) and got[1][2].startswith("year 2109 is out of range")
    assert got[2] == (8, 74, "PMID '31045445x' is not a number (a PubMed ID has 1 to 9 digits)")
    assert got[3] == (9, 13, "unbalanced '(' in the citation: not closed")
    assert got[4] == (9, 68, "DOI '10.1111/' has no suffix after the registrant code")
    assert len(fs) == 5


def test_clean_references_and_demo_article_pass():
    assert lint(FIX / "references" / "clean.txt") == []
    demo = PROJECT / "raw" / "articles"
    if demo.is_dir():
        assert lint(demo, articles=[demo]) == []


def test_doi_in_front_matter_field(tmp_path):
    page = tmp_path / "p.md"
    page.write_text("---\ntitle: 'The soleus muscle of the leg'\nsource: 'doi:10.7759cureus.2736'\n---\n\nText.\n", encoding="utf-8")
    fs = lint(page)
    assert [(f.line, f.column) for f in fs] == [(3, 14)]  # the DOI, after "doi:" inside the quoted value
    assert "registrant code" in fs[0].message


@pytest.mark.parametrize(
    "doi,ok",
    [
        ("10.1111/joa.12994", True),
        ("10.1016/S0140-6736(20)30183-5", True),
        ("10.1002/(SICI)1097-4636(199706)35:4<419::AID-JBM1>3.0.CO;2-A", True),
        ("7759/cureus.2736", False),
        ("10.12/abc", False),
        ("10.1111/", False),
        ("10.1111/joa 12994", False),
    ],
)
def test_crossref_pattern(doi, ok):
    assert (doi_problem(doi) is None) is ok


def test_trailing_punctuation_is_not_part_of_a_doi():
    assert trim_doi("10.1111/joa.12994.") == "10.1111/joa.12994"
    assert trim_doi("10.1016/S0140-6736(20)30183-5).") == "10.1016/S0140-6736(20)30183-5"


def test_cli():
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["lint", "--no-files", "--select", "TXT004", str(FIX / "references")])
    assert r.exit_code == 0 and "Found 5 finding(s)" in r.output, r.output


def test_references_wrapped_over_lines():
    fs = lint(FIX / "wrapped-references" / "notes.txt")
    got = [(f.line, f.column, f.message) for f in fs]
    # the label 'DOI:' at the end of line 6 takes its DOI from line 7; the bracket opened on line 5 closes on
    # line 6; '**386** (9991)' is a volume and its issue; a PubMed address is a PMID
    assert got == [
        (10, 4, "DOI '7759/cureus.2736' lacks the '10.' directory indicator (expected 10.7759/cureus.2736)"),
        (11, 11, "unbalanced '(' in the citation: not closed"),
    ]


def test_issue_number_after_volume_is_not_a_year():
    from pipeline.lint.text.cite import field_issues

    assert field_issues("Smith J. Lancet. **386** (9991): 376-87.") == []
    assert field_issues("Smith J. JAMA. 291(2030):1-2.") == []
    assert [i.message for i in field_issues("Smith J (2109). A study.")] == ["year 2109 is out of range (1600 to %d)" % (__import__("datetime").date.today().year + 1)]
    assert field_issues("Smith J. A study. PMID: https://pubmed.ncbi.nlm.nih.gov/12345678/") == []
    assert field_issues("Smith J. A study. PMID: pubmed12345")[0].message.startswith("PMID 'pubmed12345'")

"""Fixes of text findings through the CLI: a repeated word (safe), a misspelling with one suggestion and words
run together (unsafe), a DOI missing its '10.' (safe), a front matter text following the page title (TXT006)."""

from __future__ import annotations

import json

from pipeline.cli import cli
from pipeline.lint.examples import DEFAULT_DESCRIPTION, site_page


def write(site, description=DEFAULT_DESCRIPTION, **kw):
    page = site.page("leg-lateral.md", site_page(frames=2, description=description, **kw))
    site.frames("Leg-Lateral", range(1, 3))
    return page


def fixes(runner) -> list[tuple[str, bool, str]]:
    doc = json.loads(runner.invoke(cli, ["lint", "--format", "json"]).stdout)
    return [(f["code"], f["fix"]["safe"], f["fix"]["message"]) for f in doc["findings"] if "fix" in f]


def test_repeated_word_removed_everywhere_on_the_page(site, runner):
    desc = "The lateral compartment holds the the fibularis longus and fibularis brevis, which evert\nthe the foot."
    page = write(site, desc)
    assert fixes(runner) == [("TXT003", True, "remove the repeated 'the'")]
    r = runner.invoke(cli, ["lint", "--fix"])
    assert r.exit_code == 0, r.output
    assert page.read_text() == site_page(frames=2, description=desc.replace("the the", "the"))


def test_repeated_word_across_a_line_break(site, runner):
    desc = "The lateral compartment holds the fibularis longus and fibularis brevis, which evert the\nthe foot."
    page = write(site, desc)
    assert runner.invoke(cli, ["lint", "--fix"]).exit_code == 0
    assert page.read_text() == site_page(frames=2, description=desc.replace("the\nthe foot", "the\nfoot"))


def test_misspelling_and_run_together_only_with_unsafe_fixes(site, runner):
    desc = "The lateral compartmnet holds the fibularis longus and fibularis brevis, both suppliedby one nerve."
    page = write(site, desc)
    assert sorted(fixes(runner)) == [("TXT003", False, "write 'compartmnet' as 'compartment'"), ("TXT003", False, "write 'suppliedby' as 'supplied by'")]
    r = runner.invoke(cli, ["lint", "--fix"])
    assert page.read_text() == site_page(frames=2, description=desc)
    assert "2 more finding(s) can be fixed with --unsafe-fixes (TXT003 2)." in r.stderr
    r = runner.invoke(cli, ["lint", "--fix", "--unsafe-fixes"])
    assert r.exit_code == 0, r.output
    fixed = desc.replace("compartmnet", "compartment").replace("suppliedby", "supplied by")
    assert page.read_text() == site_page(frames=2, description=fixed)


def test_misspelling_with_several_suggestions_is_not_fixed(site, runner):
    desc = "The lateral compartment holds the fibularis longus and fibularis brevis, which are reffered to as peroneals."
    write(site, desc)
    doc = json.loads(runner.invoke(cli, ["lint", "--format", "json"]).stdout)
    (f,) = doc["findings"]
    assert f["code"] == "TXT003" and "did you mean" in f["message"] and "fix" not in f


def test_doi_gets_its_prefix_in_body_and_front_matter(site, runner):
    body = "1. Moreau L, Dahl K. Eversion strength after an ankle sprain. J Foot Stud. 2015;4(2):11-19. doi:5555/jfs.2015.0411"
    page = write(site, extra_body="\n## References\n\n" + body + "\n")
    sub = "subheadline: 'Images and description.'"
    text = page.read_text().replace(sub, "subheadline: 'After Moreau and Dahl, doi: 5555/jfs.2016.9'")
    page.write_text(text)
    assert fixes(runner) == [("TXT004", True, "add the DOI's '10.' prefix")] * 2
    assert runner.invoke(cli, ["lint", "--fix"]).exit_code == 0
    assert page.read_text() == text.replace("doi: 5555", "doi: 10.5555").replace("doi:5555", "doi:10.5555")


def test_image_texts_follow_the_title(site, runner):
    title = "Muscles of the lateral compartment of the leg"
    page = write(site, alt="Lateral compartment muscles")
    text = page.read_text().replace(f"    image_title: '{title}'", '    image_title: "Lateral leg"  # shown on hover')
    page.write_text(text)
    assert [c for c, _, _ in fixes(runner)] == ["TXT006", "TXT006"]
    assert runner.invoke(cli, ["lint", "--fix"]).exit_code == 0
    assert page.read_text() == text.replace('"Lateral leg"', f'"{title}"').replace("'Lateral compartment muscles'", f"'{title}'")

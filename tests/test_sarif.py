"""SARIF for code scanning: valid against the official SARIF 2.1.0 schema with format checking, URIs relative to
%SRCROOT% and percent-encoded, stable partialFingerprints, help and a readable name for every rule."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.lint import rules as rule_registry

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "reference" / "sarif-schema-2.1.0.json"
ODD = "odd, name: 100% x.md"


def sarif(runner, *args) -> dict:
    r = runner.invoke(cli, ["lint", "--format", "sarif", *args])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.output)


def uris(doc: dict) -> list[dict]:
    out = []
    for res in doc["runs"][0]["results"]:
        for loc in res["locations"] + res.get("relatedLocations", []):
            out.append(loc["physicalLocation"]["artifactLocation"])
    return out


@pytest.fixture
def validator():
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the official SARIF 2.1.0 schema is not present at {SARIF_SCHEMA}")
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    checker = cls.FORMAT_CHECKER
    # the formats SARIF relies on are really checked here (rfc3986-validator is installed), so the test can fail
    assert not checker.conforms(ODD, "uri-reference") and not checker.conforms("raw/pages/a b.md", "uri-reference")
    assert checker.conforms("raw/pages/odd%2C%20name%3A%20100%25%20x.md", "uri-reference")
    assert not checker.conforms("raw/pages/a.md", "uri")
    return cls(schema, format_checker=checker)


def assert_valid(validator, doc: dict) -> None:
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])


def test_uris_are_relative_to_the_project_root_and_percent_encoded(site, runner, validator, monkeypatch):
    site.page("a.md")
    site.page(ODD, permalink="/muscle/leg/odd/", stem="Leg-Odd", image_id="legodd")
    monkeypatch.chdir(site.pages)  # from a subfolder: still relative to the project root
    doc = sarif(runner)
    assert_valid(validator, doc)
    found = {loc["uri"] for loc in uris(doc)}
    assert found == {"raw/pages/a.md", "raw/pages/odd%2C%20name%3A%20100%25%20x.md"}
    assert {loc["uriBaseId"] for loc in uris(doc)} == {"%SRCROOT%"}
    base = doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == site.root.resolve().as_uri() + "/"


def test_a_page_outside_the_project_root_is_an_absolute_file_uri(site, runner, validator, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "b c.md"
    shutil.copy(site.page("a.md"), elsewhere)
    doc = sarif(runner, str(elsewhere))
    assert_valid(validator, doc)
    (loc,) = {json.dumps(u) for u in uris(doc)}
    assert json.loads(loc) == {"uri": elsewhere.resolve().as_uri()} and "%20" in loc


def test_rules_carry_help_names_and_no_made_up_uri(site, runner, monkeypatch):
    doc = sarif(runner)
    driver = doc["runs"][0]["tool"]["driver"]
    assert "informationUri" not in driver  # no repository URL in the package's metadata: none
    assert [r["id"] for r in driver["rules"]] == rule_registry.codes()
    for rule in driver["rules"]:
        assert re.fullmatch(r"[A-Z][A-Za-z]+", rule["name"]) and rule["name"] != rule["id"], rule["name"]
        m = rule_registry.get(rule["id"])
        assert rule["help"]["text"].startswith(f"{rule['id']}: {m.SUMMARY}")
        assert "Failing example:" in rule["help"]["text"] and "```text" in rule["help"]["markdown"]
        assert "``" not in rule["help"]["markdown"].replace("```", "")  # reStructuredText literals made Markdown
        assert "helpUri" not in rule
    assert len({r["name"] for r in driver["rules"]}) == len(driver["rules"])
    import pipeline.cli.reporters.lint as reporters

    monkeypatch.setattr(reporters, "repository_url", lambda: "https://git.example.org/atlas/pipeline")
    driver = sarif(runner)["runs"][0]["tool"]["driver"]
    assert driver["informationUri"] == "https://git.example.org/atlas/pipeline"
    fm004 = next(r for r in driver["rules"] if r["id"] == "FM004")
    assert fm004["helpUri"].endswith("/pipeline/lint/rules/fm004_clash.py") and "/blob/v" in fm004["helpUri"]


def test_partial_fingerprints_are_stable(site, runner):
    page = site.page("a.md")
    site.frames("Leg-Lateral", numbers=[1, 2])  # two frames missing: two findings
    first = sarif(runner)["runs"][0]["results"]
    assert sarif(runner)["runs"][0]["results"] == first
    prints = [r["partialFingerprints"]["findingHash/v1"] for r in first]
    assert len(set(prints)) == len(prints) == 2
    text = page.read_text()
    page.write_text(text.replace("layout: page\n", "layout: page\n# a comment line moves every finding down\n", 1))
    moved = sarif(runner)["runs"][0]["results"]
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in moved] == [
        r["locations"][0]["physicalLocation"]["region"]["startLine"] + 1 for r in first
    ]
    assert [r["partialFingerprints"]["findingHash/v1"] for r in moved] == prints


def test_real_sample_is_valid_sarif_from_a_subfolder(tmp_path, runner, validator, corpus, monkeypatch):
    shutil.copytree(corpus, tmp_path / "site" / "pages")
    (tmp_path / "pyproject.toml").write_text('[tool.pipeline]\npages = ["site/pages"]\n')
    monkeypatch.chdir(tmp_path / "site" / "pages" / "muscles")
    doc = sarif(runner, "--no-files")
    assert len(doc["runs"][0]["results"]) > 100
    assert_valid(validator, doc)
    locations = uris(doc)
    assert all(loc["uriBaseId"] == "%SRCROOT%" and loc["uri"].startswith("site/pages/") for loc in locations)

"""`pipeline lint --fix`, `--diff` and `--unsafe-fixes` through the CLI: what is printed and written, exit codes,
idempotence, fixes that make things worse rolled back, a page changed meanwhile left alone, the fix in JSON and
SARIF, and what `pipeline rules` says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cli import cli
from pipeline.lint.examples import site_page

TITLE = "Muscles of the lateral compartment of the leg"
SARIF_SCHEMA = Path(__file__).resolve().parents[3] / "shared" / "reference" / "sarif-schema-2.1.0.json"


def gap_site(site, listed=(1, 2), on_disk=3):
    page = site.page("leg-lateral.md", site_page(frames=list(listed)))
    site.frames("Leg-Lateral", range(1, on_disk + 1))
    return page


def test_diff_prints_the_fix_and_writes_nothing(site, runner):
    page = gap_site(site)
    before = page.read_bytes()
    r = runner.invoke(cli, ["lint", "--diff"])
    assert r.exit_code == 1, r.output
    assert page.read_bytes() == before
    assert r.stdout == (
        "--- a/raw/pages/leg-lateral.md\n"
        "+++ b/raw/pages/leg-lateral.md\n"
        "@@ -17,6 +17,9 @@\n"
        "   - image_url: muscles/png/Leg-Lateral-2.png\n"
        f"     caption: '{TITLE} - orientation 2'\n"
        f"     title: '{TITLE} - orientation 2'\n"
        "+  - image_url: muscles/png/Leg-Lateral-3.png\n"
        f"+    caption: '{TITLE} - orientation 3'\n"
        f"+    title: '{TITLE} - orientation 3'\n"
        " ---\n"
        " \n"
        " The lateral compartment holds the fibularis longus and fibularis brevis, which evert the foot.\n"
    )
    assert "Would fix 1 finding(s) in 1 file(s) (IMG002 1)." in r.stderr


def test_diff_exit_0_when_nothing_to_fix(site, runner):
    gap_site(site, (1, 2, 3))
    r = runner.invoke(cli, ["lint", "--diff"])
    assert r.exit_code == 0 and r.stdout == "" and "Nothing would be fixed." in r.stderr


def test_fix_is_idempotent(site, runner):
    page = gap_site(site, (3, 1, 1))
    assert runner.invoke(cli, ["lint", "--fix"]).exit_code == 0
    after = page.read_bytes()
    st = page.stat()
    r = runner.invoke(cli, ["lint", "--fix"])
    assert r.exit_code == 0 and "Nothing to fix." in r.stderr
    assert page.read_bytes() == after and page.stat().st_mtime_ns == st.st_mtime_ns
    assert runner.invoke(cli, ["lint", "--diff"]).exit_code == 0


def test_fix_reports_what_is_left(site, runner):
    """An error no fix can remove stays, and sets the exit code."""
    page = gap_site(site, (1, 2), 3)
    page.write_text(page.read_text().replace("[Back››](/muscle/leg/)", "[Back››](/muscle/leg/)\n\n[Soleus](/muscle/leg/soleusx/)"))
    r = runner.invoke(cli, ["lint", "--fix", "--color", "never"])
    assert r.exit_code == 1
    assert "TXT005" in r.stdout and "IMG002" not in r.stdout
    assert "Fixed 1 finding(s)" in r.stderr and "1 finding(s) left (TXT005 1)." in r.stderr


def test_select_narrows_what_is_fixed(site, runner):
    page = gap_site(site)
    before = page.read_text()
    r = runner.invoke(cli, ["lint", "--fix", "--select", "TXT"])
    assert r.exit_code == 0 and page.read_text() == before


def test_suppressed_finding_is_not_fixed(site, runner):
    text = site_page(frames=[1, 2], front="lint-ignore: [IMG002]\n")
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", range(1, 4))
    runner.invoke(cli, ["lint", "--fix"])
    assert page.read_text() == text


def unsafe_site(site):
    """image_alt describes the image; the title does not name the structure the GIF shows."""
    text = site_page(title="Muscles of the leg", alt="Muscles of the lateral compartment of the leg", frames=2,
                     description="The leg holds three compartments of muscles: anterior, lateral and posterior.")
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", range(1, 3))
    return page, text


def test_unsafe_fix_only_when_asked(site, runner):
    page, text = unsafe_site(site)
    r = runner.invoke(cli, ["lint", "--fix"])
    assert page.read_text() == text
    assert "1 more finding(s) can be fixed with --unsafe-fixes (TXT006 1)." in r.stderr
    assert "can be fixed with `pipeline lint --fix --unsafe-fixes`" in runner.invoke(cli, ["lint", "--color", "never"]).stdout
    r = runner.invoke(cli, ["lint", "--fix", "--unsafe-fixes"])
    assert r.exit_code == 0, r.output
    assert page.read_text() == text.replace("image_alt: 'Muscles of the lateral compartment of the leg'", "image_alt: 'Muscles of the leg'")


def test_fix_that_adds_a_finding_is_rolled_back(site, runner):
    """The title holds words run together: writing it into image_title would spread them; the fix is rolled back
    and said so, and the page is not written."""
    title = "Muscles of the lateralcompartment of the leg"
    text = site_page(frames=2).replace(f"title: '{TITLE}'\n", f"title: '{title}'\n", 1)
    text = text.replace(f"'{TITLE} - orientation", f"'{title} - orientation")
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", range(1, 3))
    r = runner.invoke(cli, ["lint", "--fix"])
    assert "Rolled back: raw/pages/leg-lateral.md:" in r.stderr and "it adds TXT003" in r.stderr, r.stderr
    assert page.read_text() == text


def test_page_changed_meanwhile_is_not_overwritten(site, runner, monkeypatch):
    page = gap_site(site)
    from pipeline.lint.fix import apply

    real = apply.relint

    def edited_meanwhile(*args, **kw):
        page.write_text(page.read_text() + "\nA line an author added meanwhile.\n")
        return real(*args, **kw)

    monkeypatch.setattr(apply, "relint", edited_meanwhile)
    r = runner.invoke(cli, ["lint", "--fix"])
    assert r.exit_code == 1
    assert "Not written: raw/pages/leg-lateral.md: it changed on disk since it was read" in r.stderr
    assert page.read_text().endswith("A line an author added meanwhile.\n") and "Leg-Lateral-3.png" not in page.read_text()


def test_json_fix_only_on_findings_that_have_one(site, runner):
    gap_site(site)
    site.page("leg-soleus.md", site_page(permalink="/muscle/leg/soleus/", title="The soleus muscle of the leg", stem="Leg-Soleus", frames=2,
                                         description="The soleus lies beneath the gastrocnemius and joins it in the calcaneal tendon."))
    r = runner.invoke(cli, ["lint", "--format", "json"])
    doc = json.loads(r.stdout)
    with_fix = [f for f in doc["findings"] if "fix" in f]
    without = [f for f in doc["findings"] if "fix" not in f]
    assert [f["code"] for f in with_fix] == ["IMG002"] and without and all(f["code"] == "IMG001" for f in without)
    fix = with_fix[0]["fix"]
    assert fix["safe"] is True and fix["message"].startswith("list the 3 orientations of muscles/png/Leg-Lateral")
    assert fix["edits"] == [{"line": 20, "column": 1, "end_line": 20, "end_column": 1,
                             "content": f"  - image_url: muscles/png/Leg-Lateral-3.png\n    caption: '{TITLE} - orientation 3'\n    title: '{TITLE} - orientation 3'\n"}]


def test_sarif_fixes(site, runner):
    gap_site(site)
    doc = json.loads(runner.invoke(cli, ["lint", "--format", "sarif"]).stdout)
    (result,) = doc["runs"][0]["results"]
    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"]["uri"] == "raw/pages/leg-lateral.md"
    (rep,) = change["replacements"]
    assert rep["deletedRegion"] == {"startLine": 20, "startColumn": 1, "endLine": 20, "endColumn": 1}
    assert rep["insertedContent"]["text"].startswith("  - image_url: muscles/png/Leg-Lateral-3.png\n")
    assert fix["properties"] == {"safe": True} and doc["runs"][0]["columnKind"] == "unicodeCodePoints"
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not present at {SARIF_SCHEMA}")
    import jsonschema

    jsonschema.validate(doc, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


def test_text_report_counts_fixable(site, runner):
    gap_site(site)
    r = runner.invoke(cli, ["lint", "--color", "never"])
    assert r.stdout.rstrip().endswith("1 finding(s) can be fixed with `pipeline lint --fix`.")


def test_rules_say_whether_they_fix(runner):
    r = runner.invoke(cli, ["rules", "IMG002"])
    assert "Fix (safe): the gallery is regenerated from the renders on disk" in r.output
    assert "Fix: none" in runner.invoke(cli, ["rules", "FM003"]).output
    assert "`pipeline new SEQUENCE`" in runner.invoke(cli, ["rules", "IMG006"]).output
    listing = runner.invoke(cli, ["rules"]).output.splitlines()
    assert [line.split()[0] for line in listing if line.endswith("(fixable)")] == ["IMG001", "IMG002", "TXT003", "TXT004", "TXT006"]

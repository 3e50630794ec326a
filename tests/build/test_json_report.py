"""`pipeline build --format json` and `pipeline all --format json`: one document on standard output (what was built,
skipped and failed, with findings; paths relative to the project root), progress on standard error."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import cli

from .conftest import FRAMES


def invoke(*args):
    r = CliRunner().invoke(cli, list(args), catch_exceptions=False)  # (click 8.2: .stdout and .stderr apart)
    return r, json.loads(r.stdout)


def test_build_json(project, monkeypatch):
    r, doc = invoke("build", "--format", "json", "-j", "1")
    assert r.exit_code == 0
    assert doc["out"] == "dist" and doc["summary"]["exit_code"] == 0 and doc["summary"]["mode"] == "build"
    assert "dist/muscles/gif/Leg-Lateral.gif" in doc["built"] and "dist/muscles/png/Arm-Anterior-1-thumb.png" in doc["built"]
    assert doc["summary"]["built"] == len(doc["built"]) == 2 * (FRAMES + 1)
    assert "built  muscles/gif/Leg-Lateral.gif" in r.stderr  # progress lines, not in the document
    # from a subfolder, a broken page: skipped with its findings, the rest up to date, exit 1
    (project.images / "muscles/png/Leg-Lateral-2.png").unlink()
    monkeypatch.chdir(project.pages)
    r, doc = invoke("build", "--format", "json")
    assert r.exit_code == 1 and doc["summary"]["exit_code"] == 1 and doc["out"] == "dist"
    assert [f["page"] for f in doc["failed"]] == ["raw/pages/leg-lateral.md"]
    assert {f["code"] for f in doc["findings"]} == {"IMG001"} and doc["findings"][0]["path"] == "raw/pages/leg-lateral.md"
    assert doc["built"] == [] and doc["summary"]["up_to_date"] == FRAMES + 1
    r, doc = invoke("build", "--format", "json", "--check")
    assert r.exit_code == 1 and doc["summary"]["mode"] == "check" and doc["summary"]["exit_code"] == 1


def test_build_json_is_the_same_for_the_same_build(project):
    assert CliRunner().invoke(cli, ["build", "-j", "1"]).exit_code == 0
    first = invoke("build", "--format", "json")[0].stdout
    assert invoke("build", "--format", "json")[0].stdout == first  # no timings: byte for byte


def test_all_json(project):
    (project.pages / "arm-anterior.md").write_text((project.pages / "arm-anterior.md").read_text().replace("Arm-Anterior-3.png", "Arm-Anterior-9.png"))
    r, doc = invoke("all", "--format", "json")
    assert r.exit_code == 1 and set(doc) == {"lint", "build", "summary"}
    assert doc["summary"]["exit_code"] == 1 and doc["lint"]["summary"]["exit_code"] == 1
    assert any(f["code"] == "IMG001" and f["path"] == "raw/pages/arm-anterior.md" for f in doc["lint"]["findings"])
    assert [f["page"] for f in doc["build"]["failed"]] == ["raw/pages/arm-anterior.md"]
    assert "dist/muscles/gif/Leg-Lateral.gif" in doc["build"]["built"]

"""The CLI through click's CliRunner: exit codes, formats, configuration errors."""

import json

from pipeline.cli import cli


def test_lint_clean_exit_0(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral")
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 0, r.output
    assert "1 page(s) checked, no findings" in r.output


def test_lint_text_format_shows_source_and_caret(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral", numbers=[1, 2, 4])
    r = runner.invoke(cli, ["lint", "--color", "never"])
    assert r.exit_code == 1
    first = r.output.splitlines()[0]
    assert first.startswith("raw/pages/a.md:") and " IMG001 " in first and first.endswith("[error]")
    assert "Leg-Lateral-3.png" in r.output.splitlines()[1]
    assert r.output.splitlines()[2].strip() == "^"


def test_lint_json_contract(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral", numbers=[1, 2, 3])
    r = runner.invoke(cli, ["lint", "--format", "json"])
    assert r.exit_code == 1
    doc = json.loads(r.output)
    assert set(doc) == {"findings", "summary"}
    (f,) = doc["findings"]
    assert {"code", "severity", "path", "line", "column", "message"} <= set(f)
    assert f["code"] == "IMG001" and f["severity"] == "error" and f["path"] == "raw/pages/a.md"
    assert doc["summary"]["errors"] == 1 and doc["summary"]["pages"] == 1


def test_lint_github_and_sarif(site, runner):
    site.page("a.md")
    r = runner.invoke(cli, ["lint", "--format", "github"])
    assert r.exit_code == 1
    assert r.output.startswith("::error file=raw/pages/a.md,line=")
    r = runner.invoke(cli, ["lint", "--format", "sarif"])
    doc = json.loads(r.output)
    assert doc["version"] == "2.1.0"
    res = doc["runs"][0]["results"]
    assert res and res[0]["ruleId"] == "IMG001"
    assert res[0]["locations"][0]["physicalLocation"]["region"]["startLine"] > 1


def test_exit_zero(site, runner):
    site.page("a.md")
    r = runner.invoke(cli, ["lint", "--exit-zero"])
    assert r.exit_code == 0 and "IMG001" in r.output


def test_usage_errors_exit_2_without_traceback(site, runner):
    r = runner.invoke(cli, ["lint", "--select", "NOPE1"])
    assert r.exit_code == 2 and "unknown rule code" in r.output and "Traceback" not in r.output
    r = runner.invoke(cli, ["lint", "does/not/exist.md"])
    assert r.exit_code == 2 and "no such file" in r.output
    r = runner.invoke(cli, ["lint", "--config", "missing.toml"])
    assert r.exit_code == 2 and "not found" in r.output


def test_bad_config_exit_2(site, runner):
    (site.root / "pyproject.toml").write_text('[tool.pipeline]\npages = ["raw/pages"]\nbogus = 1\n')
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 2 and "unknown setting(s): bogus" in r.output
    (site.root / "pyproject.toml").write_text("[tool.pipeline\n")
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 2 and "invalid TOML" in r.output


def test_overrides_from_command_line(site, runner, tmp_path):
    site.page("a.md")
    other = site.root / "elsewhere"
    (other / "muscles" / "png").mkdir(parents=True)
    from .conftest import write_frames

    write_frames(other, "Leg-Lateral", range(1, 5))
    assert runner.invoke(cli, ["lint"]).exit_code == 1
    assert runner.invoke(cli, ["lint", "--images", str(other)]).exit_code == 0


def test_config_file_option(site, runner):
    site.page("a.md")
    cfg = site.root / "alt.toml"
    cfg.write_text('[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\n[tool.pipeline.lint]\nignore = ["IMG"]\nknown-permalinks = ["/muscle/leg/"]\n')
    assert runner.invoke(cli, ["lint", "--config", str(cfg)]).exit_code == 0


def test_rules_lists_and_documents(runner):
    r = runner.invoke(cli, ["rules"])
    assert r.exit_code == 0
    assert {"FM001", "FM002", "IMG001"} <= {line.split()[0] for line in r.output.splitlines()}
    r = runner.invoke(cli, ["rules", "img001"])
    assert r.exit_code == 0 and "Passing example" in r.output and "Failing example" in r.output
    legend = r.output[r.output.index("Each example is a small site") :]  # the directives the examples use, explained
    assert "# page:" in legend and "# render:" in legend and "# link:" not in legend
    assert runner.invoke(cli, ["rules", "ZZZ999"]).exit_code == 2


def test_python_dash_m(project_dir):
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-m", "pipeline", "rules"], capture_output=True, text=True, check=True)
    assert "FM001" in out.stdout


def test_every_rule_is_documented(runner):
    from pipeline.lint import rules

    for code, mod in rules.RULES.items():
        assert mod.__doc__ and mod.__doc__.strip().startswith(code), code
        assert mod.SUMMARY and mod.PASSING.strip() and mod.FAILING.strip(), code
        r = runner.invoke(cli, ["rules", code])
        assert r.exit_code == 0 and mod.SUMMARY in r.output


def test_no_color_env_and_color_always(site, runner, monkeypatch):
    site.page("a.md")
    r = runner.invoke(cli, ["lint", "--color", "always"])
    assert "\x1b[" in r.output
    monkeypatch.setenv("NO_COLOR", "1")
    r = runner.invoke(cli, ["lint", "--color", "auto"])
    assert "\x1b[" not in r.output


def test_output_file(site, runner):
    site.page("a.md")
    r = runner.invoke(cli, ["lint", "--format", "json", "-o", "report.json"])
    assert r.exit_code == 1 and r.output == ""
    assert json.loads((site.root / "report.json").read_text())["summary"]["errors"] >= 1


def test_all_lints_builds_and_summarises(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral")
    r = runner.invoke(cli, ["all"])
    assert r.exit_code == 0, r.output
    summary = r.output[r.output.index("Summary") :]
    assert "pages checked   1" in summary and "findings        0" in summary
    assert "files written   11 to dist" in summary  # GIF, MP4, WebM, 4 renders and their thumbnails
    assert (site.root / "dist" / "muscles" / "gif" / "Leg-Lateral.gif").is_file()
    r = runner.invoke(cli, ["all"])
    assert "files written   0 to dist (11 up to date, 0 removed)" in r.output


def test_all_fails_on_lint_errors(site, runner):
    site.page("a.md")
    site.frames("Leg-Lateral", numbers=[1, 2, 3])
    r = runner.invoke(cli, ["all"])
    assert r.exit_code == 1 and "IMG001" in r.output and "Summary" in r.output


def test_lint_output_is_the_same_under_any_hash_seed(project_dir):
    """Findings must not depend on set iteration order (PYTHONHASHSEED)."""
    import os
    import subprocess
    import sys

    from .conftest import CORPUS

    target = str(CORPUS) if CORPUS.is_dir() else "tests/fixtures/text"
    outs = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        r = subprocess.run([sys.executable, "-m", "pipeline", "lint", "--no-files", "--format", "json", target, "tests/fixtures/text"],
                           capture_output=True, text=True, env=env)
        assert r.returncode in (0, 1), r.stderr
        outs.add(r.stdout)
    assert len(outs) == 1

"""The lint runner through the library core: selection, configuration errors, suppressions by path, severities,
strictness (the rules themselves: tests/rules/)."""

from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_config
from pipeline.lint.runner import LintOptions, lint_paths



def lint(site, *paths, **opts):
    cfg = load_config()
    result, missing = lint_paths([Path(p) for p in paths] or cfg.pages, cfg, LintOptions(**opts))
    assert not missing
    return result


def codes(result):
    return [(f.code, f.line) for f in result.findings]


def test_clean_page_has_no_findings(site):
    site.page("a.md")
    site.frames("Leg-Lateral")
    r = lint(site)
    assert r.findings == [] and r.exit_code == 0 and r.pages == 1


def test_no_files_skips_img_rules(site):
    site.page("a.md")
    r = lint(site, check_files=False)
    assert r.findings == [] and "IMG001" not in r.rules


def test_images_root_missing_is_configuration_error(site):
    site.page("a.md")
    site.images.rmdir()
    with pytest.raises(ConfigError, match="images root"):
        lint(site)


def test_unknown_select_code_is_configuration_error(site):
    with pytest.raises(ConfigError, match="unknown rule code"):
        lint(site, select=["XYZ9"])


def test_select_by_prefix(site):
    site.page("a.md", text="---\ntitle: 'x\n---\n")
    r = lint(site, select=["FM"], check_files=False)
    assert all(c.startswith("FM") for c in r.rules) and "IMG001" not in r.rules


def test_invalid_schema_file_is_configuration_error(site):
    (site.root / "bad.schema.json").write_text('{"type": 12}')
    (site.root / "pyproject.toml").write_text('[tool.pipeline]\nschema = "bad.schema.json"\n')
    site.page("a.md")
    with pytest.raises(ConfigError, match="not a valid JSON Schema"):
        lint(site, check_files=False)
    (site.root / "bad.schema.json").write_text('{"type": ')
    from pipeline.lint.schema import load_validator

    load_validator.cache_clear()
    with pytest.raises(ConfigError, match="not valid JSON"):
        lint(site, check_files=False)


def test_per_path_ignores_and_severity(site):
    (site.root / "pyproject.toml").write_text(
        "[tool.pipeline]\n[tool.pipeline.lint]\n"
        'known-permalinks = ["/muscle/leg/"]\n'
        'per-path-ignores = { "raw/pages/legacy/*" = ["TXT007"] }\n'
        'severity = { TXT007 = "error" }\n'
    )
    site.page("legacy/a.md", tags="arm")
    site.page("b.md", tags="arm", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb")
    res = lint(site, check_files=False)
    (f,) = [x for x in res.findings if x.code == "TXT007"]
    assert f.path == "raw/pages/b.md" and f.severity.value == "error" and res.exit_code == 1


def test_strict_turns_warnings_into_failure(site):
    site.page("a.md", tags="arm")
    assert lint(site, check_files=False).exit_code == 0
    assert lint(site, check_files=False, strict=True).exit_code == 1


def test_demo_content_lints_clean(project_dir):
    cfg = load_config()
    result, _ = lint_paths(cfg.pages, cfg, LintOptions())
    assert result.findings == [] and result.pages >= 3

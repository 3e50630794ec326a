"""FM001, FM002 and IMG001 through the library core."""

from pathlib import Path

import pytest

from pipeline.config import ConfigError, load_config
from pipeline.lint.runner import LintOptions, lint_paths

from .conftest import page_text


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


def test_missing_render_reported_at_its_gallery_line(site):
    p = site.page("a.md")
    frames = site.frames("Leg-Lateral")
    frames[2].unlink()
    r = lint(site)
    (f,) = r.findings
    line = next(i for i, t in enumerate(p.read_text().splitlines(), 1) if "Leg-Lateral-3.png" in t)
    assert (f.code, f.path, f.line, f.column) == ("IMG001", "raw/pages/a.md", line, 16)
    assert f.severity.value == "error" and r.exit_code == 1


def test_gif_without_any_frames(site):
    site.page("a.md", stem="Leg-Lateral", frames=1)
    r = lint(site)
    assert sorted(c for c, _ in codes(r)) == ["IMG001", "IMG001"]
    assert any("no frames for 'muscles/gif/Leg-Lateral.gif'" in f.message for f in r.findings)


def test_case_difference_is_missing_with_a_hint(site):
    site.page("a.md", frames=1)
    site.frames("Leg-lateral", numbers=[1])
    r = lint(site)
    assert any("case differs" in f.message for f in r.findings)


def test_no_files_skips_img_rules(site):
    site.page("a.md")
    r = lint(site, check_files=False)
    assert r.findings == [] and "IMG001" not in r.rules


def test_syntax_error_is_fm001_with_position(site):
    site.page("a.md", text="---\ntitle: 'x\nlayout: page\n---\nbody\n")
    r = lint(site, check_files=False)
    (f,) = r.findings
    assert f.code == "FM001" and f.line >= 2 and "YAML syntax error" in f.message


def test_missing_front_matter(site):
    site.page("a.md", text="No front matter here.\n")
    r = lint(site, check_files=False)
    assert codes(r) == [("FM001", 1)]


def test_schema_errors_each_at_their_line(site):
    text = page_text(frames=2).replace("  - image_url: muscles/png/Leg-Lateral-2.png", "  - image_url: muscles/png/Leg Lateral 2.jpg")
    text = text.replace("header: no\n", "header: no\ncolour: red\n").replace("layout: page\n", "")
    p = site.page("a.md", text=text)
    lines = p.read_text().splitlines()
    r = lint(site, check_files=False)
    got = {(f.json_path, f.line) for f in r.findings if f.code == "FM002"}
    assert ("$.gallery[1].image_url", next(i for i, t in enumerate(lines, 1) if "Leg Lateral 2.jpg" in t)) in got
    assert ("$.colour", next(i for i, t in enumerate(lines, 1) if t.startswith("colour:"))) in got
    assert any(jp == "$" for jp, _ in got)  # 'layout' is required
    assert len(r.findings) == 3


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

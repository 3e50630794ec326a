"""Malformed pages: each gets a precise finding, nothing raises, the other pages are still checked."""

import json

import pytest

from pipeline.cli import cli

from .conftest import page_text

GOOD = page_text()


def lint_json(runner, *args):
    r = runner.invoke(cli, ["lint", "--no-files", "--format", "json", *args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    return r.exit_code, json.loads(r.output)


BAD_PAGES = {
    "empty": (b"", "FM001", 1, "no front matter"),
    "unclosed": (b"---\ntitle: x\nlayout: page\n", "FM001", 1, "not closed"),
    "tabs": (b"---\ntitle: x\n\tlayout: page\n---\n", "FM001", 3, "YAML syntax error"),
    "not_utf8": (b"---\ntitle: 'caf\xe9'\n---\n", "FM001", 2, "not valid UTF-8"),
    "top_level_list": (b"---\n- a\n- b\n---\n", "FM002", 2, "is not of type 'object'"),
    "top_level_scalar": (b"---\njust a string\n---\n", "FM002", 2, "is not of type 'object'"),
    "python_tag": (b"---\ntitle: !!python/object/apply:os.system ['true']\n---\n", "FM001", 2, "not allowed in front matter"),
    "deep_nesting": (b"---\nx: " + b"[" * 5000 + b"]" * 5000 + b"\n---\n", "FM001", 2, "nested more than"),
    "duplicate_key": (GOOD.replace("header: no\n", "header: no\nheader: yes\n").encode(), "FM003", 7, "duplicate key 'header'"),
    "object_key": (b"---\n? [a, b]\n: 1\ntitle: x\n---\n", "FM001", 2, "mapping key must be a plain value"),
}


@pytest.mark.parametrize("name", sorted(BAD_PAGES))
def test_bad_page_is_reported_and_others_still_checked(site, runner, name):
    data, code, line, text = BAD_PAGES[name]
    (site.pages / "bad.md").write_bytes(data)
    site.page("good.md", text=GOOD.replace("tags: leg", "tags: arm"))  # a TXT007 finding proves it was checked
    rc, doc = lint_json(runner)
    bad = [f for f in doc["findings"] if f["path"] == "raw/pages/bad.md"]
    assert any(f["code"] == code and f["line"] == line and text in f["message"] for f in bad), bad
    assert any(f["code"] == "TXT007" and f["path"] == "raw/pages/good.md" for f in doc["findings"])
    assert rc == 1
    for f in bad:  # positions inside the file
        assert 1 <= f["line"] <= max(1, data.count(b"\n") + 1)


def test_bom_and_crlf_are_read_normally(site, runner):
    (site.pages / "a.md").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    rc, doc = lint_json(runner)
    assert rc == 0 and doc["findings"] == []


def test_alias_bomb_is_refused_quickly(site, runner):
    lines = ["---", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    prev = "a"
    for n in "bcdefghij":
        lines.append(f"{n}: &{n} [" + ", ".join([f"*{prev}"] * 10) + "]")
        prev = n
    (site.pages / "bomb.md").write_text("\n".join(lines + ["---", ""]))
    rc, doc = lint_json(runner)
    assert rc == 1
    assert any("aliases repeated too often" in f["message"] for f in doc["findings"])


def test_moderate_aliases_pass_through_schema_and_rules(site, runner):
    text = GOOD.replace("header: no\n", "header: no\nx: &big [" + ", ".join(["y"] * 100) + "]\nz: [" + ", ".join(["*big"] * 100) + "]\n")
    site.page("a.md", text=text)
    rc, doc = lint_json(runner)
    assert {f["code"] for f in doc["findings"]} == {"FM002"}  # unknown keys x and z, nothing else


def test_huge_file_is_capped(site, runner):
    (site.pages / "huge.md").write_text(GOOD + "word " * 300_000)
    rc, doc = lint_json(runner)
    (f,) = doc["findings"]
    assert f["code"] == "FM001" and "over the 1,000,000-byte limit" in f["message"]


def test_very_long_line(site, runner):
    site.page("a.md", text=GOOD.replace("which evert the foot.", "which evert the foot. " + "x" * 200_000))
    rc, doc = lint_json(runner)
    assert all(f["line"] >= 1 for f in doc["findings"])


def test_unreadable_file(site, runner):
    p = site.page("a.md")
    p.chmod(0)
    try:
        if p.stat().st_mode and __import__("os").access(p, __import__("os").R_OK):
            pytest.skip("running as a user who can read any file")
        rc, doc = lint_json(runner)
        assert doc["findings"][0]["code"] == "FM001" and "cannot read" in doc["findings"][0]["message"]
    finally:
        p.chmod(0o644)


def test_names_with_spaces_and_non_ascii(site, runner):
    text = page_text(frames=2).replace("muscles/png/Leg-Lateral-2.png", "muscles/png/Leg Latéral-2.png")
    site.page("a.md", text=text)
    site.frames("Leg-Lateral", numbers=[1])
    (site.images / "muscles" / "png" / "Leg Latéral-2.png").write_bytes((site.images / "muscles" / "png" / "Leg-Lateral-1.png").read_bytes())
    r = runner.invoke(cli, ["lint", "--format", "json"])
    doc = json.loads(r.output)
    assert any(f["code"] == "FM002" and f["json_path"] == "$.gallery[1].image_url" for f in doc["findings"])

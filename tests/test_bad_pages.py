"""Odd but valid input through the CLI: read normally, positions inside the file, never a traceback (malformed pages:
tests/rules/test_fm00*.py)."""

import json

from pipeline.cli import cli

from .conftest import page_text

GOOD = page_text()


def lint_json(runner, *args):
    r = runner.invoke(cli, ["lint", "--no-files", "--format", "json", *args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output
    return r.exit_code, json.loads(r.output)


def test_bom_and_crlf_are_read_normally(site, runner):
    (site.pages / "a.md").write_bytes(b"\xef\xbb\xbf" + GOOD.replace("\n", "\r\n").encode())
    rc, doc = lint_json(runner)
    assert rc == 0 and doc["findings"] == []


def test_very_long_line(site, runner):
    site.page("a.md", text=GOOD.replace("which evert the foot.", "which evert the foot. " + "x" * 200_000))
    rc, doc = lint_json(runner)
    assert all(f["line"] >= 1 for f in doc["findings"])

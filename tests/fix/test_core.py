"""The fix core directly: positions, quoting styles, minimal edits, the judge of a pass."""

from __future__ import annotations

import pytest

from pipeline.content.findings import Finding, Severity
from pipeline.lint.fix.apply import _worse
from pipeline.lint.fix.scalars import render
from pipeline.lint.fix.source import Source, apply_edits, minimal_edits, overlaps
from pipeline.lint.runner import LintResult


def test_positions_follow_the_loaders_lines():
    src = Source("a\r\nbc\nd")
    assert src.starts == [0, 3, 6]
    assert src.position(4) == (2, 2) and src.offset(2, 2) == 4 and src.offset(2, 9) is None
    assert src.newline(0) == "\r\n" and src.newline(4) == "\n" and src.line_text(1) == "a"
    assert Source("x\n").position(2) == (2, 1)  # the end of a text after its last line break


@pytest.mark.parametrize(
    "style, value, written",
    [
        ("'", "it's", "'it''s'"),
        ('"', 'say "hi"\\', '"say \\"hi\\"\\\\"'),
        ("", "Muscles of the leg", "Muscles of the leg"),
        ("", "a: b", "'a: b'"),  # would not read back as itself: quoted
        ("", "yes", "'yes'"),  # would read back as a boolean
        ("", "x #y", "'x #y'"),
        ("|", "block", None),  # block scalars are not rewritten
    ],
)
def test_render_keeps_the_style(style, value, written):
    assert render(style, value) == written


def test_minimal_edits_touch_only_what_differs():
    text = "k:\n  - a: 1\n    b: 2\n  - a: 3\n    b: 4\nz: 1\n"
    src = Source(text)
    start, end = 3, text.index("z:")
    new = "  - a: 1\n    b: 2\n  - a: 2\n    b: 3\n  - a: 3\n    b: 9\n"
    edits = minimal_edits(src, start, end, new)
    assert [(e.line, e.column, e.end_line, e.end_column, e.content) for e in edits] == [
        (4, 1, 4, 1, "  - a: 2\n    b: 3\n"),
        (5, 8, 5, 9, "9"),
    ]
    assert apply_edits(text, edits) == text[:start] + new + text[end:]
    assert minimal_edits(src, start, end, text[start:end]) == []


def test_overlaps():
    e = lambda a, b: Source("0123456789").edit(a, b, "x")
    assert overlaps(e(1, 3), e(2, 4)) and overlaps(e(2, 2), e(2, 2)) and overlaps(e(1, 4), e(2, 2))
    assert not overlaps(e(1, 2), e(2, 3)) and not overlaps(e(2, 2), e(2, 4))


def finding(code, message, path="p.md", line=1):
    return Finding(code, Severity.WARNING, path, line, 1, message)


def test_judge_of_a_pass():
    target = finding("IMG002", "gap in x: orientation 2 missing before 3")
    other = finding("FM003", "duplicate key 'a': the one at line 4 is lost", line=9)
    before = LintResult([target, other], 1, [], 0.0)
    moved = finding("FM003", "duplicate key 'a': the one at line 2 is lost", line=7)  # lines moved: the same finding
    assert _worse(before, LintResult([moved], 1, [], 0.0), [target]) is None
    assert _worse(before, LintResult([target, other], 1, [], 0.0), [target]).startswith("it leaves IMG002")
    added = finding("TXT003", "repeated word: 'the the'", path="q.md")
    assert _worse(before, LintResult([other, added], 1, [], 0.0), [target]) == "it adds TXT003 'repeated word: 'the the'' on q.md"

"""Every rule's PASSING and FAILING example (what `pipeline rules CODE` shows) is a site that runs: linted with
every rule, the failing example gives findings of its own rule and of no other, the passing example none."""

from __future__ import annotations

import pytest

from pipeline.lint import rules as rule_registry
from pipeline.lint.examples import ExampleError, parse

from .helper import lint_example

CODES = rule_registry.codes()


def _report(result) -> str:
    return "\n".join(f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in result.findings) or "no findings"


def test_every_rule_has_its_examples():
    assert len(CODES) == 22
    for code in CODES:
        m = rule_registry.get(code)
        assert parse(m.PASSING).pages and parse(m.FAILING).pages, code


@pytest.mark.parametrize("code", CODES)
def test_failing_example_finds_this_rule_only(code, tmp_path):
    result = lint_example(tmp_path, rule_registry.get(code).FAILING)
    assert result.findings, f"{code}'s failing example: no findings"
    assert {f.code for f in result.findings} == {code}, _report(result)


@pytest.mark.parametrize("code", CODES)
def test_passing_example_is_clean(code, tmp_path):
    result = lint_example(tmp_path, rule_registry.get(code).PASSING)
    assert result.findings == [], _report(result)


def test_page_shape_keys_and_render_ranges():
    ex = parse(
        "# page: raw/pages/leg-soleus.md   # a comment\n"
        "permalink: /muscle/leg/soleus/\n"
        "stem: Leg-Soleus\n"
        "frames: 2, 1\n"
        "front: lint-ignore: [TXT002]\n"
        "body: - [Back to the leg](/muscle/leg/)\n"
        "# render: raw/images/muscles/png/Leg-Soleus-1..2.png 32x24 RGBA truncated\n"
    )
    text = ex.files["raw/pages/leg-soleus.md"]
    assert "image_url: muscles/png/Leg-Soleus-2.png\n" in text.split("Leg-Soleus-1.png")[0]  # gallery order kept
    assert "header: no\nlint-ignore: [TXT002]\ntags: leg\n" in text and "image_id: 'legsoleus'" in text
    assert "[Back››](/muscle/leg/)\n\n- [Back to the leg](/muscle/leg/)\n\n{% include page-image" in text
    assert [(r.path.rsplit("/", 1)[1], r.width, r.mode, r.damage) for r in ex.renders] == [
        ("Leg-Soleus-1.png", 32, "RGBA", "truncated"),
        ("Leg-Soleus-2.png", 32, "RGBA", "truncated"),
    ]
    assert ex.pages == ["raw/pages/leg-soleus.md"] and "pyproject.toml" in ex.files


@pytest.mark.parametrize(
    "text",
    [
        "permalink: /x/\n",  # no directive first
        "# page: raw/pages/a.md\ncolour: red\n",  # not a page key
        "# page: raw/pages/a.md\ntitle: A\ntitle: B\n",  # a key twice
        "# render: raw/images/a-1.png 64x48 CMYK\n",  # not a mode
        "# render: raw/images/a-1.png\nextra\n",  # a one-line directive with content
        "# file: ../outside.md\n",  # leaves the project
        "# link: raw/images/x\n",  # no target
    ],
)
def test_malformed_examples_are_refused(text):
    with pytest.raises(ExampleError):
        parse(text)

"""The review's place among the rooms: it reads content, the build's plan and state, and the kinds' registry; it
never imports lint or the CLI (its caller hands it lint's pages and findings) and loads no imaging library."""

from __future__ import annotations

import subprocess
import sys

from tests.test_layers import MODULES, imports


def test_review_never_imports_lint_or_cli():
    review = sorted(m for m in MODULES if m == "pipeline.review" or m.startswith("pipeline.review."))
    assert len(review) >= 4
    bad = {m: sorted(i for i in imports(m, top_level=False) if i.startswith(("pipeline.lint", "pipeline.cli"))) for m in review}
    assert {m: i for m, i in bad.items() if i} == {}


def test_loading_the_review_loads_no_encoder():
    code = "import sys, pipeline.review; print(sorted(m for m in ('PIL', 'numpy', 'imageio', 'imagequant') if m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"

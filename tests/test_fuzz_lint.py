"""Property-based tests: lint never raises, terminates within a bound (hypothesis deadline) and
reports positions inside the file, whatever front matter and body it is given."""

import random
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.config import load_config

from .conftest import page_text
from .fuzzing import PIECES, check_positions, lint_text, mutate

CFG = load_config(Path(__file__).resolve().parents[1] / "pyproject.toml")
BASE = page_text(frames=3, extra_body="\nSee doi:10.1000/xyz123 and [Fibularis](/muscle/leg/fibularislongus/).\n")

FUZZ = settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 12))
def test_mutated_pages(seed, steps):
    text = mutate(BASE, random.Random(seed), steps)
    findings = lint_text(text, CFG)
    assert check_positions(text, findings) == []


yaml_scalar = st.one_of(st.text(max_size=30), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False))
yaml_value = st.recursive(yaml_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["layout", "permalink", "title", "tags", "images", "gallery", "header", "x"]), yaml_value, max_size=8),
       body=st.text(max_size=300))
def test_generated_front_matter(data, body):
    import yaml

    text = "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body
    findings = lint_text(text, CFG)
    assert check_positions(text, findings) == []


@FUZZ
@given(parts=st.lists(st.sampled_from(PIECES + ["title: x\n", "\n", "  ", "a", "1"]), max_size=40))
def test_token_soup(parts):
    text = "".join(parts)
    findings = lint_text(text, CFG)
    assert check_positions(text, findings) == []

"""Property: whatever damage a gallery has (orientations missing, repeated, shuffled, beyond the renders; captions
and titles with a wrong number, another base or no number; quoting styles mixed), `pipeline lint --fix` leaves no
IMG001/IMG002/TXT006 finding on it, and a second `--fix` changes nothing."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import cli

from ..conftest import write_frames

TITLE = "Muscles of the lateral compartment of the leg"
PYPROJECT = '[tool.pipeline]\npages = ["raw/pages"]\nimages = "raw/images"\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/leg/"]\n'
HEAD = (
    "---\nlayout: page\npermalink: /muscle/leg/lateral/\n"
    f"title: '{TITLE}'\nheader: no\ntags: leg\nimages:\n"
    "  - image_id: 'leglateral'\n    image_name: 'muscles/gif/Leg-Lateral.gif'\n"
    f"    image_title: '{TITLE}'\n    image_alt: '{TITLE}'\ngallery:\n"
)
TAIL = (
    "---\n\nThe lateral compartment holds the fibularis longus and fibularis brevis, which evert the foot.\n\n"
    '[Back››](/muscle/leg/)\n\n{% include page-image im_id="leglateral" %}\n\n{% include gallery %}\n'
)


def quoted(style: str, s: str) -> str:
    return {"'": f"'{s}'", '"': f'"{s}"', "": s}[style]


@st.composite
def damaged_page(draw):
    on_disk = draw(st.integers(1, 6))
    listed = draw(st.lists(st.integers(1, on_disk + 2), min_size=1, max_size=9))
    style = draw(st.sampled_from(["'", '"', ""]))
    entries = []
    for n in listed:
        texts = []
        for _key in ("caption", "title"):
            damage = draw(st.sampled_from(["none", "none", "number", "base", "bare", "missing"]))
            if damage == "missing":
                texts.append(None)
                continue
            value = {
                "none": f"{TITLE} - orientation {n}",
                "number": f"{TITLE} - orientation {n + draw(st.integers(1, 3))}",
                "base": f"Lateral leg muscles - orientation {n}",
                "bare": "Lateral leg muscles",
            }[damage]
            texts.append(quoted(style, value))
        entry = f"  - image_url: muscles/png/Leg-Lateral-{n}.png\n"
        entry += "".join(f"    {key}: {t}\n" for key, t in zip(("caption", "title"), texts) if t is not None)
        entries.append(entry)
    return on_disk, HEAD + "".join(entries) + TAIL


def codes(runner) -> list[str]:
    return [f["code"] for f in json.loads(runner.invoke(cli, ["lint", "--format", "json"]).stdout)["findings"]]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_page())
def test_fix_repairs_any_gallery_damage(case):
    on_disk, text = case
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        root = Path(tmp)
        (root / "pyproject.toml").write_text(PYPROJECT)
        (root / "schemas").symlink_to(Path(__file__).resolve().parents[2] / "schemas")
        page = root / "raw" / "pages" / "leg-lateral.md"
        page.parent.mkdir(parents=True)
        page.write_text(text)
        write_frames(root / "raw" / "images", "Leg-Lateral", range(1, on_disk + 1), size=(8, 6))
        first = runner.invoke(cli, ["lint", "--fix"])
        assert first.exit_code in (0, 1), first.output
        left = codes(runner)
        assert not {"IMG001", "IMG002", "TXT006"} & set(left), (left, page.read_text(), first.stderr)
        fixed = page.read_bytes()
        second = runner.invoke(cli, ["lint", "--fix"])
        assert "Nothing to fix." in second.stderr and page.read_bytes() == fixed
        assert runner.invoke(cli, ["lint", "--diff"]).stdout == ""

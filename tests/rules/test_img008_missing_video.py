"""IMG008: a GIF published without its WebM/MP4, when the images root is a published asset folder."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.config import load_config
from pipeline.lint.runner import LintOptions, lint_paths

from .helper import line_of

CODE = "IMG008"

PAGE = "# page: raw/pages/a.md\n# render: raw/images/muscles/png/Leg-Lateral-1..4.png 64x48 RGB\n"
GIF = "raw/images/muscles/gif/"
OTHER = f"# file: {GIF}Leg.gif\n# file: {GIF}Leg.webm\n# file: {GIF}Leg.mp4\n"  # another animation, published whole


def files(*names: str) -> str:
    return "".join(f"# file: {GIF}{n}\n" for n in names)


def test_both_videos_missing_is_an_error_at_the_image_name(rule):
    result = rule.check(PAGE + files("Leg-Lateral.gif") + OTHER, (10, 17, "'muscles/gif/Leg-Lateral.gif' is published without its videos"))
    (f,) = result.findings
    assert "no 'Leg-Lateral.webm' and 'Leg-Lateral.mp4'" in f.message and "blank video box" in f.message
    assert f.severity.value == "error" and result.exit_code == 1
    assert "image_name: 'muscles/gif/Leg-Lateral.gif'" in (rule.root / "raw/pages/a.md").read_text().splitlines()[9]


@pytest.mark.parametrize("present,absent", [("Leg-Lateral.webm", "Leg-Lateral.mp4"), ("Leg-Lateral.mp4", "Leg-Lateral.webm")])
def test_one_video_missing_is_a_warning(rule, present, absent):
    result = rule.check(PAGE + files("Leg-Lateral.gif", present), (10, 17, f"without '{absent}' beside it"))
    assert result.findings[0].severity.value == "warning" and result.exit_code == 0


def test_complete_animation_is_clean(rule):
    rule.check(PAGE + files("Leg-Lateral.gif", "Leg-Lateral.webm", "Leg-Lateral.mp4"))


def test_a_root_of_gifs_alone_is_not_a_published_folder(rule):
    """No video beside any GIF: the images root is not where the site's videos live; nothing to judge."""
    rule.check(PAGE + files("Leg-Lateral.gif", "Leg.gif"))


def test_a_root_of_renders_alone_is_silent(rule):
    """raw/images as the build reads it: no GIF on disk (the build makes it)."""
    rule.check(PAGE, select=["IMG008", "IMG001"])


def test_video_names_are_case_sensitive(rule):
    rule.check(PAGE + files("Leg-Lateral.gif", "leg-lateral.webm", "Leg-Lateral.mp4"), (10, 17, "without 'Leg-Lateral.webm'"))


def test_videos_beside_the_gif_of_another_page_make_the_root_published(rule):
    page_b = "# page: raw/pages/b.md\npermalink: /muscle/leg/b/\nstem: Leg-B\ndescription: The b compartment lifts the toes.\n"
    result = rule.check(
        PAGE + page_b + "# render: raw/images/muscles/png/Leg-B-1..4.png 64x48 RGB\n" + files("Leg-Lateral.gif", "Leg-B.gif", "Leg-B.webm", "Leg-B.mp4"),
        ("raw/pages/a.md", 10, 17, "published without its videos"),
    )
    assert line_of(rule.root / "raw/pages/a.md", "image_name") == 10


# -- the real sample -----------------------------------------------------------------------------------------------

SAMPLE = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "muscle-atlas"


def sample_assets(root: Path) -> set[str]:
    """The real site's published folder as ASSETS.txt lists it, as empty files. The listing is complete for GIFs
    and cut short for the videos (after Head-Palatoglossus); the videos it could not list exist unless its header
    confirms them absent. Returns the stems confirmed without videos."""
    text = (SAMPLE / "ASSETS.txt").read_text(encoding="utf-8")
    header = " ".join(line for line in text.splitlines() if line.startswith("#"))
    absent = set(re.findall(r"\.webm and \.mp4 for ([^;]+);", header)[0].replace(" ", "").split(","))
    absent |= set(re.findall(r"(\S+)\.webm/\.mp4 are missing", header))
    last_listed = re.search(r"listing ends at (\S+)\.webm", header).group(1)
    listed = [line.strip() for line in text.splitlines() if line.startswith("assets/images/")]
    for rel in listed:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"")
    for rel in listed:
        stem = rel.rsplit("/", 1)[1][: -len(".gif")] if rel.endswith(".gif") else None
        if stem and f"{stem}.webm" > f"{last_listed}.webm" and stem not in absent:  # listings are sorted by name
            for ext in (".webm", ".mp4"):
                (root / rel[: -len(".gif")]).with_suffix(ext).write_bytes(b"")
    return {s.split("/")[-1] for s in absent}


def test_real_sample_pages_with_a_blank_video_box(tmp_path):
    if not (SAMPLE / "ASSETS.txt").is_file():
        pytest.skip(f"real sample not present at {SAMPLE}")
    absent = sample_assets(tmp_path)
    cfg = load_config(cwd=Path("/"))
    cfg.images = tmp_path / "assets" / "images"
    result, missing = lint_paths([SAMPLE / "pages"], cfg, LintOptions(select=["IMG008"]))
    assert not missing
    blank = {re.search(r"'muscles/gif/([^']+)\.gif'", f.message).group(1) for f in result.findings}
    assert len(absent) == 5 and blank == absent, [f"{f.path}:{f.line}: {f.message}" for f in result.findings]
    assert all(f.severity.value == "error" for f in result.findings)
    assert len({f.path for f in result.findings}) == 5

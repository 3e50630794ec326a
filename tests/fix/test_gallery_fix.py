"""`pipeline lint --fix` on galleries (IMG001, IMG002, TXT006 captions), through the CLI: the page after the fix is
the page as it should have been written, byte for byte."""

from __future__ import annotations

import pytest

from pipeline.cli import cli
from pipeline.lint.examples import site_page

TITLE = "Muscles of the lateral compartment of the leg"


def fix(runner, *args):
    return runner.invoke(cli, ["lint", "--fix", "--color", "never", *args])


def lint_codes(runner) -> set[str]:
    r = runner.invoke(cli, ["lint", "--format", "json"])
    import json

    return {f["code"] for f in json.loads(r.stdout)["findings"]}


@pytest.mark.parametrize(
    "listed, on_disk, code",
    [
        ([1, 2, 3, 4], 6, "IMG002"),  # re-rendered with more orientations: frames the gallery omits
        ([1, 3, 2, 4], 4, "IMG002"),  # out of order
        ([1, 2, 2, 3, 4], 4, "IMG002"),  # a duplicate
        ([1, 2, 4], 4, "IMG002"),  # a gap
        ([1, 2, 3, 4, 5, 6], 4, "IMG001"),  # re-rendered with fewer orientations
        ([4, 3, 2, 1, 1], 3, "IMG001"),  # all of it at once
    ],
)
def test_gallery_regenerated_from_the_renders_on_disk(site, runner, listed, on_disk, code):
    page = site.page("leg-lateral.md", site_page(frames=listed))
    site.frames("Leg-Lateral", range(1, on_disk + 1))
    assert code in lint_codes(runner)
    r = fix(runner)
    assert r.exit_code == 0, r.output
    assert page.read_text() == site_page(frames=on_disk)
    assert "Fixed " in r.stderr and code in r.stderr
    assert lint_codes(runner) == set()


def test_wrong_captions_follow_the_title(site, runner):
    text = site_page(frames=3)
    broken = text.replace(f"caption: '{TITLE} - orientation 2'", "caption: 'Lateral compartment 7'").replace(
        f"title: '{TITLE} - orientation 3'", "title: 'Lateral compartment'"
    )
    page = site.page("leg-lateral.md", broken)
    site.frames("Leg-Lateral", range(1, 4))
    assert lint_codes(runner) == {"TXT006"}
    r = fix(runner)
    assert r.exit_code == 0, r.output
    assert page.read_text() == text


def test_usual_caption_forms_are_kept(site, runner):
    """A caption TXT006 accepts ("<title>: 2") is left as written when the gallery is regenerated."""
    text = site_page(frames=[1, 2]).replace(f"caption: '{TITLE} - orientation 2'", f"caption: '{TITLE}: 2'")
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", range(1, 4))
    assert fix(runner).exit_code == 0
    assert page.read_text() == site_page(frames=3).replace(f"caption: '{TITLE} - orientation 2'", f"caption: '{TITLE}: 2'")


def test_renamed_sequence_follows_the_gif(site, runner):
    """The renders were renamed and the page's GIF name with them: the gallery follows the GIF's sequence."""
    old = site_page(stem="Leg-Lateral", frames=4).replace("muscles/png/Leg-Lateral-", "muscles/png/Leg-Fibular-")
    page = site.page("leg-lateral.md", old)
    site.frames("Leg-Lateral", range(1, 6))
    assert "IMG001" in lint_codes(runner)
    assert fix(runner).exit_code == 0
    assert page.read_text() == site_page(frames=5)


def test_no_fix_when_the_renders_are_not_whole(site, runner):
    """Orientations 1, 2 and 4 on disk: no gallery can be whole; the fix is left to whoever renders."""
    text = site_page(frames=[1, 2, 4])
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", [1, 2, 4])
    r = runner.invoke(cli, ["lint", "--format", "json"])
    assert "IMG002" in r.stdout and '"fix"' not in r.stdout
    assert fix(runner).exit_code == 0  # a warning: nothing fixed, nothing written
    assert page.read_text() == text


def test_no_fix_for_a_gallery_holding_a_comment(site, runner):
    text = site_page(frames=[1, 3, 2]).replace("  - image_url: muscles/png/Leg-Lateral-3.png\n", "  # the third, first\n  - image_url: muscles/png/Leg-Lateral-3.png\n")
    page = site.page("leg-lateral.md", text)
    site.frames("Leg-Lateral", range(1, 4))
    assert '"fix"' not in runner.invoke(cli, ["lint", "--format", "json"]).stdout
    fix(runner)
    assert page.read_text() == text


def test_without_the_renders_order_and_duplicates_are_fixed(site, runner):
    page = site.page("leg-lateral.md", site_page(frames=[2, 1, 3, 3]))
    r = fix(runner, "--no-files")
    assert r.exit_code == 0, r.output
    assert page.read_text() == site_page(frames=3)


def test_comments_and_odd_quoting_kept_byte_for_byte(site, runner):
    """Comments, quoting styles, key order and blank lines outside the edit are kept; a new entry is written in
    the style of the first one (its key order and quoting)."""
    head = (
        "---\n"
        "# the lateral compartment  \n"
        "layout:   page\n"
        "permalink: /muscle/leg/lateral/   # as on the site\n"
        f'title: "{TITLE}"\n'
        "subheadline: Images and description.\n"
        "header: no\n"
        "\n"
        "tags: [leg]\n"
        "images:\n"
        "- image_name: \"muscles/gif/Leg-Lateral.gif\"\n"
        "  image_id: leglateral\n"
        f"  image_alt: {TITLE}\n"
        f"  image_title: '{TITLE}'  \n"
        "gallery:\n"
    )
    entry = lambda n: f"- title: {TITLE} - orientation {n}\n  image_url: \"muscles/png/Leg-Lateral-{n}.png\"\n  caption: \"{TITLE} - orientation {n}\"\n"
    tail = "\n# renders: 2024 set\n---\n\nThe lateral compartment holds the fibularis longus and fibularis brevis, which evert the foot.\n\n[Back››](/muscle/leg/)\n\n{% include page-image im_id=\"leglateral\" %}\n\n{% include gallery %}\n"
    page = site.page("leg-lateral.md", head + entry(1) + entry(3) + tail)
    site.frames("Leg-Lateral", range(1, 4))
    r = fix(runner)
    assert r.exit_code == 0, r.output
    assert page.read_text() == head + entry(1) + entry(2) + entry(3) + tail


def test_crlf_and_bom_kept(site, runner):
    before = "\ufeff" + site_page(frames=[1, 3]).replace("\n", "\r\n")
    page = site.pages / "leg-lateral.md"
    page.write_bytes(before.encode("utf-8"))
    site.frames("Leg-Lateral", range(1, 4))
    assert fix(runner).exit_code == 0
    assert page.read_bytes() == ("\ufeff" + site_page(frames=3).replace("\n", "\r\n")).encode("utf-8")


def test_permissions_kept(site, runner):
    page = site.page("leg-lateral.md", site_page(frames=[1, 2]))
    page.chmod(0o600)
    site.frames("Leg-Lateral", range(1, 4))
    assert fix(runner).exit_code == 0
    assert page.read_text() == site_page(frames=3) and page.stat().st_mode & 0o777 == 0o600

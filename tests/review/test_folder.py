"""Writing the review folder (``pipeline.review.folder``): self-contained, replaced whole, never over another folder."""

from __future__ import annotations

import os
import re

import pytest

from pipeline.review import ReviewError, write_review
from pipeline.review import folder as folder_mod
from pipeline.review.folder import MARKER

from .conftest import lint_and_collect


def files_of(d):
    return {p.relative_to(d).as_posix(): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def test_the_folder_holds_every_file_the_page_shows(built, tmp_path):
    rv = lint_and_collect(built)
    dest = tmp_path / "rv"
    w = write_review(rv, dest)
    html = (dest / "index.html").read_text(encoding="utf-8")
    urls = set(re.findall(r'(?:src|href)="([^"#][^"]*)"', html))
    assert len(urls) == 2 + 1 + 2 * 4 * 2  # GIFs, the previous one, thumbnails and the renders they link to
    assert all((dest / u).is_file() for u in urls)
    assert w.files == len(urls) and (dest / MARKER).is_file()
    assert (dest / "previous/muscles/gif/Leg-Lateral.gif").read_bytes() != (dest / "media/muscles/gif/Leg-Lateral.gif").read_bytes()
    assert (dest / "media/muscles/gif/Leg-Lateral.gif").read_bytes() == (built.out / "muscles/gif/Leg-Lateral.gif").read_bytes()


def test_media_are_hard_linked_where_possible_else_copied(built, tmp_path, monkeypatch):
    rv = lint_and_collect(built)
    w = write_review(rv, tmp_path / "a")
    assert w.linked == w.files
    assert os.stat(tmp_path / "a/media/muscles/gif/Leg-Lateral.gif").st_ino == os.stat(built.out / "muscles/gif/Leg-Lateral.gif").st_ino

    def no_links(*a):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(folder_mod.os, "link", no_links)
    w = write_review(rv, tmp_path / "b")
    assert w.linked == 0 and w.files > 0
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")
    assert os.stat(tmp_path / "b/media/muscles/gif/Leg-Lateral.gif").st_ino != os.stat(built.out / "muscles/gif/Leg-Lateral.gif").st_ino


def test_a_later_build_leaves_a_linked_review_as_it_was(built, tmp_path):
    from tests.build.conftest import build

    dest = tmp_path / "rv"
    write_review(lint_and_collect(built), dest)
    before = files_of(dest)
    built.rerender("Leg-Lateral", seed=31337)
    build(built)
    assert files_of(dest) == before


def test_a_review_replaces_the_last_one_whole_and_leaves_no_temporaries(built, tmp_path):
    dest = tmp_path / "reviews" / "rv"
    write_review(lint_and_collect(built), dest)
    (dest / "stray.txt").write_text("left by hand")
    write_review(lint_and_collect(built, changed_only=True), dest)
    assert "stray.txt" not in files_of(dest) and "media/muscles/gif/Arm-Anterior.gif" not in files_of(dest)
    assert sorted(p.name for p in dest.parent.iterdir()) == ["rv"]


def test_the_same_review_twice_gives_the_same_bytes(built, tmp_path):
    rv = lint_and_collect(built)
    write_review(rv, tmp_path / "a")
    write_review(lint_and_collect(built), tmp_path / "b")
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_a_failure_while_writing_keeps_the_old_review(built, tmp_path, monkeypatch):
    dest = tmp_path / "reviews" / "rv"
    write_review(lint_and_collect(built), dest)
    before = files_of(dest)
    calls = []
    real = folder_mod._place

    def failing(m, root):
        calls.append(m)
        if len(calls) == 3:
            raise OSError(28, "No space left on device", str(root / m.name))
        return real(m, root)

    monkeypatch.setattr(folder_mod, "_place", failing)
    with pytest.raises(ReviewError, match="No space left on device"):
        write_review(lint_and_collect(built), dest)
    assert files_of(dest) == before
    assert sorted(p.name for p in dest.parent.iterdir()) == ["rv"]


@pytest.mark.parametrize("where", ["dist", "dist/review", "raw/images/x", "raw/pages", "raw", "."])
def test_never_in_or_over_what_the_site_publishes_or_reads(built, where):
    cfg = built.cfg()
    forbidden = [cfg.out, cfg.images, *cfg.site_roots]
    before = sorted(str(p) for p in built.root.rglob("*"))
    with pytest.raises(ReviewError, match="cannot be written"):
        write_review(lint_and_collect(built), built.root / where, forbidden=forbidden, above=[cfg.root])
    assert sorted(str(p) for p in built.root.rglob("*")) == before


def test_never_over_a_folder_that_is_not_a_review_or_a_file(built, tmp_path):
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "keep.md").write_text("mine")
    (tmp_path / "file").write_text("mine")
    for dest, why in ((tmp_path / "notes", "not a review"), (tmp_path / "file", "not a folder")):
        with pytest.raises(ReviewError, match=why):
            write_review(lint_and_collect(built), dest)
    assert (tmp_path / "notes" / "keep.md").read_text() == "mine" and (tmp_path / "file").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    write_review(lint_and_collect(built), tmp_path / "empty")  # an empty folder is fine
    assert (tmp_path / "empty" / "index.html").is_file()

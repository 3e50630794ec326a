"""The images root is read once per run: one listing per folder, one header read per render, whatever the number
of references and of rules that ask."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from pipeline.content import files as files_mod
from pipeline.content.files import ImageFiles


@pytest.fixture
def root(tmp_path) -> Path:
    d = tmp_path / "images" / "muscles" / "png"
    d.mkdir(parents=True)
    for stem in ("Leg-Lateral", "Leg-Soleus", "Arm-Anterior"):
        for n in range(1, 17):
            Image.new("RGB", (8, 6), (n, 0, 0)).save(d / f"{stem}-{n}.png")
    (d / "Leg-Lateral-1-thumb.png").write_bytes(b"")  # an output beside the renders is no frame
    return tmp_path / "images"


def test_each_folder_is_listed_once(root, monkeypatch):
    calls = []
    real = os.scandir
    monkeypatch.setattr(files_mod.os, "scandir", lambda p: calls.append(os.fspath(p)) or real(p))
    files = ImageFiles(root)
    for stem in ("Leg-Lateral", "Leg-Soleus", "Arm-Anterior", "Neck-Missing"):
        for n in range(1, 17):
            files.resolve(f"muscles/png/{stem}-{n}.png", stat=True)
        files.sequence_numbers("muscles/png", stem)
    assert sorted(calls) == sorted({c for c in calls}) and len(calls) == 3  # root, muscles, muscles/png


def test_headers_are_read_once_per_render(root, monkeypatch):
    reads = []
    real = files_mod.read_png_info
    monkeypatch.setattr(files_mod, "read_png_info", lambda p, m=None: reads.append(p) or real(p, m))
    files = ImageFiles(root)
    for _ in range(3):
        for n in range(1, 17):
            assert files.header(f"muscles/png/Leg-Lateral-{n}.png").width == 8
    assert len(reads) == 16


def test_sequences_index_matches_the_listing(root):
    files = ImageFiles(root)
    assert sorted(files.sequence_numbers("muscles/png", "Leg-Lateral")) == list(range(1, 17))
    assert files.sequence_numbers("muscles/png", "Leg") == {}
    every = files.sequences()
    assert sorted(every) == [("muscles/png", s) for s in ("Arm-Anterior", "Leg-Lateral", "Leg-Soleus")]
    assert all(len(v) == 16 for v in every.values())


def test_resolution_answers(root, tmp_path):
    files = ImageFiles(root)
    ok = files.resolve("muscles/png/Leg-Lateral-3.png", stat=True)
    assert ok.file == os.path.join(str(root), "muscles/png/Leg-Lateral-3.png") and ok.stat.st_size > 0
    assert "case differs" in files.resolve("muscles/png/leg-lateral-3.png").missing
    assert "no 'Leg-Lateral-17.png' in 'muscles/png/'" in files.resolve("muscles/png/Leg-Lateral-17.png").missing
    assert files.resolve("muscles/png").missing == "is a folder, not a file"
    assert "'..'" in files.resolve("muscles/../../x-1.png").unsafe
    assert "absolute" in files.resolve("/etc/hostname").unsafe
    outside = tmp_path / "outside.png"
    outside.write_bytes(b"x")
    os.symlink(outside, root / "muscles" / "png" / "Leg-Link-1.png")
    assert "outside the images root" in ImageFiles(root).resolve("muscles/png/Leg-Link-1.png").unsafe
    os.symlink(tmp_path, root / "out")
    assert "outside the images root" in ImageFiles(root).resolve("out/outside.png").unsafe


def test_hidden_files_are_no_pages(tmp_path):
    from pipeline.content.loader import discover

    (tmp_path / "a.md").write_text("---\ntitle: x\n---\n")
    (tmp_path / ".tmp-a.md.x1.part.md").write_text("half")
    (tmp_path / ".#a.md").write_text("lock")
    files, missing = discover([tmp_path])
    assert [f.name for f in files] == ["a.md"] and not missing


def test_gif_sequence_keeps_dot_folders():
    from pipeline.content.model import gif_name, gif_sequence

    assert gif_sequence("muscles/gif/Leg-Lateral.gif") == ("muscles/png", "Leg-Lateral")
    assert gif_sequence(".hidden/gif/X.gif") == (".hidden/png", "X")
    assert gif_sequence("X.gif") == ("", "X")
    assert gif_name(".hidden/png", "X") == ".hidden/gif/X.gif"

"""The plan (pure), page plan caching, atomic writes and the progress display."""

from __future__ import annotations

import io
import json
from pathlib import Path

from pipeline.content.atomic import atomic_path, sweep_temporaries, write_bytes
from pipeline.build.pages import plan_pages
from pipeline.lint.inputs import BuildInputCheck
from pipeline.build.hashcache import HashCache
from pipeline.content.loader import parse_page
from pipeline.build.plan import PagePlan, PlanStatus, combine, page_plan
from pipeline.build.progress import Progress

from .conftest import page_text


def _pp(text: str, name: str = "raw/pages/a.md") -> PagePlan:
    return page_plan(parse_page(Path(name), text, display=name))


def test_page_plan_outputs():
    pp = _pp(page_text("Leg-Lateral", frames=3))
    assert pp.status is PlanStatus.OK
    (u,) = pp.units
    assert u.name == "muscles/gif/Leg-Lateral.gif"
    assert [o.path for o in u.outputs] == [
        "muscles/gif/Leg-Lateral.gif",
        "muscles/gif/Leg-Lateral.mp4",
        "muscles/gif/Leg-Lateral.webm",
        "muscles/png/Leg-Lateral-1-thumb.png",
        "muscles/png/Leg-Lateral-2-thumb.png",
        "muscles/png/Leg-Lateral-3-thumb.png",
        "muscles/png/Leg-Lateral-1.png",
        "muscles/png/Leg-Lateral-2.png",
        "muscles/png/Leg-Lateral-3.png",
    ]
    lines = page_text("Leg-Lateral", frames=3).splitlines()
    assert all(u.frames[i] in lines[u.frame_line(i) - 1] for i in range(3))


def test_page_plan_round_trips_through_json():
    pp = _pp(page_text("Leg-Lateral"))
    assert PagePlan.from_json(json.loads(json.dumps(pp.to_json()))) == pp


def test_broken_and_empty_pages():
    broken = _pp("---\ntitle: 'unclosed\n---\nbody\n")
    assert broken.status is PlanStatus.BROKEN and broken.line >= 2
    assert _pp("no front matter at all\n").status is PlanStatus.NONE
    renders_only = _pp(page_text("Leg-Lateral", gif=False))
    assert renders_only.status is PlanStatus.OK and {o.kind for o in renders_only.units[0].outputs} == {"thumb", "render"}


def test_combine_builds_a_claimed_output_once():
    a = _pp(page_text("Leg-Lateral"), "raw/pages/a.md")
    b = _pp(page_text("Leg-Lateral"), "raw/pages/b.md")
    sp = combine([a, b])
    assert len(sp.units) == 1 and sp.units[0].page == "raw/pages/a.md"


def test_page_plans_are_cached_by_content(project, monkeypatch):
    cfg = project.cfg()
    cache = HashCache("ctx")
    files = sorted(project.pages.glob("*.md"))
    first = plan_pages(files, cfg, cache, BuildInputCheck(cfg))
    import pipeline.content.loader as loader

    calls = []
    real = loader.read_page
    monkeypatch.setattr(loader, "read_page", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert plan_pages(files, cfg, cache, BuildInputCheck(cfg)) == first and calls == []
    files[0].write_text(files[0].read_text().replace("orientation 1'", "orientation one'"))
    plan_pages(files, cfg, cache, BuildInputCheck(cfg))
    assert len(calls) == 1


def test_atomic_path_leaves_old_file_on_error(tmp_path):
    dest = tmp_path / "a" / "x.gif"
    write_bytes(dest, b"old")
    try:
        with atomic_path(dest) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("encoder crashed")
    except RuntimeError:
        pass
    assert dest.read_bytes() == b"old"
    assert [p.name for p in dest.parent.iterdir()] == ["x.gif"]


def test_sweep_removes_only_temporaries(tmp_path):
    (tmp_path / "d").mkdir()
    keep = tmp_path / "d" / "x.gif"
    keep.write_bytes(b"x")
    (tmp_path / "d" / ".tmp-x.gif.abc.part.gif").write_bytes(b"partial")
    removed = sweep_temporaries(tmp_path)
    assert [p.name for p in removed] == [".tmp-x.gif.abc.part.gif"]
    assert keep.exists()


def test_progress_bar_and_lines():
    err = io.StringIO()
    p = Progress(io.StringIO(), err, mode="bar")
    p.start(outputs=38, units=2)
    p.working_on(["muscles/gif/Leg-Lateral.gif", "muscles/gif/Arm-Anterior.gif"])
    assert "Leg-Lateral, Arm-Anterior" in p.line()
    p.unit_done(19)
    line = p.line()
    assert "19/38 outputs" in line and "left" in line
    p.finish()
    out = io.StringIO()
    lines = Progress(out, io.StringIO(), mode="auto")  # not a terminal: plain lines
    assert not lines.bar
    lines.log("built  x.gif")
    assert out.getvalue() == "built  x.gif\n"
    quiet = Progress(out := io.StringIO(), io.StringIO(), quiet=True)
    quiet.log("built  x.gif")
    assert out.getvalue() == ""


def test_render_generator_temporaries_are_swept(tmp_path, monkeypatch):
    """The render generator writes through the same atomic writer: killed mid-write, it leaves a temporary that
    the next build's sweep removes."""
    import pipeline.content.atomic as atomic
    from tests.support.renders import write_sequence

    seen = []

    def killed(tmp, dest):
        seen.append(Path(tmp))
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "replace", killed)
    monkeypatch.setattr(atomic.Path, "unlink", lambda self, missing_ok=False: None)  # killed: no clean-up ran
    try:
        write_sequence(tmp_path, "X", 1, (24, 16), seed=3)
    except KeyboardInterrupt:
        pass
    monkeypatch.undo()
    (tmp,) = seen
    assert tmp.parent == tmp_path and tmp.exists()
    assert sweep_temporaries(tmp_path) == [tmp] and not tmp.exists()


def test_records_of_edited_pages_do_not_pile_up(project):
    """A whole-site build keeps the records of the pages as they are now, not one per version ever built."""
    import sqlite3

    from pipeline.build.state import DB_NAME

    from .conftest import build

    build(project)
    page = project.pages / "leg-lateral.md"
    for n in range(3):
        page.write_text(page.read_text().replace("move the leg", f"move the leg ({n})"))
        build(project)
    with sqlite3.connect(project.state_folder() / DB_NAME) as db:
        assert db.execute("SELECT count(*) FROM pages").fetchone() == (2,)

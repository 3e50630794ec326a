"""What a review gathers (``pipeline.review.model.collect``): outputs as the build recorded them, findings per page,
what the last build changed."""

from __future__ import annotations

from pipeline.review.model import MEDIA, PREVIOUS, RENDERS

from tests.build.conftest import build

from .conftest import add_todo, lint_and_collect


def _by_animation(rv):
    return {s.animation: s for s in rv.sequences}


def test_every_sequence_with_its_outputs_and_the_changed_one_with_its_previous(built):
    rv = lint_and_collect(built)
    assert rv.built and rv.builds_recorded == 2 and not rv.changed_only
    seq = _by_animation(rv)
    assert sorted(seq) == ["muscles/gif/Arm-Anterior.gif", "muscles/gif/Leg-Lateral.gif"]
    leg, arm = seq["muscles/gif/Leg-Lateral.gif"], seq["muscles/gif/Arm-Anterior.gif"]
    assert leg.changed and not leg.created and not arm.changed
    assert leg.gif.name == f"{MEDIA}/muscles/gif/Leg-Lateral.gif" and leg.gif.source == built.out / "muscles/gif/Leg-Lateral.gif"
    assert leg.previous.name == f"{PREVIOUS}/muscles/gif/Leg-Lateral.gif"
    assert leg.previous.source.read_bytes() != leg.gif.source.read_bytes()
    assert arm.previous is None and leg.videos == [] and leg.missing == []  # videos off in this project
    assert [o.number for o in leg.orientations] == [1, 2, 3, 4]
    o = leg.orientations[1]
    assert o.caption == "Muscles of Leg-Lateral - orientation 2"
    assert o.thumb.name == f"{MEDIA}/muscles/png/Leg-Lateral-2-thumb.png" and o.thumb.source.is_file()
    assert o.full.name == f"{RENDERS}/muscles/png/Leg-Lateral-2.png" and o.full.source.is_file()
    assert leg.title == "Muscles of Leg-Lateral" and leg.page == "raw/pages/leg-lateral.md" and leg.permalink == "/muscle/leg-lateral/"


def test_findings_belong_to_their_page_in_line_order(built):
    add_todo(built, "Arm-Anterior")
    seq = _by_animation(lint_and_collect(built))
    arm, leg = seq["muscles/gif/Arm-Anterior.gif"], seq["muscles/gif/Leg-Lateral.gif"]
    assert "TXT009" in [f.code for f in arm.findings] and "TXT009" not in [f.code for f in leg.findings]
    assert {f.path for f in arm.findings} == {"raw/pages/arm-anterior.md"}
    assert [f.line for f in arm.findings] == sorted(f.line for f in arm.findings)


def test_changed_only_shows_what_the_last_build_changed(built):
    rv = lint_and_collect(built, changed_only=True)
    assert [s.animation for s in rv.sequences] == ["muscles/gif/Leg-Lateral.gif"] and rv.changed_only
    built.rerender("Arm-Anterior", seed=99)
    build(built)
    assert [s.animation for s in lint_and_collect(built, changed_only=True).sequences] == ["muscles/gif/Arm-Anterior.gif"]
    build(built)  # up to date: the last build that changed animations is still the one before
    assert [s.animation for s in lint_and_collect(built, changed_only=True).sequences] == ["muscles/gif/Arm-Anterior.gif"]


def test_a_new_sequence_is_created_not_compared(built):
    built.add("Leg-Posterior")
    build(built)
    rv = lint_and_collect(built, changed_only=True)
    (s,) = rv.sequences
    assert s.animation == "muscles/gif/Leg-Posterior.gif" and s.created and s.previous is None


def test_outputs_not_built_are_named_missing_and_never_placed(built):
    (built.out / "muscles/png/Arm-Anterior-3-thumb.png").unlink()
    built.add("Leg-Posterior")  # not built yet
    seq = _by_animation(lint_and_collect(built))
    arm, new = seq["muscles/gif/Arm-Anterior.gif"], seq["muscles/gif/Leg-Posterior.gif"]
    assert arm.missing == ["muscles/png/Arm-Anterior-3-thumb.png"] and arm.orientations[2].thumb is None
    assert new.gif is None and not new.changed and "muscles/gif/Leg-Posterior.gif" in new.missing
    assert all(m.source.is_file() for s in seq.values() for m in s.media())


def test_no_build_yet(project):
    rv = lint_and_collect(project)
    assert not rv.built and rv.builds_recorded == 0
    assert all(s.gif is None and s.missing and not s.changed for s in rv.sequences)
    assert lint_and_collect(project, changed_only=True).sequences == []


def test_videos_are_shown_webm_first(built_video):
    leg = _by_animation(lint_and_collect(built_video))["muscles/gif/Leg-Lateral.gif"]
    assert [v.name for v in leg.videos] == [f"{MEDIA}/muscles/gif/Leg-Lateral.webm", f"{MEDIA}/muscles/gif/Leg-Lateral.mp4"]


def test_a_sequence_re_rendered_but_not_built_again_is_stale(built):
    assert [s.stale for s in lint_and_collect(built).sequences] == ["", ""]  # renders just written: hashed, not trusted by stat
    built.rerender("Arm-Anterior", seed=12)
    seq = _by_animation(lint_and_collect(built))
    assert seq["muscles/gif/Arm-Anterior.gif"].stale == "the renders changed since the last build"
    assert seq["muscles/gif/Leg-Lateral.gif"].stale == ""
    build(built)
    assert [s.stale for s in lint_and_collect(built).sequences] == ["", ""]


def test_a_reordered_gallery_or_a_missing_render_is_stale(built):
    page = built.pages / "leg-lateral.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Leg-Lateral-1.png", "Leg-Lateral-X.png").replace("Leg-Lateral-2.png", "Leg-Lateral-1.png")
                    .replace("Leg-Lateral-X.png", "Leg-Lateral-2.png"), encoding="utf-8")
    assert _by_animation(lint_and_collect(built))["muscles/gif/Leg-Lateral.gif"].stale == "the renders changed since the last build"
    page.write_text(text, encoding="utf-8")
    (built.images / "muscles/png/Leg-Lateral-3.png").unlink()
    stale = _by_animation(lint_and_collect(built))["muscles/gif/Leg-Lateral.gif"].stale
    assert stale.startswith("render muscles/png/Leg-Lateral-3.png ") and "does not exist" in stale


def test_gallery_renders_of_no_animation_and_a_page_not_read(built):
    built.add("Leg-Thumbs", gif=False)
    (built.pages / "broken.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    build(built)
    rv = lint_and_collect(built)
    thumbs = [s for s in rv.sequences if s.page == "raw/pages/leg-thumbs.md"]
    assert [(s.animation, s.gif, len(s.orientations), s.changed) for s in thumbs] == [("", None, 4, False)]
    assert all(o.thumb is not None for o in thumbs[0].orientations)
    assert "raw/pages/broken.md" not in {s.page for s in rv.sequences}
    assert [f.code for f in rv.other_findings if f.path == "raw/pages/broken.md"] == ["FM001"]
    assert lint_and_collect(built, changed_only=True).other_findings == []


def test_changed_only_also_shows_what_was_re_rendered_since(built):
    built.rerender("Arm-Anterior", seed=77)  # not built again
    rv = lint_and_collect(built, changed_only=True)
    assert [(s.animation, s.changed, bool(s.stale)) for s in rv.sequences] == [
        ("muscles/gif/Arm-Anterior.gif", False, True), ("muscles/gif/Leg-Lateral.gif", True, False)]


def test_a_replaced_gif_whose_previous_is_lost_is_changed_not_new(built):
    from pipeline.build.previous import read_changes

    read_changes(built.state_folder()).previous_file("muscles/gif/Leg-Lateral.gif").unlink()
    leg = _by_animation(lint_and_collect(built))["muscles/gif/Leg-Lateral.gif"]
    assert leg.changed and not leg.created and leg.previous is None

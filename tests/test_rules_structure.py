"""Each structural rule with a failing and a passing fixture (issue: content linter)."""

from pathlib import Path

from PIL import Image

from pipeline.config import load_config
from pipeline.lint.runner import LintOptions, lint_paths

from .conftest import page_text


def run(*paths, **opts):
    cfg = load_config()
    result, missing = lint_paths([Path(p) for p in paths] or cfg.pages, cfg, LintOptions(**opts))
    assert not missing
    return result


def found(result, code):
    return [f for f in result.findings if f.code == code]


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    hits = [i for i, t in enumerate(path.read_text().splitlines(), 1) if needle in t]
    return hits[nth - 1]


# --- FM003 ---------------------------------------------------------------------------------------

def test_fm003_duplicate_key(site):
    p = site.page("a.md", text=page_text().replace("header: no\n", "header: no\ntitle: 'Other'\n"))
    f = found(run(check_files=False), "FM003")
    assert [(x.line, x.column) for x in f] == [(line_of(p, "title: 'Other'"), 1)]
    assert f[0].related[0].line == line_of(p, "title: 'Muscles")


def test_fm003_clean(site):
    site.page("a.md")
    assert not found(run(check_files=False), "FM003")


# --- FM004 ---------------------------------------------------------------------------------------

def test_fm004_same_permalink(site):
    site.page("a.md")
    site.page("b.md", stem="Leg-Other", image_id="legother")
    f = found(run(check_files=False), "FM004")
    assert len(f) == 1 and f[0].path == "raw/pages/b.md" and "also declared by raw/pages/a.md" in f[0].message


def test_fm004_same_output_names_even_by_case(site):
    site.page("a.md")
    site.page("b.md", permalink="/muscle/leg/other/", stem="leg-lateral", image_id="leglateral")
    f = found(run(check_files=False), "FM004")
    assert len(f) == 1 and "differs only in case" in f[0].message


def test_fm004_distinct_pages_clean(site):
    site.page("a.md")
    site.page("b.md", permalink="/muscle/leg/other/", stem="Leg-Other", image_id="legother")
    assert not found(run(check_files=False), "FM004")


# --- IMG002 --------------------------------------------------------------------------------------

def test_img002_gap_duplicate_order(site):
    p = site.page("gap.md", numbers=[1, 2, 4])
    q = site.page("dup.md", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb", numbers=[1, 2, 2, 3])
    r = site.page("order.md", permalink="/muscle/leg/c/", stem="Leg-C", image_id="legc", numbers=[1, 3, 2])
    res = run(check_files=False)
    by_path = {f.path: f for f in found(res, "IMG002")}
    assert "orientation 3 missing" in by_path["raw/pages/gap.md"].message
    assert by_path["raw/pages/gap.md"].line == line_of(p, "Leg-Lateral-4.png")
    assert "listed twice" in by_path["raw/pages/dup.md"].message
    assert by_path["raw/pages/dup.md"].line == line_of(q, "Leg-B-2.png", 2)
    assert "out of order" in by_path["raw/pages/order.md"].message
    assert by_path["raw/pages/order.md"].line == line_of(r, "Leg-C-3.png")


def test_img002_unlisted_frames_on_disk(site):
    site.page("a.md", numbers=[1, 2, 3])
    site.frames("Leg-Lateral", numbers=range(1, 6))
    (f,) = found(run(), "IMG002")
    assert "3 orientation(s)" in f.message and "5 are on disk" in f.message and "Leg-Lateral-4.png" in f.message


def test_img002_whole_sequence_clean(site):
    site.page("a.md")
    site.frames("Leg-Lateral")
    assert not found(run(), "IMG002")


# --- IMG003 / IMG004 -----------------------------------------------------------------------------

def test_img003_size_and_mode(site):
    site.page("a.md")
    site.frames("Leg-Lateral", numbers=[1, 2, 4])
    site.frames("Leg-Lateral", numbers=[3], size=(40, 24))
    site.frames("Leg-B", numbers=[1, 2, 4])
    site.frames("Leg-B", numbers=[3], mode="RGBA")
    site.page("b.md", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb")
    f = {x.path: x for x in found(run(), "IMG003")}
    assert "40x24" in f["raw/pages/a.md"].message and f["raw/pages/a.md"].severity.value == "error"
    assert "RGBA" in f["raw/pages/b.md"].message and f["raw/pages/b.md"].severity.value == "warning"


def test_img004_bad_files(site):
    site.page("a.md", frames=5)
    frames = site.frames("Leg-Lateral", numbers=range(1, 6))
    frames[0].write_bytes(b"")
    frames[1].write_bytes(frames[1].read_bytes()[:-20])
    Image.new("RGB", (32, 24)).save(frames[2], format="JPEG")
    frames[3].write_text("not an image\n")
    msgs = sorted(f.message for f in found(run(), "IMG004"))
    assert len(msgs) == 4
    assert any("empty" in m for m in msgs) and any("truncated" in m for m in msgs)
    assert any("JPEG" in m for m in msgs) and any("text file" in m for m in msgs)


def test_img004_too_large_refused_from_header(site):
    (site.root / "pyproject.toml").write_text(
        '[tool.pipeline]\n[tool.pipeline.encode]\nmax_pixels = 100\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/leg/"]\n'
    )
    site.page("a.md", frames=1)
    site.frames("Leg-Lateral", numbers=[1])
    (f,) = found(run(), "IMG004")
    assert "exceeds the limit of 100" in f.message


def test_img004_animated_png(site):
    site.page("a.md", frames=1)
    d = site.images / "muscles" / "png"
    d.mkdir(parents=True)
    a, b = Image.new("RGB", (8, 8), "red"), Image.new("RGB", (8, 8), "blue")
    a.save(d / "Leg-Lateral-1.png", save_all=True, append_images=[b])
    (f,) = found(run(), "IMG004")
    assert "animated PNG" in f.message


# --- IMG005 --------------------------------------------------------------------------------------

def test_img005_escapes(site, tmp_path_factory):
    text = page_text(frames=5)
    text = text.replace("image_url: muscles/png/Leg-Lateral-1.png", "image_url: ../../secret/Leg-Lateral-1.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-2.png", "image_url: /muscles/png/Leg-Lateral-2.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-3.png", "image_url: muscles\\png\\Leg-Lateral-3.png")
    text = text.replace("image_url: muscles/png/Leg-Lateral-4.png", "image_url: muscles/png/Leg%2DLateral-4.png")
    site.page("a.md", text=text)
    outside = tmp_path_factory.mktemp("outside")
    from .conftest import write_frames

    write_frames(outside, "Leg-Lateral", [5])
    (site.images / "muscles").mkdir(parents=True)
    (site.images / "muscles" / "png").symlink_to(outside / "muscles" / "png")
    f = found(run(), "IMG005")
    kinds = " ".join(x.message for x in f)
    assert len(f) == 5
    assert "'..'" in kinds and "absolute" in kinds and "backslash" in kinds and "URL-encoded" in kinds and "outside the images root" in kinds
    assert not found(run(), "IMG004")  # never opened


def test_img005_clean(site):
    site.page("a.md")
    site.frames("Leg-Lateral")
    assert not found(run(), "IMG005")


# --- IMG006 --------------------------------------------------------------------------------------

def test_img006_orphan_only_on_whole_site(site):
    p = site.page("a.md")
    site.page("b.md", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb")
    site.frames("Leg-Lateral")
    site.frames("Leg-B")
    site.frames("Leg-Peroneus", numbers=range(1, 4))
    (f,) = found(run(), "IMG006")
    assert f.path.endswith("Leg-Peroneus-1.png") and "3 render(s)" in f.message
    assert not found(run(p), "IMG006")  # one file linted: orphans cannot be judged


def test_img006_thumbnails_are_not_sequences(site):
    site.page("a.md")
    site.frames("Leg-Lateral")
    Image.new("RGB", (4, 4)).save(site.images / "muscles" / "png" / "Leg-Lateral-1-thumb.png")
    assert not found(run(), "IMG006")


# --- IMG007 --------------------------------------------------------------------------------------

def test_img007_undefined_and_unused(site):
    p = site.page("a.md", text=page_text().replace('im_id="leglateral"', 'im_id="leg-lateral"'))
    f = found(run(check_files=False), "IMG007")
    assert len(f) == 2
    err = next(x for x in f if x.severity.value == "error")
    warn = next(x for x in f if x.severity.value == "warning")
    assert err.line == line_of(p, "page-image") and "'leg-lateral'" in err.message
    assert "never shown" in warn.message


def test_img007_clean(site):
    site.page("a.md")
    assert not found(run(check_files=False), "IMG007")


# --- TXT005 --------------------------------------------------------------------------------------

def test_txt005_broken_links(site):
    p = site.page("a.md", back="/muscle/legs/", extra_body="\n- [Fibularis](/muscle/leg/fibularislonus/)\n- [Self](../lateral/)\n- [Web](https://example.org/x)\n")
    site.page("b.md", permalink="/muscle/leg/fibularislongus/", stem="Leg-FibularisLongus", image_id="legfibularislongus")
    f = found(run(check_files=False), "TXT005")
    assert [x.line for x in f] == [line_of(p, "[Back"), line_of(p, "fibularislonus")]
    assert "did you mean /muscle/leg/fibularislongus/?" in f[1].message
    assert f[0].column == len("[Back››](") + 1


def test_txt005_links_checked_against_whole_site_when_one_file_linted(site):
    p = site.page("a.md", extra_body="\n- [B](/muscle/leg/b/)\n")
    site.page("b.md", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb")
    assert not found(run(p, check_files=False), "TXT005")


# --- TXT006 --------------------------------------------------------------------------------------

def test_txt006_disagreeing_texts(site):
    text = page_text(frames=4)
    text = text.replace("caption: 'Muscles of the lateral compartment of the leg - orientation 4'", "caption: 'Muscles of the lateral compartment of the leg - orientation 3'")
    text = text.replace("image_alt: 'Muscles of the lateral compartment of the leg'", "image_alt: 'Muscles of the anterior compartment'")
    text = text.replace("image_name: 'muscles/gif/Leg-Lateral.gif'", "image_name: 'muscles/gif/Leg-Anterior.gif'")
    p = site.page("a.md", text=text)
    f = found(run(check_files=False), "TXT006")
    msgs = {x.line: x.message for x in f}
    wrong = line_of(p, "caption: 'Muscles of the lateral compartment of the leg - orientation 3'", 2)
    assert "says orientation 3" in msgs[wrong] and "Leg-Lateral-4.png" in msgs[wrong]
    assert "image_alt" in msgs[line_of(p, "image_alt")]
    assert "gallery shows Leg-Lateral" in msgs[line_of(p, "image_name")]


def test_txt006_wrong_base_reported_once(site):
    text = page_text(frames=4).replace("caption: 'Muscles of the lateral compartment of the leg", "caption: 'Muscles of the calf")
    site.page("a.md", text=text)
    f = found(run(check_files=False), "TXT006")
    assert len(f) == 1 and "(and 3 more)" in f[0].message


def test_txt006_clean(site):
    site.page("a.md")
    assert not found(run(check_files=False), "TXT006")


# --- TXT007 --------------------------------------------------------------------------------------

def test_txt007_place(site):
    p = site.page("a.md", tags="arm", back="/muscle/thigh/", stem="Arm-Lateral", image_id="armlateral")
    f = found(run(check_files=False), "TXT007")
    lines = sorted(x.line for x in f)
    assert lines == sorted([line_of(p, "tags:"), line_of(p, "[Back"), line_of(p, "image_name")])


def test_txt007_group_back_link_is_fine(site):
    site.page("a.md", back="/muscle/leg/superficialposterior/")
    assert not found(run(check_files=False), "TXT007")


# --- suppressions, configuration -----------------------------------------------------------------

def test_front_matter_suppression_and_unused(site):
    text = page_text(tags="arm").replace("header: no\n", "header: no\nlint-ignore: [TXT007, FM003]\n")
    p = site.page("a.md", text=text)
    res = run(check_files=False)
    assert not found(res, "TXT007") and res.suppressed == 1
    (u,) = found(res, "FM005")
    assert "FM003 suppresses nothing" in u.message and u.line == line_of(p, "lint-ignore")


def test_liquid_comment_suppression_and_unknown_code(site):
    p = site.page("a.md", tags="arm", extra_body="\n{% comment %}lint-ignore: TXT007, ZZZ123{% endcomment %}\n")
    res = run(check_files=False)
    assert not found(res, "TXT007")
    (u,) = found(res, "FM005")
    assert "unknown rule 'ZZZ123'" in u.message and u.line == line_of(p, "endcomment")


def test_per_path_ignores_and_severity(site):
    (site.root / "pyproject.toml").write_text(
        "[tool.pipeline]\n[tool.pipeline.lint]\n"
        'known-permalinks = ["/muscle/leg/"]\n'
        'per-path-ignores = { "raw/pages/legacy/*" = ["TXT007"] }\n'
        'severity = { TXT007 = "error" }\n'
    )
    site.page("legacy/a.md", tags="arm")
    site.page("b.md", tags="arm", permalink="/muscle/leg/b/", stem="Leg-B", image_id="legb")
    res = run(check_files=False)
    (f,) = found(res, "TXT007")
    assert f.path == "raw/pages/b.md" and f.severity.value == "error" and res.exit_code == 1


def test_strict_turns_warnings_into_failure(site):
    site.page("a.md", tags="arm")
    assert run(check_files=False).exit_code == 0
    assert run(check_files=False, strict=True).exit_code == 1


def test_demo_content_lints_clean(project_dir):
    cfg = load_config()
    result, _ = lint_paths(cfg.pages, cfg, LintOptions())
    assert result.findings == [] and result.pages >= 3

"""TXT001: a description that belongs to another page (swapped or misplaced), through the core and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.cli import cli

from .helper import lint_files

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "text"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "muscle-atlas" / "pages"


def lint(*folders: str, select: str = "TXT001", tmp_path: Path | None = None):
    return lint_files(*[FIX / f if not Path(f).is_absolute() else Path(f) for f in folders], select=[select])


def name(f) -> str:
    return Path(f.path).name


def test_swapped_compartment_and_head_reported_once_per_page():
    fs = lint("swapped")
    assert sorted(name(f) for f in fs) == ["leg-lateral.md", "leg-lateralgastrocnemius.md"]
    for f in fs:
        assert f.code == "TXT001" and f.severity.value == "warning"
        assert "swapped" in f.message
        assert (f.line, f.column) == (28, 1)  # the description's first word
        other = "leg-lateralgastrocnemius.md" if name(f) == "leg-lateral.md" else "leg-lateral.md"
        assert [Path(r.path).name for r in f.related] == [other]
    by = {name(f): f for f in fs}
    assert "about 'lateral compartment'" in by["leg-lateral.md"].message
    assert "description is about 'lateral head of the gastrocnemius'" in by["leg-lateral.md"].message


def test_medial_and_lateral_heads_swapped_are_told_apart():
    fs = lint("heads-swapped")
    assert sorted(name(f) for f in fs) == ["leg-lateralgastrocnemius.md", "leg-medialgastrocnemius.md"]
    assert all("swapped" in f.message for f in fs)


def test_misplaced_description_names_its_owner_even_when_it_mentions_this_page():
    # the soleus page holds the plantaris description, which mentions the soleus in passing
    fs = lint("misplaced")
    assert [name(f) for f in fs] == ["leg-soleus.md"]
    f = fs[0]
    assert "swapped" not in f.message and "'plantaris'" in f.message
    assert Path(f.related[0].path).name == "leg-plantaris.md"


def test_clean_look_alikes_are_not_reported():
    # medial and lateral heads side by side with nearly identical, correct descriptions; a compartment and a
    # muscle in it; the soleus and the plantaris, each mentioning the other
    assert lint("clean") == []
    assert lint("old-copy") == []


def test_cli_exit_code_and_output():
    from click.testing import CliRunner

    r = CliRunner().invoke(cli, ["lint", "--no-files", "--select", "TXT001", str(FIX / "swapped")])
    assert r.exit_code == 0, r.output  # a warning
    assert "TXT001" in r.output and "look swapped" in r.output
    r = CliRunner().invoke(cli, ["lint", "--no-files", "--strict", "--select", "TXT001", str(FIX / "swapped")])
    assert r.exit_code == 1, r.output
    r = CliRunner().invoke(cli, ["lint", "--no-files", "--select", "TXT001", str(FIX / "clean")])
    assert r.exit_code == 0, r.output


def test_real_sample_finds_exactly_the_known_swap():
    if not CORPUS.is_dir():
        pytest.skip(f"real sample not present at {CORPUS}")
    fs = lint(str(CORPUS))
    assert sorted(name(f) for f in fs) == ["muscle_leg-lateral.md", "muscle_leg-lateralgastrocnemius.md"]
    assert all("swapped" in f.message for f in fs)


def _site(tmp_path, pages: dict[str, tuple[str, str, str]]):
    """pages: file -> (permalink, title, description)."""
    for name, (permalink, title, desc) in pages.items():
        (tmp_path / name).write_text(f"---\npermalink: {permalink}\ntitle: '{title}'\n---\n\n{desc}\n\n[Back››](/muscle/thigh/)\n", encoding="utf-8")
    return tmp_path


WHOLE = "The biceps femoris is the most lateral muscle of the posterior thigh and has a long and a short head."
PART = "The short head of the biceps femoris arises from the linea aspera and joins the long head above the knee."
OTHER = "The semitendinosus lies medial to the biceps femoris and ends on the medial tibia."


def test_a_muscle_and_its_head_holding_each_other_s_descriptions(tmp_path):
    pages = {
        "thigh-bicepsfemoris.md": ("/muscle/thigh/bicepsfemoris/", "The biceps femoris muscle of the thigh", PART),
        "thigh-shortbicepsfemoris.md": ("/muscle/thigh/shortbicepsfemoris/", "The short head of the biceps femoris muscle of the thigh", WHOLE),
        "thigh-semitendinosus.md": ("/muscle/thigh/semitendinosus/", "The semitendinosus muscle of the thigh", OTHER),
    }
    fs = lint(str(_site(tmp_path, pages)))
    assert sorted(name(f) for f in fs) == ["thigh-bicepsfemoris.md", "thigh-shortbicepsfemoris.md"]
    assert all("swapped" in f.message for f in fs)


def test_a_muscle_and_its_head_with_their_own_descriptions_pass(tmp_path):
    pages = {
        "thigh-bicepsfemoris.md": ("/muscle/thigh/bicepsfemoris/", "The biceps femoris muscle of the thigh", WHOLE),
        "thigh-shortbicepsfemoris.md": ("/muscle/thigh/shortbicepsfemoris/", "The short head of the biceps femoris muscle of the thigh", PART),
        "thigh-semitendinosus.md": ("/muscle/thigh/semitendinosus/", "The semitendinosus muscle of the thigh", OTHER),
    }
    assert lint(str(_site(tmp_path, pages))) == []


def test_a_page_swapped_with_one_whose_description_names_nothing(tmp_path):
    pages = {
        "home.md": ("/muscle/", "Muscles of the human body", OTHER),
        "thigh-semitendinosus.md": ("/muscle/thigh/semitendinosus/", "The semitendinosus muscle of the thigh", "Currently these overviews of the regions can be read here."),
    }
    fs = lint(str(_site(tmp_path, pages)))
    assert sorted(name(f) for f in fs) == ["home.md", "thigh-semitendinosus.md"]

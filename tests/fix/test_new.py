"""`pipeline new SEQUENCE`: a page for a sequence no page shows, in the site's shape, flagged by TXT009 alone until
its description is written."""

from __future__ import annotations

import json

from pipeline.cli import cli
from pipeline.lint.examples import site_page


def test_new_page_for_an_orphan_sequence(site, runner):
    site.page("leg-lateral.md")
    site.frames("Leg-Lateral")
    site.frames("Leg-TibialisAnterior", range(1, 4))
    r = runner.invoke(cli, ["lint", "--format", "json"])
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["IMG006"]
    r = runner.invoke(cli, ["new", "Leg-TibialisAnterior"])
    assert r.exit_code == 0, r.output
    page = site.pages / "leg-tibialisanterior.md"
    assert "wrote raw/pages/leg-tibialisanterior.md (/muscle/leg/tibialisanterior/)" in r.output
    placeholder = "TODO: describe the tibialis anterior: where it arises and inserts, what it does, and its nerve supply."
    assert page.read_text() == site_page(
        permalink="/muscle/leg/tibialisanterior/", title="The tibialis anterior muscle of the leg", stem="Leg-TibialisAnterior",
        frames=3, description=placeholder, image_id="legtibialisanterior", tags="leg", back="/muscle/leg/",
    )
    assert "TXT009 placeholder left in the page: 'TODO: describe the tibialis anterior" in r.output
    r = runner.invoke(cli, ["lint", "--format", "json"])
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["TXT009"]
    page.write_text(page.read_text().replace(placeholder, "The tibialis anterior runs down the front of the shin and lifts the foot at the ankle."))
    r = runner.invoke(cli, ["lint"])
    assert r.exit_code == 0, r.output


def test_named_and_placed_like_the_site(site, runner):
    site.page("legs/muscle_leg-lateral.md")
    site.frames("Leg-Lateral")
    site.frames("Leg-Soleus", range(1, 3))
    r = runner.invoke(cli, ["new", "muscles/png/Leg-Soleus-1.png", "--title", "The soleus of the calf"])
    assert r.exit_code == 0, r.output
    text = (site.pages / "legs" / "muscle_leg-soleus.md").read_text()
    assert "title: 'The soleus of the calf'\n" in text and "permalink: /muscle/leg/soleus/\n" in text


def test_refusals(site, runner):
    site.page("leg-lateral.md")
    site.frames("Leg-Lateral")
    site.frames("Leg-Soleus", [1, 2, 4])
    site.frames("Soleus", [1])
    for args, says in [
        (["Leg-Solues"], "no render sequence 'Leg-Solues' under the images root; did you mean Leg-Soleus or Soleus?"),
        (["Leg-Lateral"], "muscles/png/Leg-Lateral is already shown by raw/pages/leg-lateral.md"),
        (["Leg-Soleus"], "muscles/png/Leg-Soleus: orientations 3 are not on disk; render them first"),
        (["Soleus"], "cannot tell the region of 'Soleus'"),
        (["Leg-Lateral", "--output", "raw/pages/leg-lateral.md"], "already shown"),
    ]:
        r = runner.invoke(cli, ["new", *args])
        assert r.exit_code == 2 and says in r.output and "Traceback" not in r.output, r.output
    site.frames("Leg-Soleus", [3])
    r = runner.invoke(cli, ["new", "Leg-Soleus", "--output", "raw/pages/leg-lateral.md"])
    assert r.exit_code == 2 and "raw/pages/leg-lateral.md exists" in r.output

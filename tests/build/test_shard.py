"""`pipeline build --shard K/N` and `pipeline merge`: the partition, a merge identical to one build, and every
refusal (exit 2, nothing written)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.build.plan import Unit
from pipeline.build.shard import Shard, shard_of
from pipeline.cli import cli

from .conftest import REPO, make_project

STEMS = ("Leg-Lateral", "Arm-Anterior", "Hip-Deep", "Foot-Plantar", "Neck-Medial", "Back-Superficial", "Hand-Palmar")


def invoke(runner, *args):
    return runner.invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def site(tmp_path, monkeypatch):
    """Seven sequences with their videos (tiny frames); the working directory is the project."""
    monkeypatch.chdir(tmp_path)
    return make_project(tmp_path, stems=STEMS, encode="")


def shard_dirs(pr, n):
    return [pr.root / "shards" / str(k) for k in range(1, n + 1)]


def build_shards(runner, pr, n, ks=None):
    for k in ks or range(1, n + 1):
        r = invoke(runner, "build", "--shard", f"{k}/{n}", "--out", f"shards/{k}", "-q", "-j", "1")
        assert r.exit_code == 0, r.output


def record(pr, out):
    db = pr.state_folder(out) / "state.sqlite"
    with sqlite3.connect(db) as c:
        row = c.execute("SELECT value FROM meta WHERE key = 'shard'").fetchone()
    return json.loads(row[0]) if row else None


# -- the partition

def test_shard_spec_is_checked():
    assert Shard.parse("2/4") == Shard(2, 4) and str(Shard.parse(" 3 / 5 ")) == "3/5"
    for bad in ("0/4", "5/4", "1/0", "4", "a/b", "", "-1/2"):
        with pytest.raises(ValueError):
            Shard.parse(bad)


def test_partition_covers_every_sequence_once_and_is_the_same_in_every_process():
    names = [f"muscles/gif/S{i}.gif" for i in range(200)]
    for n in (1, 2, 3, 4, 7):
        owners = [[k for k in range(1, n + 1) if Shard(k, n).owns(Unit("p.md", 1, name, (), ()))] for name in names]
        assert all(len(o) == 1 for o in owners)
        assert len({o[0] for o in owners}) == min(n, len(names))  # every shard gets some of 200
    code = "import json,sys; from pipeline.build.shard import shard_of; print(json.dumps([shard_of(n, 4) for n in json.loads(sys.argv[1])]))"
    seen = set()
    for seed in ("1", "2"):  # Python's own hash() would differ between these
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(REPO))
        out = subprocess.run([sys.executable, "-c", code, json.dumps(names)], capture_output=True, text=True, check=True, env=env).stdout
        seen.add(out)
    assert seen == {json.dumps([shard_of(n, 4) for n in names]) + "\n"}


# -- shards then merge == one build

def test_four_shards_merged_are_one_build_byte_for_byte(site, runner):
    build_shards(runner, site, 4)
    parts = [site.outputs(d) for d in shard_dirs(site, 4)]
    assert sum(1 for p in parts if p) >= 2, "the stems should spread over several shards"
    assert sum(len(p) for p in parts) == len({k for p in parts for k in p})  # no output in two shards
    r = invoke(runner, "merge", "--out", "merged", *[f"shards/{k}" for k in range(1, 5)])
    assert r.exit_code == 0, r.output
    assert "merge: 4 shard(s)" in r.output

    r = invoke(runner, "build", "-q", "-j", "1")  # the single-machine build
    assert r.exit_code == 0, r.output
    merged, single = site.root / "merged", site.out
    assert site.outputs(merged) == site.outputs(single)
    assert len(site.outputs(single)) == len(STEMS) * (3 + 4 + 4)  # GIF, MP4, WebM; 4 thumbnails, 4 published renders
    assert site.manifest_bytes(merged) == site.manifest_bytes(single)
    assert record(site, merged) is None  # the merged folder is no shard

    r = invoke(runner, "build", "--out", "merged", "--check")
    assert r.exit_code == 0, r.output
    r = invoke(runner, "build", "--out", "merged", "-j", "1")
    assert r.exit_code == 0 and r.output.startswith("build: 0 built"), r.output


def test_shard_builds_only_its_part_and_records_it(site, runner):
    build_shards(runner, site, 2, ks=[1])
    rec = record(site, site.root / "shards" / "1")
    assert (rec["k"], rec["n"], rec["failures"]) == (1, 2, 0)
    mine = {f"muscles/gif/{s}.gif" for s in STEMS if shard_of(f"muscles/gif/{s}.gif", 2) == 1}
    assert {p for p in site.outputs(site.root / "shards" / "1") if p.endswith(".gif")} == mine
    assert set(rec["outputs"]) == set(site.manifest(site.root / "shards" / "1")["outputs"])
    assert rec["site_outputs"] == len(STEMS) * 11

    r = invoke(runner, "build", "--shard", "1/2", "--out", "shards/1", "--check")
    assert r.exit_code == 0, r.output
    # the same folder as shard 1 of 3: what is no longer its part is removed
    r = invoke(runner, "build", "--shard", "1/3", "--out", "shards/1", "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    now = {p for p in site.outputs(site.root / "shards" / "1") if p.endswith(".gif")}
    assert now == {f"muscles/gif/{s}.gif" for s in STEMS if shard_of(f"muscles/gif/{s}.gif", 3) == 1}


def test_shard_usage_errors(site, runner):
    for args in (["--shard", "5/4"], ["--shard", "x"], ["--shard", "1/2", "raw/pages/leg-lateral.md"]):
        r = invoke(runner, "build", *args)
        assert r.exit_code == 2, r.output
        assert "--shard" in r.output
    assert not site.out.exists()


# -- refusals: exit 2, nothing written

def refused(runner, site, *shards, out="merged", expect=""):
    before = site.outputs(site.root / out) if (site.root / out).exists() else None
    r = invoke(runner, "merge", "--out", out, *shards)
    assert r.exit_code == 2, r.output
    assert expect in r.output, r.output
    assert "Traceback" not in r.output
    after = site.outputs(site.root / out) if (site.root / out).exists() else None
    assert after == before
    assert not [p for p in site.root.iterdir() if ".merge-" in p.name]
    return r.output


def test_merge_refuses_missing_repeated_and_mixed_partitions(site, runner):
    build_shards(runner, site, 3)
    refused(runner, site, "shards/1", "shards/2", expect="shard(s) 3/3 missing")
    refused(runner, site, "shards/1", "shards/2", "shards/3", "shards/3", expect="shard 3/3 given 2 times")
    r = invoke(runner, "build", "--shard", "2/2", "--out", "other", "-q", "-j", "1")
    assert r.exit_code == 0
    refused(runner, site, "shards/1", "shards/2", "shards/3", "other", expect="different partitions")
    refused(runner, site, "shards/1", "nowhere", expect="nowhere: no such folder")


def test_merge_refuses_other_settings_and_other_renders(site, runner):
    build_shards(runner, site, 2)
    site.config("mp4_crf = 30")
    refused(runner, site, "shards/1", "shards/2", expect="other [tool.pipeline.encode] settings than this configuration's (mp4: mp4_crf 24 vs 30")
    build_shards(runner, site, 2, ks=[2])
    out = refused(runner, site, "shards/1", "shards/2", expect="shard 2/2 (shards/2) was built with other encoder settings than shard 1/2")
    assert "mp4_crf 24 vs 30" in out
    site.config("video = false")
    build_shards(runner, site, 2)
    site.config("")
    refused(runner, site, "shards/1", "shards/2", expect="other output kinds (gif, render, thumb) than this configuration enables (gif, mp4, render, thumb, webm)")
    build_shards(runner, site, 2)
    stem = next(s for s in STEMS if shard_of(f"muscles/gif/{s}.gif", 2) == 1)
    site.rerender(stem, seed=99)  # new renders arrive after shard 1 was built
    build_shards(runner, site, 2, ks=[2])
    refused(runner, site, "shards/1", "shards/2", expect="built from different sites")


def test_merge_refuses_shards_of_other_tool_versions(site, runner):
    build_shards(runner, site, 2)
    db = site.state_folder(site.root / "shards" / "2") / "state.sqlite"
    with sqlite3.connect(db) as c:  # shard 2 as a machine with another ffmpeg would have recorded it
        tools = json.loads(c.execute("SELECT value FROM meta WHERE key = 'tools'").fetchone()[0])
        tools["mp4"]["ffmpeg"] = "ffmpeg version 0.0-other"
        c.execute("UPDATE meta SET value = ? WHERE key = 'tools'", (json.dumps(tools, sort_keys=True),))
    refused(runner, site, "shards/1", "shards/2", expect="shard 2/2 (shards/2) was built with other tool versions than shard 1/2 (shards/1) (mp4: ffmpeg")


def test_merge_refuses_folders_that_are_no_finished_shard(site, runner):
    build_shards(runner, site, 2)
    r = invoke(runner, "build", "-q", "-j", "1")
    assert r.exit_code == 0
    refused(runner, site, "shards/1", "dist", expect="dist: not a finished shard")
    (site.root / "plain").mkdir()
    refused(runner, site, "shards/1", "plain", expect="plain: no build state")
    # a build without --shard on a shard folder: it is no longer a shard
    r = invoke(runner, "build", "--out", "shards/2", "-q", "-j", "1")
    assert r.exit_code == 0
    refused(runner, site, "shards/1", "shards/2", expect="shards/2: not a finished shard")


def test_merge_refuses_an_altered_or_missing_output(site, runner):
    build_shards(runner, site, 2)
    victim = next(iter(sorted(site.outputs(site.root / "shards" / "1"))))
    path = site.root / "shards" / "1" / victim
    data = path.read_bytes()
    path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    refused(runner, site, "shards/1", "shards/2", expect="is not the file its build recorded")
    path.unlink()
    refused(runner, site, "shards/1", "shards/2", expect="No such file")


def test_merge_refuses_a_failed_shard(site, runner):
    stem = next(s for s in STEMS if shard_of(f"muscles/gif/{s}.gif", 2) == 2)
    (site.images / "muscles" / "png" / f"{stem}-2.png").write_bytes(b"not a png")
    for k in (1, 2):
        invoke(runner, "build", "--shard", f"{k}/2", "--out", f"shards/{k}", "-q", "-j", "1")
    refused(runner, site, "shards/1", "shards/2", expect="failure(s): fix them and build it again")


def test_merge_destination(site, runner):
    build_shards(runner, site, 2)
    refused(runner, site, "shards/1", "shards/2", out="shards/1", expect="overlaps shard 1/2")
    (site.root / "merged").mkdir()
    (site.root / "merged" / "mine.txt").write_text("an author's file")
    refused(runner, site, "shards/1", "shards/2", expect="holds mine.txt, which no build recorded")
    (site.root / "merged" / "mine.txt").unlink()
    assert invoke(runner, "merge", "--out", "merged", "shards/1", "shards/2").exit_code == 0  # an empty folder
    # a merged folder again: replaced in one rename, the same files
    first = site.outputs(site.root / "merged")
    r = invoke(runner, "merge", "--out", "merged", "shards/2", "shards/1")
    assert r.exit_code == 0, r.output
    assert site.outputs(site.root / "merged") == first
    assert invoke(runner, "build", "--out", "merged", "--check").exit_code == 0


def test_the_readme_workflow_matches_the_commands():
    """The GitHub Actions snippet: valid YAML, one shard job per part, the merge naming every part's folder."""
    import re

    import yaml

    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("**Sharding**", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    jobs = yaml.safe_load(block)["jobs"]
    ks = jobs["shard"]["strategy"]["matrix"]["k"]
    n = len(ks)
    assert ks == list(range(1, n + 1))
    run = " ".join(s.get("run", "") for s in jobs["shard"]["steps"])
    assert f"--shard ${{{{ matrix.k }}}}/{n} --out shards/${{{{ matrix.k }}}}" in run
    upload = next(s for s in jobs["shard"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact"))
    from pipeline.build.state import state_key

    assert f".pipeline/{state_key(Path('/p'), Path('/p/shards/K'))}/state.sqlite".replace("K", "${{ matrix.k }}") in upload["with"]["path"]
    merge = " ".join(s.get("run", "") for s in jobs["merge"]["steps"])
    assert re.search(r"pipeline merge --out dist " + " ".join(f"shards/{k}" for k in ks) + "$", merge)
    assert jobs["merge"]["needs"] == "shard"


def test_a_shard_killed_half_way_is_no_finished_shard(site, runner, monkeypatch):
    """The record is removed when a shard build starts and written when it finishes: a shard rebuilt after new
    renders and stopped half-way cannot be merged with its old record."""
    from pipeline.build.shard import Shard
    from pipeline.encode import gif

    from .conftest import build

    build_shards(runner, site, 2)
    assert record(site, site.root / "shards" / "1") is not None

    def stop(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(gif, "encode_gif", stop)
    with pytest.raises(KeyboardInterrupt):
        build(site, out=site.root / "shards" / "1", shard=Shard(1, 2), force=True)
    assert record(site, site.root / "shards" / "1") is None
    refused(runner, site, "shards/1", "shards/2", expect="shards/1: not a finished shard")

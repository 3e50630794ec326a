"""The CPU budget: workers and encoder threads share the CPUs (jobs x threads <= CPUs), the default --jobs is the
CPUs this process may use, and the output bytes do not depend on either."""

from __future__ import annotations

import json

from pipeline.build import procs
from pipeline.encode import gif, tools, video
from pipeline.encode.settings import EncodeSettings

from .conftest import build


def _spy(monkeypatch, tmp_path):
    """Record, in a file (workers are forked processes), the thread budget each GIF encoder runs with."""
    log = tmp_path / "budgets.jsonl"
    real = gif.encode_gif

    def spy(frames, dest, settings):
        with open(log, "a") as f:
            f.write(json.dumps(tools.thread_budget()) + "\n")
        return real(frames, dest, settings)

    monkeypatch.setattr(gif, "encode_gif", spy)
    return lambda: [json.loads(ln) for ln in log.read_text().splitlines()]


def test_jobs_times_threads_fit_the_cpus(project, monkeypatch, tmp_path):
    monkeypatch.setattr(tools, "usable_cpus", lambda: 4)
    budgets = _spy(monkeypatch, tmp_path)
    assert procs.default_jobs() == 4
    one = build(project, jobs=1)
    assert one.exit_code == 0 and budgets() == [4, 4]  # one worker: every CPU for its encoder
    files = project.outputs()
    (tmp_path / "budgets.jsonl").unlink()
    two = build(project, jobs=2, force=True)
    assert two.exit_code == 0 and budgets() == [2, 2]  # two workers: two CPUs each
    assert project.outputs() == files
    assert tools.thread_budget() == 4  # the build's own process is left as it was


def test_budget_bounds_and_video_threads():
    tools.set_thread_budget(3)
    try:
        assert tools.thread_budget(16) == 3 and tools.thread_budget(2) == 2
    finally:
        tools.set_thread_budget(None)
    assert 1 <= tools.thread_budget(100) <= 8
    args = video.codec_args("mp4", EncodeSettings())
    assert args[args.index("-threads") + 1] == "1" and "threads=1" in args[args.index("-x264-params") + 1]

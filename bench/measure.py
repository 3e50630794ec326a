"""Measuring a command or a function the way ``bench/build_speed.py`` reports it: wall time, CPU time (getrusage:
insensitive to other work on a shared machine), peak RSS of the largest process, and the peak PSS of the whole
process tree (sampled every 50 ms from /proc, with a breakdown by program: python, ffmpeg, gifsicle, ...)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _maxrss_mb(ru) -> float:
    return ru.ru_maxrss / 1024 if sys.platform != "darwin" else ru.ru_maxrss / 2**20


def _tree_mem(root_pid: int) -> dict[str, float]:
    """Memory of root_pid and its descendants (Linux /proc), MB: 'pss' (shared pages split between the processes
    that map them; what the tree really costs), 'rss' (summed, shared pages counted in every process), and PSS by
    program ('python', 'ffmpeg', 'gifsicle', ...)."""
    children: dict[int, list[int]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(int(d))
    out: dict[str, float] = {"pss": 0.0, "rss": 0.0}
    stack = [root_pid]
    while stack:
        p = stack.pop()
        stack += children.get(p, [])
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = {ln.split(":")[0]: int(ln.split()[1]) for ln in f if ln.split()[-1:] == ["kB"]}
            with open(f"/proc/{p}/comm") as f:
                comm = f.read().strip()
        except (OSError, ValueError, IndexError):
            continue
        kind = "python" if comm.startswith("python") or comm == "pipeline" else comm
        out["pss"] += fields.get("Pss", 0) / 1024
        out["rss"] += fields.get("Rss", 0) / 1024
        out[kind] = out.get(kind, 0.0) + fields.get("Pss", 0) / 1024
    return out


class _Sampler:
    """Peak of the tree's PSS (and the breakdown at that moment), sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak: dict[str, float] = {"pss": 0.0, "rss": 0.0}
        self.peak_rss = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            if os.path.isdir("/proc"):
                m = _tree_mem(self.pid)
                self.peak_rss = max(self.peak_rss, m["rss"])
                if m["pss"] > self.peak["pss"]:
                    self.peak = m
            self.stop.wait(0.05)

    def done(self) -> dict:
        self.stop.set()
        self.thread.join()
        parts = {k: round(v) for k, v in self.peak.items() if k not in ("pss", "rss")}
        return {"tree_mb": self.peak["pss"], "tree_rss_mb": self.peak_rss, "tree_parts": parts}


def run_measured(cmd: list[str], cwd: Path) -> dict:
    """Run a command; wall time, its exit code and output, peak RSS of its largest process and of its process tree."""
    t0 = time.perf_counter()
    load = os.getloadavg()[0]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = _Sampler(proc.pid)
    out_chunks = []
    err_chunks = []
    t_out = threading.Thread(target=lambda: out_chunks.append(proc.stdout.read()), daemon=True)
    t_err = threading.Thread(target=lambda: err_chunks.append(proc.stderr.read()), daemon=True)
    t_out.start()
    t_err.start()
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    mem = sampler.done()
    t_out.join()
    t_err.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return {
        "seconds": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "rc": proc.returncode,
        "out": "".join(out_chunks),
        "err": "".join(err_chunks),
        "max_process_mb": _maxrss_mb(ru),
        "load": (load + os.getloadavg()[0]) / 2,
        **mem,
    }


def in_child(fn, *args) -> dict:
    """Run fn(*args) in a fresh process (fork) and measure it like a command."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - child
        os.close(r)
        code = 0
        try:
            res = fn(*args)
            os.write(w, json.dumps(res).encode())
        except BaseException:  # the figure would be missing: say why, and let the parent stop
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            os._exit(code)
    os.close(w)
    t0 = time.perf_counter()
    load = os.getloadavg()[0]
    sampler = _Sampler(pid)
    data = b""
    while chunk := os.read(r, 65536):
        data += chunk
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{getattr(fn, '__name__', fn)} failed in its measuring process (its traceback is above)")
    mem = sampler.done()
    os.close(r)
    return {
        "seconds": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "result": json.loads(data or b"null"),
        "max_process_mb": _maxrss_mb(ru),
        "load": (load + os.getloadavg()[0]) / 2,
        **mem,
    }

"""What a build tells the person (or CI log) watching it.

* On a terminal: one bar, redrawn in place: outputs done / total, the sequence being built, time left.
* Not on a terminal, or with ``verbose``: one plain line per output built, reused or removed
  (``verbose`` adds the up-to-date ones and per-sequence times).
* ``quiet``: only problems and the final summary.
Problems (a page skipped, a sequence failed) always go to standard error, with ``page:line``.
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path
from typing import TextIO


def _fmt_time(s: float) -> str:
    s = max(0, int(round(s)))
    if s >= 3600:
        return f"{s // 3600}h{s % 3600 // 60:02d}m"
    if s >= 60:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s}s"


class Progress:
    def __init__(self, out: TextIO | None = None, err: TextIO | None = None, *, mode: str = "auto", verbose: bool = False, quiet: bool = False) -> None:
        """``mode``: 'bar', 'lines' or 'auto' (a bar when standard error is a terminal and neither quiet nor verbose)."""
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.verbose = verbose
        self.quiet = quiet
        if mode == "auto":
            tty = getattr(self.err, "isatty", lambda: False)()
            mode = "bar" if (tty and not verbose and not quiet) else "lines"
        self.bar = mode == "bar"
        self.total = 0
        self.done = 0
        self.units_total = 0
        self.units_done = 0
        self.current = ""
        self.t0 = time.monotonic()
        self._shown = False
        self._last_draw = 0.0

    # -- lifecycle
    def start(self, outputs: int, units: int) -> None:
        self.total, self.units_total = outputs, units
        self.done = self.units_done = 0
        self.t0 = time.monotonic()
        self._draw(force=True)

    def working_on(self, labels: list[str]) -> None:
        """The sequences being built now (one per worker)."""
        self.current = ", ".join(Path(x).stem for x in labels)
        self._draw(force=True)

    def unit_done(self, outputs: int) -> None:
        self.done += outputs
        self.units_done += 1
        self._draw()

    def finish(self) -> None:
        self._clear()

    # -- messages
    def log(self, line: str) -> None:
        """A line-per-output message (hidden under the bar and with quiet)."""
        if self.quiet or self.bar:
            return
        self.out.write(line + "\n")
        self.out.flush()

    def detail(self, line: str) -> None:
        if self.verbose:
            self._above(self.out, line)

    def problem(self, line: str) -> None:
        self._above(self.err, line)

    def info(self, line: str) -> None:
        """Always shown (summaries, check results)."""
        self._above(self.out, line)

    def _above(self, stream: TextIO, line: str) -> None:
        self._clear()
        stream.write(line + "\n")
        stream.flush()
        self._draw(force=True)

    # -- the bar
    def eta(self) -> float | None:
        if not self.units_done or not self.units_total:
            return None
        elapsed = time.monotonic() - self.t0
        return elapsed / self.units_done * (self.units_total - self.units_done)

    def line(self) -> str:
        width = shutil.get_terminal_size((80, 20)).columns
        frac = self.done / self.total if self.total else 1.0
        eta = self.eta()
        left = f"{_fmt_time(eta)} left" if eta is not None else "estimating…"
        head = f"{self.done}/{self.total} outputs"
        tail = f"{left}  {self.current}"
        barw = max(10, min(30, width - 60))
        filled = int(round(barw * frac))
        text = f"[{'#' * filled}{'.' * (barw - filled)}] {head}  {tail}"
        return text[: width - 1]

    def _draw(self, force: bool = False) -> None:
        if not self.bar or not self.total:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1:
            return
        self._last_draw = now
        self.err.write("\r\x1b[2K" + self.line())
        self.err.flush()
        self._shown = True

    def _clear(self) -> None:
        if self.bar and self._shown:
            self.err.write("\r\x1b[2K")
            self.err.flush()
            self._shown = False

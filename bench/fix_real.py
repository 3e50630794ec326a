"""`pipeline lint --fix --diff` on a copy of the real sample, for review: per rule code, the findings, how many carry
a safe or an unsafe fix, how many the fixes remove and how many are left, the fixes rolled back, and the diffs
written to files to be read.

The pages of ../shared/corpus/muscle-atlas/pages are copied to a temporary folder, with a placeholder PNG for every
frame their galleries name (as bench/lint_speed.py lays them out; the render the site lacks stays absent), and
linted there as a user would: `pipeline lint --fix --diff`, then with --unsafe-fixes, each a new process (its CPU
time is printed: the machine is shared, wall time is noisy).

    python bench/fix_real.py [--keep DIR]      # DIR: where to keep the copy and the diffs (default: a temp folder)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lint_speed import CORPUS, real_sample_images  # noqa: E402

PYPROJECT = '[tool.pipeline]\npages = ["pages"]\nimages = "images"\nout = "dist"\n\n[tool.pipeline.lint]\nknown-permalinks = ["/muscle/"]\n'


def make_copy(where: Path) -> None:
    shutil.copytree(CORPUS, where / "pages")
    shutil.copytree(real_sample_images(), where / "images")
    (where / "pyproject.toml").write_text(PYPROJECT)
    (where / "schemas").symlink_to(Path(__file__).resolve().parents[1] / "schemas")


def pipeline(where: Path, *args: str) -> tuple[subprocess.CompletedProcess, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=where, capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return proc, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def table(findings: list[dict], by_fix: Counter, left: Counter) -> None:
    """'by its fix': findings a fix was made for; 'fixed': findings gone after the run (by their own fix, or along
    with another finding's: a title split by TXT003 also ends TXT006's disagreement with it)."""
    total = Counter(f["code"] for f in findings)
    safe = Counter(f["code"] for f in findings if "fix" in f and f["fix"]["safe"])
    risky = Counter(f["code"] for f in findings if "fix" in f and not f["fix"]["safe"])
    print(f"  {'code':<7} {'findings':>8} {'safe fix':>9} {'unsafe fix':>11} {'by its fix':>11} {'fixed':>6} {'left':>5}")
    for code in sorted(total) + ["all"]:
        n = (lambda c: sum(c.values())) if code == "all" else (lambda c: c[code])
        print(f"  {code:<7} {n(total):>8} {n(safe):>9} {n(risky):>11} {n(by_fix):>11} {n(total) - n(left):>6} {n(left):>5}")


def review(where: Path, unsafe: bool) -> None:
    from pipeline.config import load_config
    from pipeline.lint.fix.apply import fix_paths
    from pipeline.lint.runner import LintOptions

    flags = ["--unsafe-fixes"] if unsafe else []
    proc, cpu = pipeline(where, "lint", "--fix", "--diff", *flags)
    name = "fix-unsafe.diff" if unsafe else "fix-safe.diff"
    (where / name).write_text(proc.stdout)
    cwd = os.getcwd()
    os.chdir(where)
    try:
        result = fix_paths([Path("pages")], load_config(), LintOptions(), unsafe=unsafe)
        lint = json.loads(pipeline(where, "lint", "--format", "json")[0].stdout)
    finally:
        os.chdir(cwd)
    print(f"\n--fix --diff{' --unsafe-fixes' if unsafe else ''}: exit {proc.returncode}, {cpu:.2f} s CPU, "
          f"{len(result.changes)} file(s) changed, diff in {where / name}")
    table(lint["findings"], Counter(f.code for f in result.fixed), Counter(f.code for f in result.final.findings))
    for r in result.rejected:
        print(f"  rolled back: {r.finding.path}:{r.finding.line}: {r.finding.code} '{r.fix.message}': {r.why}")
    print("  " + proc.stderr.strip().replace("\n", "\n  "))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keep", type=Path, help="keep the copy and the diffs here")
    a = ap.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"real sample not present at {CORPUS}")
    where = a.keep or Path(tempfile.mkdtemp(prefix="fix-real-"))
    if where.exists() and any(where.iterdir()):
        shutil.rmtree(where)
    where.mkdir(parents=True, exist_ok=True)
    make_copy(where)
    for unsafe in (False, True):
        review(where, unsafe)
    lint, cpu = pipeline(where, "lint", "--format", "json")
    print(f"\nplain lint of the copy: {cpu:.2f} s CPU (baseline for the two runs above)")


if __name__ == "__main__":
    main()

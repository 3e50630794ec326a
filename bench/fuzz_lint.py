"""Long fuzz run of the linter (not part of the test suite).

Mutates the demo pages (and, when present, pages of the real sample) for a given time and lints each
mutant in-process. Counts inputs, findings by code, the slowest input, and every crash (an exception
escaping lint, or a finding positioned outside its file); crashing inputs are saved for replay.

    python bench/fuzz_lint.py --seconds 600 [--seed 1] [--save DIR]
"""

from __future__ import annotations

import argparse
import collections
import random
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.config import load_config  # noqa: E402
from tests.fuzzing import check_positions, lint_text, mutate  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "muscle-atlas" / "pages"


def seeds() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "raw" / "pages").glob("*.md"))]
    if CORPUS.is_dir():
        texts += [p.read_text(encoding="utf-8") for p in sorted(CORPUS.rglob("*.md"))[:60]]
    return texts


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--save", type=Path, default=ROOT / ".bench" / "fuzz-crashes")
    a = ap.parse_args()
    cfg = load_config(ROOT / "pyproject.toml")
    rng = random.Random(a.seed)
    base = seeds()
    tried = crashes = 0
    codes: collections.Counter = collections.Counter()
    slowest = (0.0, "")
    end = time.monotonic() + a.seconds
    while time.monotonic() < end:
        text = mutate(rng.choice(base), rng, rng.randrange(1, 16))
        tried += 1
        t = time.perf_counter()
        try:
            findings = lint_text(text, cfg)
            bad = check_positions(text, findings)
            if bad:
                raise AssertionError(f"positions outside the file: {bad[:3]}")
        except Exception:  # a crash: keep the input
            crashes += 1
            a.save.mkdir(parents=True, exist_ok=True)
            (a.save / f"crash-{crashes}.md").write_text(text, encoding="utf-8", errors="surrogatepass")
            print(f"CRASH {crashes}: {traceback.format_exc().splitlines()[-1]}", flush=True)
            continue
        dt = time.perf_counter() - t
        if dt > slowest[0]:
            slowest = (dt, text[:80].replace("\n", "\\n"))
        codes.update(f.code for f in findings)
    print(f"inputs tried: {tried} in {a.seconds:.0f} s ({tried / a.seconds:.0f}/s)")
    print(f"crashes: {crashes}" + (f" (inputs saved in {a.save})" if crashes else ""))
    print(f"slowest input: {slowest[0] * 1000:.1f} ms")
    print("findings by code: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())

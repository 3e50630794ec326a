"""Lint speed against its floor: parsing the same front matter with PyYAML's C loader alone.

Measures, in one run:
  * the real sample (../shared/corpus/muscle-atlas/pages, skipped when absent): `pipeline lint --no-files`
    as a user runs it (a new process, start-up included), against the floor;
  * a generated site of N pages (default 10,000) in the site's shape: the same.
Generated pages carry a unique two-word Latin name and a description of random English words (seeded), so that
text checks do real work without tripping on template repetition. Prints wall time, pages/s, and the ratio to the floor. Timings are medians of --reps runs.

    python bench/lint_speed.py [--pages 10000] [--reps 3]
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus" / "muscle-atlas" / "pages"
REGIONS = ["abdomen", "arm", "back", "forearm", "hand", "head", "hip", "leg", "neck", "shoulder", "thigh", "foot"]
WORDS = ["lateral", "medial", "anterior", "posterior", "superficial", "deep", "longus", "brevis", "major", "minor"]


def floor(files: list[Path]) -> float:
    """Read each file and parse its front matter with the C loader: the least any linter must do."""
    t = time.perf_counter()
    for f in files:
        text = f.read_text(encoding="utf-8")
        if text.startswith("---"):
            end = text.find("\n---", 3)
            yaml.load(text[3:end], Loader=yaml.CSafeLoader)
    return time.perf_counter() - t


def lint_wall(target: Path) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "pipeline", "lint", "--no-files", "--format", "json", "-o", "/dev/null", str(target)], cwd=ROOT)
    wall = time.perf_counter() - t
    if r.returncode not in (0, 1):
        sys.exit(f"lint exited {r.returncode}")
    return wall


def generate(folder: Path, n: int) -> None:
    """N pages in the site's shape: one region page per region, the rest muscle pages."""
    for region in REGIONS:
        stem = region.capitalize()
        title = f"Muscles of the {region}"
        gallery = "".join(
            f"  - image_url: muscles/png/{stem}-{k}.png\n    caption: '{title} {k}'\n    title: '{title} {k}'\n" for k in range(1, 17)
        )
        (folder / f"muscle_{region}.md").write_text(
            f"---\nlayout: page\npermalink: /muscle/{region}/\ntitle: '{title}'\nsubheadline: 'List of muscles'\nheader: no\n"
            f"tags: muscle\nimages:\n  - image_id: '{stem}'\n    image_name: 'muscles/gif/{stem}.gif'\n    image_title: '{title}'\n"
            f"    image_alt: '{title}'\ngallery:\n{gallery}---\n\n[Back››](/muscle/)\n\n{{% include page-image im_id=\"{stem}\" %}}\n",
            encoding="utf-8",
        )
    rng = random.Random(20261121)
    latin = [w for w in _words("anatomy.txt") if w.isalpha() and w.islower() and len(w) > 4]
    english = [w for w in _words("english.txt") if w.isalpha() and w.islower() and 3 <= len(w) <= 10]
    used: set[str] = set()
    for i in range(n - len(REGIONS)):
        region = REGIONS[i % len(REGIONS)]
        while True:  # a unique two-word Latin name per page
            w1, w2 = rng.choice(latin), rng.choice(latin)
            if w1 != w2 and (w1, w2) not in used:
                used.add((w1, w2))
                break
        name = f"{w1}{w2}"
        stem = f"{region.capitalize()}-{w1.capitalize()}{w2.capitalize()}"
        title = f"The {w1} {w2} muscle of the {region}"
        gallery = "".join(
            f"  - image_url: muscles/png/{stem}-{k}.png\n    caption: '{title} - orientation {k}'\n    title: '{title} - orientation {k}'\n"
            for k in range(1, 17)
        )
        prose = " ".join(rng.choice(english) for _ in range(24)) + ". " + " ".join(rng.choice(english) for _ in range(18))
        (folder / f"muscle_{region}-{name}.md").write_text(
            f"---\nlayout: page\npermalink: /muscle/{region}/{name}/\n\ntitle: '{title}'\nsubheadline: 'Images and description.'\n\n"
            f"header: no\n\ntags: {region}\n\nimages:\n  - image_id: '{region}{name}'\n    image_name: 'muscles/gif/{stem}.gif'\n"
            f"    image_title: '{title}'\n    image_alt: '{title}'\n\ngallery:\n{gallery}\n---\n\n"
            f"The {w1} {w2} muscle {prose}.\n\n"
            f"[Back››](/muscle/{region}/)\n\n{{% include page-image im_id=\"{region}{name}\" %}}\n\n{{% include gallery %}}\n",
            encoding="utf-8",
        )


def _words(name: str) -> list[str]:
    path = ROOT / "pipeline" / "lint" / "text" / "data" / name
    return sorted({w.strip() for w in path.read_text(encoding="utf-8").split() if not w.startswith("#")})


def measure(label: str, target: Path, reps: int) -> None:
    files = sorted(p for p in target.rglob("*.md"))
    fl = statistics.median(floor(files) for _ in range(reps))
    wall = statistics.median(lint_wall(target) for _ in range(reps))
    n = len(files)
    print(f"{label}: {n} pages")
    print(f"  floor (C loader, in-process)   {fl:7.3f} s  {n / fl:9.0f} pages/s")
    print(f"  pipeline lint (new process)    {wall:7.3f} s  {n / wall:9.0f} pages/s   ratio to floor {wall / fl:5.2f}x")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=10_000)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"])
    print(f"python start-up alone: {time.perf_counter() - t:.3f} s")
    if CORPUS.is_dir():
        measure("real sample", CORPUS, a.reps)
    else:
        print(f"real sample: skipped ({CORPUS} not present)")
    with tempfile.TemporaryDirectory() as d:
        generate(Path(d), a.pages)
        measure("generated site", Path(d), a.reps)


if __name__ == "__main__":
    main()

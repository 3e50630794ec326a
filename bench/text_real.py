"""The text checks on real anatomy prose: findings per 1,000 words, precision against labels, recall on injected
defects, and lint time per 10,000 words, overall and per source group.

    python bench/text_real.py [--corpus DIR] [--atlas DIR] [--trials N] [--seed S] [--labels FILE] [--list]

The corpus is ``../shared/corpus/prose`` (70 openly licensed texts; see its README): copies of its
``NNN-group-slug.md`` files are linted as plain Markdown articles, with every text rule on, by ``pipeline lint``
in a new process, as an author runs it. Words are the alphabetic words of the prose (the source comment left out).

* Precision: each finding is looked up in ``bench/prose_labels.json`` by rule, file, line and the word or figure
  the message quotes first (``true``: a real defect of the text; ``false``: a false positive). Findings without
  a label are counted apart and listed with ``--list``.
* Recall: each trial injects into fresh copies, on distinct random lines of prose, misspellings (one edit of a
  word of five letters or more, giving a string no shipped word list holds) and run-together words (the space
  between two words of three letters or more removed): TXT003 must report each at its column. It also adds
  conflicting figures about one structure to two files, one kind each (a range in digits against one in words,
  counts of parts, presence verbs, the structure named after the figure or in the previous sentence, absence,
  proportions in words): TXT008 must report it in both, each naming the other. Findings the injections add
  elsewhere are false positives.
* Time: CPU seconds of the lint process (its start-up included; getrusage of the child), per 10,000 words, with
  the ratio to a baseline measured in the same run: ``pipeline lint --select FM001`` on the same files (start-up,
  reading and parsing only). CPU time, not wall time: the machine is shared. The real atlas sample
  (``../shared/corpus/muscle-atlas/pages``) is timed the same way, every rule on, best of three. The package linted
  is this checkout's (``PYTHONPATH``), so an older checkout can be measured with its own copy of this script.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.lint.text.vocab import Speller  # noqa: E402

try:  # (an older checkout, measured for comparison, has neither)
    from pipeline.lint.text.vocab import proper_names  # noqa: E402
except ImportError:  # pragma: no cover
    proper_names = frozenset

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}  # lint with this checkout's package
CODES = ("TXT001", "TXT002", "TXT003", "TXT004", "TXT008")
GROUP = re.compile(r"^\d{3}-(openstax-ap|openstax-bio|wikipedia-musclesite|wikipedia-zanatomy|wikipedia)-")
WORDS = re.compile(r"[A-Za-z]+")
COMMENT = re.compile(r"<!--.*?-->", re.S)
QUOTED = re.compile(r"'([^']+)'")
STRUCTURES = ("fabella", "plantaris", "palmaris longus", "psoas minor", "sternalis", "pyramidalis", "peroneus tertius", "os trigonum", "accessory soleus", "os peroneum")
# (kind, sentence in one file, sentence in the other): {s} is the structure
CONFLICTS = (
    ("digits vs words", "The {s} is present in 3-5% of people.", "The {s} is present in approximately ten to thirty percent of people."),
    ("counts", "The {s} comprises three heads.", "The {s} has two heads."),
    ("presence verbs", "The {s} is visible on radiographs in 12% of knees.", "The {s} was identified in 40% of specimens."),
    ("structure after the figure", "In 3-5% of people a {s} is present.", "In about 35% of people the {s} occurs."),
    ("previous sentence", "The {s} varies between people. It is absent in 7% of limbs.", "The {s} is reported in 55% of limbs."),
    ("absence", "No {s} was observed in 60% of cadavers.", "The {s} is seen in 90% of cadavers."),
    ("proportions in words", "The {s} is found in one in five people.", "The {s} is found in two thirds of people."),
)


def group_of(name: str) -> str:
    m = GROUP.match(name)
    return m.group(1) if m else "other"


def word_count(text: str) -> int:
    return len(WORDS.findall(COMMENT.sub(" ", text)))


def lint(folder: Path, select: str = ",".join(CODES), paths: tuple[Path, ...] = ()) -> tuple[list[dict], float]:
    """Findings of ``pipeline lint`` on the articles in ``folder`` (or on ``paths``, pages), and the CPU seconds it
    took."""
    (folder / "pyproject.toml").write_text('[tool.pipeline]\npages = ["a"]\narticles = ["a"]\n', encoding="utf-8")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = folder / "report.json"
    args = [sys.executable, "-m", "pipeline", "lint", "--no-files", "--select", select, "--format", "json", "-o", str(out)]
    r = subprocess.run([*args, *(str(p) for p in paths)], cwd=folder, env=ENV)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if r.returncode not in (0, 1):
        sys.exit(f"lint exited {r.returncode}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return json.loads(out.read_text(encoding="utf-8"))["findings"], cpu


def key_of(f: dict) -> str:
    m = QUOTED.search(f["message"])
    return f"{f['line']}:{m.group(1) if m else f['message'][:40]}"


def write_copies(dest: Path, files: dict[str, str]) -> Path:
    a = dest / "a"
    a.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (a / name).write_text(text, encoding="utf-8")
    return a


def prose_lines(text: str) -> list[int]:
    """Indexes of plain prose lines: long, not headings, tables, lists of references, images or comments."""
    out = []
    for i, line in enumerate(text.split("\n")):
        s = line.strip()
        if len(s) > 80 and s[0].isalpha() and "doi" not in s.lower() and "http" not in s and "|" not in s:
            out.append(i)
    return out


def inject_words(files: dict[str, str], rng: random.Random, speller: Speller, per_file: int, protected=frozenset()) -> tuple[dict[str, str], list]:
    """Misspellings and run-together words, at most one per line, not on ``protected`` lines: (new files,
    [(file, line, column, kind)])."""
    names = proper_names()
    listed = getattr(speller, "listed", speller.known)
    out, expect = dict(files), []
    for name, text in files.items():
        lines = text.split("\n")
        free = [i for i in prose_lines(text) if lines[i] not in protected]
        for i in rng.sample(free, min(per_file, len(free))):
            line = lines[i]
            if rng.random() < 0.5:
                cands = [m for m in re.finditer(r"(?<![\w'*/-])[a-z]{5,}(?![\w'*/-])", line) if listed(m.group())]
                if not cands:
                    continue
                m = rng.choice(cands)
                for _ in range(50):
                    bad = _misspell(m.group(), rng)
                    if not listed(bad) and bad not in names and not speller.in_english(bad):
                        break
                else:
                    continue
                lines[i] = line[: m.start()] + bad + line[m.end() :]
                expect.append((name, i + 1, m.start() + 1, "misspelling"))
            else:
                pairs = [m for m in re.finditer(r"(?<![\w'*/-])([a-z]{3,}) ([a-z]{3,})(?![\w'*/-])", line) if not listed(m.group(1) + m.group(2))]
                if not pairs:
                    continue
                m = rng.choice(pairs)
                lines[i] = line[: m.start()] + m.group(1) + m.group(2) + line[m.end() :]
                expect.append((name, i + 1, m.start() + 1, "run-together"))
        out[name] = "\n".join(lines)
    return out, expect


def _misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    c = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1 and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == 2:
        return word[:i] + c + word[i + 1 :]
    return word[:i] + c + word[i:]


def inject_figures(files: dict[str, str], rng: random.Random, trials: int) -> tuple[dict[str, str], list]:
    """Pairs of conflicting figures: (new files, [(kind, file a, line a, file b, line b)])."""
    out, expect = dict(files), []
    names = sorted(files)
    used: set[str] = set()
    structures = list(STRUCTURES)
    rng.shuffle(structures)
    for t in range(min(trials, len(CONFLICTS) * len(structures))):
        kind, sa, sb = CONFLICTS[t % len(CONFLICTS)]
        s = structures[t % len(structures)]
        a, b = rng.sample([n for n in names if n not in used], 2)
        used |= {a, b}
        places = []
        for name, sentence in ((a, sa), (b, sb)):
            lines = out[name].split("\n")
            i = rng.choice(prose_lines(out[name]))
            lines[i + 1 : i + 1] = ["", sentence.format(s=s)]  # a paragraph of its own after a prose line
            out[name] = "\n".join(lines)
            places.append((name, i + 3))
        expect.append((kind, places[0][0], places[0][1], places[1][0], places[1][1]))
    return out, expect


def precision_rows(findings: list[dict], labels: dict, words: dict[str, int]) -> list[str]:
    by = defaultdict(Counter)
    unlabelled = []
    for f in findings:
        name = Path(f["path"]).name
        verdict = labels.get(f["code"], {}).get(name, {}).get(key_of(f))
        g = group_of(name)
        for where in ("all", g):
            by[(f["code"], where)]["findings"] += 1
            by[(f["code"], where)][{True: "true", False: "false", None: "unlabelled"}[verdict]] += 1
        if verdict is None:
            unlabelled.append(f"{f['code']} {name}:{key_of(f)}  {f['message'][:90]}")
    rows = []
    groups = ["all", *sorted({group_of(n) for n in words})]
    for code in CODES:
        for g in groups:
            c = by[(code, g)]
            w = sum(v for n, v in words.items() if g in ("all", group_of(n)))
            judged = c["true"] + c["false"]
            prec = f"{c['true'] / judged:.3f}" if judged else "-"
            rows.append(
                f"{code:7} {g:21} {w:8,} {c['findings']:5} {1000 * c['findings'] / w:7.2f} {c['true']:5} {c['false']:5} "
                f"{1000 * c['false'] / w:7.3f} {c['unlabelled']:5} {prec:>6}"
            )
    return rows, unlabelled


def run(corpus: Path, atlas: Path, labels_path: Path, trials: int, seed: int, show: bool) -> int:
    files = {p.name: p.read_text(encoding="utf-8") for p in sorted(corpus.glob("[0-9][0-9][0-9]-*.md"))}
    words = {n: word_count(t) for n, t in files.items()}
    total = sum(words.values())
    labels = json.loads(labels_path.read_text(encoding="utf-8")) if labels_path.is_file() else {}
    tmp = Path(tempfile.mkdtemp(prefix="textreal-"))
    try:
        write_copies(tmp / "base", files)
        base_cpu = lint(tmp / "base", "FM001")[1]
        findings, cpu = lint(tmp / "base")
        print(f"{len(files)} texts, {total:,} words; lint of every text rule: {cpu:.2f} s CPU, {10_000 * cpu / total:.3f} s per 10,000 words "
              f"(baseline 'lint --select FM001': {base_cpu:.2f} s, ratio {cpu / base_cpu:.2f}x)")
        if atlas.is_dir():
            (tmp / "atlas").mkdir()
            a_base = min(lint(tmp / "atlas", "FM001", (atlas,))[1] for _ in range(3))
            a_cpu = min(lint(tmp / "atlas", "FM,IMG,TXT", (atlas,))[1] for _ in range(3))
            print(f"atlas sample (every rule, --no-files): {a_cpu:.2f} s CPU, best of 3 (baseline 'lint --select FM001': {a_base:.2f} s, ratio {a_cpu / a_base:.2f}x)")
        print("\nper group (lint of that group's texts alone):")
        for g in sorted({group_of(n) for n in files}):
            part = {n: t for n, t in files.items() if group_of(n) == g}
            write_copies(tmp / g, part)
            gw = sum(words[n] for n in part)
            gc = lint(tmp / g)[1]
            print(f"  {g:21} {len(part):3} texts {gw:7,} words  {gc:5.2f} s CPU  {10_000 * gc / gw:6.3f} s per 10,000 words")
        print("\nfindings against the labels (false: false positives):")
        print(f"{'rule':7} {'group':21} {'words':>8} {'found':>5} {'/1000w':>7} {'true':>5} {'false':>5} {'FP/1000':>7} {'unlab':>5} {'prec':>6}")
        rows, unlabelled = precision_rows(findings, labels, words)
        print("\n".join(rows))
        if show and unlabelled:
            print("\nunlabelled findings:\n  " + "\n  ".join(unlabelled))
        baseline = {(f["code"], Path(f["path"]).name, f["line"]) for f in findings}
        recall(tmp, files, trials, seed, baseline, show)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def recall(tmp: Path, files: dict[str, str], trials: int, seed: int, baseline: set, show: bool) -> None:
    rng = random.Random(seed)
    speller = Speller()
    found, expected = Counter(), Counter()
    extra = Counter()
    for t in range(trials):
        injected, pairs = inject_figures(files, rng, len(CONFLICTS))
        figures = {injected[n].split("\n")[ln - 1] for _k, a, la, b, lb in pairs for n, ln in ((a, la), (b, lb))}
        injected, expect = inject_words(injected, rng, speller, per_file=3, protected=figures)
        folder = tmp / f"trial{t}"
        write_copies(folder, injected)
        got = lint(folder)[0]
        at = defaultdict(list)
        for f in got:
            at[(f["code"], Path(f["path"]).name, f["line"])].append(f)
        hit_lines = set()
        for name, line, col, kind in expect:
            expected[kind] += 1
            hits = [f for f in at.get(("TXT003", name, line), ()) if f["column"] == col]
            found[kind] += bool(hits)
            if not hits and show:
                word = re.match(r"[A-Za-z]+", injected[name].split("\n")[line - 1][col - 1 :])
                print(f"  missed {kind}: {name}:{line}:{col} '{word.group() if word else ''}'  {[f['message'][:60] for f in at.get(('TXT003', name, line), ())]}")
            hit_lines.add(("TXT003", name, line))
        for kind, a, la, b, lb in pairs:
            expected[kind] += 1
            fa = [f for f in at.get(("TXT008", a, la), []) if any(Path(r["path"]).name == b for r in f.get("related", ()))]
            fb = [f for f in at.get(("TXT008", b, lb), ()) if any(Path(r["path"]).name == a for r in f.get("related", ()))]
            found[kind] += bool(fa and fb)
            if not (fa and fb) and show:
                said = [f["message"][:90] for f in at.get(("TXT008", a, la), []) + at.get(("TXT008", b, lb), [])]
                print(f"  missed {kind}: {a}:{la} {b}:{lb} {said}")
            hit_lines |= {("TXT008", a, la), ("TXT008", b, lb)}
        moved = _moved_lines(files, injected)
        for f in got:
            k = (f["code"], Path(f["path"]).name, f["line"])
            if k not in hit_lines and (f["code"], k[1], moved.get(k[1], {}).get(f["line"], f["line"])) not in baseline:
                extra[f["code"]] += 1
                if show:
                    print(f"  added {f['code']} {k[1]}:{f['line']}:{f['column']} {f['message'][:80]}")
        shutil.rmtree(folder)
    print(f"\nrecall on injected defects ({trials} trial(s), seed {seed}):")
    for kind in ("misspelling", "run-together", *(k for k, _a, _b in CONFLICTS)):
        if expected[kind]:
            print(f"  {kind:28} {found[kind] / expected[kind]:.3f} ({found[kind]}/{expected[kind]})")
    w3 = found["misspelling"] + found["run-together"]
    n3 = expected["misspelling"] + expected["run-together"]
    n8 = sum(expected[k] for k, _a, _b in CONFLICTS)
    f8 = sum(found[k] for k, _a, _b in CONFLICTS)
    print(f"  TXT003 all                   {w3 / n3:.3f} ({w3}/{n3})")
    print(f"  TXT008 all                   {f8 / n8:.3f} ({f8}/{n8})")
    print("  findings the injections added elsewhere: " + (", ".join(f"{c} {n}" for c, n in sorted(extra.items())) or "none"))


def _moved_lines(before: dict[str, str], after: dict[str, str]) -> dict[str, dict[int, int]]:
    """For each file whose lines moved (paragraphs inserted): new line number -> old line number."""
    import difflib

    out = {}
    for name, text in after.items():
        if text.count("\n") == before[name].count("\n"):
            continue
        mapping = {}
        sm = difflib.SequenceMatcher(None, before[name].split("\n"), text.split("\n"), autojunk=False)
        for blk in sm.get_matching_blocks():
            for k in range(blk.size):
                mapping[blk.b + k + 1] = blk.a + k + 1
        out[name] = mapping
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "prose")
    ap.add_argument("--atlas", type=Path, default=ROOT.parent / "shared" / "corpus" / "muscle-atlas" / "pages", help="the real atlas sample, timed too (skipped when absent)")
    ap.add_argument("--labels", type=Path, default=ROOT / "bench" / "prose_labels.json")
    ap.add_argument("--trials", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", action="store_true", help="list the findings that have no label, the injected defects missed and the findings injections added")
    a = ap.parse_args(argv)
    if not a.corpus.is_dir():
        print(f"corpus folder not found: {a.corpus} (pass --corpus DIR with the prose texts)", file=sys.stderr)
        return 2
    return run(a.corpus, a.atlas, a.labels, a.trials, a.seed, a.list)


if __name__ == "__main__":
    sys.exit(main())

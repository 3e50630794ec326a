"""Inject text defects into copies of real pages and measure what the TXT checks find.

    python bench/text_injection.py [--trials N] [--seed S] [--corpus DIR]

Each trial copies the real sample's current pages (older ``muscle_<region>_<name>.md`` copies are left out: they
share permalinks with the current pages) into a temporary folder and injects, on distinct random pages:

* swap: two pages exchange their descriptions                      -> TXT001 on both pages
  (two files with the same permalink are one page, never paired)
* copy: one page's description replaces another's                  -> TXT002 on the page it was copied to
* misspell: a random one-letter edit of a word of a description    -> TXT003 at that word
* DOI: a reference line with a broken DOI appended to a page body  -> TXT004 at that DOI
  (and a reference line with a valid DOI on another page: must stay clean)
* link: an internal link pointed at a permalink no page has        -> TXT005 at that link

and, in each trial, one of the look-alike cases real sites get wrong (when the sample has the pages):

* a whole muscle's page and the page of one of its heads exchange descriptions   -> TXT001 on both pages
* a page and the atlas home page exchange descriptions                            -> TXT001 on both pages
* a region's compartment page gets the parallel page's description of another region -> TXT002 there

Recall is the share of injected defects reported by the right rule at the right page (and line/column for the
word, DOI and link). False positives are findings of a rule on pages no injection touched, minus what the rule
already reports on the unmodified sample (real defects), per 100 such pages.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.lint import rules as registry
from pipeline.config import load_config
from pipeline.lint.runner import LintOptions, lint_site
from pipeline.content.loader import load_site, parse_page
from pipeline.lint.text.vocab import Speller

CODES = ["TXT001", "TXT002", "TXT003", "TXT004", "TXT005", "TXT008"]
OLD_COPY = re.compile(r"^muscle_[a-z]+_[a-z]+\.md$")
# (kind, page a, page b): 'swap' exchanges the two descriptions, 'copy' puts a's on b
LOOK_ALIKES = [
    ("swap", "muscles/muscle_thigh-bicepsfemoris.md", "muscles/muscle_thigh-shortbicepsfemoris.md"),
    ("swap", "muscle.md", "muscles/muscle_leg-soleus.md"),
    ("copy", "muscles/muscle_leg-anterior.md", "muscles/muscle_thigh-anterior.md"),
    ("swap", "muscles/muscle_leg-gastrocnemius.md", "muscles/muscle_leg-medialgastrocnemius.md"),
    ("copy", "muscles/muscle_thigh-posterior.md", "muscles/muscle_leg-superficialposterior.md"),
]
VALID_DOIS = ["10.1111/joa.12994", "10.7759/cureus.2736", "10.1016/S0140-6736(20)30183-5", "10.1002/ca.23456"]


def break_doi(doi: str, rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return doi[3:]  # '7759/cureus.2736': no '10.'
    if kind == 1:
        return doi.replace("/", "", 1)  # no slash after the registrant
    if kind == 2:
        return doi.split("/", 1)[0] + "/"  # no suffix
    if kind == 3:
        reg, suf = doi.split("/", 1)
        return reg[:-2] + "/" + suf  # registrant code too short ('10.11/...')
    if kind == 4:
        reg, suf = doi.split("/", 1)
        i = rng.randrange(1, len(suf))
        return f"{reg}/{suf[:i]},{suf[i:]}"  # a character outside the DOI syntax
    reg, suf = doi.split("/", 1)
    return f"{reg}\\{suf}"


def misspell(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :] if word[i] != word[i + 1] else word[:i] + word[i + 1 :]
    letters = "abcdefghijklmnopqrstuvwxyz"
    c = rng.choice(letters)
    if kind == 2:
        return word[:i] + c + word[i + 1 :]
    return word[:i] + c + word[i:]


class Corpus:
    def __init__(self, folder: Path) -> None:
        self.files = {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.md")) if not OLD_COPY.match(p.name)}

        self.permalink = {name: parse_page(Path(name), text).permalink for name, text in self.files.items()}

    def descriptions(self, min_words: int = 8) -> dict[str, tuple[int, int, str]]:
        """name -> (first line index, last line index, text) of the description paragraph(s)."""
        out = {}
        for name, text in self.files.items():
            page = parse_page(Path(name), text)
            lead = [p for p in page.paragraphs if p.lead]
            if lead and len(lead[0].text.split()) >= min_words:
                out[name] = (lead[0].line - 1, lead[-1].end_line - 1, " ".join(p.text for p in lead))
        return out


def lint(folder: Path, cfg):
    site, _ = load_site([folder], None)
    codes = [c for c in CODES if c in registry.RULES]
    return lint_site(site, cfg, LintOptions(select=codes, check_files=False)).findings


def run(corpus_dir: Path, trials: int, seed: int) -> int:
    rng = random.Random(seed)
    corpus = Corpus(corpus_dir)
    descs = corpus.descriptions()
    short = corpus.descriptions(5)  # look-alike cases: the home page's description is short
    speller = Speller()
    cfg = load_config(cwd=Path("/"))
    available = {c: c in registry.RULES for c in CODES}
    tmp = Path(tempfile.mkdtemp(prefix="txtbench-"))
    found = defaultdict(int)
    expected = defaultdict(int)
    fps = defaultdict(int)
    look: dict = {}
    look_found, look_expected = defaultdict(int), defaultdict(int)
    clean_pages = 0
    try:
        base_dir = tmp / "base"
        for name, text in corpus.files.items():
            (base_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (base_dir / name).write_text(text, encoding="utf-8")
        baseline = {(f.code, Path(f.path).relative_to(base_dir).as_posix()) for f in lint(base_dir, cfg)}
        names = sorted(descs)
        all_names = sorted(corpus.files)
        t0 = time.perf_counter()
        for trial in range(trials):
            files = dict(corpus.files)
            touched: set[str] = set()
            expect: list[tuple[str, str, int | None, int | None]] = []  # (code, page, line, column)

            def pick(pool) -> str:
                while True:
                    n = rng.choice(pool)
                    if n not in touched:
                        touched.add(n)
                        return n

            def different(a: str, b: str) -> bool:
                # two files with one permalink are one page (the sample keeps two copies of some region pages)
                return corpus.permalink[a] != corpus.permalink[b]

            def set_desc(name: str, new: str) -> None:
                a, b, _ = descs.get(name) or short[name]
                lines = files[name].split("\n")
                files[name] = "\n".join(lines[:a] + [new] + lines[b + 1 :])

            # swap two descriptions (different texts)
            while True:
                a, b = rng.sample(names, 2)
                if a not in touched and b not in touched and descs[a][2] != descs[b][2] and different(a, b):
                    break
            touched |= {a, b}
            set_desc(a, descs[b][2])
            set_desc(b, descs[a][2])
            expect += [("TXT001", a, None, None), ("TXT001", b, None, None)]
            # copy a description onto another page
            while True:
                src, dst = rng.sample(names, 2)
                if src not in touched and dst not in touched and descs[src][2] != descs[dst][2] and different(src, dst):
                    break
            touched |= {src, dst}
            set_desc(dst, descs[src][2])
            expect.append(("TXT002", dst, None, None))
            # misspell a word of a description
            m_page = pick(names)
            line_idx = descs[m_page][0]
            lines = files[m_page].split("\n")
            cands = [m for m in re.finditer(r"(?<![\w'-])[a-z]{5,}(?![\w'-])", lines[line_idx]) if speller.known(m.group())]
            m = rng.choice(cands)
            for _ in range(50):
                bad = misspell(m.group(), rng)
                if not speller.known(bad) and bad != m.group():
                    break
            lines[line_idx] = lines[line_idx][: m.start()] + bad + lines[line_idx][m.end() :]
            files[m_page] = "\n".join(lines)
            expect.append(("TXT003", m_page, line_idx + 1, m.start() + 1))
            # a broken DOI in a reference line, and a valid one elsewhere
            d_page = pick(all_names)
            broken = break_doi(rng.choice(VALID_DOIS), rng)
            ref = f"1. Author A, Author B. A study of the calf. J Anat. 2019;235(1):67-79. doi:{broken}"
            body = files[d_page].rstrip("\n").split("\n")
            body += ["", "## References", "", ref]
            files[d_page] = "\n".join(body) + "\n"
            expect.append(("TXT004", d_page, len(body), ref.index("doi:") + 5))
            ok_page = pick(all_names)
            files[ok_page] = files[ok_page].rstrip("\n") + f"\n\n## References\n\n1. Author C. A review. Cureus. 2018;10(3):e2736. doi:{rng.choice(VALID_DOIS)}\n"
            # a look-alike case
            case = LOOK_ALIKES[trial % len(LOOK_ALIKES)]
            kind, a, b = case
            if a in short and b in short and a not in touched and b not in touched:
                touched |= {a, b}
                if kind == "swap":
                    set_desc(a, short[b][2])
                    set_desc(b, short[a][2])
                    expect += [("TXT001", a, None, None), ("TXT001", b, None, None)]
                    look[("TXT001", a)] = look[("TXT001", b)] = f"{a} <-> {b}"
                else:
                    set_desc(b, short[a][2])
                    expect.append(("TXT002", b, None, None))
                    look[("TXT002", b)] = f"{a} -> {b}"
            # a broken internal link
            link_pages = [n for n in all_names if n not in touched and re.search(r"\]\(/muscle/[a-z]+/[a-z]+/\)", files[n])]
            l_page = rng.choice(link_pages)
            touched.add(l_page)
            lines = files[l_page].split("\n")
            idxs = [i for i, s in enumerate(lines) if re.search(r"\]\(/muscle/[a-z]+/[a-z]+/\)", s)]
            i = rng.choice(idxs)
            lm = re.search(r"\]\((/muscle/[a-z]+/[a-z]+)/\)", lines[i])
            lines[i] = lines[i][: lm.end(1)] + "zz" + lines[i][lm.end(1) :]
            files[l_page] = "\n".join(lines)
            expect.append(("TXT005", l_page, i + 1, lm.start(1) + 1))

            tdir = tmp / f"t{trial}"
            for name, text in files.items():
                (tdir / name).parent.mkdir(parents=True, exist_ok=True)
                (tdir / name).write_text(text, encoding="utf-8")
            findings = lint(tdir, cfg)
            got = defaultdict(list)
            for f in findings:
                rel = Path(f.path).relative_to(tdir).as_posix()
                got[(f.code, rel)].append(f)
                if rel not in touched and (f.code, rel) not in baseline:
                    fps[f.code] += 1
            clean_pages += len(files) - len(touched)
            for code, page, line, col in expect:
                expected[code] += 1
                hits = got.get((code, page), [])
                if line is not None:
                    hits = [f for f in hits if f.line == line and (col is None or f.column == col)]
                if hits:
                    found[code] += 1
                if (code, page) in look:
                    look_expected[code] += 1
                    look_found[code] += bool(hits)
            look.clear()
            shutil.rmtree(tdir)
        elapsed = time.perf_counter() - t0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"{trials} trials, seed {seed}, {len(corpus.files)} current pages ({len(descs)} with a description), {elapsed:.1f}s")
    print(f"{'check':8} {'injected defect':34} {'recall':>12} {'false positives / 100 clean pages':>34}")
    rows = [
        ("TXT001", "swapped descriptions (each page)"),
        ("TXT002", "description copied to another page"),
        ("TXT003", "misspelt word (at its column)"),
        ("TXT004", "broken DOI (at its column)"),
        ("TXT005", "broken internal link (at its column)"),
        ("TXT008", "(none injected)"),
    ]
    for code, what in rows:
        if not available[code]:
            print(f"{code:8} {what:34} {'not available':>12} {'not available':>34}")
            continue
        rec = f"{found[code] / expected[code]:.3f} ({found[code]}/{expected[code]})" if expected[code] else "-"
        fp = 100.0 * fps[code] / clean_pages if clean_pages else 0.0
        print(f"{code:8} {what:34} {rec:>12} {fp:>34.2f}")
    for code in ("TXT001", "TXT002"):
        if look_expected[code]:
            print(f"  of which look-alike cases ({code}): {look_found[code] / look_expected[code]:.3f} ({look_found[code]}/{look_expected[code]})")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "muscle-atlas" / "pages")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus folder not found: {args.corpus} (pass --corpus DIR with the real sample's pages)", file=sys.stderr)
        return 2
    return run(args.corpus, args.trials, args.seed)


if __name__ == "__main__":
    sys.exit(main())

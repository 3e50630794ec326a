"""Page mutators shared by the property tests and the long fuzz run (bench/fuzz_lint.py)."""

from __future__ import annotations

import random

from pipeline.config import Config
from pipeline.lint.runner import LintOptions, lint_site
from pipeline.content.loader import parse_page
from pipeline.content.model import Site

PIECES = [
    "---", "...", "- ", "? ", ": ", "[", "]", "{", "}", "&a ", "*a", "!!python/object:os.system ", "!!binary ", "<<: *a",
    "'", '"', "\t", "\r\n", "\ufeff", "#", "|", ">", "%YAML 1.1", "\x00", "é", "{% include page-image im_id=\"x\" %}",
    "{% comment %}lint-ignore: TXT001{% endcomment %}", "[Back››](/muscle/leg/)", "](", "image_url: ", "gallery:\n", "10.", "doi:",
]


def mutate(text: str, rng: random.Random, steps: int = 3) -> str:
    for _ in range(steps):
        op = rng.randrange(6)
        pos = rng.randrange(len(text) + 1)
        if op == 0 and text:  # delete a span
            end = min(len(text), pos + rng.randrange(1, 40))
            text = text[:pos] + text[end:]
        elif op == 1:  # insert a YAML/Liquid/Markdown piece
            text = text[:pos] + rng.choice(PIECES) + text[pos:]
        elif op == 2:  # duplicate a line
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i])
            text = "\n".join(lines)
        elif op == 3:  # random characters
            text = text[:pos] + "".join(chr(rng.randrange(1, 0x3000)) for _ in range(rng.randrange(1, 8))) + text[pos:]
        elif op == 4:  # change indentation of a line
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines[i] = " " * rng.randrange(0, 9) + lines[i].lstrip()
            text = "\n".join(lines)
        else:  # swap two lines
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


def lint_text(text: str, cfg: Config, name: str = "fuzz.md"):
    """Lint one page given as text (no files): returns the findings; must never raise."""
    from pathlib import Path

    page = parse_page(Path(name), text, display=name)
    site = Site([page], None)
    return lint_site(site, cfg, LintOptions(check_files=False)).findings


def check_positions(text: str, findings) -> list[str]:
    """Findings whose position is outside the file."""
    n = max(1, len(text.lstrip("\ufeff").splitlines()) + 1)
    return [f"{f.code} at {f.line}:{f.column}" for f in findings if not (1 <= f.line <= n and f.column >= 1)]

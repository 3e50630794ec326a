"""What `pipeline lint --fix` can repair, per rule code (shown by `pipeline rules`): (applicability, what it does).
"safe" fixes are applied by ``--fix``; "unsafe" ones, which may change what a text means, only with ``--unsafe-fixes``."""

from __future__ import annotations

FIXES: dict[str, tuple[str, str]] = {
    "IMG001": ("safe", "a gallery whose renders were re-rendered with fewer orientations, or renamed together with the "
               "page's GIF, is regenerated from the renders on disk (when they are orientations 1 to N)"),
    "IMG002": ("safe", "the gallery is regenerated from the renders on disk: gaps, order, duplicates and frames the "
               "gallery omits (when the renders are orientations 1 to N)"),
    "IMG006": ("none", "not fixed in place: `pipeline new SEQUENCE` writes a page for the sequence"),
    "TXT003": ("safe/unsafe", "a repeated word is removed (safe); a misspelling with exactly one suggestion is "
               "replaced, and words run together are split (unsafe)"),
    "TXT004": ("safe", "a DOI missing its '10.' prefix gets it"),
    "TXT006": ("safe/unsafe", "image_title, image_alt and the gallery's captions and titles are written from the page "
               "title (safe when the title names the structure of the page's GIF, unsafe otherwise)"),
}


def describe(code: str) -> str | None:
    """One line for `pipeline rules CODE`, or None when the rule has no fix."""
    got = FIXES.get(code)
    if got is None:
        return None
    kind, what = got
    if kind == "none":
        return f"Fix: {what}."
    return f"Fix ({kind}): {what}."


def fixable(code: str) -> bool:
    return FIXES.get(code, ("none", ""))[0] != "none"

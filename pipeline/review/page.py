"""The review's ``index.html``: one static page, styles inline, no script, media by relative URL (opened from disk).

Every text from the pages (titles, captions, messages, paths) is escaped; every URL is a relative, percent-encoded
path inside the review folder. The same review gives the same bytes: no times, no absolute paths.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import PurePosixPath
from urllib.parse import quote

from pipeline.content.findings import Finding
from pipeline.review.model import VIDEO_TYPES, Media, Review, Sequence

# A short review plays its videos; a longer one loads only their first frame (and images as they scroll into
# view), so that a review of the whole site stays responsive: its GIFs still play.
AUTOPLAY_MAX = 12

STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:72em;padding:1em 1.5em;color:#222;background:#fafafa}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin:0 0 .3em}
code{font:13px ui-monospace,monospace;background:#eee;padding:0 .25em;border-radius:3px}
nav ol{columns:2;padding-left:1.4em}nav a{color:#1a4e8a}
.sequence{background:#fff;border:1px solid #ddd;border-radius:6px;margin:1.2em 0;padding:1em}
.sequence.changed{border-left:6px solid #2c7be5}
.badge{white-space:nowrap;font-size:.75em;font-weight:600;padding:.1em .5em;border-radius:1em;background:#ddd;vertical-align:middle}
.badge.changed{background:#2c7be5;color:#fff}.badge.created{background:#2e9e5b;color:#fff}
.badge.stale{background:#6a1b9a;color:#fff}.stale{color:#6a1b9a;font-weight:600}
.badge.error{background:#c62828;color:#fff}.badge.warning{background:#e6a700;color:#222}
.meta{color:#555;margin:.2em 0 .8em}
.animations{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}
figure{margin:0;text-align:center}figcaption{font-size:.85em;color:#555}
.animations img,.animations video{max-width:320px;max-height:320px;border:1px solid #ccc;background:#fff}
.compare{display:flex;gap:.5em;padding:.5em;background:#eef4fc;border-radius:6px}
.orientations{display:flex;flex-wrap:wrap;gap:.4em;list-style:none;padding:0;margin:1em 0 .5em}
.orientations li{text-align:center;font-size:.8em;color:#555}
.orientations img{display:block;max-width:96px;max-height:96px;border:1px solid #ddd}
.findings{margin:.5em 0;padding-left:1.2em}.findings li{margin:.2em 0}
.findings .error b{color:#c62828}.findings .warning b{color:#8a6500}
.clean{color:#2e7d32}.missing{color:#c62828}
"""


def _url(m: Media) -> str:
    return quote(m.name, safe="/")


def _t(s: object) -> str:
    return escape(str(s), quote=True)


def anchors(review: Review) -> list[str]:
    """A unique id per sequence, readable: 's3-Leg-Lateral'."""
    out = []
    for i, s in enumerate(review.sequences, 1):
        stem = PurePosixPath(s.animation).stem if s.animation else PurePosixPath(s.page).stem
        out.append(f"s{i}-" + re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-"))
    return out


def _finding(f: Finding) -> str:
    sev = f.severity.value
    return (f'<li class="finding {_t(sev)}"><code>{_t(f.path)}:{f.line}:{f.column}</code> '
            f"<b>{_t(f.code)}</b> {_t(f.message)} <span class=\"sev\">[{_t(sev)}]</span></li>")


def _findings(findings: list[Finding]) -> str:
    if not findings:
        return '<p class="clean">No findings.</p>'
    return '<ul class="findings">' + "".join(_finding(f) for f in findings) + "</ul>"


def _gif(m: Media, caption: str, alt: str) -> str:
    return (f'<figure><img class="gif" src="{_url(m)}" alt="{_t(alt)}" loading="lazy">'
            f"<figcaption>{_t(caption)}</figcaption></figure>")


def _video(m: Media, autoplay: bool) -> str:
    suffix = PurePosixPath(m.name).suffix
    kind = suffix.lstrip(".").upper()
    play = 'autoplay preload="auto"' if autoplay else 'preload="metadata"'
    return (f'<figure><video src="{_url(m)}" {play} muted loop playsinline controls '
            f'data-type="{VIDEO_TYPES[suffix]}"></video><figcaption>{_t(kind)}</figcaption></figure>')


def _animations(s: Sequence, autoplay: bool) -> str:
    parts = []
    if s.gif and s.previous:
        parts.append('<div class="compare">' + _gif(s.previous, "previous GIF", f"{s.title} (previous)")
                     + _gif(s.gif, "new GIF", f"{s.title} (new)") + "</div>")
    elif s.gif:
        parts.append(_gif(s.gif, "GIF", s.title))
    parts += [_video(v, autoplay) for v in s.videos]
    return f'<div class="animations">{"".join(parts)}</div>' if parts else ""


def _orientations(s: Sequence) -> str:
    items = []
    for o in s.orientations:
        img = f'<img src="{_url(o.thumb)}" loading="lazy" alt="{_t(o.caption or f"orientation {o.number}")}" title="{_t(o.caption)}">' if o.thumb else '<span class="missing">no thumbnail</span>'
        inner = f'<a href="{_url(o.full)}">{img}</a>' if o.full and o.thumb else img
        items.append(f"<li>{inner}{o.number}</li>")
    return f'<ol class="orientations">{"".join(items)}</ol>'


def _badges(s: Sequence) -> str:
    b = []
    if s.stale:
        b.append('<span class="badge stale">stale</span>')
    if s.created:
        b.append('<span class="badge created">new</span>')
    elif s.changed:
        b.append('<span class="badge changed">changed</span>')
    for sev in ("error", "warning"):
        n = sum(1 for f in s.findings if f.severity.value == sev)
        if n:
            b.append(f'<span class="badge {sev}">{n} {sev}{"s" if n > 1 else ""}</span>')
    return " ".join(b)


def _sequence(s: Sequence, anchor: str, autoplay: bool) -> str:
    meta = [f"<code>{_t(s.page)}</code>"] + ([f"<code>{_t(s.permalink)}</code>"] if s.permalink else [])
    meta.append(f"<code>{_t(s.animation)}</code>" if s.animation else "gallery renders of no animation")
    missing = f'<p class="missing">Not built: {", ".join(f"<code>{_t(m)}</code>" for m in s.missing)}</p>' if s.missing else ""
    if s.stale:
        missing += f'<p class="stale">Stale: {_t(s.stale)}; the outputs shown are the last build\'s. Run <code>pipeline build</code>.</p>'
    cls = "sequence changed" if s.changed else "sequence"
    return (f'<section class="{cls}" id="{anchor}"><h2>{_t(s.title)} {_badges(s)}</h2>'
            f'<p class="meta">{" · ".join(meta)}</p>{missing}{_animations(s, autoplay)}{_orientations(s)}{_findings(s.findings)}</section>\n')


def _intro(review: Review) -> str:
    n, changed = len(review.sequences), sum(1 for s in review.sequences if s.changed)
    findings = sum(len(s.findings) for s in review.sequences) + len(review.other_findings)
    what = "changed by the last build or since" if review.changed_only else "every sequence"
    lines = [f"<p>{n} sequence(s), {what}, from <code>{_t(review.out)}</code>; {changed} changed by the last build; "
             f"{findings} lint finding(s).</p>"]
    if not review.built:
        lines.append(f'<p class="missing">Nothing is recorded as built in <code>{_t(review.out)}</code>: run <code>pipeline build</code>.</p>')
    elif not review.builds_recorded:
        lines.append("<p>No build has recorded what it changed yet: the next build that changes an animation will.</p>")
    return "".join(lines)


def render(review: Review) -> bytes:
    """The page, as UTF-8 bytes."""
    ids = anchors(review)
    toc = "".join(f'<li><a href="#{a}">{_t(s.title)}</a> {_badges(s)}</li>' for s, a in zip(review.sequences, ids))
    autoplay = len(review.sequences) <= AUTOPLAY_MAX
    body = "".join(_sequence(s, a, autoplay) for s, a in zip(review.sequences, ids))
    other = ""
    if review.other_findings:
        other = f'<section class="sequence" id="other"><h2>Other findings</h2>{_findings(review.other_findings)}</section>\n'
    title = "Review of the changed sequences" if review.changed_only else "Review of the sequences"
    doc = (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><meta name="generator" content="pipeline review">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_t(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body><h1>{_t(title)}</h1>{_intro(review)}"
        + (f"<nav><ol>{toc}</ol></nav>\n" if toc else "<p>No sequence to show.</p>\n")
        + body + other + "</body></html>\n"
    )
    return doc.encode("utf-8")

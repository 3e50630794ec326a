"""The review page (``pipeline.review.page.render``): escaped text, relative encoded URLs, the same bytes each time."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from pipeline.content.findings import Finding, Severity
from pipeline.review.model import Media, Orientation, Review, Sequence
from pipeline.review.page import anchors, render

from .conftest import lint_and_collect

HOSTILE = '<script>alert("x")</script> & \'quoted\''


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: bytes) -> Tags:
    t = Tags()
    t.feed(html.decode("utf-8"))
    return t


def hostile_review(tmp_path: Path) -> Review:
    f = tmp_path / "x"
    s = Sequence("raw/pages/<b>.md", HOSTILE, "/muscle/a&b/", "muscles/gif/A #1?.gif")
    s.gif = Media(f, "media/muscles/gif/A #1?.gif")
    s.previous = Media(f, "previous/muscles/gif/A #1?.gif")
    s.changed = True
    s.videos = [Media(f, "media/muscles/gif/A #1?.webm")]
    s.orientations = [Orientation(1, HOSTILE, Media(f, "media/muscles/png/A #1?-1-thumb.png"), Media(f, "renders/muscles/png/A #1?-1.png"))]
    s.findings = [Finding("TXT003", Severity.WARNING, "raw/pages/<b>.md", 3, 7, HOSTILE)]
    return Review("dist", [s], [Finding("TXT005", Severity.ERROR, "raw/articles/x.md", 1, 1, "</section>")], False, 1, True)


def test_text_from_pages_is_escaped(tmp_path):
    html = render(hostile_review(tmp_path))
    assert b"<script>" not in html and b"</section></section>" not in html
    t = parse(html)
    assert "script" not in [tag for tag, _ in t.tags]
    text = "".join(t.text)
    assert HOSTILE in text and "raw/pages/<b>.md:3:7" in text and "</section>" in text
    imgs = [a for tag, a in t.tags if tag == "img"]
    assert {a["alt"] for a in imgs} >= {HOSTILE, f"{HOSTILE} (previous)", f"{HOSTILE} (new)"}


def test_urls_are_relative_and_percent_encoded(tmp_path):
    t = parse(render(hostile_review(tmp_path)))
    urls = [a.get("src") or a.get("href") for tag, a in t.tags if tag in ("img", "video", "a") and not (a.get("href") or "").startswith("#")]
    assert sorted(urls) == [
        "media/muscles/gif/A%20%231%3F.gif",
        "media/muscles/gif/A%20%231%3F.webm",
        "media/muscles/png/A%20%231%3F-1-thumb.png",
        "previous/muscles/gif/A%20%231%3F.gif",
        "renders/muscles/png/A%20%231%3F-1.png",
    ]


def test_a_changed_sequence_shows_previous_and_new_side_by_side(tmp_path):
    t = parse(render(hostile_review(tmp_path)))
    i = next(i for i, (tag, a) in enumerate(t.tags) if a.get("class") == "compare")
    pair = [a["src"] for tag, a in t.tags[i:] if tag == "img"][:2]
    assert pair == ["previous/muscles/gif/A%20%231%3F.gif", "media/muscles/gif/A%20%231%3F.gif"]


def test_anchors_are_unique_and_readable(tmp_path):
    rv = hostile_review(tmp_path)
    rv.sequences = rv.sequences * 3
    ids = anchors(rv)
    assert ids == ["s1-A-1", "s2-A-1", "s3-A-1"]
    html = render(rv).decode()
    assert all(f'id="{a}"' in html and f'href="#{a}"' in html for a in ids)


def test_the_same_review_gives_the_same_bytes_and_no_absolute_path(built):
    a, b = render(lint_and_collect(built)), render(lint_and_collect(built))
    assert a == b
    assert str(built.root).encode() not in a
    t = parse(a)
    assert len([1 for tag, _ in t.tags if tag == "img"]) == 2 + 1 + 2 * 4  # two GIFs, one previous, eight thumbnails


def test_no_findings_and_nothing_built_are_said(project):
    html = render(lint_and_collect(project)).decode()
    assert "Nothing is recorded as built" in html and "Not built:" in html
    empty = render(Review("dist", [], [], True, 0, True)).decode()
    assert "No sequence to show." in empty and "No build has recorded what it changed yet" in empty


def test_a_stale_sequence_says_so(built):
    built.rerender("Arm-Anterior", seed=12)
    html = render(lint_and_collect(built)).decode()
    assert html.count('class="badge stale"') == 2  # in the contents and on the sequence
    assert "Stale: the renders changed since the last build" in html


def test_a_short_review_plays_its_videos_a_long_one_loads_their_first_frame(tmp_path):
    from pipeline.review.page import AUTOPLAY_MAX

    rv = hostile_review(tmp_path)
    assert b"<video" in render(rv) and b" autoplay " in render(rv)
    rv.sequences = rv.sequences * (AUTOPLAY_MAX + 1)
    html = render(rv)
    assert html.count(b"<video") == AUTOPLAY_MAX + 1 and b"autoplay" not in html and html.count(b'preload="metadata"') == AUTOPLAY_MAX + 1

"""Writing a review folder: ``index.html`` and every file it shows, in a folder of its own, replaced whole.

```
<review>/
  index.html              the page (``page``)
  .pipeline-review        marks the folder as a review, so that writing one never replaces another kind of folder
  media/<path>            the build's outputs (GIF, WebM, MP4, thumbnails) at their paths under the output folder
  previous/<path>         the GIFs the last build replaced
  renders/<path>          the gallery renders the thumbnails link to, at their paths under the images root
```

Files are hard-linked where the file system allows, copied otherwise: the build replaces its outputs (and the
previous GIFs) by renaming, so a link keeps the bytes the review showed; a render overwritten in place (not
replaced by renaming) shows its new bytes in an older review too (copying every render of a site would cost more
than the review is worth). The folder is written under a temporary sibling name and renamed
into place; an older review there is moved aside first and removed after, so a reader sees the old review or the
new one, never a mixture, and a failure leaves the old one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from pipeline.content.atomic import link_or_copy, replace_folder
from pipeline.review.model import Media, Review
from pipeline.review.page import render

MARKER = ".pipeline-review"
MARKER_TEXT = b"written by `pipeline review`; replaced whole by the next one\n"


class ReviewError(Exception):
    """The review cannot be written where it was asked (a usage error: exit 2)."""


@dataclass
class Written:
    folder: Path
    files: int  # media placed
    linked: int  # of which hard links


def _within(a: str, b: str) -> bool:
    return a == b or a.startswith(b.rstrip(os.sep) + os.sep)


def check_destination(dest: Path, forbidden: list[Path] = (), above: list[Path] = ()) -> None:
    """Refuse a destination that is not a review folder of ours, that lies in or over a folder the site publishes
    or reads (``forbidden``: a review inside the output folder would be published), or over one of ``above`` (the
    project)."""
    d = os.path.abspath(dest)
    for root in forbidden:
        r = os.path.abspath(root)
        if _within(d, r) or _within(r, d):
            raise ReviewError(f"{dest}: a review cannot be written in or over {root}")
    for root in above:
        if _within(os.path.abspath(root), d):
            raise ReviewError(f"{dest}: a review cannot be written over {root}")
    if dest.exists() or dest.is_symlink():
        if not dest.is_dir() or dest.is_symlink():
            raise ReviewError(f"{dest}: exists and is not a folder")
        if any(dest.iterdir()) and not (dest / MARKER).is_file():
            raise ReviewError(f"{dest}: a folder that is not a review (no {MARKER} in it); give another --out")


def _place(m: Media, root: Path) -> bool:
    """Put ``m`` under ``root``; True when hard-linked."""
    target = root / m.name
    target.parent.mkdir(parents=True, exist_ok=True)
    return link_or_copy(m.source, target)


def write_review(review: Review, dest: Path, forbidden: list[Path] = (), above: list[Path] = ()) -> Written:
    """Write ``review`` as the folder ``dest``, replacing a review already there (``check_destination``)."""
    check_destination(dest, forbidden, above)
    parent = dest.parent if str(dest.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".tmp-{dest.name}.", dir=parent))
    except OSError as e:
        raise ReviewError(f"{dest}: cannot write the review: {e.strerror or e}") from None
    try:
        files = review.media()
        linked = sum(_place(m, tmp) for m in files)
        (tmp / "index.html").write_bytes(render(review))
        (tmp / MARKER).write_bytes(MARKER_TEXT)
        os.chmod(tmp, 0o755)
        _swap(tmp, dest)
    except OSError as e:
        shutil.rmtree(tmp, ignore_errors=True)
        raise ReviewError(f"{e.filename or dest}: cannot write the review: {e.strerror or e}") from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(dest, len(files), linked)


def _swap(tmp: Path, dest: Path) -> None:
    """Rename ``tmp`` to ``dest``; an old ``dest`` is renamed aside first and removed once the new one is there."""
    old = Path(tempfile.mkdtemp(prefix=f".old-{dest.name}.", dir=dest.parent))  # a free name for the old folder
    os.rmdir(old)
    replace_folder(tmp, dest, old)

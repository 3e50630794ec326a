"""``pipeline review``: a static page of what a build made, for whoever re-rendered sequences.

``model.collect`` gathers, from the pages lint loaded and its findings, each sequence's outputs as the build's
state records them, and what the last build that changed animations changed (``pipeline.build.previous`` keeps the
GIFs it replaced); ``page.render`` writes the HTML; ``folder.write_review`` places it with its media in a folder
of its own, replaced whole. May import ``content``, ``build`` (its plan and state), ``encode.kinds`` and
``config``; never ``lint`` or ``cli`` (its caller hands it lint's pages and findings).
"""

from __future__ import annotations

from pipeline.review.folder import ReviewError, Written, write_review
from pipeline.review.model import Review, Sequence, collect

__all__ = ["Review", "ReviewError", "Sequence", "Written", "collect", "write_review"]

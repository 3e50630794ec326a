"""The site's content, as both rooms (lint and build) see it.

Holds: the content model (``model``: pages, gallery and image entries, the site), how it is read (``frontmatter``,
``loader``), the images root (``files``: safe resolution of references), PNG headers (``png``), what a check reports
(``findings``) and atomic file writes (``atomic``).

May import: the standard library, PyYAML, and ``pipeline.config``. Never ``pipeline.lint``, ``pipeline.build``,
``pipeline.encode`` or ``pipeline.cli``.
"""

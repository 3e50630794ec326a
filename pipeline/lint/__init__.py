"""The linter: load the content once, run the rules over it, report.

Holds: the runner (``runner``: selection, severities, suppressions, the checks the build asks for), the page schema
(``schema``), the reporters (``reporters``), one module per rule code (``rules``) and the pure text analysis the TXT
rules use (``text``).

May import: ``pipeline.content``, ``pipeline.config`` and third-party libraries. Never ``pipeline.build``,
``pipeline.encode`` or ``pipeline.cli``.
"""

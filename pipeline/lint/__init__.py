"""The linter: load the content once, run the rules over it, return the findings (reporting them is the CLI's).

Holds: the runner (``runner``: selection, severities, suppressions), the checks the build asks for (``inputs``), the
page schema (``schema``), the executable rule examples' format (``examples``), one module per rule code and the
context every rule receives (``rules``), and the pure text analysis the TXT rules use (``text``).

May import: ``pipeline.content``, ``pipeline.config`` and third-party libraries. Never ``pipeline.build``,
``pipeline.encode`` or ``pipeline.cli``.
"""

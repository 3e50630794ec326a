"""Reporters: how a command's result is written for people (text), tools (json, sarif) and CI (github).

Each module holds one command's reporters behind a name registry: ``lint`` (``LINT_REPORTERS``) and ``build``. A
reporter is made with its output stream and options, ``Reporter(stream, **options)``, and writes one result with
``report(result)``; a new format is one class and one registry entry.

May import: the room whose results it writes (``pipeline.lint`` for ``lint``, ``pipeline.build`` for ``build``),
``pipeline.content`` and ``pipeline.config``; this package's ``__init__`` imports nothing, so loading one command's
reporters never loads another room.
"""

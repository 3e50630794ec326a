"""Reporters: what the commands print, for people (text), tools (json, sarif) and CI (github).

One module per command's results, each a name registry: ``lint`` (``LINT_REPORTERS``) and ``build``
(``BUILD_REPORTERS``). A reporter is made with its output stream and options, ``Reporter(stream, **options)``, and
writes one result with ``report(result)``; a new format is one class and one registry entry.

May import: the result types of the room it reports on (``pipeline.lint`` for ``lint``, ``pipeline.build`` for
``build``: data only), ``pipeline.content`` and ``pipeline.config``. This ``__init__`` imports nothing, so loading one
command's reporters never loads another room.
"""

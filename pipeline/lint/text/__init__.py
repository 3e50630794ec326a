"""Text analysis for the TXT rules: tokens and prose fields, word lists, description subjects and similarity,
DOI/citation parsing and numeric figures, and the per-run state the TXT rules share (``site``). No I/O beyond the
package's own word lists and the project's words file; everything is loaded lazily.

May import: ``pipeline.content``, ``pipeline.config`` and third-party libraries; not the rules or the runner.
"""

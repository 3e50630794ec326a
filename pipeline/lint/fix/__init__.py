"""Fixes: what `pipeline lint --fix` repairs, with edits that change only what they must.

Holds: ``source`` (positions in a page's text, minimal line edits), ``scalars`` (a front matter value rewritten in
its own quoting style), ``gallery`` (the gallery regenerated from the renders on disk), ``texts`` (fixes of text
findings: values, DOIs, words), ``apply`` (making the fixes, judged by linting again, and writing them),
``catalog`` (what each rule can fix, for `pipeline rules`) and ``scaffold`` (a new page for a render sequence,
`pipeline new`). Rules attach a fix to a finding with ``fix=...`` from the helpers here, imported when a finding
needs one (so linting a clean site loads none of this).

May import: ``pipeline.content``, ``pipeline.config``, ``pipeline.lint.runner`` and, in functions, the rule modules
whose knowledge a fix follows (TXT006's caption form).
"""

"""The incremental build: plan what each page asks for, decide what is stale, encode it, record it.

Holds: the plan (``plan``), the run (``run``), the manifest (``manifest``), fingerprints (``fingerprint``), the stat
cache (``hashcache``), the output folder's lock (``lock``) and what a build shows while it runs (``progress``).

May import: ``pipeline.content``, ``pipeline.encode``, ``pipeline.config``. Never ``pipeline.lint`` or
``pipeline.cli``: the checks a build runs on its inputs are handed to it by its caller.
"""

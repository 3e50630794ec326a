"""The incremental build: plan what each page asks for, decide what is stale, encode it, record it.

Holds, in the order a build uses them:

* ``api``          ``build_paths``, the entry point: the output folder's lock (``lock``), the sweep of a killed build's
                   temporaries, then one ``session``; ``result``: what a build is asked and what it answers;
* ``session``      ``BuildSession``: plan -> decide -> run -> record -> prune, owning the manifest, the stat cache
                   (its ``state``) and the result;
* ``pages``        page plans with the page records cache (``plan``: pages -> units and outputs, pure);
* ``decide``       the one staleness decision, and the manifest entry it records;
* ``worker``       a unit's work in a worker process (hash, decide, encode through ``pipeline.encode.kinds``), and
                   the pool that runs the units; ``procs``: process tuning (malloc arenas, heap trimming, dying with
                   the build);
* ``fingerprint``  what produced an output; ``manifest``: what each output holds; ``hashcache``: the stat cache;
  ``state``: where both are kept (``.pipeline/<out>/state.sqlite`` beside the configuration, with the lock) and
  how they are saved; ``legacy``: the state older versions kept in the output folder, carried over once;
  ``progress``: what a build shows while it runs.

May import: ``pipeline.content``, ``pipeline.encode``, ``pipeline.config``. Never ``pipeline.lint`` or
``pipeline.cli``: the checks a build runs on its inputs are handed to it by its caller. Nothing here imports
numpy, Pillow or imagequant at module level: the encoders are imported by a worker when it writes an output.
"""

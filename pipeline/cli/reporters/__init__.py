"""What the commands print, one reporter class per output format behind a name registry per command
(``build.BUILD_REPORTERS``): options are passed to the constructor, the output goes to the stream it is given.

May import: ``pipeline.build`` and ``pipeline.lint`` result types (data only), ``pipeline.content``, ``pipeline.config``.
"""

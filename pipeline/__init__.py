"""Content toolchain of the anatomy atlas: lint muscle pages, build their animations and thumbnails."""

__version__ = "0.2.0"

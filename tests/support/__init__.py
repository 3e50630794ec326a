"""Test support, not shipped: the deterministic synthetic render generator (``renders``: the API and command line;
``scene``: what is drawn; ``raster``: how). May import numpy, Pillow and ``pipeline.content.atomic``."""

"""Text analysis for the TXT rules: tokens and prose fields, word lists, description subjects and similarity,
DOI/citation parsing and numeric figures. No I/O beyond the package's own word lists; everything is loaded lazily."""

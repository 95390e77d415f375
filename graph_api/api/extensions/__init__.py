"""Schema extensions: one concern a file (error codes, round-trip counts, request limits)."""

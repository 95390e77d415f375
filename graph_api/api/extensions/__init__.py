"""Schema extensions: one concern a file (error codes, round-trip counts, request limits,
persisted queries, cached parsing and validation, compiled reads)."""

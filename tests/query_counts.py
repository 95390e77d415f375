"""Recorded Cypher round trips per operation (`query_counts.json`), held as a baseline.

A change that makes an operation cost more round trips than recorded fails its test. Fewer are
accepted: the loaders' cache can spare a query when earlier tests left related records in the
graph, so the count of a few operations depends on what the database holds; record the better
figure when a change makes an operation cheaper for good. Operations that resolve a recipient
list also bring the recipient index up to date first, from no round trip to a whole load (about
eight) depending on what earlier tests changed and on the reload interval's clock: their recorded
figure is the full suite's plus eight. `UPDATE_QUERY_COUNTS=1 ./dev test
tests/integration/test_docs.py` rewrites the file with what the operations cost now.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

BASELINE_FILE = Path(__file__).resolve().parent / "query_counts.json"


class QueryCounts:
    def __init__(self, path: Path = BASELINE_FILE) -> None:
        self.path = path
        self.updating = os.environ.get("UPDATE_QUERY_COUNTS") == "1"
        self.baseline: dict[str, int] = json.loads(path.read_text()) if path.exists() else {}
        self.observed: dict[str, int] = {}

    def check(self, operation: str, round_trips: int) -> None:
        self.observed[operation] = round_trips
        if self.updating:
            return
        assert operation in self.baseline, (
            f"{operation!r} has no recorded round trips: run UPDATE_QUERY_COUNTS=1 ./dev test "
            "tests/integration/test_docs.py"
        )
        assert round_trips <= self.baseline[operation], (
            f"{operation!r} now costs {round_trips} Cypher round trips, recorded {self.baseline[operation]}; "
            "if that is intended, rerun with UPDATE_QUERY_COUNTS=1"
        )

    def save(self) -> None:
        if self.updating and self.observed:
            self.path.write_text(json.dumps(dict(sorted(self.observed.items())), indent=2) + "\n")

"""Deduplication judged on the hand-labelled pairs the tests ship: precision and recall."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_api.feeds.dedup import Deduplicator, Verdict

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "open_source_pairs.json"


@dataclass(frozen=True)
class Scores:
    pairs: int
    true_positives: int
    false_positives: int
    false_negatives: int
    wrong: list[dict[str, Any]]

    @property
    def precision(self) -> float:
        judged = self.true_positives + self.false_positives
        return self.true_positives / judged if judged else 1.0

    @property
    def recall(self) -> float:
        actual = self.true_positives + self.false_negatives
        return self.true_positives / actual if actual else 1.0


def judged_duplicate(pair: dict[str, Any]) -> bool:
    """Whether deduplication, having stored `a`, takes `b` for the same item."""
    dedup = Deduplicator()
    a, b = pair["a"], pair["b"]
    assert dedup.decide(a["feed"], a["link"], a["title"], a["summary"]).verdict == Verdict.NEW
    return dedup.decide(b["feed"], b["link"], b["title"], b["summary"]).verdict != Verdict.NEW


def scores(path: Path = PAIRS) -> Scores:
    pairs = json.loads(path.read_text())["pairs"]
    tp = fp = fn = 0
    wrong = []
    for pair in pairs:
        said = judged_duplicate(pair)
        if said and pair["duplicate"]:
            tp += 1
        elif said:
            fp += 1
            wrong.append(pair)
        elif pair["duplicate"]:
            fn += 1
            wrong.append(pair)
    return Scores(len(pairs), tp, fp, fn, wrong)

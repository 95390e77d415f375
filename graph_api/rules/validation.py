"""Checking records before any write: the interchange rules, finished with what the graph holds."""

from __future__ import annotations

from typing import Any

from graph_api.domain.interchange import (
    COLLECTIONS,
    Problem,
    Record,
    check_against_graph,
    check_document,
    clean,
)
from graph_api.store.database import Reader
from graph_api.store.records import graph_facts


async def check_records(db: Reader, document: Any) -> tuple[list[Problem], dict[str, list[Record]]]:
    """Check a document against itself and the graph without planning any write."""
    checked = check_document(document)
    facts = await graph_facts(db, checked)
    problems = sorted(checked.problems + check_against_graph(checked, facts), key=lambda p: p.path)
    return problems, {name: [clean(r) for r in checked.records[name]] for name in COLLECTIONS}

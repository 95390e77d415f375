"""Checking records before any write: the interchange rules, finished with what the graph holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

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

T = TypeVar("T")
# Work over more records than this runs in a thread: seconds of Python for a large import, which
# would hold up every other request on the event loop. Fewer (an edit) cost less than the hop.
THREAD_RECORDS = 1000


async def sized_work(records: int, work: Callable[..., T], *args: Any) -> T:
    """`work(*args)`, in a thread when it handles more than `THREAD_RECORDS` records."""
    if records > THREAD_RECORDS:
        return await asyncio.to_thread(work, *args)
    return work(*args)


def _records_in(document: Any) -> int:
    if not isinstance(document, dict):
        return 0
    return sum(len(value) for value in document.values() if isinstance(value, list))


async def check_records(db: Reader, document: Any) -> tuple[list[Problem], dict[str, list[Record]]]:
    """Check a document against itself and the graph without planning any write. The checks of
    a large document take seconds of Python: they run in a thread, so that the service answers
    others meanwhile."""
    records = _records_in(document)
    checked = await sized_work(records, check_document, document)
    facts = await graph_facts(db, checked)

    def finish() -> tuple[list[Problem], dict[str, list[Record]]]:
        problems = sorted(checked.problems + check_against_graph(checked, facts), key=lambda p: p.path)
        return problems, {name: [clean(r) for r in checked.records[name]] for name in COLLECTIONS}

    return await sized_work(records, finish)

"""Export: the graph, or some of its records, as an interchange document."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph_api.domain.interchange import COLLECTIONS, Record, canonical, without_version
from graph_api.store.database import Database, Reader

READ_CHUNK = 5000


def _chunks(ids: list[str], size: int = READ_CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


async def read_records(db: Reader, collection: str, ids: Iterable[str]) -> list[Record]:
    """The canonical records of `collection` with these ids (partner ids for subscriptions)."""
    wanted = sorted(set(ids))
    records: list[Record] = []
    for chunk in _chunks(wanted):
        rows = await db.read(f"export/{collection}", ids=chunk)
        records += [canonical(collection, row) for row in rows]
    return records


async def export_network(db: Database) -> dict[str, Any]:
    ids = (await db.read("export/ids"))[0]
    return {
        name: [without_version(r) for r in await read_records(db, name, ids[name])] for name in COLLECTIONS
    }


async def graph_counts(db: Database) -> tuple[int, int]:
    row = (await db.read("graph_counts"))[0]
    return int(row["nodes"]), int(row["relationships"])

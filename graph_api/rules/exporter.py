"""Export: the graph, or some of its records, as an interchange document."""

from __future__ import annotations

from typing import Any

from graph_api.domain.interchange import COLLECTIONS, without_version
from graph_api.store.database import Database
from graph_api.store.records import read_records


async def export_network(db: Database) -> dict[str, Any]:
    ids = (await db.read("export/ids"))[0]
    return {
        name: [without_version(r) for r in await read_records(db, name, ids[name])] for name in COLLECTIONS
    }


async def graph_counts(db: Database) -> tuple[int, int]:
    row = (await db.read("graph_counts"))[0]
    return int(row["nodes"]), int(row["relationships"])

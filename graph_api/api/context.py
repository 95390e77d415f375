"""The per-request context: the database, settings, who is asking, and this request's loaders."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from graph_api.database import Database, Record
from graph_api.exporter import read_records
from graph_api.settings import Settings


@dataclass
class Loaders:
    """Batch look-ups: one round trip per kind of thing per level of a query, not one per item."""

    db: Database
    _by_id: dict[str, DataLoader[str, Record | None]] = field(default_factory=dict)
    _related: dict[str, DataLoader[str, list[Record]]] = field(default_factory=dict)

    def record(self, collection: str) -> DataLoader[str, Record | None]:
        if collection not in self._by_id:

            async def load(ids: list[str]) -> list[Record | None]:
                found = {r["id"]: r for r in await read_records(self.db, collection, ids)}
                return [found.get(i) for i in ids]

            self._by_id[collection] = DataLoader(load_fn=load)
        return self._by_id[collection]

    def related(self, statement: str) -> DataLoader[str, list[Record]]:
        """Rows of a `read/<statement>` query grouped by their `key` column."""
        if statement not in self._related:

            async def load(keys: list[str]) -> list[list[Record]]:
                grouped: dict[str, list[Record]] = defaultdict(list)
                for row in await self.db.read(f"read/{statement}", ids=keys):
                    grouped[row["key"]].append(row)
                return [grouped.get(k, []) for k in keys]

            self._related[statement] = DataLoader(load_fn=load)
        return self._related[statement]


@dataclass
class Context:
    db: Database
    settings: Settings
    loaders: Loaders
    actor: str = "anonymous"
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    extra: dict[str, Any] = field(default_factory=dict)

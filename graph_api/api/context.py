"""The per-request context: the database, settings, who is asking, and this request's loaders."""

from __future__ import annotations

import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from strawberry.dataloader import DataLoader

from graph_api.domain.entities import ENTITIES
from graph_api.events.hub import Hub
from graph_api.identity import Principal
from graph_api.rules import access, reports
from graph_api.settings import Settings
from graph_api.store.database import Database, Record
from graph_api.store.keyset import KeysetPage, Slice
from graph_api.store.listing import owned_rows, related_ids
from graph_api.store.records import read_records

VisibleProducts = Callable[[], Awaitable[frozenset[str] | None]]


class Connection(Protocol):
    """A long-lived connection (a WebSocket) that an operation may end, with a code and a reason."""

    async def close(self, code: int, reason: str) -> None: ...

    def close_soon(self, code: int, reason: str) -> None: ...

    def send_soon(self, text: str) -> bool:
        """Puts a finished message on the connection's outbox, sent in order and before any
        message sent later; False (nothing queued) when the connection is closing or too slow."""
        ...


@dataclass
class Loaders:
    """Batch look-ups: one round trip per kind of thing per level of a query, not one per item."""

    db: Database
    visible_products: VisibleProducts
    principal: Principal
    _by_id: dict[str, DataLoader[str, Record | None]] = field(default_factory=dict)
    _related: dict[str, DataLoader[str, list[Record]]] = field(default_factory=dict)
    _pages: dict[str, DataLoader[str, KeysetPage]] = field(default_factory=dict)

    def record(self, collection: str) -> DataLoader[str, Record | None]:
        if collection not in self._by_id:

            async def load(keys: list[str]) -> list[Record | None]:
                ids = keys
                if collection == "products":
                    # A product this user may not see does not exist for them, on every path.
                    visible = await self.visible_products()
                    ids = keys if visible is None else [i for i in keys if i in visible]
                found = {r["id"]: r for r in await read_records(self.db, collection, ids)}
                return [found.get(i) for i in keys]

            self._by_id[collection] = DataLoader(load_fn=load)
        return self._by_id[collection]

    @property
    def report(self) -> DataLoader[str, Record | None]:
        """Reports by id, each only if this user may see it."""
        if "reports" not in self._by_id:

            async def load(keys: list[str]) -> list[Record | None]:
                found = {r["id"]: r for r in await reports.records(self.db, list(keys), self.principal)}
                return [found.get(k) for k in keys]

            self._by_id["reports"] = DataLoader(load_fn=load)
        return self._by_id["reports"]

    def related_page(
        self, parent: str, relation: str, where: Any, sort: Any, window: Slice
    ) -> DataLoader[str, KeysetPage]:
        """Pages of a nested connection: every parent at one level of a query in one round trip."""
        key = json.dumps([parent, relation, where, sort, window.__dict__], sort_keys=True, default=str)
        if key not in self._pages:
            target = ENTITIES[parent].relations[relation].target

            async def load(parents: list[str]) -> list[KeysetPage]:
                visible = await self.visible_products() if target == "InformationProduct" else None
                pages = await related_ids(self.db, parent, relation, parents, where, sort, window, visible)
                return [pages.get(p, KeysetPage(0, [], [], False, False)) for p in parents]

            self._pages[key] = DataLoader(load_fn=load)
        return self._pages[key]

    def owned(self, owner: str, field: str) -> DataLoader[str, list[Record]]:
        """The rows of `owner.field` (e.g. a partner's memberships) for every owner at one level."""
        key = f"{owner}.{field}"
        if key not in self._related:

            async def load(keys: list[str]) -> list[list[Record]]:
                grouped = await owned_rows(self.db, owner, field, keys)
                return [grouped[k] for k in keys]

            self._related[key] = DataLoader(load_fn=load)
        return self._related[key]

    def keyed(self, statement: str) -> DataLoader[str, list[Record]]:
        """The rows of `read/<statement>` (given `$ids`) grouped by their `key` column."""
        if statement not in self._related:

            async def load(keys: list[str]) -> list[list[Record]]:
                grouped: dict[str, list[Record]] = {k: [] for k in keys}
                for row in await self.db.read(f"read/{statement}", ids=keys):
                    grouped[row["key"]].append(row)
                return [grouped[k] for k in keys]

            self._related[statement] = DataLoader(load_fn=load)
        return self._related[statement]


@dataclass
class Context:
    db: Database
    settings: Settings
    principal: Principal
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    # Over a WebSocket: the process's event hub, and the connection itself.
    hub: Hub | None = None
    connection: Connection | None = None
    _visible: list[frozenset[str] | None] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.loaders = Loaders(self.db, self.visible_products, self.principal)

    def refresh(self, visible: frozenset[str] | None = None) -> None:
        """Forget what earlier results loaded: a connection lives long, and each event is read
        fresh. `visible`, when known (the hub has just checked the event's product), saves
        asking again."""
        self.loaders = Loaders(self.db, self.visible_products, self.principal)
        self._visible.clear()
        if visible is not None:
            self._visible.append(visible)

    @property
    def actor(self) -> str:
        return self.principal.subject

    async def visible_products(self) -> frozenset[str] | None:
        """Computed once per request, on first need."""
        if not self._visible:
            self._visible.append(await access.visible_products(self.db, self.principal))
        return self._visible[0]

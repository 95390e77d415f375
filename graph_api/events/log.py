"""Appending to the event log inside a change's own transaction, and reading it back in order."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from graph_api.events.kinds import EventKind
from graph_api.store.database import Database, Record, Transaction

PRUNE_BATCH = 10_000


@dataclass(frozen=True)
class NewEvent:
    """An event to append; what it is about is in the fields that apply to its kind."""

    kind: EventKind
    actor: str | None = None
    product: str | None = None
    partner: str | None = None
    message: str | None = None
    status: str | None = None
    collection: str | None = None
    key: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    def row(self) -> Record:
        return {
            "kind": self.kind.value,
            "actor": self.actor,
            "product": self.product,
            "partner": self.partner,
            "message": self.message,
            "status": self.status,
            "collection": self.collection,
            "key": self.key,
            "detail": json.dumps(self.detail, sort_keys=True, default=str) if self.detail else None,
        }


@dataclass(frozen=True)
class Event:
    """An event as the log holds it: its number, when it was appended, and what it is about."""

    sequence: int
    kind: EventKind
    at: str
    actor: str | None
    product: str | None
    partner: str | None
    message: str | None
    status: str | None
    collection: str | None
    key: str | None
    detail: dict[str, Any]

    @staticmethod
    def of(row: Record) -> Event:
        return Event(
            sequence=int(row["sequence"]),
            kind=EventKind(row["kind"]),
            at=str(row["at"]),
            actor=row["actor"],
            product=row["product"],
            partner=row["partner"],
            message=row["message"],
            status=row["status"],
            collection=row["collection"],
            key=row["key"],
            detail=json.loads(row["detail"]) if row["detail"] else {},
        )


def append(tx: Transaction, events: list[NewEvent]) -> None:
    """Append `events` to the log as part of this transaction: they are numbered and written by
    its last statement, just before the commit, and only if it commits."""
    tx.append_events([e.row() for e in events])


async def read_after(db: Database, after: int, limit: int) -> list[Event]:
    return [Event.of(row) for row in await db.read("events/after", after=after, limit=limit)]


async def last_sequence(db: Database) -> int:
    rows = await db.read("events/last")
    return int(rows[0]["last"]) if rows else 0


async def first_sequence(db: Database) -> int | None:
    rows = await db.read("events/first")
    return int(rows[0]["first"]) if rows else None


async def prune(db: Database, retention_seconds: float) -> int:
    """Remove the events older than the retention; the number removed."""
    total = 0
    while True:
        rows = await db.write("events/prune", retentionSeconds=int(retention_seconds), limit=PRUNE_BATCH)
        pruned = int(rows[0]["pruned"]) if rows else 0
        total += pruned
        if pruned < PRUNE_BATCH:
            return total

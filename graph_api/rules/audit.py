"""The audit trail: who did what, when, with which arguments, and how it ended.

Tamper-evident: each record carries a sequence number, the hash of the record before it and the
SHA-256 of its own content with that link, so altering, removing or inserting a record directly in
the database breaks the chain, and `verify_chain` names the first record where it breaks.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.store.database import Database, Record, Transaction
from graph_api.store.paging import Page, Window

MAX_ARGUMENT_CHARS = 4000


def _summary(arguments: dict[str, Any]) -> str:
    text = json.dumps(arguments, sort_keys=True, default=str)
    return text if len(text) <= MAX_ARGUMENT_CHARS else text[:MAX_ARGUMENT_CHARS] + "…(truncated)"


@dataclass
class AuditEntry:
    """What the audited operation adds to its record: for an edit, each record's state before and
    after ({collection, key, before, after}; null before = created, null after = deleted)."""

    changes: list[dict[str, Any]] = field(default_factory=list)


@asynccontextmanager
async def audited(
    db: Database,
    principal: Principal,
    operation: str,
    arguments: dict[str, Any],
    later: list[asyncio.Task[None]] | None = None,
) -> AsyncIterator[AuditEntry]:
    """Append one audit record for the operation run inside, whether it succeeds or fails.

    With `later`, the record of a success is committed while the caller goes on with its answer
    (the commit is a task added to `later`, which the caller awaits before it answers); a
    failure's record is committed before the error goes on, as without."""
    outcome = "OK"
    entry = AuditEntry()
    try:
        yield entry
    except ServiceError as exc:
        outcome = exc.code
        raise
    except Exception:
        outcome = "INTERNAL_SERVER_ERROR"
        raise
    finally:
        recording = append(db, principal, operation, arguments, outcome, entry.changes)
        if later is not None and outcome == "OK":
            later.append(asyncio.ensure_future(recording))
        else:
            await recording


async def append(
    db: Database,
    principal: Principal,
    operation: str,
    arguments: dict[str, Any],
    outcome: str,
    changes: list[dict[str, Any]] | None = None,
) -> None:
    """One audit record, linked to the chain (also for operations `audited` cannot wrap)."""
    await append_record(
        db,
        {
            "actor": principal.subject,
            "role": principal.role.value,
            "partner": principal.partner,
            "operation": operation,
            "arguments": _summary(arguments),
            "outcome": outcome,
            # Kept whole, unlike the arguments: the before and after states are the point.
            "changes": json.dumps(changes, sort_keys=True, default=str) if changes else None,
        },
    )


# The fields a record's hash covers, in this order.
HASHED_FIELDS = (
    "sequence",
    "previousHash",
    "id",
    "atMillis",
    "actor",
    "role",
    "partner",
    "operation",
    "arguments",
    "outcome",
    "changes",
)


def record_hash(record: Record) -> str:
    canonical = json.dumps([record.get(name) for name in HASHED_FIELDS], ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def append_record(db: Database, content: Record) -> None:
    """Link a new record to the chain's head; returns once it is committed.

    Records are appended in groups: while one group's transaction holds the head's lock, the
    records that arrive meanwhile wait for the next group, which links them all in one
    transaction. One process then takes the lock once per group instead of once per record, and
    a burst of audited requests does not queue on the lock, each holding it for its round trips."""
    await _chain_writer(db).append(content)


@dataclass
class _ChainWriter:
    """The group appender of one process's database, on one event loop."""

    db: Database
    loop: asyncio.AbstractEventLoop
    waiting: list[tuple[Record, asyncio.Future[None]]] = field(default_factory=list)
    draining: asyncio.Task[None] | None = None

    async def append(self, content: Record) -> None:
        committed: asyncio.Future[None] = self.loop.create_future()
        self.waiting.append((content, committed))
        if self.draining is None or self.draining.done():
            self.draining = self.loop.create_task(self._drain())
        await committed

    async def _drain(self) -> None:
        while self.waiting:
            group, self.waiting = self.waiting, []
            contents = [content for content, _ in group]
            try:
                await self.db.in_write_transaction(functools.partial(_append_group, contents=contents))
            except Exception as exc:  # each waiting request reports its own failure
                for _, committed in group:
                    if not committed.done():
                        committed.set_exception(exc)
            else:
                for _, committed in group:
                    if not committed.done():
                        committed.set_result(None)


def _chain_writer(db: Database) -> _ChainWriter:
    # Futures and tasks belong to one event loop; a process may run several in turn (tests).
    loop = asyncio.get_running_loop()
    writer = db.derived.get("audit_chain")
    if not isinstance(writer, _ChainWriter) or writer.loop is not loop:
        writer = db.derived["audit_chain"] = _ChainWriter(db.fresh(), loop)
    return writer


async def _append_group(tx: Transaction, *, contents: list[Record]) -> None:
    """Link the records, in order, after the head, in one transaction that holds its lock."""
    head = (await tx.run("audit/head"))[0]
    sequence, previous = int(head["sequence"]), head["hash"]
    records = []
    for content in contents:
        sequence += 1
        record = {
            **content,
            "id": str(uuid.uuid4()),
            "atMillis": int(time.time() * 1000),
            "sequence": sequence,
            "previousHash": previous,
        }
        record["hash"] = previous = record_hash(record)
        records.append(record)
    await tx.run("audit/append", records=records, sequence=sequence, hash=previous)


@dataclass(frozen=True)
class ChainReport:
    records: int
    unchained: int  # written before records were chained; nothing to verify them against
    broken_at: Record | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None and not self.reason


async def verify_chain(db: Database, page_size: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first record whose link or content does not match."""
    facts = (await db.read("audit/chain_facts"))[0]
    unchained = int(facts["unchained"])
    expected_sequence, previous_hash, seen = 1, "", 0
    while True:
        page = await db.read("audit/chain", after=expected_sequence - 1, limit=page_size)
        for record in page:
            seen += 1
            if record["sequence"] != expected_sequence:
                reason = (
                    f"sequence {record['sequence']} where {expected_sequence} was due: a record is missing"
                )
                return ChainReport(seen, unchained, record, reason)
            if record["previousHash"] != previous_hash:
                reason = (
                    "its link to the record before does not match: a record before it was altered or replaced"
                )
                return ChainReport(seen, unchained, record, reason)
            if record_hash(record) != record["hash"]:
                return ChainReport(
                    seen, unchained, record, "its content does not match its hash: it was altered"
                )
            expected_sequence, previous_hash = expected_sequence + 1, record["hash"]
        if len(page) < page_size:
            break
    if int(facts["sequence"]) != seen or facts["hash"] != previous_hash:
        reason = (
            f"the chain's head names record {facts['sequence']}, the trail ends at {seen}: "
            "records were removed"
        )
        return ChainReport(seen, unchained, None, reason)
    return ChainReport(seen, unchained)


async def audit_page(db: Database, operation: str | None, window: Window) -> Page[Record]:
    offset, limit = window.forward()
    row = (await db.read("audit/page", operation=operation, offset=offset, limit=limit))[0]
    return Page(int(row["total"]), offset, row["items"])

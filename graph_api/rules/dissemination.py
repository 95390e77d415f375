"""Dissemination: a delivery per recipient and a queued message per (contact, channel), written in
one transaction, once; and reading them back."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.delivery import outbox
from graph_api.domain.messages import Addressee, planned_messages
from graph_api.rules.recipients import RecipientList, recipients_of
from graph_api.store.database import Database, Record, Transaction


@dataclass(frozen=True)
class DisseminationReport:
    recipients: RecipientList
    newly_delivered: int
    already_delivered: int
    messages_queued: int


@dataclass(frozen=True)
class Page:
    """One page of a list and the size of the whole list."""

    total: int
    items: list[Record]


async def disseminate(db: Database, product_id: str, actor: str) -> DisseminationReport:
    resolved = await recipients_of(db, product_id)
    rows = [{"partner": r.partner["id"], "channels": r.channels} for r in resolved.recipients]
    planned = planned_messages(
        product_id, (Addressee(r.partner["id"], r.channels, r.contacts) for r in resolved.recipients)
    )

    async def write(tx: Transaction) -> tuple[int, int]:
        result = await tx.run(
            "recipients/record_deliveries", productId=product_id, deliveries=rows, actor=actor
        )
        created = int(result[0]["created"]) if result else 0
        return created, await outbox.enqueue(tx, product_id, planned)

    created, queued = await db.in_write_transaction(write)
    return DisseminationReport(resolved, created, len(rows) - created, queued)


async def deliveries(
    db: Database, product_id: str, offset: int, limit: int, unacknowledged_only: bool = False
) -> Page:
    row = (
        await db.read(
            "recipients/deliveries",
            productId=product_id,
            offset=offset,
            limit=limit,
            unacknowledgedOnly=unacknowledged_only,
        )
    )[0]
    return Page(int(row["total"]), row["items"])


async def watch_queue(db: Database, channel: str | None, offset: int, limit: int) -> Page:
    """Phone calls and watch-center notices waiting for a person, oldest first (message ids)."""
    row = (await db.read("delivery/watch_queue", channel=channel, offset=offset, limit=limit))[0]
    return Page(int(row["total"]), row["items"])


async def inbox(
    db: Database, partner_id: str, offset: int, limit: int, visible: frozenset[str] | None = None
) -> Page:
    """`visible` (None: all) is the set of products the reader may see."""
    only = None if visible is None else sorted(visible)
    row = (await db.read("recipients/inbox", partnerId=partner_id, offset=offset, limit=limit, visible=only))[
        0
    ]
    return Page(int(row["total"]), row["items"])

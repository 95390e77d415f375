"""Dissemination: a delivery per recipient and a queued message per (contact, channel), written in
one transaction, once; and reading them back."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api import events
from graph_api.delivery import outbox
from graph_api.domain.messages import Addressee, content_allowed, planned_messages
from graph_api.events import changes
from graph_api.rules.recipients import Recipient, RecipientList, recipients_of
from graph_api.store.database import Database, Record, Transaction
from graph_api.store.paging import Page, Window


@dataclass(frozen=True)
class DisseminationReport:
    recipients: RecipientList
    newly_delivered: int
    already_delivered: int
    messages_queued: int


async def by_digest(db: Database, resolved: RecipientList) -> set[str]:
    """The recipients that read this product in their daily digest instead of a message of its
    own: it may travel with its content, and each of their reasons is a subscription to a sector
    they follow by digest. Asks the database only when some recipient might be one."""
    product = resolved.product
    if not content_allowed(product["tlp"], bool(product["pcii"])):
        return set()
    only_subscribed = [
        r for r in resolved.recipients if all(reason.source == "SUBSCRIPTION" for reason in r.reasons)
    ]
    if not only_subscribed:
        return set()
    rows = await db.read("read/digest_sectors", ids=[r.partner["id"] for r in only_subscribed])
    digest_sectors = {row["partner"]: set(row["sectors"]) for row in rows}

    def reads_digest(r: Recipient) -> bool:
        followed = digest_sectors.get(r.partner["id"], set())
        return all(reason.ref in followed for reason in r.reasons)

    return {r.partner["id"] for r in only_subscribed if reads_digest(r)}


async def disseminate(db: Database, product_id: str, actor: str) -> DisseminationReport:
    resolved = await recipients_of(db, product_id)
    rows = [{"partner": r.partner["id"], "channels": r.channels} for r in resolved.recipients]
    channels = {row["partner"]: row["channels"] for row in rows}
    digest_readers = await by_digest(db, resolved)
    planned = planned_messages(
        product_id,
        (
            Addressee(r.partner["id"], r.channels, r.contacts)
            for r in resolved.recipients
            if r.partner["id"] not in digest_readers
        ),
    )

    async def write(tx: Transaction) -> tuple[int, int]:
        result = await tx.run(
            "recipients/record_deliveries", productId=product_id, deliveries=rows, actor=actor
        )
        created: list[str] = result[0]["createdPartners"] if result else []
        queued = await outbox.enqueue(tx, product_id, planned)
        events.append(
            tx,
            [
                *(changes.delivered(product_id, p, channels[p], actor) for p in created),
                changes.disseminated(product_id, actor, len(created), len(rows) - len(created), queued),
            ],
        )
        return len(created), queued

    created, queued = await db.in_write_transaction(write)
    return DisseminationReport(resolved, created, len(rows) - created, queued)


async def deliveries(
    db: Database, product_id: str, window: Window, unacknowledged_only: bool = False
) -> Page[Record]:
    """With `unacknowledged_only`, those whose partner has not acknowledged the product yet."""
    offset, limit = window.forward()
    row = (
        await db.read(
            "recipients/deliveries",
            productId=product_id,
            offset=offset,
            limit=limit,
            unacknowledgedOnly=unacknowledged_only,
        )
    )[0]
    return Page(int(row["total"]), offset, row["items"])


async def watch_queue(db: Database, channel: str | None, window: Window) -> Page[str]:
    """Phone calls and watch-center notices waiting for a person, oldest first (message ids)."""
    offset, limit = window.forward()
    row = (await db.read("delivery/watch_queue", channel=channel, offset=offset, limit=limit))[0]
    return Page(int(row["total"]), offset, [str(i) for i in row["items"]])


async def inbox(
    db: Database, partner_id: str, window: Window, visible: frozenset[str] | None = None
) -> Page[Record]:
    """`visible` (None: all) is the set of products the reader may see."""
    only = None if visible is None else sorted(visible)
    offset, limit = window.forward()
    row = (await db.read("recipients/inbox", partnerId=partner_id, offset=offset, limit=limit, visible=only))[
        0
    ]
    return Page(int(row["total"]), offset, row["items"])

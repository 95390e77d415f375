"""What people do with messages: acknowledge a product (as a user or by a message's signed one-use
link), requeue a failed message, mark a phone call or watch-center notice done; and reading them."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.delivery import outbox
from graph_api.delivery.links import message_of_token
from graph_api.delivery.outbox import Acknowledgement
from graph_api.store.database import Database, Transaction

VIA_USER = "USER"
VIA_LINK = "LINK"


async def acknowledge(db: Database, product_id: str, partner_id: str, by: str) -> Acknowledgement:
    """The first acknowledgement of the product by the partner counts; a later one changes nothing."""

    async def work(tx: Transaction) -> Acknowledgement:
        return await outbox.acknowledge(tx, product_id, partner_id, by, VIA_USER)

    return await db.in_write_transaction(work)


@dataclass(frozen=True)
class LinkUse:
    message: str
    product: str
    partner: str
    partner_name: str
    used_before: str | None  # the time of the link's first use, when this is not it
    acknowledgement: Acknowledgement | None  # None when the link had been used before


async def use_link(db: Database, key: bytes, token: str) -> LinkUse | None:
    """What opening an acknowledgement link did; None for a link this service did not sign."""
    message_id = message_of_token(key, token)
    if message_id is None:
        return None

    async def work(tx: Transaction) -> LinkUse | None:
        rows = await tx.run("delivery/use_link", id=message_id)
        if not rows:
            return None
        row = rows[0]
        if row["usedBefore"] is not None:
            return LinkUse(
                message_id, row["product"], row["partner"], row["partnerName"], row["usedBefore"], None
            )
        answer = await outbox.acknowledge(tx, row["product"], row["partner"], row["contact"], VIA_LINK)
        return LinkUse(message_id, row["product"], row["partner"], row["partnerName"], None, answer)

    return await db.in_write_transaction(work)


async def retry(db: Database, message_id: str, actor: str) -> None:
    async def work(tx: Transaction) -> None:
        await outbox.requeue(tx, message_id, actor)

    await db.in_write_transaction(work)


async def complete_manual(db: Database, message_id: str, actor: str, note: str | None) -> None:
    async def work(tx: Transaction) -> None:
        await outbox.complete_manual(tx, message_id, actor, note)

    await db.in_write_transaction(work)

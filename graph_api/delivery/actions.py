"""What people do with messages: acknowledge a product (as a user or by a message's signed one-use
link), requeue a failed message, mark a phone call or watch-center notice done; and reading them."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.delivery import outbox
from graph_api.delivery.links import message_of_token
from graph_api.delivery.outbox import Acknowledgement
from graph_api.store.database import Database, Record, Transaction

VIA_USER = "USER"
VIA_LINK = "LINK"


async def acknowledge(db: Database, product_id: str, partner_id: str, by: str) -> Acknowledgement:
    """The first acknowledgement of the product by the partner counts; a later one changes nothing."""

    async def work(tx: Transaction) -> Acknowledgement:
        return await outbox.acknowledge(tx, product_id, partner_id, by, VIA_USER)

    return await db.in_write_transaction(work)


@dataclass(frozen=True)
class LinkState:
    """What a message's acknowledgement link leads to, and whether it still works."""

    message: str
    product: str
    partner: str
    partner_name: str
    used_before: str | None  # when the link was used (None: not yet)
    expires_at: str
    expired: bool


@dataclass(frozen=True)
class LinkUse:
    link: LinkState  # as it was before this use
    acknowledgement: Acknowledgement | None  # None when the link had been used before or expired

    @property
    def changed(self) -> bool:
        return self.acknowledgement is not None


def _state(message_id: str, row: Record) -> LinkState:
    return LinkState(
        message_id,
        row["product"],
        row["partner"],
        row["partnerName"],
        row["usedBefore"],
        row["expiresAt"],
        bool(row["expired"]),
    )


async def link_state(db: Database, key: bytes, token: str, lifetime_seconds: float) -> LinkState | None:
    """What the link would do, changing nothing; None for a link this service did not sign."""
    message_id = message_of_token(key, token)
    if message_id is None:
        return None
    rows = await db.read("delivery/link_state", id=message_id, lifetimeSeconds=lifetime_seconds)
    return _state(message_id, rows[0]) if rows else None


async def use_link(db: Database, key: bytes, token: str, lifetime_seconds: float) -> LinkUse | None:
    """Acknowledge by a message's link: the first use before it expires counts, any other use
    changes nothing. None for a link this service did not sign."""
    message_id = message_of_token(key, token)
    if message_id is None:
        return None

    async def work(tx: Transaction) -> LinkUse | None:
        rows = await tx.run("delivery/use_link", id=message_id, lifetimeSeconds=lifetime_seconds)
        if not rows:
            return None
        row = rows[0]
        state = _state(message_id, row)
        if state.used_before is not None or state.expired:
            return LinkUse(state, None)
        answer = await outbox.acknowledge(tx, row["product"], row["partner"], row["contact"], VIA_LINK)
        return LinkUse(state, answer)

    return await db.in_write_transaction(work)


async def retry(db: Database, message_id: str, actor: str) -> None:
    async def work(tx: Transaction) -> None:
        await outbox.requeue(tx, message_id, actor)

    await db.in_write_transaction(work)


async def complete_manual(db: Database, message_id: str, actor: str, note: str | None) -> None:
    async def work(tx: Transaction) -> None:
        await outbox.complete_manual(tx, message_id, actor, note)

    await db.in_write_transaction(work)

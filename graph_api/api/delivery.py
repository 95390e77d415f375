"""Delivery in GraphQL: messages and their status, the watch queue, acknowledgements, retries."""

from __future__ import annotations

import strawberry

from graph_api.api.enums import Channel
from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.permissions import Requires
from graph_api.api.projected import answer
from graph_api.api.types import Contact, Info, InformationProduct, Partner, load_existing, load_one
from graph_api.delivery import actions
from graph_api.domain.messages import MessageStatus
from graph_api.errors import NotFound
from graph_api.rules import access, dissemination, recipients
from graph_api.rules.access import Action
from graph_api.rules.audit import audited
from graph_api.store.database import Record

strawberry.enum(
    MessageStatus,
    description="QUEUED: waiting for the worker. SENT: accepted by the mail server or webhook, or "
    "marked done by a person. FAILED: the last attempt failed and another is scheduled. DEAD: "
    "every attempt failed; retryDelivery requeues it. MANUAL: a phone call or watch-center notice "
    "waiting for a person (completeManualDelivery).",
)


@strawberry.type(description="One message of a product to one contact on one channel.")
class Message:
    id: strawberry.ID = strawberry.field(description="Stable; also the email's Message-ID.")
    channel: Channel
    status: MessageStatus
    address: str | None = strawberry.field(description="The email address, for EMAIL.")
    attempts: int = strawberry.field(description="Sending attempts made so far.")
    last_error: str | None = strawberry.field(description="Why the last attempt failed.")
    next_attempt_at: str | None = strawberry.field(description="When a FAILED message is tried again.")
    created_at: str
    sent_at: str | None
    completed_by: str | None = strawberry.field(description="Who marked a manual message done.")
    note: str | None
    link_used_at: str | None = strawberry.field(description="When its acknowledgement link was opened.")
    _product: strawberry.Private[str]
    _partner: strawberry.Private[str]
    _contact: strawberry.Private[str | None]

    @strawberry.field
    async def product(self, info: Info) -> InformationProduct:
        return await load_existing(info, "products", self._product, InformationProduct)

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)

    @strawberry.field
    async def contact(self, info: Info) -> Contact | None:
        return await load_one(info, "contacts", self._contact, Contact)

    @staticmethod
    def of(row: Record) -> Message:
        return Message(
            id=strawberry.ID(row["id"]),
            channel=Channel(row["channel"]),
            status=MessageStatus(row["status"]),
            address=row["address"],
            attempts=int(row["attempts"] or 0),
            last_error=row["lastError"],
            next_attempt_at=row["nextAttemptAt"],
            created_at=row["createdAt"],
            sent_at=row["sentAt"],
            completed_by=row["completedBy"],
            note=row["note"],
            link_used_at=row["linkUsedAt"],
            _product=row["product"],
            _partner=row["partner"],
            _contact=row["contact"],
        )


async def load_messages(info: Info, ids: list[str]) -> list[Message]:
    """Messages by id, batched across the request."""
    found = await info.context.loaders.keyed("messages").load_many(ids)
    return [Message.of(rows[0]) for rows in found if rows]


async def _message(info: Info, message_id: str) -> Message:
    found = await load_messages(info, [message_id])
    if not found:
        raise NotFound(f"No message has the id '{message_id}'.")
    return found[0]


@strawberry.type(description="A partner's acknowledgement of a product.")
class Acknowledgement:
    acknowledged_at: str
    acknowledged_by: str = strawberry.field(
        description="The user, or the contact whose acknowledgement link was opened."
    )
    via: str = strawberry.field(description="USER (a signed-in user or staff) or LINK (a message's link).")
    already_acknowledged: bool = strawberry.field(
        description="True when the partner had acknowledged before: this one changed nothing."
    )
    _product: strawberry.Private[str]
    _partner: strawberry.Private[str]

    @strawberry.field
    async def product(self, info: Info) -> InformationProduct:
        return await load_existing(info, "products", self._product, InformationProduct)

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)


@strawberry.type(description="A product delivered to a partner: its messages and its acknowledgement.")
class Delivery:
    channels: list[Channel]
    delivered_at: str
    delivered_by: str
    acknowledged_at: str | None = strawberry.field(
        description="When the partner acknowledged; null: not yet."
    )
    acknowledged_by: str | None = strawberry.field(
        description="The user, or the contact whose acknowledgement link was opened."
    )
    acknowledged_via: str | None = strawberry.field(description="USER or LINK.")
    _product: strawberry.Private[str]
    _partner: strawberry.Private[str]

    @strawberry.field
    async def product(self, info: Info) -> InformationProduct:
        return await load_existing(info, "products", self._product, InformationProduct)

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)

    @strawberry.field(description="One message per contact and channel, with its status.")
    async def messages(self, info: Info) -> list[Message]:
        rows = await info.context.loaders.keyed("messages_by_delivery").load(
            f"{self._product}|{self._partner}"
        )
        return await load_messages(info, [r["id"] for r in rows])

    @staticmethod
    def of(product_id: str, partner_id: str, row: Record) -> Delivery:
        return Delivery(
            channels=[Channel(c) for c in row["channels"]],
            delivered_at=row["deliveredAt"],
            delivered_by=row["deliveredBy"],
            acknowledged_at=row["acknowledgedAt"],
            acknowledged_by=row["acknowledgedBy"],
            acknowledged_via=row["acknowledgedVia"],
            _product=product_id,
            _partner=partner_id,
        )


async def delivery_page(
    info: Info, product_id: str, first: int | None, after: str | None, *, unacknowledged_only: bool = False
) -> Connection[Delivery]:
    await recipients.load_product(info.context.db, product_id)
    page = await dissemination.deliveries(
        info.context.db, product_id, window_of(first, after), unacknowledged_only
    )
    deliveries = [Delivery.of(product_id, d["partner"], d) for d in page.items]
    return connection_of(deliveries, page.start, page.total)


@strawberry.type
class DeliveryQuery:
    @strawberry.field(
        permission_classes=[Requires(Action.READ_DELIVERIES)],
        description="Phone calls and watch-center notices waiting for a person, oldest first; "
        "completeManualDelivery marks one done.",
    )
    async def watch_queue(
        self, info: Info, channel: Channel | None = None, first: int | None = None, after: str | None = None
    ) -> Connection[Message]:
        window = window_of(first, after)
        page = await dissemination.watch_queue(info.context.db, channel.value if channel else None, window)
        return await answer(
            info, connection_of(await load_messages(info, page.items), page.start, page.total)
        )

    @strawberry.field(
        permission_classes=[Requires(Action.READ_DELIVERIES)],
        description="The deliveries of a product whose partner has not acknowledged it yet, by "
        "partner name: whom to follow up.",
    )
    async def unacknowledged(
        self, info: Info, product_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[Delivery]:
        return await answer(
            info, await delivery_page(info, product_id, first, after, unacknowledged_only=True)
        )


@strawberry.type
class DeliveryMutation:
    @strawberry.mutation(
        permission_classes=[Requires(Action.ACKNOWLEDGE)],
        description="Acknowledge receipt of a product. A PARTNER user acknowledges for its own "
        "organisation; ADMIN and ANALYST record an acknowledgement received another way for the "
        "partner they name. The first acknowledgement counts; later ones change nothing.",
    )
    async def acknowledge(
        self, info: Info, product_id: strawberry.ID, partner_id: strawberry.ID | None = None
    ) -> Acknowledgement:
        ctx = info.context
        partner = access.acknowledging_partner(ctx.principal, partner_id)
        async with audited(
            ctx.db, ctx.principal, "acknowledge", {"productId": product_id, "partnerId": partner}
        ):
            if await load_one(info, "products", product_id, InformationProduct) is None:
                raise NotFound(f"No information product has the id '{product_id}'.")
            made = await actions.acknowledge(ctx.db, product_id, partner, ctx.actor)
        acknowledgement = Acknowledgement(
            acknowledged_at=made.acknowledged_at,
            acknowledged_by=made.acknowledged_by,
            via=made.via,
            already_acknowledged=not made.first,
            _product=made.product,
            _partner=made.partner,
        )
        return await answer(info, acknowledgement)

    @strawberry.mutation(
        permission_classes=[Requires(Action.DISSEMINATE)],
        description="Requeue a FAILED or DEAD message now, with a fresh set of attempts (a QUEUED "
        "one stays queued); refused for a SENT or MANUAL message.",
    )
    async def retry_delivery(self, info: Info, message_id: strawberry.ID) -> Message:
        ctx = info.context
        async with audited(ctx.db, ctx.principal, "retryDelivery", {"messageId": message_id}):
            await actions.retry(ctx.db, message_id, ctx.actor)
        return await answer(info, await _message(info, message_id))

    @strawberry.mutation(
        permission_classes=[Requires(Action.DISSEMINATE)],
        description="Mark a phone call or watch-center notice (a MANUAL message) done: it becomes "
        "SENT. Marking one that is done already changes nothing.",
    )
    async def complete_manual_delivery(
        self, info: Info, message_id: strawberry.ID, note: str | None = None
    ) -> Message:
        ctx = info.context
        async with audited(
            ctx.db, ctx.principal, "completeManualDelivery", {"messageId": message_id, "note": note}
        ):
            await actions.complete_manual(ctx.db, message_id, ctx.actor, note)
        return await answer(info, await _message(info, message_id))

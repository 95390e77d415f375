"""Root subscriptions, over graphql-transport-ws on /graphql: a partner's inbox, new products, and
the watch floor's feed. Each streams events from the process's event hub; every event carries
its `sequence`, and a client that reconnects with `after: <last sequence>` receives every event
it missed once, in order."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable
from typing import Annotated, Any, TypeVar, cast

import strawberry
from strawberry.scalars import JSON

from graph_api import domain
from graph_api.api.context import Context
from graph_api.api.delivery import Delivery
from graph_api.api.enums import Channel, ProductKind, ProductLevel, Severity, Tlp
from graph_api.api.fanout import direct_subscriber
from graph_api.api.types import Info, InformationProduct, Partner, load_one
from graph_api.errors import ServiceError
from graph_api.events import WATCH_FLOOR_KINDS, Event, EventKind
from graph_api.events.hub import Match, SubscriberTooSlow
from graph_api.identity import Role
from graph_api.rules import access
from graph_api.rules.access import Action, Forbidden

strawberry.enum(EventKind, description="What an event says happened.")

PARTNER_WATCH_FEED = (
    "A PARTNER user may not follow the watch feed, only kinds: [REPORT_SUBMITTED] (reports routed to it)."
)
# WebSocket close codes: the graphql-transport-ws protocol's own, and 1013 (try again later).
FORBIDDEN = 4403
TOO_SLOW = 1013
After = Annotated[
    int | None,
    strawberry.argument(
        description="Resume after this event sequence number: every later event is sent once, in "
        "order, before the live ones. Omit it to start with the next event."
    ),
]


@strawberry.type(description="A product delivered to the partner's inbox.")
class InboxDelivery:
    sequence: int = strawberry.field(description="The event's number in the log; resume after it.")
    at: str = strawberry.field(description="When the delivery was recorded (ISO-8601, UTC).")
    delivery: Delivery


@strawberry.type(description="A new information product.")
class ProductPublication:
    sequence: int = strawberry.field(description="The event's number in the log; resume after it.")
    at: str = strawberry.field(description="When the product was added (ISO-8601, UTC).")
    _product: strawberry.Private[str]

    @strawberry.field(description="The product as it is now (null: it has since been deleted).")
    async def product(self, info: Info) -> InformationProduct | None:
        return await load_one(info, "products", self._product, InformationProduct)


@strawberry.type(description="Something the watch floor follows: a change in the network or its deliveries.")
class WatchEvent:
    sequence: int = strawberry.field(description="The event's number in the log; resume after it.")
    at: str = strawberry.field(description="When it happened (ISO-8601, UTC).")
    kind: EventKind
    actor: str | None = strawberry.field(description="Who did it (a user, or the contact of a signed link).")
    product_id: strawberry.ID | None
    partner_id: strawberry.ID | None
    message_id: strawberry.ID | None
    status: str | None = strawberry.field(
        description="A message's new status; for EDITED, CREATED, UPDATED or DELETED."
    )
    collection: str | None = strawberry.field(description="For EDITED: the kind of record (e.g. partners).")
    key: str | None = strawberry.field(description="For EDITED: the record's id.")
    detail: JSON = strawberry.field(
        description="What else the event records, by kind (counts, channels, errors)."
    )

    @strawberry.field(description="The product it is about, as it is now.")
    async def product(self, info: Info) -> InformationProduct | None:
        return await load_one(info, "products", self.product_id, InformationProduct)

    @strawberry.field(description="The partner it is about, as it is now.")
    async def partner(self, info: Info) -> Partner | None:
        return await load_one(info, "partners", self.partner_id, Partner)

    @staticmethod
    def of(event: Event) -> WatchEvent:
        def some_id(value: str | None) -> strawberry.ID | None:
            return None if value is None else strawberry.ID(value)

        return WatchEvent(
            sequence=event.sequence,
            at=event.at,
            kind=event.kind,
            actor=event.actor,
            product_id=some_id(event.product),
            partner_id=some_id(event.partner),
            message_id=some_id(event.message),
            status=event.status,
            collection=event.collection,
            key=event.key,
            detail=cast(JSON, event.detail),
        )


@strawberry.input(
    description="Which new products to hear about; every field given must hold (a list: any of its "
    "values), and an empty filter takes every product."
)
class ProductPublishedWhere:
    kind: list[ProductKind] | None = None
    level: list[ProductLevel] | None = None
    tlp: list[Tlp] | None = None
    min_severity: Severity | None = None
    pcii: bool | None = None
    sectors: list[strawberry.ID] | None = strawberry.field(
        default=None, description="About any of these sectors."
    )
    topics: list[strawberry.ID] | None = strawberry.field(
        default=None, description="About any of these topics."
    )
    regions: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Naming any of these regions (as listed on the product)."
    )

    def accepts(self, facts: dict[str, Any]) -> bool:
        def among(values: list[Any] | None, value: Any) -> bool:
            return values is None or value in {str(v) for v in values}

        def overlaps(values: list[strawberry.ID] | None, listed: Any) -> bool:
            return values is None or bool({str(v) for v in values} & set(listed or []))

        return (
            among(self.kind, facts.get("kind"))
            and among(self.level, facts.get("level"))
            and among(self.tlp, facts.get("tlp"))
            and (self.pcii is None or bool(facts.get("pcii")) == self.pcii)
            and (
                self.min_severity is None
                or domain.severity_rank(facts.get("severity")) >= domain.severity_rank(self.min_severity)
            )
            and overlaps(self.sectors, facts.get("sectors"))
            and overlaps(self.topics, facts.get("topics"))
            and overlaps(self.regions, facts.get("regions"))
        )


async def _refuse(ctx: Context, error: Forbidden) -> None:
    """A subscription the user may not have ends the connection, with the reason, as the
    protocol's Forbidden; over HTTP (no connection) it is an ordinary error."""
    if ctx.connection is not None:
        await ctx.connection.close(FORBIDDEN, f"Forbidden: {error.message}"[:120])
    raise error


RootValue = TypeVar("RootValue")


async def _events(
    info: Info, match: Match, after: int | None, root_value: Callable[[Event], RootValue]
) -> AsyncGenerator[RootValue, None]:
    """The hub's stream for this user, each event as the subscription's root value: a PARTNER
    only hears about products it may see. Over a WebSocket, live events whose payload compiles
    are sent without passing through here (`fanout.DirectSubscriber`)."""
    ctx = info.context
    if ctx.hub is None:
        raise ServiceError("Subscriptions are served over WebSocket (graphql-transport-ws) on /graphql.")
    viewer = ctx.principal.partner
    connection = ctx.connection
    direct = direct_subscriber(info._raw_info, root_value)

    def dropped() -> None:
        if connection is not None:
            connection.close_soon(TOO_SLOW, "Too slow: events piled up. Resubscribe with 'after'.")

    try:
        taker = None if direct is None else direct.taker
        async for event in ctx.hub.stream(match, viewer, after, dropped, taker):
            # The hub has just checked that a PARTNER may see the event's product.
            ctx.refresh(frozenset({event.product}) if viewer and event.product else None)
            yield root_value(event)
    except SubscriberTooSlow:
        dropped()
        raise
    finally:
        if direct is not None:
            direct.stop()


def _inbox_delivery(event: Event) -> InboxDelivery:
    assert event.product is not None and event.partner is not None
    return InboxDelivery(
        sequence=event.sequence,
        at=event.at,
        delivery=Delivery(
            channels=[Channel(c) for c in event.detail.get("channels", [])],
            delivered_at=event.at,
            delivered_by=event.actor or "",
            acknowledged_at=None,  # a new delivery is not acknowledged yet
            acknowledged_by=None,
            acknowledged_via=None,
            _product=event.product,
            _partner=event.partner,
        ),
    )


def _publication(event: Event) -> ProductPublication:
    assert event.product is not None
    return ProductPublication(sequence=event.sequence, at=event.at, _product=event.product)


def _kinds(*kinds: EventKind) -> Callable[[Event], bool]:
    wanted = frozenset(kinds)
    return lambda event: event.kind in wanted


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="New deliveries to a partner's inbox. A PARTNER user may follow only its own."
    )
    async def inbox_deliveries(
        self,
        info: Info,
        partner_id: strawberry.ID,
        after: After = None,
    ) -> AsyncGenerator[InboxDelivery, None]:
        ctx = info.context
        try:
            access.require_inbox_of(ctx.principal, partner_id)
        except Forbidden as error:
            await _refuse(ctx, error)
        is_delivery = _kinds(EventKind.DELIVERED)
        match: Match = lambda e: is_delivery(e) and e.partner == partner_id  # noqa: E731
        async for delivered in _events(info, match, after, _inbox_delivery):
            yield delivered

    @strawberry.subscription(
        description="New information products. A PARTNER hears only of those it may see."
    )
    async def product_published(
        self,
        info: Info,
        where: ProductPublishedWhere | None = None,
        after: After = None,
    ) -> AsyncGenerator[ProductPublication, None]:
        wanted = where or ProductPublishedWhere()

        def match(event: Event) -> bool:
            return event.kind == EventKind.PRODUCT_PUBLISHED and wanted.accepts(event.detail)

        async for published in _events(info, match, after, _publication):
            yield published

    @strawberry.subscription(
        description="The watch floor (ADMIN and ANALYST): new products, disseminations, delivery "
        "failures and dead messages, acknowledgements, edits and reports; `kinds` picks others "
        "(each delivery, each message sent). A PARTNER user follows only the new reports routed to "
        "its organisation, with kinds: [REPORT_SUBMITTED]."
    )
    async def watch_feed(
        self,
        info: Info,
        after: After = None,
        kinds: list[EventKind] | None = None,
    ) -> AsyncGenerator[WatchEvent, None]:
        ctx = info.context
        reports_only = ctx.principal.role == Role.PARTNER and kinds == [EventKind.REPORT_SUBMITTED]
        try:
            if not reports_only:
                access.require(ctx.principal, Action.WATCH_FEED)
        except Forbidden as refused:
            partner = ctx.principal.role == Role.PARTNER
            await _refuse(ctx, Forbidden(PARTNER_WATCH_FEED) if partner else refused)
        match = _kinds(*(kinds or WATCH_FLOOR_KINDS))
        async for watched in _events(info, match, after, WatchEvent.of):
            yield watched

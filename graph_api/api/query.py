"""Root queries."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any, cast

import strawberry
from strawberry.scalars import JSON

from graph_api.api import admin
from graph_api.api.delivery import Delivery, delivery_page
from graph_api.api.enums import MemberRole
from graph_api.api.filtering import as_dict, sort_type, where_type
from graph_api.api.inputs import ProductInput
from graph_api.api.pagination import MAX_PAGE_SIZE, Connection, connection_of, window_of
from graph_api.api.permissions import OwnInbox, Requires
from graph_api.api.projected import answer, exists, planned_list, shaped_list
from graph_api.api.results import (
    ConnectionPath,
    Neighbor,
    RecipientList,
    ShareDecision,
    VertexType,
)
from graph_api.api.types import (
    Contact,
    Council,
    Info,
    InformationProduct,
    Membership,
    Partner,
    Region,
    Requirement,
    Sector,
    Subscription,
    Topic,
    connection_field,
    load_existing,
    load_many,
    load_one,
    subscription,
    wrap,
)
from graph_api.compiler.references import Reference
from graph_api.errors import NotFound
from graph_api.rules import (
    access,
    connections,
    dissemination,
    editing,
    exporter,
    onward,
    recipients,
    search,
    sharing,
)
from graph_api.rules.access import Action
from graph_api.rules.audit import audit_page, audited, verify_chain
from graph_api.store import listing
from graph_api.store.database import Database
from graph_api.store.keyset import KeysetPage, Slice

EVERYTHING = Slice(first=MAX_PAGE_SIZE * 10)


async def _list(info: Info, entity: str, collection: str, where: Any, sort: Any) -> list[Any]:
    """A whole (small) reference list: sectors, regions, topics."""
    page = await listing.list_ids(info.context.db, entity, as_dict(where), as_dict(sort), EVERYTHING)
    records = await info.context.loaders.record(collection).load_many(page.ids)
    return [wrap(collection, r) for r in records if r is not None]


# Generated from the allow-lists of graph_api/store/filters.py (see graph_api/api/filtering.py).
SectorWhere, SectorSort = where_type("Sector"), sort_type("Sector")
RegionWhere, RegionSort = where_type("Region"), sort_type("Region")
TopicWhere, TopicSort = where_type("Topic"), sort_type("Topic")


Narrowing = Callable[[Info, Any], Awaitable[tuple[Any, frozenset[str] | None]]]


async def _visible_only(info: Info, where: Any) -> tuple[Any, frozenset[str] | None]:
    return where, await info.context.visible_products()


async def _own_contacts(info: Info, where: Any) -> tuple[Any, frozenset[str] | None]:
    only = access.contacts_restricted_to(info.context.principal)
    if only is None:
        return where, None
    # The rule narrows the list itself, so totals and cursors never count others' contacts.
    return {"AND": [as_dict(where) or {}, {"partner_SOME": {"id": only}}]}, None


def root_connection(entity: str, description: str, narrowing: Narrowing | None = None) -> Any:
    """A root list as a Relay connection; `narrowing` applies an access rule to the list itself."""

    async def fetch(_: Any, info: Info, window: Slice, where: Any, sort: Any) -> KeysetPage:
        only = None
        if narrowing is not None:
            where, only = await narrowing(info, where)
        return await listing.list_ids(info.context.db, entity, where, sort, window, only)

    return connection_field(entity, description, fetch)


SearchResult = Annotated[Partner | Council | InformationProduct, strawberry.union("SearchResult")]
SEARCHABLE: dict[str, type[Partner | Council | InformationProduct]] = {
    "partners": Partner,
    "councils": Council,
    "products": InformationProduct,
}


@strawberry.enum(description="A kind of search hit, to narrow a search to some kinds.")
class SearchKind(Enum):
    PARTNER = search.SEARCH_KINDS["PARTNER"]
    COUNCIL = search.SEARCH_KINDS["COUNCIL"]
    PRODUCT = search.SEARCH_KINDS["PRODUCT"]


@strawberry.type(description="One entry of the audit trail.")
class AuditRecord:
    id: strawberry.ID
    at: str
    actor: str
    role: str
    partner: str | None
    operation: str
    arguments: str = strawberry.field(description="The arguments as JSON, cut at 4,000 characters.")
    outcome: str = strawberry.field(description="OK, or the error code the operation ended with.")
    changes: JSON | None = strawberry.field(
        description="For an edit: a list of {collection, key, before, after}, each record's "
        "state before and after it (null before: created; null after: deleted)."
    )


@strawberry.type(description="The audit trail's hash chain, walked from its first record.")
class AuditChainCheck:
    intact: bool = strawberry.field(description="True when every chained record matches its hash and link.")
    records: int = strawberry.field(description="How many chained records were checked.")
    unchained: int = strawberry.field(
        description="Records written before the trail was chained: nothing to verify them against."
    )
    broken_at: str | None = strawberry.field(description="The id of the first record that does not match.")
    reason: str | None = strawberry.field(description="Why that record does not match.")


@strawberry.type
class SharedMemberships:
    councils: list[Council]
    sectors: list[Sector]


# `from` is a Python keyword: the argument is named in the schema only.
FromId = Annotated[strawberry.ID, strawberry.argument(name="from")]


@strawberry.type
class Query:
    partners = root_connection("Partner", "Partners, by name unless sorted otherwise.")
    councils = root_connection("Council", "Councils, by name unless sorted otherwise.")
    products = root_connection(
        "InformationProduct", "Information products, newest first unless sorted otherwise.", _visible_only
    )
    contacts = root_connection(
        "Contact", "Contacts by name; a PARTNER user sees its own organisation's only.", _own_contacts
    )
    requirements = root_connection("Requirement", "Information-sharing requirements by id.")
    sectors_connection = root_connection("Sector", "The sectors as a Relay connection.")
    regions_connection = root_connection("Region", "The regions as a Relay connection.")
    topics_connection = root_connection("Topic", "The topics as a Relay connection.")

    @strawberry.field(description="The 18 sectors, by name.")
    async def sectors(
        self,
        info: Info,
        where: SectorWhere | None = None,  # type: ignore[valid-type]
        sort: list[SectorSort] | None = None,  # type: ignore[valid-type]
    ) -> list[Sector]:
        return await _list(info, "Sector", "sectors", where, sort)

    @strawberry.field(description="Every region (nation, FEMA regions, states, urban areas), by name.")
    async def regions(
        self,
        info: Info,
        where: RegionWhere | None = None,  # type: ignore[valid-type]
        sort: list[RegionSort] | None = None,  # type: ignore[valid-type]
    ) -> list[Region]:
        return await _list(info, "Region", "regions", where, sort)

    @strawberry.field
    async def topics(
        self,
        info: Info,
        where: TopicWhere | None = None,  # type: ignore[valid-type]
        sort: list[TopicSort] | None = None,  # type: ignore[valid-type]
    ) -> list[Topic]:
        return await _list(info, "Topic", "topics", where, sort)

    @strawberry.field
    async def sector(self, info: Info, id: strawberry.ID) -> Sector | None:
        return await load_one(info, "sectors", id, Sector)

    @strawberry.field
    async def region(self, info: Info, id: strawberry.ID) -> Region | None:
        return await load_one(info, "regions", id, Region)

    @strawberry.field(
        description="A partner by id; the id of a partner merged into another answers the other."
    )
    async def partner(self, info: Info, id: strawberry.ID) -> Partner | None:
        found = await load_one(info, "partners", id, Partner)
        if found is None and (merged_into := await editing.alias_target(info.context.db, id)) is not None:
            found = await load_one(info, "partners", merged_into, Partner)
        return found

    @strawberry.field
    async def council(self, info: Info, id: strawberry.ID) -> Council | None:
        return await load_one(info, "councils", id, Council)

    @strawberry.field
    async def product(self, info: Info, id: strawberry.ID) -> InformationProduct | None:
        return await load_one(info, "products", id, InformationProduct)

    @strawberry.field(description="Council memberships, by council then partner name.")
    async def memberships(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        partner: strawberry.ID | None = None,
        council: strawberry.ID | None = None,
        role: MemberRole | None = None,
    ) -> Connection[Membership]:
        page = await listing.relationship_rows(
            info.context.db,
            "memberships",
            window_of(first, after, last, before),
            partner=partner,
            council=council,
            role=role.value if role else None,
        )
        councils = await load_many(info, "councils", [r["council"] for r in page.items], Council)
        by_id = {c.id: c for c in councils}
        nodes = [
            Membership(council=by_id[r["council"]], role=MemberRole(r["role"]), _partner=r["partner"])
            for r in page.items
        ]
        return connection_of(nodes, page.start, page.total)

    @strawberry.field(description="Partners' subscriptions, by partner name.")
    async def subscriptions(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        partner: strawberry.ID | None = None,
        topic: strawberry.ID | None = None,
        sector: strawberry.ID | None = None,
    ) -> Connection[Subscription]:
        page = await listing.relationship_rows(
            info.context.db,
            "subscriptions",
            window_of(first, after, last, before),
            partner=partner,
            topic=topic,
            sector=sector,
        )
        nodes = [subscription(r["partner"], r) for r in page.items]
        return connection_of(nodes, page.start, page.total)

    @strawberry.field
    async def topic(self, info: Info, id: strawberry.ID) -> Topic | None:
        return await load_one(info, "topics", id, Topic)

    @strawberry.field
    async def requirement(self, info: Info, id: strawberry.ID) -> Requirement | None:
        return await load_one(info, "requirements", id, Requirement)

    @strawberry.field(description="A contact by id; a PARTNER user sees its own organisation's only.")
    async def contact(self, info: Info, id: strawberry.ID) -> Contact | None:
        found = await load_one(info, "contacts", id, Contact)
        if found is None or not access.may_see_contacts_of(info.context.principal, found.partner_id):
            return None
        return found

    @strawberry.field(
        permission_classes=[Requires(Action.RESOLVE_RECIPIENTS)],
        description="Who should receive a product, with the reason for every name.",
    )
    async def recipients(self, info: Info, product_id: strawberry.ID) -> RecipientList:
        return await _recipient_list(
            info,
            ("recipients", {"productId": product_id}),
            lambda db: recipients.rows_of(db, product_id),
            lambda db: recipients.recipients_of(db, product_id),
        )

    @strawberry.field(
        description="Whom in a fusion center's area the product should be passed on to, with the "
        "reason for every name, and every candidate the product may not go to with the rule that "
        "refuses it. For staff, and for a fusion-center analyst of that fusion center (the default "
        "for one). A product the fusion center may not see is answered as a missing one."
    )
    async def onward_recipients(
        self, info: Info, product_id: strawberry.ID, fusion_center: strawberry.ID | None = None
    ) -> RecipientList:
        ctx = info.context
        fc, authority = onward.fusion_center_for(ctx.principal, fusion_center)
        async with audited(
            ctx.db, ctx.principal, "onwardRecipients", onward.audit_arguments(product_id, fc, authority)
        ):
            return RecipientList.of(await onward.onward_list(ctx.db, product_id, fc))

    @strawberry.field(
        permission_classes=[Requires(Action.RESOLVE_RECIPIENTS)],
        description="The recipient list a draft product would have; saves nothing.",
    )
    async def preview_recipients(self, info: Info, product: ProductInput) -> RecipientList:
        draft = product.as_record()
        return await _recipient_list(
            info,
            ("previewRecipients", {"product": draft}),
            lambda db: recipients.preview_rows(db, draft),
            lambda db: recipients.preview(db, draft),
        )

    @strawberry.field(description="May partner `from` pass the product on to partner `to`?")
    async def can_share(
        self, info: Info, product_id: strawberry.ID, from_: FromId, to: strawberry.ID
    ) -> ShareDecision:
        # A PARTNER may ask only about products it can see; the others do not exist for it.
        if not await _product_visible(info, product_id):
            raise NotFound(f"No information product has the id '{product_id}'.")
        decision = await sharing.can_share(
            info.context.db,
            product_id,
            from_,
            to,
            sees_pcii_facts_of_to=access.may_see_contacts_of(info.context.principal, to),
        )
        return await answer(info, ShareDecision.of(decision))

    @strawberry.field(
        description="One shortest path between two partners or councils; "
        "null when none is within maxHops (at most 10)."
    )
    async def connection(
        self, info: Info, from_: FromId, to: strawberry.ID, max_hops: int | None = 6
    ) -> ConnectionPath | None:
        hops = connections.DEFAULT_MAX_HOPS if max_hops is None else max_hops
        path = await connections.connection(info.context.db, from_, to, hops)
        return await answer(info, None if path is None else ConnectionPath.of(path))

    @strawberry.field(description="Partners and councils within `depth` edges (at most 4).")
    async def neighborhood(self, info: Info, partner: strawberry.ID, depth: int = 1) -> list[Neighbor]:
        found = await connections.neighborhood(info.context.db, partner, depth)
        neighbors = [
            Neighbor(id=strawberry.ID(n.id), name=n.name, type=VertexType(n.type), distance=n.distance)
            for n in found
        ]
        return await answer(info, neighbors)

    @strawberry.field(
        permission_classes=[Requires(Action.READ_DELIVERIES)],
        description="Deliveries of a product by partner name: each message's status, and who "
        "acknowledged and when.",
    )
    async def deliveries(
        self, info: Info, product_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[Delivery]:
        return await answer(info, await delivery_page(info, product_id, first, after))

    @strawberry.field(
        permission_classes=[OwnInbox], description="Products delivered to a partner, newest delivery first."
    )
    async def inbox(
        self, info: Info, partner_id: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> Connection[Delivery]:
        if not await exists(info, Reference.of("Partner", partner_id), "partners"):
            raise NotFound(f"No partner has the id '{partner_id}'.")
        products = await info.context.visible_products()
        page = await dissemination.inbox(info.context.db, partner_id, window_of(first, after), products)
        deliveries = [Delivery.of(i["product"], partner_id, i) for i in page.items]
        return await answer(info, connection_of(deliveries, page.start, page.total))

    @strawberry.field(
        description="Partners, councils and products whose name or title matches "
        "every word (the last one as a prefix), best match first."
    )
    async def search(
        self,
        info: Info,
        text: str,
        first: int | None = None,
        after: str | None = None,
        only: Annotated[
            list[SearchKind] | None,
            strawberry.argument(description="Only hits of these kinds (all kinds when left out)."),
        ] = None,
    ) -> Connection[SearchResult]:
        visible = await info.context.visible_products()
        kinds = None if only is None else [kind.value for kind in only]
        page = await search.search_names(info.context.db, text, window_of(first, after), visible, kinds)
        # One batch for all hits: gathered loads share the request's loaders.
        nodes = await asyncio.gather(
            *(load_existing(info, hit["type"], hit["id"], SEARCHABLE[hit["type"]]) for hit in page.items)
        )
        return connection_of(list(nodes), page.start, page.total)

    @strawberry.field(description="The councils and sectors two partners share.")
    async def shared_memberships(self, info: Info, a: strawberry.ID, b: strawberry.ID) -> SharedMemberships:
        shared = await search.shared_memberships(info.context.db, a, b)
        return SharedMemberships(
            councils=await load_many(info, "councils", shared["councils"], Council),
            sectors=await load_many(info, "sectors", shared["sectors"], Sector),
        )

    @strawberry.field(
        permission_classes=[Requires(Action.EXPORT)],
        description="The whole network as an interchange document.",
    )
    async def export_network(self, info: Info) -> JSON:
        return cast(JSON, await exporter.export_network(info.context.db))

    impact_of = admin.IMPACT_OF

    @strawberry.field(
        permission_classes=[Requires(Action.READ_AUDIT)],
        description="The audit trail, newest first (ADMIN only; nobody can edit it).",
    )
    async def audit_log(
        self, info: Info, first: int | None = None, after: str | None = None, operation: str | None = None
    ) -> Connection[AuditRecord]:
        page = await audit_page(info.context.db, operation, window_of(first, after))
        records = [AuditRecord(**_parsed_changes(item)) for item in page.items]
        return await answer(info, connection_of(records, page.start, page.total))

    @strawberry.field(
        permission_classes=[Requires(Action.READ_AUDIT)],
        description="Walk the audit trail's hash chain and say whether it is intact, or which record "
        "was altered, removed or replaced (ADMIN only), as `isegraph audit verify` does.",
    )
    async def audit_chain(self, info: Info) -> AuditChainCheck:
        report = await verify_chain(info.context.db)
        return AuditChainCheck(
            intact=report.intact,
            records=report.records,
            unchained=report.unchained,
            broken_at=str(report.broken_at["id"]) if report.broken_at is not None else None,
            reason=report.reason or None,
        )


async def _recipient_list(
    info: Info,
    audit: tuple[str, dict[str, Any]],
    rows: Callable[[Database], Awaitable[recipients.ResolvedRows]],
    entries: Callable[[Database], Awaitable[recipients.RecipientList]],
) -> RecipientList:
    """A recipient list under its audit entry: its rows shaped by the compiler's recipient lists
    where it plans the selection, else its entries completed on the resolvers."""
    ctx = info.context
    prepared = planned_list(info)
    async with audited(ctx.db, ctx.principal, *audit):
        if prepared is not None:
            resolved = await rows(ctx.db)
        else:
            found = await entries(ctx.db)
    if prepared is not None:
        return await shaped_list(info, prepared, resolved)  # type: ignore[no-any-return]
    return await answer(info, RecipientList.of(found))


async def _product_visible(info: Info, product_id: str) -> bool:
    return await exists(info, Reference.of("InformationProduct", product_id), "products")


def _parsed_changes(item: dict[str, Any]) -> dict[str, Any]:
    return {**item, "changes": json.loads(item["changes"]) if item["changes"] else None}

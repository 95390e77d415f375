"""The GraphQL object types. Each wraps a canonical record and resolves relations via loaders."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar, cast

import strawberry

from graph_api import domain
from graph_api.api.context import Context
from graph_api.api.enums import (
    Channel,
    CouncilKind,
    FusionCenterType,
    MemberRole,
    PartnerKind,
    PciiStatus,
    ProductKind,
    ProductLevel,
    RegionKind,
    ReportKind,
    ReportState,
    RouteSource,
    Severity,
    SubscriptionDelivery,
    Tlp,
)
from graph_api.api.filtering import as_dict, sort_type, where_type

# Connection is named by the generated resolvers' return annotations ("Connection[Partner]").
from graph_api.api.pagination import Connection, keyset_connection, slice_of  # noqa: F401
from graph_api.domain.entities import ENTITIES
from graph_api.rules import access, reports
from graph_api.store.database import Record
from graph_api.store.keyset import KeysetPage, Slice

Info = strawberry.Info[Context, None]


W = TypeVar("W")
VERSION_DOC = (
    "Bumped by every change to this record. An update or delete names the version it was based "
    "on, and is refused when the record has changed since (optimistic concurrency)."
)


async def load_many(info: Info, collection: str, ids: list[str], kind: type[W]) -> list[W]:
    records = await info.context.loaders.record(collection).load_many(ids)
    return [cast(W, wrap(collection, r)) for r in records if r is not None]


async def load_one(info: Info, collection: str, record_id: str | None, kind: type[W]) -> W | None:
    if record_id is None:
        return None
    record = await info.context.loaders.record(collection).load(record_id)
    return None if record is None else cast(W, wrap(collection, record))


async def load_existing(info: Info, collection: str, record_id: str, kind: type[W]) -> W:
    """A record another record refers to; the graph guarantees it exists."""
    found = await load_one(info, collection, record_id, kind)
    assert found is not None, f"{collection} {record_id} vanished"
    return found


# Fetches one window of ids for a connection: (the parent object or None, info, window, where, sort).
PageFetch = Callable[[Any, Info, Slice, Any, Any], Awaitable[KeysetPage]]


def connection_field(entity: str, description: str, fetch: PageFetch) -> Any:
    """A field returning `entity` as a Relay connection with the list arguments: where, sort,
    first/after and last/before. Root lists and nested relations both come from here."""
    collection, type_name = ENTITIES[entity].collection, ENTITIES[entity].name

    async def resolve(
        self: Any,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        where: Any = None,
        sort: Any = None,
    ) -> Any:
        page = await fetch(self, info, slice_of(first, after, last, before), as_dict(where), as_dict(sort))
        records = await info.context.loaders.record(collection).load_many(page.ids)
        # A record the user may not see leaves the page with its cursor.
        kept = [(c, wrap(collection, r)) for c, r in zip(page.cursors, records, strict=True) if r]
        page = replace(page, cursors=[c for c, _ in kept])
        return keyset_connection([n for _, n in kept], page)

    resolve.__annotations__ = {
        **resolve.__annotations__,
        "where": where_type(entity) | None,
        "sort": list[sort_type(entity)] | None,  # type: ignore[misc]
        "return": f"Connection[{type_name}]",
    }
    return strawberry.field(resolver=resolve, description=description)


def related_connection(parent: str, relation: str) -> Any:
    """`<relation>Connection`, batched per level of the query."""

    async def fetch(owner: Any, info: Info, window: Slice, where: Any, sort: Any) -> KeysetPage:
        return await info.context.loaders.related_page(parent, relation, where, sort, window).load(owner.id)

    target = ENTITIES[parent].relations[relation].target
    return connection_field(target, f"{relation} as a Relay connection.", fetch)


class FederatedEntity:
    """A type other subgraphs may reference by id (Apollo Federation `@key(fields: "id")`)."""

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> Any:
        """The entity for a representation; batched, and subject to the access rules."""
        return await load_one(info, ENTITIES[cls.__name__].collection, id, cls)


@strawberry.federation.type(keys=["id"], description="One of the 18 critical-infrastructure sectors.")
class Sector(FederatedEntity):
    id: strawberry.ID
    name: str
    _agency: strawberry.Private[str | None]
    partners_connection = related_connection("Sector", "partners")
    councils_connection = related_connection("Sector", "councils")

    @strawberry.field(description="The federal sector-specific agency.")
    async def sector_specific_agency(self, info: Info) -> Partner | None:
        return await load_one(info, "partners", self._agency, Partner)

    @strawberry.field(description="Councils covering this sector, by id.")
    async def councils(self, info: Info) -> list[Council]:
        rows = await info.context.loaders.owned("Sector", "councils").load(self.id)
        return await load_many(info, "councils", [r["council"] for r in rows], Council)


@strawberry.federation.type(keys=["id"])
class Region(FederatedEntity):
    id: strawberry.ID
    name: str
    kind: RegionKind
    version: int = strawberry.field(description=VERSION_DOC)
    _parent: strawberry.Private[str | None]
    children_connection = related_connection("Region", "children")
    fusion_centers_connection = related_connection("Region", "fusionCenters")
    partners_connection = related_connection("Region", "partners")

    @strawberry.field
    async def parent(self, info: Info) -> Region | None:
        return await load_one(info, "regions", self._parent, Region)


@strawberry.type
class Topic:
    id: strawberry.ID
    name: str
    version: int = strawberry.field(description=VERSION_DOC)


@strawberry.type
class FusionCenter:
    type: FusionCenterType
    _serves: strawberry.Private[list[str]]

    @strawberry.field
    async def serves(self, info: Info) -> list[Region]:
        return await load_many(info, "regions", self._serves, Region)


@strawberry.federation.type(keys=["id"], description="An organisation taking part in information sharing.")
class Partner(FederatedEntity):
    id: strawberry.ID
    name: str
    kind: PartnerKind
    active: bool
    illustrative: bool = strawberry.field(
        description="True for a made-up record of the sample network, never an official entry."
    )
    fusion_center: FusionCenter | None
    intake: bool = strawberry.field(
        description="A national intake point: every report partners submit is routed to it."
    )
    version: int = strawberry.field(description=VERSION_DOC)
    _record: strawberry.Private[Record]
    sectors_connection = related_connection("Partner", "sectors")
    regions_connection = related_connection("Partner", "regions")
    councils_connection = related_connection("Partner", "councils")
    partners_with_connection = related_connection("Partner", "partnersWith")
    client_of_connection = related_connection("Partner", "clientOf")
    clients_connection = related_connection("Partner", "clients")
    serves_connection = related_connection("Partner", "serves")

    @strawberry.field
    def is_government(self) -> bool:
        return self.kind.value in domain.GOVERNMENT_KINDS

    @strawberry.field
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._record["sectors"], Sector)

    @strawberry.field
    async def regions(self, info: Info) -> list[Region]:
        return await load_many(info, "regions", self._record["regions"], Region)

    @strawberry.field(description="Partners with a bilateral agreement with this one.")
    async def partners_with(self, info: Info) -> list[Partner]:
        return await load_many(info, "partners", self._record["partnersWith"], Partner)

    @strawberry.field(description="Partners this one is a client of.")
    async def client_of(self, info: Info) -> list[Partner]:
        return await load_many(info, "partners", self._record["clientOf"], Partner)

    @strawberry.field(description="Council memberships, with the partner's role.")
    async def memberships(self, info: Info) -> list[Membership]:
        rows = await info.context.loaders.owned("Partner", "memberships").load(self.id)
        councils = await load_many(info, "councils", [r["council"] for r in rows], Council)
        return [
            Membership(council=c, role=MemberRole(r["role"]), _partner=self.id)
            for c, r in zip(councils, rows, strict=True)
        ]

    @strawberry.field(description="Standing interests in topics and sectors.")
    async def subscriptions(self, info: Info) -> list[Subscription]:
        rows = await info.context.loaders.owned("Partner", "subscriptions").load(self.id)
        return [subscription(self.id, r) for r in rows]

    @strawberry.field
    async def contacts(self, info: Info) -> list[Contact]:
        # Contact details are personal: a PARTNER user sees only its own organisation's.
        if not access.may_see_contacts_of(info.context.principal, self.id):
            return []
        rows = await info.context.loaders.owned("Partner", "contacts").load(self.id)
        return await load_many(info, "contacts", [r["contact"] for r in rows], Contact)


@strawberry.type
class Membership:
    council: Council
    role: MemberRole
    _partner: strawberry.Private[str]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)

    @strawberry.field(description=VERSION_DOC)
    async def version(self, info: Info) -> int:
        rows = await info.context.loaders.owned("Partner", "memberships").load(self._partner)
        return next(int(r["version"]) for r in rows if r["council"] == self.council.id)


@strawberry.federation.type(
    keys=["id"],
    description="A sector or government coordinating council, working group, "
    "cross-sector council or regional partnership.",
)
class Council(FederatedEntity):
    id: strawberry.ID
    name: str
    kind: CouncilKind
    illustrative: bool
    version: int = strawberry.field(description=VERSION_DOC)
    _record: strawberry.Private[Record]
    sectors_connection = related_connection("Council", "sectors")
    members_connection = related_connection("Council", "members")
    children_connection = related_connection("Council", "children")

    @strawberry.field
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._record["sectors"], Sector)

    @strawberry.field
    async def parent(self, info: Info) -> Council | None:
        return await load_one(info, "councils", self._record["parent"], Council)

    @strawberry.field(description="The information-sharing requirements this council sets.")
    async def requirements(self, info: Info) -> list[Requirement]:
        rows = await info.context.loaders.owned("Council", "requirements").load(self.id)
        return await load_many(info, "requirements", [r["requirement"] for r in rows], Requirement)

    @strawberry.field
    async def members(self, info: Info) -> list[Membership]:
        members = self._record["members"]
        return [Membership(council=self, role=MemberRole(m["role"]), _partner=m["partner"]) for m in members]


@strawberry.type(description="A person who receives products for a partner.")
class Contact:
    id: strawberry.ID
    name: str
    email: str
    pcii_authorized: bool
    channels: list[Channel]
    active: bool
    version: int = strawberry.field(description=VERSION_DOC)
    _partner: strawberry.Private[str]

    @property
    def partner_id(self) -> str:
        return self._partner

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)


@strawberry.federation.type(keys=["id"])
class InformationProduct(FederatedEntity):
    id: strawberry.ID
    title: str
    kind: ProductKind
    level: ProductLevel
    severity: Severity
    tlp: Tlp
    pcii: bool
    published_at: str = strawberry.field(description="ISO-8601, UTC.")
    illustrative: bool
    summary: str | None = strawberry.field(description="Plain text, at most 10,000 characters.")
    link: str | None = strawberry.field(description="An https URL with more about the product.")
    version: int = strawberry.field(description=VERSION_DOC)
    _record: strawberry.Private[Record]
    sectors_connection = related_connection("InformationProduct", "sectors")
    topics_connection = related_connection("InformationProduct", "topics")
    regions_connection = related_connection("InformationProduct", "regions")
    addressed_to_connection = related_connection("InformationProduct", "addressedTo")

    @strawberry.field
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._record["sectors"], Sector)

    @strawberry.field
    async def topics(self, info: Info) -> list[Topic]:
        return await load_many(info, "topics", self._record["topics"], Topic)

    @strawberry.field
    async def regions(self, info: Info) -> list[Region]:
        return await load_many(info, "regions", self._record["regions"], Region)

    @strawberry.field
    async def addressed_to(self, info: Info) -> list[Partner]:
        return await load_many(info, "partners", self._record["addressedTo"], Partner)

    @strawberry.field
    async def issued_by(self, info: Info) -> Partner | None:
        return await load_one(info, "partners", self._record["issuedBy"], Partner)

    @strawberry.field(
        description="The report it was published from; null when it came from none, or when you "
        "may not see that report."
    )
    async def source_report(self, info: Info) -> Report | None:
        return (await source_report(info, self.id))[0]

    @strawberry.field(
        description="The organisation that reported it, when the reviewer chose to name it; null otherwise."
    )
    async def reported_by(self, info: Info) -> Partner | None:
        return await load_one(info, "partners", (await source_report(info, self.id))[1], Partner)


@strawberry.type(
    description="Who a requirement's products go to: a council's members, or a sector's "
    "partners of some kinds (all kinds when the list is empty)."
)
class RequirementAudience:
    partner_kinds: list[PartnerKind]
    _council: strawberry.Private[str | None]
    _sector: strawberry.Private[str | None]

    @strawberry.field
    async def council(self, info: Info) -> Council | None:
        return await load_one(info, "councils", self._council, Council)

    @strawberry.field
    async def sector(self, info: Info) -> Sector | None:
        return await load_one(info, "sectors", self._sector, Sector)


@strawberry.type(
    description="An information-sharing requirement a council sets for its sector: what "
    "is meaningful (empty lists and a null minimum mean any), who receives it, how."
)
class Requirement:
    id: strawberry.ID
    kinds: list[ProductKind]
    levels: list[ProductLevel]
    min_severity: Severity | None
    channel: Channel
    illustrative: bool
    audience: RequirementAudience
    version: int = strawberry.field(description=VERSION_DOC)
    _record: strawberry.Private[Record]

    @strawberry.field
    async def council(self, info: Info) -> Council:
        return await load_existing(info, "councils", self._record["council"], Council)

    @strawberry.field
    async def sector(self, info: Info) -> Sector:
        return await load_existing(info, "sectors", self._record["sector"], Sector)

    @strawberry.field
    async def topics(self, info: Info) -> list[Topic]:
        return await load_many(info, "topics", self._record["topics"], Topic)


# Named apart from `Subscription`, which GraphQL and federation reserve for the subscription root.
@strawberry.type(
    name="PartnerSubscription", description="A partner's standing interest in a topic or a sector."
)
class Subscription:
    min_severity: Severity | None
    delivery: SubscriptionDelivery = strawberry.field(
        description="IMMEDIATE: a message per product. DAILY_DIGEST: one message a day listing the "
        "sector's TLP:CLEAR and TLP:GREEN products."
    )
    version: int = strawberry.field(description=VERSION_DOC)
    _partner: strawberry.Private[str]
    _topic: strawberry.Private[str | None]
    _sector: strawberry.Private[str | None]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)

    @strawberry.field
    async def topic(self, info: Info) -> Topic | None:
        return await load_one(info, "topics", self._topic, Topic)

    @strawberry.field
    async def sector(self, info: Info) -> Sector | None:
        return await load_one(info, "sectors", self._sector, Sector)


def subscription(partner_id: str, r: Record) -> Subscription:
    return Subscription(
        min_severity=Severity(r["minSeverity"]) if r["minSeverity"] else None,
        delivery=SubscriptionDelivery(r.get("delivery") or "IMMEDIATE"),
        version=r["version"],
        _partner=partner_id,
        _topic=r["topic"],
        _sector=r["sector"],
    )


def requirement(r: Record) -> Requirement:
    audience = r["audience"]
    return Requirement(
        id=r["id"],
        kinds=[ProductKind(k) for k in r["kinds"]],
        levels=[ProductLevel(v) for v in r["levels"]],
        min_severity=Severity(r["minSeverity"]) if r["minSeverity"] else None,
        channel=Channel(r["channel"]),
        illustrative=r["illustrative"],
        version=r["version"],
        audience=RequirementAudience(
            partner_kinds=[PartnerKind(k) for k in audience.get("partnerKinds") or []],
            _council=audience.get("council"),
            _sector=audience.get("sector"),
        ),
        _record=r,
    )


def wrap(collection: str, r: Record) -> Any:
    """The GraphQL object for a canonical record of `collection`."""
    return _WRAPPERS[collection](r)


def _sector(r: Record) -> Sector:
    return Sector(id=r["id"], name=r["name"], _agency=r["sectorSpecificAgency"])


def _region(r: Record) -> Region:
    return Region(
        id=r["id"], name=r["name"], kind=RegionKind(r["kind"]), version=r["version"], _parent=r["parent"]
    )


def _topic(r: Record) -> Topic:
    return Topic(id=r["id"], name=r["name"], version=r["version"])


def _council(r: Record) -> Council:
    return Council(
        id=r["id"],
        name=r["name"],
        kind=CouncilKind(r["kind"]),
        illustrative=r["illustrative"],
        version=r["version"],
        _record=r,
    )


def _contact(r: Record) -> Contact:
    return Contact(
        id=r["id"],
        name=r["name"],
        email=r["email"],
        pcii_authorized=r["pciiAuthorized"],
        channels=[Channel(c) for c in r["channels"]],
        active=r["active"],
        version=r["version"],
        _partner=r["partner"],
    )


def _product(r: Record) -> InformationProduct:
    return InformationProduct(
        id=r["id"],
        title=r["title"],
        kind=ProductKind(r["kind"]),
        level=ProductLevel(r["level"]),
        severity=Severity(r["severity"]),
        tlp=Tlp(r["tlp"]),
        pcii=r["pcii"],
        published_at=r["publishedAt"],
        illustrative=r["illustrative"],
        summary=r["summary"],
        link=r["link"],
        version=r["version"],
        _record=r,
    )


def partner(r: Record) -> Partner:
    center = r["fusionCenter"]
    return Partner(
        id=r["id"],
        name=r["name"],
        kind=PartnerKind(r["kind"]),
        active=r["active"],
        illustrative=r["illustrative"],
        fusion_center=FusionCenter(type=FusionCenterType(center["type"]), _serves=center["serves"])
        if center
        else None,
        intake=bool(r.get("intake")),
        version=r["version"],
        _record=r,
    )


_WRAPPERS: dict[str, Callable[[Record], Any]] = {
    "sectors": _sector,
    "regions": _region,
    "topics": _topic,
    "partners": partner,
    "councils": _council,
    "contacts": _contact,
    "requirements": requirement,
    "products": _product,
}


# -- reports upward ---------------------------------------------------------------------------


@strawberry.type(description="Why a report reached a partner.")
class RouteReason:
    source: RouteSource = strawberry.field(
        description="FUSION_CENTER: it serves a region related to the report's (or, for a report "
        "naming none, the submitter's); INTAKE_POINT: a national intake point."
    )
    ref: strawberry.ID | None = strawberry.field(
        description="For FUSION_CENTER: the served region that matched."
    )


@strawberry.type(description="A partner a report was routed to, with the reasons.")
class Route:
    reasons: list[RouteReason]
    _partner: strawberry.Private[str]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)


@strawberry.type(description="One step of a report's triage.")
class ReportStep:
    at: str
    by: str = strawberry.field(description="The user who took it.")
    state: ReportState
    note: str | None


@strawberry.type(
    description="A report a partner submitted upward: suspicious activity, an incident or a "
    "request for information. Visible to its submitter's users, to the users of the partners it "
    "was routed to, and to ANALYST and ADMIN."
)
class Report:
    id: strawberry.ID
    title: str
    summary: str
    kind: ReportKind
    tlp: Tlp
    state: ReportState
    pcii_status: PciiStatus
    observed_at: str = strawberry.field(description="When it was seen (ISO-8601, UTC).")
    submitted_at: str
    submitted_by: str = strawberry.field(description="The user who submitted it.")
    routed_to: list[Route] = strawberry.field(description="By partner name.")
    history: list[ReportStep] = strawberry.field(description="Every transition, oldest first.")
    version: int
    _record: strawberry.Private[Record]

    @strawberry.field(description="The organisation that submitted it.")
    async def submitter(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._record["submitter"], Partner)

    @strawberry.field
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._record["sectors"], Sector)

    @strawberry.field
    async def regions(self, info: Info) -> list[Region]:
        return await load_many(info, "regions", self._record["regions"], Region)

    @strawberry.field(description="The product it was published as (null until PUBLISHED).")
    async def product(self, info: Info) -> InformationProduct | None:
        return await load_one(info, "products", self._record["product"], InformationProduct)

    @staticmethod
    def of(r: Record) -> Report:
        steps = [json.loads(entry) for entry in r["history"] or []]
        return Report(
            id=strawberry.ID(r["id"]),
            title=r["title"],
            summary=r["summary"],
            kind=ReportKind(r["kind"]),
            tlp=Tlp(r["tlp"]),
            state=ReportState(r["state"]),
            pcii_status=PciiStatus(r["pciiStatus"]),
            observed_at=r["observedAt"],
            submitted_at=r["submittedAt"],
            submitted_by=r["submittedBy"],
            routed_to=[
                Route(
                    reasons=[
                        RouteReason(source=RouteSource(x["source"]), ref=x["ref"])
                        for x in reports.parse_reasons(route["reasons"])
                    ],
                    _partner=route["partner"],
                )
                for route in r["routedTo"]
            ],
            history=[
                ReportStep(at=s["at"], by=s["by"], state=ReportState(s["state"]), note=s["note"])
                for s in steps
            ],
            version=int(r["version"]),
            _record=r,
        )


async def load_report(info: Info, report_id: str | None) -> Report | None:
    """A report by id, batched across the request, if this user may see it."""
    if report_id is None:
        return None
    found = await info.context.loaders.report.load(report_id)
    return None if found is None else Report.of(found)


async def source_report(info: Info, product_id: str) -> tuple[Report | None, str | None]:
    """The report a product came from, if this user may see it, and the submitter when the
    reviewer chose to reveal it."""
    rows = await info.context.loaders.keyed("report_of_product").load(product_id)
    if not rows:
        return None, None
    row = rows[0]
    return await load_report(info, row["report"]), row["submitter"] if row["reveal"] else None

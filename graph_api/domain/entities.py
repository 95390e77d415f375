"""The entity model: every fact about a kind of record, in one table that every layer reads.

The GraphQL filter and sort inputs, the filter compiler's allow-lists, the edit nouns and labels,
and the schema's type names are all generated from `ENTITIES`. A label, property, relationship
pattern or sort key reaches Cypher only if it is written here; user input never does. Python
elsewhere names a label or a relationship type only through `Label`, `RelType` and the records
below (tests/unit/test_model_names.py fails on a literal); `.cypher` files are Cypher and name
them directly, and `Label` and `RelType` declare every one those files use.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from graph_api.domain.vocabulary import (
    Channel,
    CouncilKind,
    FusionCenterType,
    PartnerKind,
    ProductKind,
    ProductLevel,
    RegionKind,
    Severity,
    Tlp,
)


class Label(StrEnum):
    """Every node label of the graph."""

    SECTOR = "Sector"
    REGION = "Region"
    TOPIC = "Topic"
    CONTACT = "Contact"
    REQUIREMENT = "Requirement"
    PARTNER = "Partner"
    COUNCIL = "Council"
    INFORMATION_PRODUCT = "InformationProduct"
    # Partners and councils: the vertices of the collaboration graph.
    VERTEX = "Vertex"
    # The id of a partner merged into another, kept so that the old id still answers.
    PARTNER_ALIAS = "PartnerAlias"
    REPORT = "Report"
    DELIVERY = "Delivery"
    MESSAGE = "Message"
    OPEN_SOURCE_FEED = "OpenSourceFeed"
    OPEN_SOURCE_ITEM = "OpenSourceItem"
    OPEN_SOURCE_REPORT = "OpenSourceReport"
    OPEN_SOURCE_KEYWORD_RULE = "OpenSourceKeywordRule"
    EVENT = "Event"
    EVENT_SEQUENCE = "EventSequence"
    AUDIT_RECORD = "AuditRecord"
    AUDIT_HEAD = "AuditHead"
    GRAPH_VERSION = "GraphVersion"
    GRAPH_CHANGE = "GraphChange"
    SCHEMA_MIGRATION = "SchemaMigration"
    # Another ISE Graph node this one exchanges products with, and its sharing agreement.
    PEER = "Peer"
    # A product received from a peer, kept read-only at its origin's version; an envelope refused.
    RECEIVED_PRODUCT = "ReceivedProduct"
    PEER_REFUSAL = "PeerRefusal"
    # A member organisation's proposed new requirement or change, decided by a steward (§12).
    REQUIREMENT_PROPOSAL = "RequirementProposal"


class RelType(StrEnum):
    """Every relationship type of the graph."""

    IN_SECTOR = "IN_SECTOR"
    IN_REGION = "IN_REGION"
    MEMBER_OF = "MEMBER_OF"
    PARTNERS_WITH = "PARTNERS_WITH"
    CLIENT_OF = "CLIENT_OF"
    SERVES = "SERVES"
    COVERS = "COVERS"
    PART_OF = "PART_OF"
    SECTOR_SPECIFIC_AGENCY = "SECTOR_SPECIFIC_AGENCY"
    WORKS_FOR = "WORKS_FOR"
    SUBSCRIBES_TO = "SUBSCRIBES_TO"
    SET_BY = "SET_BY"
    FOR_SECTOR = "FOR_SECTOR"
    ON_TOPIC = "ON_TOPIC"
    AUDIENCE = "AUDIENCE"
    ABOUT_SECTOR = "ABOUT_SECTOR"
    ABOUT_TOPIC = "ABOUT_TOPIC"
    ABOUT_REGION = "ABOUT_REGION"
    ADDRESSED_TO = "ADDRESSED_TO"
    ISSUED_BY = "ISSUED_BY"
    ALIAS_OF = "ALIAS_OF"
    FROM_REPORT = "FROM_REPORT"
    SUBMITTED_BY = "SUBMITTED_BY"
    REPORT_SECTOR = "REPORT_SECTOR"
    REPORT_REGION = "REPORT_REGION"
    ROUTED_TO = "ROUTED_TO"
    # Delivery: a delivery OF a product TO a partner; its messages are PART_OF it; a digest
    # LISTS products, a report notice NOTIFIES of a report.
    OF = "OF"
    TO = "TO"
    LISTS = "LISTS"
    NOTIFIES = "NOTIFIES"
    # Open-source reports: a report INCLUDES items, a product published from it CITES them.
    INCLUDES = "INCLUDES"
    CITES = "CITES"


Kind = Literal["id", "string", "enum", "bool", "datetime", "severity"]

# The filter language: the operator suffixes each kind of scalar takes (`name_CONTAINS`), and
# the quantifiers a relation takes (`sectors_SOME: {...}`).
OPERATORS: dict[Kind, tuple[str, ...]] = {
    "id": ("", "_IN", "_NOT", "_NOT_IN", "_STARTS_WITH"),
    "string": ("", "_IN", "_NOT", "_NOT_IN", "_CONTAINS", "_STARTS_WITH", "_ENDS_WITH"),
    "enum": ("", "_IN", "_NOT", "_NOT_IN"),
    "bool": ("",),
    "datetime": ("", "_LT", "_LTE", "_GT", "_GTE"),
    "severity": ("", "_IN", "_LT", "_LTE", "_GT", "_GTE"),
}
RELATION_OPERATORS = ("_SOME", "_NONE", "_ALL", "_SINGLE")


@dataclass(frozen=True)
class Scalar:
    kind: Kind
    prop: str  # the node property; severities compare by their rank property
    enum: type[StrEnum] | None = None


@dataclass(frozen=True)
class Relation:
    target: str
    pattern: str  # from `n` to `m`, with `m` labelled: fixed text, never input

    @property
    def type(self) -> str:
        """The relationship type of a one-step pattern."""
        types = re.findall(r"\[:(\w+)\]", self.pattern)
        assert len(types) == 1, self.pattern
        return str(RelType(types[0]))

    def between(self, source: str, target: str, link: str = "") -> str:
        """The pattern from `source` to `target` (variables, or variables with their labels), the
        relationship bound to `link` if given."""
        text = self.pattern.replace("(n)", f"({source})").replace("(m:", f"({target}:")
        return text.replace("[:", f"[{link}:") if link else text


@dataclass(frozen=True)
class Prop:
    """A GraphQL field read straight from a node property; `default` stands in for a missing one."""

    prop: str
    default: bool | int | str | list[str] | None = None


@dataclass(frozen=True)
class Timestamp:
    """A date-time property, answered as canonical ISO-8601 UTC text."""

    prop: str


@dataclass(frozen=True)
class Follow:
    """A GraphQL field that follows a relation (or a link): a list ordered by the related
    records' ids, or the one related record (null when there is none)."""

    relation: str
    many: bool = True


@dataclass(frozen=True)
class Derived:
    """A GraphQL field whose shape is not a record of the model (a membership, a fusion center,
    an audience): the query compiler builds it by the rule of this name."""

    rule: str


Projection = Prop | Timestamp | Follow | Derived


@dataclass(frozen=True)
class Entity:
    name: str  # the GraphQL type
    label: str  # the Neo4j label
    collection: str  # the interchange document's key
    scalars: dict[str, Scalar]
    relations: dict[str, Relation] = field(default_factory=dict)
    default_sort: tuple[str, ...] = ("name",)  # "-field" sorts descending
    # Editing. `noun` is how messages name a record (None: not editable); `field` is the
    # payload's result field, which is also the noun in the mutations' names.
    noun: str | None = None
    field: str | None = None
    # Extra labels a new record gets: partners and councils are vertices of the
    # collaboration graph.
    extra_labels: tuple[str, ...] = ()
    # The outgoing links a record owns (its own fields): they go with it on delete. Anything
    # else touching it is a dependent, and a record with dependents is not deleted.
    owned_links: tuple[str, ...] = ()
    # Records with an `active` flag can be deactivated instead of deleted.
    deactivatable: bool = False
    # Reading. How each field of the GraphQL type is read (the query compiler's allow-list),
    # the relations also offered as `<relation>Connection`, and links that fields follow but
    # that are not filters.
    fields: dict[str, Projection] = dataclasses.field(default_factory=dict)
    connections: tuple[str, ...] = ()
    links: dict[str, Relation] = dataclasses.field(default_factory=dict)

    def link(self, name: str) -> Relation:
        return self.relations[name] if name in self.relations else self.links[name]

    @property
    def create_labels(self) -> str:
        return ":".join((self.label, *self.extra_labels))


def _s(kind: Kind, prop: str, enum: type[StrEnum] | None = None) -> Scalar:
    return Scalar(kind, prop, enum)


def _props(*names: str) -> dict[str, Projection]:
    return {name: Prop(name) for name in names}


_FLAGS: dict[str, Projection] = {"illustrative": Prop("illustrative", False)}


_ENTITY_LIST = [
    Entity(
        "Sector",
        "Sector",
        "sectors",
        {"id": _s("id", "id"), "name": _s("string", "name")},
        {
            "partners": Relation("Partner", "(m:Partner)-[:IN_SECTOR]->(n)"),
            "councils": Relation("Council", "(m:Council)-[:COVERS]->(n)"),
        },
        fields={
            **_props("id", "name"),
            "sectorSpecificAgency": Follow("sectorSpecificAgency", many=False),
            "councils": Follow("councils"),
        },
        connections=("partners", "councils"),
        links={"sectorSpecificAgency": Relation("Partner", "(n)-[:SECTOR_SPECIFIC_AGENCY]->(m:Partner)")},
    ),
    Entity(
        "Region",
        "Region",
        "regions",
        {"id": _s("id", "id"), "name": _s("string", "name"), "kind": _s("enum", "kind", RegionKind)},
        {
            "parent": Relation("Region", "(n)-[:PART_OF]->(m:Region)"),
            "children": Relation("Region", "(m:Region)-[:PART_OF]->(n)"),
            "fusionCenters": Relation("Partner", "(m:Partner)-[:SERVES]->(n)"),
            "partners": Relation("Partner", "(m:Partner)-[:IN_REGION]->(n)"),
        },
        noun="region",
        field="region",
        owned_links=("PART_OF",),
        fields={**_props("id", "name", "kind", "version"), "parent": Follow("parent", many=False)},
        connections=("children", "fusionCenters", "partners"),
    ),
    Entity(
        "Topic",
        "Topic",
        "topics",
        {"id": _s("id", "id"), "name": _s("string", "name")},
        noun="topic",
        field="topic",
        fields=_props("id", "name", "version"),
    ),
    Entity(
        "Contact",
        "Contact",
        "contacts",
        {
            "id": _s("id", "id"),
            "name": _s("string", "name"),
            "email": _s("string", "email"),
            "pciiAuthorized": _s("bool", "pciiAuthorized"),
            "active": _s("bool", "active"),
        },
        {"partner": Relation("Partner", "(n)-[:WORKS_FOR]->(m:Partner)")},
        noun="contact",
        field="contact",
        owned_links=("WORKS_FOR",),
        deactivatable=True,
        fields={
            **_props("id", "name", "email", "version"),
            "pciiAuthorized": Prop("pciiAuthorized", False),
            "channels": Prop("channels", []),
            "active": Prop("active", True),
            "partner": Follow("partner", many=False),
        },
    ),
    Entity(
        "Requirement",
        "Requirement",
        "requirements",
        {
            "id": _s("id", "id"),
            "minSeverity": _s("severity", "minSeverityRank", Severity),
            "channel": _s("enum", "channel", Channel),
            "illustrative": _s("bool", "illustrative"),
        },
        {
            "council": Relation("Council", "(n)-[:SET_BY]->(m:Council)"),
            "sector": Relation("Sector", "(n)-[:FOR_SECTOR]->(m:Sector)"),
            "topics": Relation("Topic", "(n)-[:ON_TOPIC]->(m:Topic)"),
        },
        default_sort=("id",),
        noun="requirement",
        field="requirement",
        owned_links=("SET_BY", "FOR_SECTOR", "ON_TOPIC", "AUDIENCE"),
        fields={
            **_props("id", "minSeverity", "channel", "version"),
            **_FLAGS,
            "kinds": Prop("kinds", []),
            "levels": Prop("levels", []),
            "council": Follow("council", many=False),
            "sector": Follow("sector", many=False),
            "topics": Follow("topics"),
            "audience": Derived("audience"),
        },
    ),
    Entity(
        "Partner",
        "Partner",
        "partners",
        {
            "id": _s("id", "id"),
            "name": _s("string", "name"),
            "kind": _s("enum", "kind", PartnerKind),
            "active": _s("bool", "active"),
            "fusionCenterType": _s("enum", "fusionCenterType", FusionCenterType),
            "intake": _s("bool", "intake"),
            "illustrative": _s("bool", "illustrative"),
        },
        {
            "sectors": Relation("Sector", "(n)-[:IN_SECTOR]->(m:Sector)"),
            "regions": Relation("Region", "(n)-[:IN_REGION]->(m:Region)"),
            "councils": Relation("Council", "(n)-[:MEMBER_OF]->(m:Council)"),
            "partnersWith": Relation("Partner", "(n)-[:PARTNERS_WITH]-(m:Partner)"),
            "clientOf": Relation("Partner", "(n)-[:CLIENT_OF]->(m:Partner)"),
            "clients": Relation("Partner", "(m:Partner)-[:CLIENT_OF]->(n)"),
            "serves": Relation("Region", "(n)-[:SERVES]->(m:Region)"),
        },
        noun="partner",
        field="partner",
        extra_labels=("Vertex",),
        owned_links=("IN_SECTOR", "IN_REGION", "SERVES", "CLIENT_OF"),
        deactivatable=True,
        fields={
            **_props("id", "name", "kind", "version"),
            **_FLAGS,
            "active": Prop("active", True),
            "intake": Prop("intake", False),
            "isGovernment": Derived("isGovernment"),
            "fusionCenter": Derived("fusionCenter"),
            "sectors": Follow("sectors"),
            "regions": Follow("regions"),
            "partnersWith": Follow("partnersWith"),
            "clientOf": Follow("clientOf"),
            "memberships": Derived("memberships"),
            "subscriptions": Derived("subscriptions"),
            "contacts": Derived("contacts"),
        },
        connections=("sectors", "regions", "councils", "partnersWith", "clientOf", "clients", "serves"),
        links={"contacts": Relation("Contact", "(m:Contact)-[:WORKS_FOR]->(n)")},
    ),
    Entity(
        "Council",
        "Council",
        "councils",
        {
            "id": _s("id", "id"),
            "name": _s("string", "name"),
            "kind": _s("enum", "kind", CouncilKind),
            "illustrative": _s("bool", "illustrative"),
        },
        {
            "sectors": Relation("Sector", "(n)-[:COVERS]->(m:Sector)"),
            "members": Relation("Partner", "(m:Partner)-[:MEMBER_OF]->(n)"),
            "parent": Relation("Council", "(n)-[:PART_OF]->(m:Council)"),
            "children": Relation("Council", "(m:Council)-[:PART_OF]->(n)"),
        },
        noun="council",
        field="council",
        extra_labels=("Vertex",),
        owned_links=("COVERS", "PART_OF"),
        fields={
            **_props("id", "name", "kind", "version"),
            **_FLAGS,
            "sectors": Follow("sectors"),
            "parent": Follow("parent", many=False),
            "requirements": Follow("requirements"),
            "members": Derived("members"),
        },
        connections=("sectors", "members", "children"),
        links={"requirements": Relation("Requirement", "(m:Requirement)-[:SET_BY]->(n)")},
    ),
    Entity(
        "InformationProduct",
        "InformationProduct",
        "products",
        {
            "id": _s("id", "id"),
            "title": _s("string", "title"),
            "kind": _s("enum", "kind", ProductKind),
            "level": _s("enum", "level", ProductLevel),
            "severity": _s("severity", "severityRank", Severity),
            "tlp": _s("enum", "tlp", Tlp),
            "pcii": _s("bool", "pcii"),
            "publishedAt": _s("datetime", "publishedAt"),
            "illustrative": _s("bool", "illustrative"),
        },
        {
            "sectors": Relation("Sector", "(n)-[:ABOUT_SECTOR]->(m:Sector)"),
            "topics": Relation("Topic", "(n)-[:ABOUT_TOPIC]->(m:Topic)"),
            "regions": Relation("Region", "(n)-[:ABOUT_REGION]->(m:Region)"),
            "addressedTo": Relation("Partner", "(n)-[:ADDRESSED_TO]->(m:Partner)"),
            "issuedBy": Relation("Partner", "(n)-[:ISSUED_BY]->(m:Partner)"),
        },
        default_sort=("-publishedAt",),
        noun="information product",
        field="product",
        owned_links=("ABOUT_SECTOR", "ABOUT_TOPIC", "ABOUT_REGION", "ADDRESSED_TO", "ISSUED_BY"),
        fields={
            **_props("id", "title", "kind", "level", "severity", "tlp", "version", "summary", "link"),
            **_FLAGS,
            "pcii": Prop("pcii", False),
            "publishedAt": Timestamp("publishedAt"),
            "sectors": Follow("sectors"),
            "topics": Follow("topics"),
            "regions": Follow("regions"),
            "addressedTo": Follow("addressedTo"),
            "issuedBy": Follow("issuedBy", many=False),
            "sourceReport": Derived("sourceReport"),
            "reportedBy": Derived("reportedBy"),
        },
        connections=("sectors", "topics", "regions", "addressedTo"),
        links={
            "sourceReport": Relation("Report", "(n)-[:FROM_REPORT]->(m:Report)"),
            "reportedBy": Relation("Partner", "(n)-[:FROM_REPORT]->(:Report)-[:SUBMITTED_BY]->(m:Partner)"),
        },
    ),
]

# Records the API reads and the service writes, but that are not filtered, sorted, imported or
# exported: reports upward from partners, and the deliveries of products with their messages.
_RECORD_LIST = [
    Entity(
        "Report",
        "Report",
        "reports",
        {"id": _s("id", "id")},
        {
            "submitter": Relation("Partner", "(n)-[:SUBMITTED_BY]->(m:Partner)"),
            "sectors": Relation("Sector", "(n)-[:REPORT_SECTOR]->(m:Sector)"),
            "regions": Relation("Region", "(n)-[:REPORT_REGION]->(m:Region)"),
            "product": Relation("InformationProduct", "(m:InformationProduct)-[:FROM_REPORT]->(n)"),
        },
        default_sort=("-submittedAt",),
        fields={
            **_props(
                "id", "title", "summary", "kind", "tlp", "state", "pciiStatus", "submittedBy", "version"
            ),
            "observedAt": Timestamp("observedAt"),
            "submittedAt": Timestamp("submittedAt"),
            "submitter": Follow("submitter", many=False),
            "sectors": Follow("sectors"),
            "regions": Follow("regions"),
            "product": Derived("reportProduct"),
            "routedTo": Derived("routes"),
            "history": Derived("history"),
        },
    ),
    Entity(
        "Delivery",
        "Delivery",
        "deliveries",
        {"key": _s("id", "key")},  # `<product id>|<partner id>`
        {
            "product": Relation("InformationProduct", "(n)-[:OF]->(m:InformationProduct)"),
            "partner": Relation("Partner", "(n)-[:TO]->(m:Partner)"),
            "messages": Relation("Message", "(m:Message)-[:PART_OF]->(n)"),
        },
        default_sort=("key",),
        fields={
            "channels": Prop("channels", []),
            "deliveredAt": Timestamp("deliveredAt"),
            "deliveredBy": Prop("deliveredBy"),
            "acknowledgedAt": Timestamp("acknowledgedAt"),
            **_props("acknowledgedBy", "acknowledgedVia"),
            "product": Follow("product", many=False),
            "partner": Follow("partner", many=False),
            "messages": Follow("messages"),
        },
    ),
    Entity(
        "Message",
        "Message",
        "messages",
        {"id": _s("id", "id"), "channel": _s("enum", "channel", Channel)},
        {
            "delivery": Relation("Delivery", "(n)-[:PART_OF]->(m:Delivery)"),
            "contact": Relation("Contact", "(n)-[:TO]->(m:Contact)"),
            # A digest lists products; a report notice tells of a report.
            "lists": Relation("InformationProduct", "(n)-[:LISTS]->(m:InformationProduct)"),
            "notifies": Relation("Report", "(n)-[:NOTIFIES]->(m:Report)"),
        },
        default_sort=("id",),
        fields={
            **_props("id", "channel", "status", "address", "lastError", "completedBy", "note"),
            "attempts": Prop("attempts", 0),
            "nextAttemptAt": Timestamp("nextAttemptAt"),
            "createdAt": Timestamp("createdAt"),
            "sentAt": Timestamp("sentAt"),
            "linkUsedAt": Timestamp("linkUsedAt"),
            "contact": Follow("contact", many=False),
            # A product's message: the product and partner of its delivery.
            "product": Derived("deliveryProduct"),
            "partner": Derived("deliveryPartner"),
        },
    ),
]


@dataclass(frozen=True)
class Link:
    """A relationship that is a record of its own (it has properties and a GraphQL type): from a
    `start` record along `type` to an `end` record, which may be one of several kinds. The keys
    of `start` and `ends` are the GraphQL fields that answer those records (None: the start is
    not one of the type's fields)."""

    name: str  # the GraphQL type
    type: RelType
    start: tuple[str | None, str]  # (field, entity)
    ends: dict[str, str]  # field → entity, in the order the records' lists sort them
    fields: dict[str, Projection]

    def pattern(self, start: str, link: str, end: str) -> str:
        """`(start)-[link:TYPE]->(end)`; `start` and `end` are variables, with labels or without."""
        return f"({start})-[{link}:{self.type}]->({end})"


MEMBERSHIP = Link(
    "Membership",
    RelType.MEMBER_OF,
    ("partner", "Partner"),
    {"council": "Council"},
    {"role": Prop("role", "MEMBER"), "version": Prop("version")},
)
SUBSCRIPTION = Link(
    "PartnerSubscription",
    RelType.SUBSCRIBES_TO,
    ("partner", "Partner"),
    {"topic": "Topic", "sector": "Sector"},
    {
        "minSeverity": Prop("minSeverity"),
        "delivery": Prop("delivery", "IMMEDIATE"),
        "version": Prop("version"),
    },
)
# A report's routing to a partner, with the reasons (`source|ref` text) it was routed there.
ROUTE = Link(
    "Route", RelType.ROUTED_TO, (None, "Report"), {"partner": "Partner"}, {"reasons": Prop("reasons")}
)
# A requirement's audience: one council, or one sector (narrowed by `audiencePartnerKinds`).
REQUIREMENT_AUDIENCE = Link(
    "RequirementAudience",
    RelType.AUDIENCE,
    (None, "Requirement"),
    {"council": "Council", "sector": "Sector"},
    {"partnerKinds": Derived("partnerKinds")},
)
LINKS: dict[str, Link] = {link.name: link for link in (MEMBERSHIP, SUBSCRIPTION, ROUTE, REQUIREMENT_AUDIENCE)}

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in _ENTITY_LIST}
RECORDS: dict[str, Entity] = {entity.name: entity for entity in _RECORD_LIST}
# Every node record of the model, by GraphQL type: what the query compiler may project.
MODEL: dict[str, Entity] = {**ENTITIES, **RECORDS}
BY_COLLECTION: dict[str, Entity] = {entity.collection: entity for entity in _ENTITY_LIST}
# The collections an administrator edits record by record, in the order the mutations are listed.
EDITABLE = ("partners", "councils", "contacts", "requirements", "regions", "topics", "products")
assert all(BY_COLLECTION[c].noun for c in EDITABLE)

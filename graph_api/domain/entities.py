"""The entity model: every fact about a kind of record, in one table that every layer reads.

The GraphQL filter and sort inputs, the filter compiler's allow-lists, the edit nouns and labels,
and the schema's type names are all generated from `ENTITIES`. A label, property, relationship
pattern or sort key reaches Cypher only if it is written here; user input never does.
"""

from __future__ import annotations

import dataclasses
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


@dataclass(frozen=True)
class Prop:
    """A GraphQL field read straight from a node property; `default` stands in for a missing one."""

    prop: str
    default: bool | list[str] | None = None


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
    ),
]

ENTITIES: dict[str, Entity] = {entity.name: entity for entity in _ENTITY_LIST}
BY_COLLECTION: dict[str, Entity] = {entity.collection: entity for entity in _ENTITY_LIST}
# The collections an administrator edits record by record, in the order the mutations are listed.
EDITABLE = ("partners", "councils", "contacts", "requirements", "regions", "topics", "products")
assert all(BY_COLLECTION[c].noun for c in EDITABLE)

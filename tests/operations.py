"""Seeded random GraphQL read operations over the directory and products, for differential tests.

`Generator(rng, pools, cursors).operation()` writes one operation with its variables: one to
three root fields (lists, connections, records by id, search, memberships, subscriptions,
federation `_entities`), nested relations to depth 4, connections with where/sort/first/after/
last/before, aliases, inline fragments and named fragments, the `SearchResult` union,
`@include`/`@skip` (literal and variable), and arguments passed as variables. Values come from
the network's own ids and names so that filters match something.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_leaf_type,
)

from graph_api.domain.entities import ENTITIES, OPERATORS, RELATION_OPERATORS
from graph_api.store.paging import encode_cursor

Json = dict[str, Any]
MAX_DEPTH = 4
ROOT_CONNECTIONS = {
    "partners": "Partner",
    "councils": "Council",
    "products": "InformationProduct",
    "contacts": "Contact",
    "requirements": "Requirement",
    "sectorsConnection": "Sector",
    "regionsConnection": "Region",
    "topicsConnection": "Topic",
}
ROOT_LISTS = {"sectors": "Sector", "regions": "Region", "topics": "Topic"}
ROOT_RECORDS = {
    "partner": "Partner",
    "council": "Council",
    "product": "InformationProduct",
    "sector": "Sector",
    "region": "Region",
    "topic": "Topic",
    "requirement": "Requirement",
    "contact": "Contact",
}
FEDERATED = ("Partner", "Council", "InformationProduct", "Sector", "Region")
TIMES = ("2026-01-01T00:00:00Z", "2026-11-01T00:00:00Z", "2026-11-20T12:00:00Z", "2027-01-01T00:00:00Z")
# Cursors of a root list in a sort order: (entity, sort text) → cursors of its rows.
Cursors = Callable[[str, str], list[str]]


@dataclass
class Pools:
    """Values to draw from: ids per entity, words of names, partner and council ids."""

    ids: dict[str, list[str]]
    words: list[str]
    id_prefixes: list[str] = field(default_factory=lambda: [""])

    @staticmethod
    def of(document: Json, prefix: str = "") -> Pools:
        ids = {
            entity.name: [r["id"] for r in document.get(entity.collection, []) if "id" in r]
            for entity in ENTITIES.values()
        }
        names = [
            r.get("name") or r.get("title") or ""
            for c in ("partners", "councils", "products")
            for r in document.get(c, [])
        ]
        words = sorted({w.lower() for n in names for w in n.split() if len(w) > 3 and w.isalpha()})
        return Pools(ids, words or ["grid"], [prefix] if prefix else [""])


class Generator:
    def __init__(self, schema: GraphQLSchema, rng: random.Random, pools: Pools, cursors: Cursors) -> None:
        self.schema = schema
        self.rng = rng
        self.pools = pools
        self.cursors = cursors
        self.variables: Json = {}
        self.definitions: list[str] = []
        self.fragments: list[str] = []
        self._n = 0

    # -- helpers ---------------------------------------------------------------------------

    def _name(self, stem: str) -> str:
        self._n += 1
        return f"{stem}{self._n}"

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def _variable(self, type_text: str, value: Any) -> str:
        name = self._name("v")
        self.definitions.append(f"${name}: {type_text}")
        self.variables[name] = value
        return f"${name}"

    def _id(self, entity: str) -> str:
        pool = self.pools.ids.get(entity) or ["none"]
        return "no-such-id" if self.chance(0.08) else self.rng.choice(pool)

    # -- the operation -------------------------------------------------------------------

    def operation(self) -> tuple[str, Json]:
        self.variables, self.definitions, self.fragments = {}, [], []
        roots = [self.root() for _ in range(self.rng.choice((1, 1, 2, 3)))]
        body = "\n  ".join(roots)
        header = f"query Generated({', '.join(self.definitions)})" if self.definitions else "query Generated"
        return "\n".join([f"{header} {{\n  {body}\n}}", *self.fragments]), as_json(self.variables)

    def root(self) -> str:
        kind = self.rng.choices(
            ["connection", "list", "record", "search", "memberships", "subscriptions", "entities"],
            weights=[40, 8, 25, 8, 6, 5, 5],
        )[0]
        alias = f"{self._name('r')}: "
        if kind == "connection":
            name = self.rng.choice(list(ROOT_CONNECTIONS))
            entity = ROOT_CONNECTIONS[name]
            args = self.connection_arguments(entity, root=True)
            return f"{alias}{name}{args} {self.connection_selection(f'{entity}Connection', entity, 1)}"
        if kind == "list":
            name = self.rng.choice(list(ROOT_LISTS))
            entity = ROOT_LISTS[name]
            args = self._arguments(
                {"where": self.maybe_where(entity, 0.5), "sort": self.maybe_sort(entity, 0.5)}
            )
            return f"{alias}{name}{args} {self.selection(entity, 1)}"
        if kind == "record":
            name = self.rng.choice(list(ROOT_RECORDS))
            entity = ROOT_RECORDS[name]
            value = json.dumps(self._id(entity))
            if self.chance(0.3):
                value = self._variable("ID!", json.loads(value))
            return f"{alias}{name}(id: {value}) {self.selection(entity, 1)}"
        if kind == "search":
            words = self.rng.sample(
                self.pools.words, k=min(len(self.pools.words), self.rng.choice((1, 1, 2)))
            )
            text = " ".join(words)
            if self.chance(0.5):
                text = text[: max(2, len(text) - self.rng.randint(0, 3))]
            first = self.rng.randint(0, 6)
            after = (
                f", after: {json.dumps(encode_cursor(self.rng.randint(0, 3)))}" if self.chance(0.3) else ""
            )
            only = ""
            if self.chance(0.3):
                kinds = self.rng.sample(["PARTNER", "COUNCIL", "PRODUCT"], k=self.rng.randint(0, 2))
                only = f", only: [{', '.join(kinds)}]"
            selection = self.offset_selection("SearchResultConnection", None, 1)
            return f"{alias}search(text: {json.dumps(text)}, first: {first}{after}{only}) {selection}"
        if kind == "memberships":
            filters = []
            if self.chance(0.5):
                filters.append(f"council: {json.dumps(self._id('Council'))}")
            if self.chance(0.3):
                filters.append(f"partner: {json.dumps(self._id('Partner'))}")
            if self.chance(0.2):
                filters.append(f"role: {self.rng.choice(['CHAIR', 'MEMBER', 'OBSERVER'])}")
            filters += self.offset_window()
            args = f"({', '.join(filters)})" if filters else ""
            return (
                f"{alias}memberships{args} {self.offset_selection('MembershipConnection', 'Membership', 1)}"
            )
        if kind == "subscriptions":
            filters = []
            if self.chance(0.4):
                filters.append(f"topic: {json.dumps(self._id('Topic'))}")
            elif self.chance(0.3):
                filters.append(f"sector: {json.dumps(self._id('Sector'))}")
            if self.chance(0.3):
                filters.append(f"partner: {json.dumps(self._id('Partner'))}")
            filters += self.offset_window()
            args = f"({', '.join(filters)})" if filters else ""
            selection = self.offset_selection("PartnerSubscriptionConnection", "PartnerSubscription", 1)
            return f"{alias}subscriptions{args} {selection}"
        representations = [
            {"__typename": t, "id": self._id(t)}
            for t in self.rng.choices(FEDERATED, k=self.rng.randint(1, 4))
        ]
        value = self._variable("[_Any!]!", representations)
        return f"{alias}_entities(representations: {value}) {self.union_selection('_Entity', 1)}"

    def entities_beside_introspection(self) -> tuple[str, Json]:
        """`_entities` beside a field the compiler leaves to graphql-core (`__schema`): the
        operation runs on the resolvers, and `_entities` is answered by its resolver."""
        self.variables, self.definitions, self.fragments = {}, [], []
        representations = [
            {"__typename": t, "id": self._id(t)}
            for t in self.rng.choices(FEDERATED, k=self.rng.randint(1, 6))
        ]
        value = self._variable("[_Any!]!", representations)
        header = f"query Generated({', '.join(self.definitions)})"
        body = (
            f"{header} {{\n  r: _entities(representations: {value}) {self.union_selection('_Entity', 1)}\n"
            "  s: __schema { queryType { name } }\n}"
        )
        return "\n".join([body, *self.fragments]), as_json(self.variables)

    def domain_operation(self, partner: str | None) -> tuple[str, Json]:
        """One to three domain operations (recipient lists, deliveries, an inbox, onward sharing,
        paths, the Daily Report, reports), each with nested selections of the records its answer
        names, at times beside a root read; `partner` is whose inbox a PARTNER user may read."""
        self.variables, self.definitions, self.fragments = {}, [], []
        roots = [self.domain_root(partner) for _ in range(self.rng.choice((1, 1, 2)))]
        if self.chance(0.2):
            roots.append(self.root())
        body = "\n  ".join(roots)
        header = f"query Domain({', '.join(self.definitions)})" if self.definitions else "query Domain"
        return "\n".join([f"{header} {{\n  {body}\n}}", *self.fragments]), as_json(self.variables)

    def domain_root(self, partner: str | None) -> str:
        alias = f"{self._name('d')}: "
        kind = self.rng.choice(
            [
                "recipients",
                "deliveries",
                "unacknowledged",
                "inbox",
                "canShare",
                "connection",
                "daily",
                "reports",
            ]
        )
        product = json.dumps(self._id("InformationProduct"))
        if kind == "recipients" and self.chance(0.3):
            sectors = json.dumps(self.rng.sample(self.pools.ids["Sector"], k=1))
            topics = json.dumps(self.rng.sample(self.pools.ids["Topic"], k=1))
            tlp = self.rng.choice(["CLEAR", "GREEN", "AMBER", "RED"])
            draft = (
                f'{{title: "Draft", kind: ALERT, level: OPERATIONAL, severity: HIGH, tlp: {tlp}, '
                f'sectors: {sectors}, topics: {topics}, publishedAt: "2026-11-20T12:00:00Z"}}'
            )
            return f"{alias}previewRecipients(product: {draft}) {self.recipient_list_selection()}"
        if kind == "recipients":
            return f"{alias}recipients(productId: {product}) {self.recipient_list_selection()}"
        if kind in ("deliveries", "unacknowledged", "inbox"):
            window = f"first: {self.rng.randint(0, 4)}" if self.chance(0.6) else ""
            if window and self.chance(0.3):
                window += f", after: {json.dumps(encode_cursor(self.rng.randint(0, 2)))}"
            if kind == "inbox":
                whose = partner if partner is not None and self.chance(0.8) else self._id("Partner")
                head = f"inbox(partnerId: {json.dumps(whose)}{', ' + window if window else ''})"
            else:
                head = f"{kind}(productId: {product}{', ' + window if window else ''})"
            return f"{alias}{head} {self.delivery_connection_selection()}"
        if kind == "canShare":
            a, b = json.dumps(self._id("Partner")), json.dumps(self._id("Partner"))
            return f"{alias}canShare(productId: {product}, from: {a}, to: {b}) {{ allowed reason }}"
        if kind == "connection":
            a, b = json.dumps(self._id("Partner")), json.dumps(self._id("Council"))
            return f"{alias}connection(from: {a}, to: {b}) {{ length path {{ id name type }} }}"
        if kind == "daily":
            sector = json.dumps(self._id("Sector"))
            parts = ["date"]
            if self.chance(0.6):
                parts.append(f"sector {self.selection('Sector', 3)}")
            if self.chance(0.8):
                parts.append(f"products {self.selection('InformationProduct', 3)}")
            return f'{alias}dailyReport(sector: {sector}, date: "2026-11-20") {{ {" ".join(parts)} }}'
        fields = [self.selection_without_connections("Report").strip("{} ")]
        if self.chance(0.7):
            fields.append(f"submitter {self.selection('Partner', 3)}")
        if self.chance(0.5):
            fields.append(f"sectors {self.selection('Sector', 3)}")
        return (
            f"{alias}reports(first: {self.rng.randint(1, 5)}) {{ totalCount nodes {{ {' '.join(fields)} }} }}"
        )

    def _listed_partner(self) -> str:
        if self.chance(0.4):
            return "{ id name kind }"
        return self.selection("Partner", 3)

    def recipient_list_selection(self) -> str:
        parts = []
        if self.chance(0.5):
            parts.append(f"product {self.selection_without_connections('InformationProduct')}")
        if self.chance(0.8):
            recipient = [f"partner {self._listed_partner()}"]
            if self.chance(0.6):
                recipient.append("reasons { source ref }")
            if self.chance(0.5):
                contact = "partner { id name }" if self.chance(0.4) else ""
                recipient.append(f"contacts {{ id name email channels {contact} }}")
            if self.chance(0.5):
                recipient.append("channels")
            parts.append("recipients { " + " ".join(recipient) + " }")
        if self.chance(0.5):
            parts.append(f"excluded {{ reason partner {self._listed_partner()} }}")
        if self.chance(0.3):
            parts.append("summary { recipients contacts excluded byChannel { channel count } }")
        if self.chance(0.25):
            parts.append(
                f"recipientsConnection(first: {self.rng.randint(0, 3)}) {{ totalCount "
                f"edges {{ cursor node {{ partner {self._listed_partner()} channels }} }} }}"
            )
        if self.chance(0.15):
            where = " where: { source_IN: [ADDRESSED] }" if self.chance(0.5) else ""
            parts.append(
                f"excludedConnection(first: {self.rng.randint(0, 3)}) {{ pageInfo {{ hasNextPage }} "
                f"nodes {{ reason partner {self._listed_partner()} }} }}"
                if not where
                else f"r: recipientsConnection(first: 2,{where}) {{ totalCount nodes {{ channels }} }}"
            )
        return "{ " + (" ".join(parts) or "__typename") + " }"

    def delivery_connection_selection(self) -> str:
        node = ["channels deliveredAt acknowledgedAt"]
        if self.chance(0.6):
            node.append(f"product {self.selection('InformationProduct', 3)}")
        if self.chance(0.6):
            node.append(f"partner {self.selection('Partner', 3)}")
        inner = " ".join(node)
        parts = ["totalCount"] if self.chance(0.5) else []
        if self.chance(0.5):
            parts.append(f"nodes {{ {inner} }}")
        else:
            parts.append(f"edges {{ cursor node {{ {inner} }} }}")
        if self.chance(0.3):
            parts.append("pageInfo { hasNextPage endCursor }")
        return "{ " + " ".join(parts) + " }"

    def record_selection(self, type_name: str) -> tuple[str, list[str], list[str], Json]:
        """A selection of a record for a mutation's payload, and the variable definitions,
        fragments and variables it needs: (selection, definitions, fragments, variables)."""
        self.variables, self.definitions, self.fragments = {}, [], []
        selection = self.selection(type_name, 1)
        return selection, self.definitions, self.fragments, as_json(self.variables)

    # -- arguments -----------------------------------------------------------------------

    def _arguments(self, args: dict[str, str | None]) -> str:
        given = [f"{k}: {v}" for k, v in args.items() if v is not None]
        return f"({', '.join(given)})" if given else ""

    def offset_window(self) -> list[str]:
        out = []
        if self.chance(0.6):
            out.append(f"first: {self.rng.randint(0, 6)}")
        if self.chance(0.3):
            out.append(f"after: {json.dumps(encode_cursor(self.rng.randint(0, 5)))}")
        if self.chance(0.15):
            out.append(f"last: {self.rng.randint(0, 4)}")
        if self.chance(0.15):
            out.append(f"before: {json.dumps(encode_cursor(self.rng.randint(0, 8)))}")
        return out

    def connection_arguments(self, entity: str, *, root: bool) -> str:
        sort_value, sort_text = self.sort_value(entity) if self.chance(0.6) else (None, "")
        args: dict[str, str | None] = {
            "where": self.maybe_where(entity, 0.5 if root else 0.35),
            "sort": sort_value,
        }
        style = self.rng.choices(["first", "last", "both", "none"], weights=[55, 20, 10, 15])[0]
        if style in ("first", "both"):
            first = self.rng.randint(0, 6)
            args["first"] = self._variable("Int", first) if self.chance(0.2) else str(first)
        if style in ("last", "both"):
            args["last"] = str(self.rng.randint(0, 5))
        cursors = self.cursors(entity, sort_text)
        if cursors and self.chance(0.35):
            args["after"] = json.dumps(self.rng.choice(cursors))
        if cursors and self.chance(0.2):
            args["before"] = json.dumps(self.rng.choice(cursors))
        return self._arguments(args)

    def sort_value(self, entity: str) -> tuple[str, str]:
        scalars = list(ENTITIES[entity].scalars)
        entries = [
            f"{{{name}: {self.rng.choice(['ASC', 'DESC'])}}}"
            for name in self.rng.sample(scalars, k=self.rng.choice((1, 1, 2)))
        ]
        text = f"[{', '.join(entries)}]"
        return text, text

    def maybe_sort(self, entity: str, p: float) -> str | None:
        return self.sort_value(entity)[0] if self.chance(p) else None

    def maybe_where(self, entity: str, p: float) -> str | None:
        if not self.chance(p):
            return None
        value = self.where(entity, 0)
        if self.chance(0.25):
            return self._variable(f"{entity}Where", value)
        return literal(value)

    def where(self, entity: str, depth: int) -> Json:
        model = ENTITIES[entity]
        roll = self.rng.random()
        if depth < 2 and roll < 0.12 and model.relations:
            relation = self.rng.choice(list(model.relations))
            operator = self.rng.choice(RELATION_OPERATORS)
            return {relation + operator: self.where(model.relations[relation].target, depth + 1)}
        if depth < 2 and roll < 0.22:
            key = self.rng.choice(["AND", "OR"])
            return {key: [self.where(entity, depth + 1) for _ in range(self.rng.randint(1, 2))]}
        if depth < 2 and roll < 0.27:
            return {"NOT": self.where(entity, depth + 1)}
        name = self.rng.choice(list(model.scalars))
        scalar = model.scalars[name]
        operator = self.rng.choice(OPERATORS[scalar.kind])
        many = operator in ("_IN", "_NOT_IN")

        def one() -> Any:
            if scalar.enum is not None:
                return Enum(self.rng.choice([e.value for e in scalar.enum]))
            if scalar.kind == "bool":
                return self.chance(0.5)
            if scalar.kind == "datetime":
                return self.rng.choice(TIMES)
            if scalar.kind == "id":
                value = self._id(entity)
                return value[: self.rng.randint(1, len(value))] if operator == "_STARTS_WITH" else value
            word = self.rng.choice(self.pools.words)
            if operator == "_CONTAINS":
                return word[: self.rng.randint(2, len(word))]
            return word.title()

        value = [one() for _ in range(self.rng.randint(0, 3))] if many else one()
        return {name + operator: value}

    # -- selections ----------------------------------------------------------------------

    def selection(self, type_name: str, depth: int, *, aliased: bool = False) -> str:
        """`aliased`: every field under a unique alias (union members, whose fields of the same
        name may have other types or arguments)."""
        gtype = self.schema.get_type(type_name)
        assert isinstance(gtype, GraphQLObjectType), type_name
        leaves = [n for n, f in gtype.fields.items() if is_leaf_type(get_named_type(f.type)) and not f.args]
        objects = [n for n, f in gtype.fields.items() if not is_leaf_type(get_named_type(f.type))]
        chosen = self.rng.sample(leaves, k=min(len(leaves), self.rng.randint(1, 4)))
        parts = [self._leaf(n, aliased) for n in chosen]
        if self.chance(0.2):
            parts.append("__typename")
        if depth < MAX_DEPTH and objects:
            for name in self.rng.sample(objects, k=min(len(objects), self.rng.choice((0, 1, 1, 2)))):
                parts.append(self._object_field(gtype, name, depth, aliased))
        return "{ " + " ".join(self._decorate(type_name, parts)) + " }"

    def _leaf(self, name: str, aliased: bool = False) -> str:
        return f"{self._name('a')}: {name}" if aliased or self.chance(0.1) else name

    def _directive(self) -> str:
        if self.chance(0.5):
            flag = self._variable("Boolean!", self.chance(0.5))
        else:
            flag = self.rng.choice(["true", "false"])
        return f" @{self.rng.choice(['include', 'skip'])}(if: {flag})"

    def _decorate(self, type_name: str, parts: list[str]) -> list[str]:
        """Some fields moved into an inline fragment or a named fragment, some conditional."""
        out: list[str] = []
        for part in parts:
            roll = self.rng.random()
            if roll < 0.08:
                out.append(f"... on {type_name} {{ {part} }}")
            elif roll < 0.14:
                name = self._name("F")
                self.fragments.append(f"fragment {name} on {type_name} {{ {part} }}")
                out.append(f"...{name}")
            elif roll < 0.2:
                # A directive goes before a selection set; on a field with one, on a fragment.
                out.append(
                    part + self._directive() if "{" not in part else f"...{self._directive()} {{ {part} }}"
                )
            else:
                out.append(part)
        if not any(p for p in out if "@" not in p):
            out.append("__typename")
        return out

    def _object_field(self, parent: GraphQLObjectType, name: str, depth: int, aliased: bool = False) -> str:
        definition = parent.fields[name]
        named = get_named_type(definition.type)
        prefix = f"{self._name('a')}: " if aliased or self.chance(0.1) else ""
        if named.name.endswith("Connection"):
            entity = named.name.removesuffix("Connection")
            args = self.connection_arguments(entity, root=False)
            return f"{prefix}{name}{args} {self.connection_selection(named.name, entity, depth + 1)}"
        if isinstance(named, GraphQLUnionType):
            return f"{prefix}{name} {self.union_selection(named.name, depth + 1)}"
        return f"{prefix}{name} {self.selection(named.name, depth + 1)}"

    def connection_selection(self, connection: str, node: str, depth: int) -> str:
        parts = []
        if self.chance(0.45):
            parts.append("totalCount")
        if self.chance(0.5):
            parts.append(f"nodes {self.selection(node, depth)}")
        if self.chance(0.4):
            edge = ["cursor"] if self.chance(0.7) else []
            if self.chance(0.6) or not edge:
                edge.append(f"node {self.selection(node, depth)}")
            parts.append("edges { " + " ".join(edge) + " }")
        if self.chance(0.45) or not parts:
            info = self.rng.sample(
                ["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"], k=self.rng.randint(1, 4)
            )
            parts.append("pageInfo { " + " ".join(info) + " }")
        return "{ " + " ".join(self._decorate(connection, parts)) + " }"

    def offset_selection(self, connection: str, node: str | None, depth: int) -> str:
        def nodes() -> str:
            return (
                self.union_selection("SearchResult", depth) if node is None else self.selection(node, depth)
            )

        parts = []
        if self.chance(0.5):
            parts.append("totalCount")
        if self.chance(0.6):
            parts.append(f"nodes {nodes()}")
        if self.chance(0.4):
            parts.append(f"edges {{ cursor node {nodes()} }}")
        if self.chance(0.4) or not parts:
            parts.append("pageInfo { hasNextPage hasPreviousPage startCursor endCursor }")
        return "{ " + " ".join(parts) + " }"

    def union_selection(self, union: str, depth: int) -> str:
        gtype = self.schema.get_type(union)
        assert isinstance(gtype, GraphQLUnionType)
        parts = ["__typename"] if self.chance(0.7) else []
        for member in gtype.types:
            if self.chance(0.8):
                # Leaves only: the reference resolves each representation on its own, and
                # nested connections under it are slow to resolve there.
                inner = self.selection_without_connections(member.name)
                parts.append(f"... on {member.name} {inner}")
        return "{ " + (" ".join(parts) or "__typename") + " }"

    def selection_without_connections(self, type_name: str) -> str:
        gtype = self.schema.get_type(type_name)
        assert isinstance(gtype, GraphQLObjectType)
        leaves = [n for n, f in gtype.fields.items() if is_leaf_type(get_named_type(f.type)) and not f.args]
        chosen = self.rng.sample(leaves, k=min(len(leaves), self.rng.randint(1, 3)))
        return "{ " + " ".join(self._leaf(n, aliased=True) for n in chosen) + " }"


@dataclass(frozen=True)
class Enum:
    """An enum value: unquoted in a literal, its name in variables."""

    value: str


def literal(value: Any) -> str:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {literal(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    return json.dumps(value)


def as_json(value: Any) -> Any:
    """Variables' values: enums as their names."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def is_enum_type(schema: GraphQLSchema, name: str) -> bool:
    return isinstance(schema.get_type(name), GraphQLEnumType)


# -- writes: generated mutations whose payloads are compared with a read afterwards ------------


@dataclass
class Write:
    """A generated mutation (its payload's record under `m { rec … }`) and the root read of the
    same selection (`rec`) that answers the record afterwards; `listed`: the read is a list whose
    first node is the record."""

    mutation: str
    read: str
    variables: Json
    listed: bool = False
    made: tuple[str, Any] | None = None  # (pool, key) the write adds, once it has succeeded


@dataclass
class Edit:
    """An edit chosen before its selection is written: an update waits for the record's version."""

    name: str  # the mutation
    type_name: str  # the payload record's type
    field: str  # the payload's record field
    input_type: str
    input: Json
    read_root: str  # the root field reading the record (a list when `listed`)
    listed: bool = False
    made: tuple[str, Any] | None = None

    @property
    def version_read(self) -> str | None:
        """A query answering the record's version under `v` (None: no version needed)."""
        if "version" not in self.input:
            return None
        inner = "nodes { version }" if self.listed else "version"
        return f"{{ v: {self.read_root} {{ {inner} }} }}"


ADMIN_EDITS = [
    "createPartner",
    "updatePartner",
    "deactivatePartner",
    "createCouncil",
    "updateCouncil",
    "createContact",
    "updateContact",
    "createRegion",
    "updateRegion",
    "createTopic",
    "updateTopic",
    "createRequirement",
    "updateRequirement",
    "createProduct",
    "updateProduct",
    "addMembership",
    "updateMembership",
    "createSubscription",
    "updateSubscription",
]


class Writes:
    """Generated writes over a small network of their own (ids under `prefix`): edits of every
    kind of record an edit payload returns, and reports submitted and taken into review."""

    def __init__(self, schema: GraphQLSchema, rng: random.Random, prefix: str) -> None:
        p = self.prefix = prefix
        self.rng = rng
        self._n = 0
        self.pools: dict[str, list[Any]] = {
            "sectors": [f"{p}energy", f"{p}water"],
            "regions": [f"{p}fema", f"{p}state", f"{p}city"],
            "topics": [f"{p}cyber", f"{p}flood"],
            "partners": [f"{p}grid", f"{p}utility", f"{p}agency", f"{p}fusion"],
            "councils": [f"{p}scc", f"{p}gcc"],
            "contacts": [f"{p}c1", f"{p}c2"],
            "requirements": [f"{p}r1"],
            "products": [f"{p}prod1", f"{p}prod2"],
            "memberships": [(f"{p}grid", f"{p}scc"), (f"{p}agency", f"{p}gcc")],
            "subscriptions": [(f"{p}utility", f"{p}cyber")],
            "reports": [],
        }
        ids = {
            "Sector": self.pools["sectors"],
            "Region": self.pools["regions"],
            "Topic": self.pools["topics"],
            "Partner": self.pools["partners"],
            "Council": self.pools["councils"],
            "Contact": self.pools["contacts"],
            "Requirement": self.pools["requirements"],
            "InformationProduct": self.pools["products"],
        }
        self.selections = Generator(schema, rng, Pools(ids, ["grid", "utility", "energy"]), lambda e, s: [])

    @property
    def partners(self) -> list[str]:
        return list(self.pools["partners"])

    def network(self) -> Json:
        p = self.prefix
        return {
            "sectors": [{"id": f"{p}energy", "name": "Energy"}, {"id": f"{p}water", "name": "Water"}],
            "regions": [
                {"id": f"{p}fema", "name": "FEMA Region", "kind": "FEMA_REGION"},
                {"id": f"{p}state", "name": "State", "kind": "STATE", "parent": f"{p}fema"},
                {"id": f"{p}city", "name": "City", "kind": "URBAN_AREA", "parent": f"{p}state"},
            ],
            "topics": [{"id": f"{p}cyber", "name": "Cyber"}, {"id": f"{p}flood", "name": "Flood"}],
            "partners": [
                {
                    "id": f"{p}grid",
                    "name": "Grid Co",
                    "kind": "PRIVATE",
                    "sectors": [f"{p}energy"],
                    "regions": [f"{p}city"],
                    "clientOf": [f"{p}fusion"],
                },
                {
                    "id": f"{p}utility",
                    "name": "Utility",
                    "kind": "PRIVATE",
                    "sectors": [f"{p}water"],
                    "regions": [f"{p}state"],
                    "partnersWith": [f"{p}grid"],
                },
                {"id": f"{p}agency", "name": "Agency", "kind": "FEDERAL", "sectors": [f"{p}energy"]},
                {
                    "id": f"{p}fusion",
                    "name": "Fusion Center",
                    "kind": "STATE",
                    "regions": [f"{p}state"],
                    "fusionCenter": {"type": "PRIMARY", "serves": [f"{p}state"]},
                },
            ],
            "councils": [
                {
                    "id": f"{p}scc",
                    "name": "Energy SCC",
                    "kind": "SCC",
                    "sectors": [f"{p}energy"],
                    "members": [{"partner": f"{p}grid", "role": "CHAIR"}],
                },
                {
                    "id": f"{p}gcc",
                    "name": "Energy GCC",
                    "kind": "GCC",
                    "sectors": [f"{p}energy"],
                    "members": [{"partner": f"{p}agency", "role": "MEMBER"}],
                },
            ],
            "contacts": [
                {
                    "id": f"{p}c1",
                    "partner": f"{p}grid",
                    "name": "A. Analyst",
                    "email": "a@example.org",
                    "pciiAuthorized": False,
                    "channels": ["EMAIL"],
                    "active": True,
                },
                {
                    "id": f"{p}c2",
                    "partner": f"{p}fusion",
                    "name": "B. Watch",
                    "email": "b@example.org",
                    "pciiAuthorized": True,
                    "channels": ["EMAIL", "HSIN"],
                    "active": True,
                },
            ],
            "requirements": [
                {
                    "id": f"{p}r1",
                    "council": f"{p}gcc",
                    "sector": f"{p}energy",
                    "kinds": ["ALERT"],
                    "levels": [],
                    "topics": [f"{p}cyber"],
                    "minSeverity": "HIGH",
                    "audience": {"council": f"{p}scc"},
                    "channel": "HSIN",
                },
            ],
            "subscriptions": [
                {"partner": f"{p}utility", "topic": f"{p}cyber", "sector": None, "minSeverity": "MODERATE"}
            ],
            "products": [
                {
                    "id": f"{p}prod{n}",
                    "title": f"Product {n}",
                    "kind": "ALERT",
                    "level": "OPERATIONAL",
                    "severity": "HIGH",
                    "tlp": tlp,
                    "pcii": False,
                    "sectors": [f"{p}energy"],
                    "topics": [f"{p}cyber"],
                    "regions": [f"{p}state"],
                    "addressedTo": [f"{p}grid"],
                    "issuedBy": f"{p}agency",
                    "publishedAt": "2026-11-20T12:00:00Z",
                }
                for n, tlp in ((1, "GREEN"), (2, "RED"))
            ],
        }

    # -- choosing ----------------------------------------------------------------------------

    def _new(self, stem: str) -> str:
        self._n += 1
        return f"{self.prefix}{stem}{self._n}"

    def _some(self, pool: str, most: int = 2) -> list[Any]:
        items = self.pools[pool]
        return self.rng.sample(items, k=self.rng.randint(0, min(most, len(items))))

    def _one(self, pool: str) -> Any:
        return self.rng.choice(self.pools[pool])

    def _name(self) -> str:
        place = self.rng.choice(["North", "Gulf", "Prairie", "Harbor"])
        return f"{place} {self.rng.choice(['Works', 'Office'])}"

    def plan_edit(self) -> Edit:
        edit: Edit = getattr(self, f"_{self.rng.choice(ADMIN_EDITS)}")()
        return edit

    def _record(self, name: str, type_name: str, field: str, pool: str, root: str, values: Json) -> Edit:
        made = (pool, values["id"]) if name.startswith("create") else None
        input_type = name[0].upper() + name[1:] + "Input"
        if name.startswith("deactivate"):
            input_type = "RecordVersionInput"
        return Edit(name, type_name, field, input_type, values, f'{root}(id: "{values["id"]}")', made=made)

    def _createPartner(self) -> Edit:
        values: Json = {
            "id": self._new("partner"),
            "name": self._name(),
            "kind": self.rng.choice(["PRIVATE", "STATE", "LOCAL", "FEDERAL", "NONPROFIT"]),
            "sectors": self._some("sectors"),
            "regions": self._some("regions"),
            "partnersWith": self._some("partners"),
            "clientOf": self._some("partners", 1),
        }
        if self.rng.random() < 0.3:
            values["fusionCenter"] = {"type": "RECOGNIZED", "serves": self._some("regions", 1)}
        return self._record("createPartner", "Partner", "partner", "partners", "partner", values)

    def _updatePartner(self) -> Edit:
        values: Json = {"id": self._one("partners"), "version": 0, "name": self._name()}
        if self.rng.random() < 0.5:
            values["sectors"] = self._some("sectors")
        if self.rng.random() < 0.3:
            values["partnersWith"] = self._some("partners")
        return self._record("updatePartner", "Partner", "partner", "partners", "partner", values)

    def _deactivatePartner(self) -> Edit:
        values: Json = {"id": self._one("partners"), "version": 0}
        return self._record("deactivatePartner", "Partner", "partner", "partners", "partner", values)

    def _createCouncil(self) -> Edit:
        values: Json = {
            "id": self._new("council"),
            "name": self._name(),
            "kind": self.rng.choice(["SCC", "GCC", "CROSS_SECTOR"]),
            "sectors": self._some("sectors"),
        }
        return self._record("createCouncil", "Council", "council", "councils", "council", values)

    def _updateCouncil(self) -> Edit:
        values: Json = {"id": self._one("councils"), "version": 0, "name": self._name()}
        return self._record("updateCouncil", "Council", "council", "councils", "council", values)

    def _createContact(self) -> Edit:
        self._n += 1
        values: Json = {
            "id": self._new("contact"),
            "partner": self._one("partners"),
            "name": f"{self.rng.choice(['C.', 'D.', 'E.'])} Person {self._n}",
            "email": f"person{self._n}@example.org",
            "pciiAuthorized": self.rng.random() < 0.5,
            "channels": self.rng.sample(["EMAIL", "HSIN", "PHONE"], k=self.rng.randint(0, 2)),
        }
        return self._record("createContact", "Contact", "contact", "contacts", "contact", values)

    def _updateContact(self) -> Edit:
        values: Json = {"id": self._one("contacts"), "version": 0, "name": f"Renamed {self._name()}"}
        return self._record("updateContact", "Contact", "contact", "contacts", "contact", values)

    def _createRegion(self) -> Edit:
        values: Json = {"id": self._new("region"), "name": self._name(), "kind": "URBAN_AREA"}
        values["parent"] = self.rng.choice([None, self.pools["regions"][1]])
        return self._record("createRegion", "Region", "region", "regions", "region", values)

    def _updateRegion(self) -> Edit:
        values: Json = {"id": self.rng.choice(self.pools["regions"][2:]), "version": 0, "name": self._name()}
        return self._record("updateRegion", "Region", "region", "regions", "region", values)

    def _createTopic(self) -> Edit:
        values: Json = {"id": self._new("topic"), "name": self._name()}
        return self._record("createTopic", "Topic", "topic", "topics", "topic", values)

    def _updateTopic(self) -> Edit:
        values: Json = {"id": self._one("topics"), "version": 0, "name": self._name()}
        return self._record("updateTopic", "Topic", "topic", "topics", "topic", values)

    def _audience(self) -> Json:
        if self.rng.random() < 0.5:
            return {"council": self._one("councils")}
        return {"sector": self._one("sectors"), "partnerKinds": self.rng.sample(["PRIVATE", "STATE"], k=1)}

    def _createRequirement(self) -> Edit:
        values: Json = {
            "id": self._new("requirement"),
            "council": self._one("councils"),
            "sector": self._one("sectors"),
            "audience": self._audience(),
            "channel": self.rng.choice(["EMAIL", "HSIN"]),
            "kinds": self.rng.sample(["ALERT", "WARNING"], k=self.rng.randint(0, 2)),
            "topics": self._some("topics"),
            "minSeverity": self.rng.choice([None, "HIGH"]),
        }
        return self._record(
            "createRequirement", "Requirement", "requirement", "requirements", "requirement", values
        )

    def _updateRequirement(self) -> Edit:
        values: Json = {"id": self._one("requirements"), "version": 0, "audience": self._audience()}
        return self._record(
            "updateRequirement", "Requirement", "requirement", "requirements", "requirement", values
        )

    def _createProduct(self) -> Edit:
        values: Json = {
            "id": self._new("product"),
            "title": f"{self._name()} advisory",
            "kind": self.rng.choice(["ALERT", "WARNING", "DAILY_REPORT"]),
            "level": self.rng.choice(["OPERATIONAL", "STRATEGIC"]),
            "severity": self.rng.choice(["LOW", "HIGH", "CRITICAL"]),
            "tlp": self.rng.choice(["CLEAR", "GREEN", "AMBER", "RED"]),
            "sectors": self._some("sectors"),
            "topics": self._some("topics"),
            "regions": self._some("regions"),
            "addressedTo": self._some("partners", 1),
            "issuedBy": self.rng.choice([None, self._one("partners")]),
            "publishedAt": self.rng.choice(TIMES),
            "summary": self.rng.choice([None, "What happened, in plain text."]),
        }
        return self._record("createProduct", "InformationProduct", "product", "products", "product", values)

    def _updateProduct(self) -> Edit:
        values: Json = {"id": self._one("products"), "version": 0, "title": f"{self._name()} update"}
        if self.rng.random() < 0.5:
            values["tlp"] = self.rng.choice(["GREEN", "AMBER"])
        return self._record("updateProduct", "InformationProduct", "product", "products", "product", values)

    def _membership(self, name: str, partner: str, council: str, values: Json) -> Edit:
        root = f'memberships(partner: "{partner}", council: "{council}")'
        made = ("memberships", (partner, council)) if name == "addMembership" else None
        input_type = name[0].upper() + name[1:] + "Input"
        return Edit(name, "Membership", "membership", input_type, values, root, listed=True, made=made)

    def _addMembership(self) -> Edit:
        taken = set(self.pools["memberships"])
        free = [(p, c) for p in self.pools["partners"] for c in self.pools["councils"] if (p, c) not in taken]
        if not free:
            return self._updateMembership()
        partner, council = self.rng.choice(free)
        role = self.rng.choice(["CHAIR", "MEMBER", "OBSERVER"])
        return self._membership(
            "addMembership", partner, council, {"partner": partner, "council": council, "role": role}
        )

    def _updateMembership(self) -> Edit:
        partner, council = self._one("memberships")
        role = self.rng.choice(["CHAIR", "MEMBER", "OBSERVER"])
        values = {"partner": partner, "council": council, "version": 0, "role": role}
        return self._membership("updateMembership", partner, council, values)

    def _subscription(self, name: str, partner: str, topic: str, values: Json) -> Edit:
        root = f'subscriptions(partner: "{partner}", topic: "{topic}")'
        made = ("subscriptions", (partner, topic)) if name == "createSubscription" else None
        input_type = name[0].upper() + name[1:] + "Input"
        return Edit(
            name, "PartnerSubscription", "subscription", input_type, values, root, listed=True, made=made
        )

    def _createSubscription(self) -> Edit:
        taken = set(self.pools["subscriptions"])
        free = [(p, t) for p in self.pools["partners"] for t in self.pools["topics"] if (p, t) not in taken]
        if not free:
            return self._updateSubscription()
        partner, topic = self.rng.choice(free)
        values = {"partner": partner, "topic": topic, "minSeverity": self.rng.choice([None, "MODERATE"])}
        return self._subscription("createSubscription", partner, topic, values)

    def _updateSubscription(self) -> Edit:
        partner, topic = self._one("subscriptions")
        values = {
            "partner": partner,
            "topic": topic,
            "version": 0,
            "minSeverity": self.rng.choice(["LOW", "HIGH"]),
            "delivery": self.rng.choice([None, "IMMEDIATE", "DAILY_DIGEST"]),
        }
        return self._subscription("updateSubscription", partner, topic, values)

    # -- writing ----------------------------------------------------------------------------

    def render(self, edit: Edit) -> Write:
        """The edit's mutation with a generated selection of its payload's record, and the read."""
        selection, definitions, fragments, variables = self.selections.record_selection(edit.type_name)
        variables = {**variables, "input": edit.input}
        mutation_definitions = [f"$input: {edit.input_type}!", *definitions]
        mutation = (
            f"mutation Write({', '.join(mutation_definitions)}) {{ m: {edit.name}(input: $input) "
            f"{{ rec: {edit.field} {selection} userErrors {{ field code message }} }} }}"
        )
        read_selection = f"{{ nodes {selection} }}" if edit.listed else selection
        header = f"query Read({', '.join(definitions)})" if definitions else "query Read"
        read = f"{header} {{ rec: {edit.read_root} {read_selection} }}"
        return Write(
            "\n".join([mutation, *fragments]),
            "\n".join([read, *fragments]),
            variables,
            edit.listed,
            edit.made,
        )

    def done(self, write: Write) -> None:
        if write.made is not None:
            pool, key = write.made
            self.pools[pool].append(key)

    def submit_report(self) -> Write:
        values: Json = {
            "title": f"{self._name()} sighting",
            "summary": "Someone photographed the fence line.",
            "kind": self.rng.choice(["SUSPICIOUS_ACTIVITY", "INCIDENT", "REQUEST_FOR_INFORMATION"]),
            "sectors": self._some("sectors"),
            "regions": self._some("regions", 1),
            "observedAt": "2026-11-20T08:00:00Z",
            "tlp": self.rng.choice(["GREEN", "AMBER", "RED"]),
        }
        return self._report_write("submitReport(input: $input)", "$input: SubmitReportInput!", values, None)

    def review_report(self, report_id: str) -> Write:
        return self._report_write("reviewReport(id: $id)", "$id: ID!", report_id, report_id)

    def _report_write(self, call: str, definition: str, value: Any, report_id: str | None) -> Write:
        selection, definitions, fragments, variables = self.selections.record_selection("Report")
        name = definition.split(":")[0].lstrip("$")
        variables = {**variables, name: value}
        mutation = (
            f"mutation Write({', '.join([definition, *definitions])}) {{ m: {call} "
            f"{{ rec: report {selection} userErrors {{ field code message }} }} }}"
        )
        # The read names the report once it is known (a submission's id is read afterwards).
        read_definitions = ["$report: ID!", *definitions]
        read = f"query Read({', '.join(read_definitions)}) {{ rec: report(id: $report) {selection} }}"
        return Write("\n".join([mutation, *fragments]), "\n".join([read, *fragments]), variables)

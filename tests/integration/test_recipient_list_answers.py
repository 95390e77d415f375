"""Differential test: recipient lists shaped from the plan give the answers the resolvers give.

`recipients` and `previewRecipients` skip graphql-core's per-field execution: the list is resolved
by its rules and shaped straight from the operation's plan. The reference is the same schema
without the compiled-reads extension, where graphql-core resolves every field of every entry.
Seeded random operations (aliases, fragments, inline fragments, `@include`/`@skip`, variables,
both connections with where/first/after, the summary, nested partner fields beyond the list's
own) run on both, on the seed network and on a generated one, for an ADMIN and a PARTNER user:
`data` and `errors` (message, path, locations, code) must be equal.
"""

from __future__ import annotations

import copy
import json
import random
from typing import Any

from graphql import parse

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.api.extensions.compiled_reads import recipient_lists_for
from graph_api.identity import Principal, Role
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.store.paging import encode_cursor
from tests.helpers import unique_prefix
from tests.operations import MAX_DEPTH, Generator, Json, Pools, as_json
from tests.strategies import add_prefix, networks

FAST = build_schema()
REFERENCE = build_schema(compiled=False)
SEED_OPERATIONS = 120  # per role
GENERATED_OPERATIONS = 50  # per role

ADMIN = Principal("lists-admin", Role.ADMIN, None)
ANALYST = Principal("lists-analyst", Role.ANALYST, None)
CONTACT_FIELDS = ["id", "name", "email", "pciiAuthorized", "channels", "active", "version"]
PRODUCT_FIELDS = [
    "id",
    "title",
    "kind",
    "level",
    "severity",
    "tlp",
    "pcii",
    "publishedAt",
    "summary",
    "version",
]
SOURCES = ["REQUIREMENT", "SUBSCRIPTION", "FUSION_CENTER", "ADDRESSED"]
KINDS = ["FEDERAL", "STATE", "LOCAL", "TRIBAL", "TERRITORIAL", "PRIVATE", "INTERNATIONAL", "NONPROFIT"]
CHANNELS = ["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"]
EXCLUSIONS = ["INACTIVE", "TLP_RED_NOT_ADDRESSED", "PCII_NOT_GOVERNMENT", "PCII_NO_AUTHORIZED_CONTACT"]


async def execute(
    schema: Any, db: Database, settings: Settings, principal: Principal, query: str, variables: Json
) -> tuple[Any, list[Any], int]:
    scoped = db.fresh()
    context = Context(db=scoped, settings=settings, principal=principal)
    result = await schema.execute(query, variable_values=copy.deepcopy(variables), context_value=context)
    errors = [e.formatted for e in result.errors or []]
    return result.data, errors, scoped.round_trips


class ListOperations:
    """Seeded random recipient-list operations over a network's products, sectors and topics."""

    def __init__(self, rng: random.Random, pools: Pools) -> None:
        self.rng = rng
        self.pools = pools
        self.g = Generator(FAST._schema, rng, pools, lambda entity, sort: [])

    def operation(self) -> tuple[str, Json]:
        g = self.g
        g.variables, g.definitions, g.fragments = {}, [], []
        # Two lists at once only where neither can fail: which error graphql-core reports first
        # depends on which of two concurrent resolvers fails first.
        count = 2 if self.rng.random() < 0.2 else 1
        roots = [self.root(may_fail=count == 1, aliased=i > 0) for i in range(count)]
        if self.rng.random() < 0.1:
            roots.append("__typename")
        header = f"query Lists({', '.join(g.definitions)})" if g.definitions else "query Lists"
        body = "\n  ".join(roots)
        return "\n".join([f"{header} {{\n  {body}\n}}", *g.fragments]), as_json(g.variables)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def root(self, *, may_fail: bool, aliased: bool) -> str:
        g = self.g
        alias = f"{g._name('l')}: " if aliased or self.chance(0.4) else ""
        if self.chance(0.65):
            products = self.pools.ids.get("InformationProduct") or ["none"]
            product = "no-such-product" if may_fail and self.chance(0.08) else self.rng.choice(products)
            argument = g._variable("ID!", product) if self.chance(0.5) else json.dumps(product)
            head = f"recipients(productId: {argument})"
        else:
            head = f"previewRecipients(product: {g._variable('ProductInput!', self.draft(may_fail))})"
        return f"{alias}{head} {self.recipient_list(may_fail)}"

    def draft(self, may_fail: bool) -> Json:
        ids = self.pools.ids

        def some(entity: str, most: int) -> list[str]:
            pool = ids.get(entity) or []
            return self.rng.sample(pool, k=min(len(pool), self.rng.randint(0, most)))

        draft: Json = {
            "title": "Generated draft",
            "kind": self.rng.choice(["ALERT", "WARNING", "DAILY_REPORT", "THREAT_ASSESSMENT"]),
            "level": self.rng.choice(["STRATEGIC", "SITUATIONAL", "OPERATIONAL"]),
            "severity": self.rng.choice(["LOW", "MODERATE", "HIGH", "CRITICAL"]),
            "tlp": self.rng.choice(["CLEAR", "GREEN", "AMBER", "RED"]),
            "pcii": self.chance(0.3),
            "sectors": some("Sector", 3),
            "topics": some("Topic", 2),
            "regions": some("Region", 2),
            "addressedTo": some("Partner", 2),
            # Given, so that both paths answer the same publication time.
            "publishedAt": "2026-11-20T12:00:00Z",
        }
        if may_fail and self.chance(0.08):
            draft["sectors"] = ["no-such-sector"]
        return draft

    def recipient_list(self, may_fail: bool) -> str:
        options = {
            "product": lambda: self.leaves(PRODUCT_FIELDS, "InformationProduct"),
            "recipients": lambda: self.recipient(light=True),
            "excluded": lambda: self.exclusion(light=True),
            "recipientsConnection": lambda: self.connection("Recipient", may_fail),
            "excludedConnection": lambda: self.connection("Exclusion", may_fail),
            "summary": self.summary,
        }
        chosen = self.rng.sample(list(options), k=self.rng.randint(1, 3))
        parts = [f"{self.alias()}{name}{options[name]()}" for name in chosen]
        # The same field twice under two aliases, with other arguments.
        if self.chance(0.2):
            parts.append(f"{self.g._name('c')}: recipientsConnection{self.connection('Recipient', False)}")
        return "{ " + " ".join(self.g._decorate("RecipientList", parts)) + " }"

    def alias(self) -> str:
        return f"{self.g._name('a')}: " if self.chance(0.15) else ""

    def leaves(self, names: list[str], type_name: str) -> str:
        chosen = self.rng.sample(names, k=self.rng.randint(1, min(4, len(names))))
        if self.chance(0.2):
            chosen.append("__typename")
        return " { " + " ".join(self.g._decorate(type_name, [f"{self.alias()}{n}" for n in chosen])) + " }"

    def partner(self, light: bool) -> str:
        if light or self.chance(0.45):
            return self.leaves(["id", "name", "kind"], "Partner")
        # Fields the list does not hold: read for all the page's partners at once.
        return " " + self.g.selection("Partner", MAX_DEPTH - 1)

    def recipient(self, *, light: bool) -> str:
        parts = []
        if self.chance(0.8):
            parts.append(f"{self.alias()}partner{self.partner(light)}")
        if self.chance(0.5):
            parts.append(f"{self.alias()}reasons{self.leaves(['source', 'ref'], 'Reason')}")
        if self.chance(0.4):
            parts.append(f"{self.alias()}channels")
        if self.chance(0.4):
            contact = self.leaves(CONTACT_FIELDS, "Contact")
            if self.chance(0.3):
                contact = contact[:-1] + f"partner{self.partner(light)} }}"
            parts.append(f"{self.alias()}contacts{contact}")
        if not parts or self.chance(0.1):
            parts.append("__typename")
        return " { " + " ".join(self.g._decorate("Recipient", parts)) + " }"

    def exclusion(self, *, light: bool) -> str:
        parts = [f"{self.alias()}reason"] if self.chance(0.7) else []
        if self.chance(0.8) or not parts:
            parts.append(f"{self.alias()}partner{self.partner(light)}")
        return " { " + " ".join(self.g._decorate("Exclusion", parts)) + " }"

    def connection(self, node: str, may_fail: bool) -> str:
        g = self.g
        args: list[str] = []
        if self.chance(0.85):
            first = self.rng.randint(0, 30)
            args.append(f"first: {g._variable('Int', first) if self.chance(0.3) else first}")
        if self.chance(0.4):
            cursor = (
                "not-a-cursor" if may_fail and self.chance(0.1) else encode_cursor(self.rng.randint(0, 40))
            )
            args.append(f"after: {g._variable('String', cursor) if self.chance(0.5) else json.dumps(cursor)}")
        if self.chance(0.5):
            where = self.where(node)
            where_type = "RecipientWhere" if node == "Recipient" else "ExclusionWhere"
            args.append(f"where: {g._variable(where_type, where)}")
        parts = []
        light = not args or "first" not in " ".join(args)
        if self.chance(0.5):
            parts.append("totalCount")
        if self.chance(0.5):
            parts.append(
                f"nodes{self.recipient(light=light) if node == 'Recipient' else self.exclusion(light=light)}"
            )
        if self.chance(0.6):
            edge = ["cursor"] if self.chance(0.6) else []
            if self.chance(0.6) or not edge:
                entry = self.recipient(light=light) if node == "Recipient" else self.exclusion(light=light)
                edge.append(f"node{entry}")
            if self.chance(0.2):
                edge.append("__typename")
            parts.append("edges { " + " ".join(edge) + " }")
        if self.chance(0.5) or not parts:
            info = self.rng.sample(["hasNextPage", "hasPreviousPage", "startCursor", "endCursor"], k=2)
            parts.append("pageInfo { " + " ".join(info) + " }")
        inner = " ".join(self.g._decorate(f"{node}Connection", parts))
        return f"({', '.join(args)}) {{ {inner} }}" if args else f" {{ {inner} }}"

    def where(self, node: str) -> Json:
        where: Json = {}
        if self.chance(0.4):
            pool = SOURCES if node == "Recipient" else EXCLUSIONS
            where["source_IN" if node == "Recipient" else "reason_IN"] = self.rng.sample(pool, k=2)
        if self.chance(0.4):
            where["partnerKind_IN"] = self.rng.sample(KINDS, k=3)
        if self.chance(0.3):
            sectors = self.pools.ids.get("Sector") or ["none"]
            where["sector_IN"] = self.rng.sample(sectors, k=min(2, len(sectors)))
        if node == "Recipient" and self.chance(0.3):
            where["channel_IN"] = self.rng.sample(CHANNELS, k=2)
        if self.chance(0.2):
            where["partnerName_STARTS_WITH"] = self.rng.choice(["A", "S", "C", "N", "Zz"])
        return where

    def summary(self) -> str:
        parts = [n for n in ("recipients", "contacts", "excluded") if self.chance(0.5)]
        breakdowns = {
            "byReasonSource": "source",
            "byPartnerKind": "kind",
            "byChannel": "channel",
            "byExclusionReason": "reason",
        }
        for name, key in breakdowns.items():
            if self.chance(0.4):
                parts.append(f"{name} {{ {key} count }}")
        if not parts:
            parts.append("recipients")
        return " { " + " ".join(self.g._decorate("RecipientSummary", parts)) + " }"


async def differential(
    db: Database, settings: Settings, pools: Pools, principal: Principal, seed: int, count: int
) -> int:
    """Runs `count` generated operations both ways; returns how many answered without errors."""
    rng = random.Random(seed)
    operations = ListOperations(rng, pools)
    lists = recipient_lists_for(FAST)
    answered = 0
    for index in range(count):
        query, variables = operations.operation()
        # Every generated operation is one the fast path takes.
        assert lists.prepare(parse(query), None, variables, principal) is not None, query
        ours = await execute(FAST, db, settings, principal, query, variables)
        theirs = await execute(REFERENCE, db, settings, principal, query, variables)
        assert ours[:2] == theirs[:2], f"operation {index} (seed {seed}) differs:\n{query}\n{variables}"
        answered += not ours[1]
    return answered


async def test_seed_network_lists_equal_resolvers(db: Database, settings: Settings, seeded: None) -> None:
    from seed.network import build_seed_document

    pools = Pools.of(build_seed_document())
    answered = await differential(db, settings, pools, ADMIN, seed=41, count=SEED_OPERATIONS)
    assert answered >= SEED_OPERATIONS * 0.7
    await differential(db, settings, pools, ANALYST, seed=42, count=SEED_OPERATIONS // 4)
    # A PARTNER user may not resolve recipient lists: FORBIDDEN, the same way on both paths.
    partner = Principal("lists-partner", Role.PARTNER, "fc-ca")
    assert await differential(db, settings, pools, partner, seed=43, count=SEED_OPERATIONS // 4) == 0


async def test_generated_network_lists_equal_resolvers(db: Database, settings: Settings) -> None:
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings

    documents: list[dict[str, Any]] = []

    @hypothesis_settings(
        max_examples=1,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(document=networks("l-"))
    def draw(document: dict[str, Any]) -> None:
        documents.append(document)

    draw()
    prefix = unique_prefix("lists")
    document = add_prefix(documents[-1], prefix)
    report = await import_network(db, document)
    assert report.ok, report.problems[:3]
    pools = Pools.of(document, prefix)
    await differential(db, settings, pools, ADMIN, seed=7, count=GENERATED_OPERATIONS)
    member = Principal("lists-partner", Role.PARTNER, document["partners"][0]["id"])
    await differential(db, settings, pools, member, seed=8, count=GENERATED_OPERATIONS // 5)


PAGE_WITH_PARTNERS = """query($size: Int) { recipients(productId: "prod-001") {
  recipientsConnection(first: $size) { totalCount edges { cursor node {
    partner { id active illustrative memberships { role council { name } } contacts { email } }
    contacts { id partner { version sectors { id } } } } } }
  excludedConnection(first: $size) { nodes { reason partner { version fusionCenter { type } } } } } }"""


async def test_partner_fields_beyond_the_list_cost_one_statement_whatever_the_page_size(
    db: Database, settings: Settings, seeded: None
) -> None:
    # Once first: the first list of a process loads the recipient index, in round trips of its own.
    await execute(FAST, db, settings, ADMIN, PAGE_WITH_PARTNERS, {"size": 1})
    trips = {}
    for size in (2, 40):
        ours = await execute(FAST, db, settings, ADMIN, PAGE_WITH_PARTNERS, {"size": size})
        theirs = await execute(REFERENCE, db, settings, ADMIN, PAGE_WITH_PARTNERS, {"size": size})
        assert ours[:2] == theirs[:2]
        assert not ours[1]
        # A call may also bring the recipient index up to date (what earlier tests changed, on the
        # reload interval's clock): the list's own cost is the lesser of two calls.
        again = await execute(FAST, db, settings, ADMIN, PAGE_WITH_PARTNERS, {"size": size})
        trips[size] = min(ours[2], again[2])
    edges = ours[0]["recipients"]["recipientsConnection"]["edges"]
    assert len(edges) > 2, "prod-001 should have more than two recipients"
    assert trips[40] == trips[2]


async def test_product_relations_are_left_to_the_resolvers(
    db: Database, settings: Settings, seeded: None
) -> None:
    query = '{ recipients(productId: "prod-001") { product { id sectors { id } } summary { recipients } } }'
    assert recipient_lists_for(FAST).prepare(parse(query), None, {}, ADMIN) is None
    ours = await execute(FAST, db, settings, ADMIN, query, {})
    theirs = await execute(REFERENCE, db, settings, ADMIN, query, {})
    assert ours[:2] == theirs[:2]
    assert ours[0]["recipients"]["product"]["sectors"]


async def test_errors_keep_the_spec_shape(db: Database, settings: Settings, seeded: None) -> None:
    missing = '{ list: recipients(productId: "no-such-product") { summary { recipients } } }'
    data, errors, _ = await execute(FAST, db, settings, ADMIN, missing, {})
    assert data is None
    assert errors == [
        {
            "message": "No information product has the id 'no-such-product'.",
            "locations": [{"line": 1, "column": 3}],
            "path": ["list"],
            "extensions": {"code": "NOT_FOUND"},
        }
    ]
    partner = Principal("lists-partner", Role.PARTNER, "fc-ca")
    page = '{ recipients(productId: "prod-001") { recipientsConnection(first: 1) { totalCount } } }'
    data, errors, _ = await execute(FAST, db, settings, partner, page, {})
    assert data is None
    assert [(e["path"], e["extensions"]["code"]) for e in errors] == [(["recipients"], "FORBIDDEN")]
    bad_cursor = (
        '{ recipients(productId: "prod-001") { c: recipientsConnection(after: "x") { totalCount } } }'
    )
    data, errors, _ = await execute(FAST, db, settings, ADMIN, bad_cursor, {})
    assert data is None
    assert [(e["path"], e["extensions"]["code"]) for e in errors] == [(["recipients", "c"], "BAD_USER_INPUT")]

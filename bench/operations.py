"""The operations the side-by-side benchmark sends, each in three forms that ask the same question.

For every operation: ISE Graph's GraphQL, the Neo4j GraphQL Library's GraphQL (None for the
recipient list, which only ISE Graph answers), and the plain Cypher a developer would send through
the driver. Each form has a function that turns its answer into one plain structure, so the three
answers can be compared. Lists whose order the operation fixes (a sorted page, search hits) are
compared in order; nested lists whose order @neo4j/graphql leaves unspecified are compared sorted.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, LiteralString

from neo4j import AsyncDriver, RoutingControl

from graph_api import domain
from graph_api.identity import Principal, Role
from graph_api.rules import access, recipients
from graph_api.rules.search import lucene_query
from graph_api.store.statements import statement
from seed.synthetic import ADJECTIVES, SECTOR_NOUNS

Json = dict[str, Any]
RawCall = Callable[[AsyncDriver, str, Json], Awaitable[Any]]
PRODUCT_ID = "bench-national-critical"
PARTNER_SAMPLE = 500
COUNCIL_MEMBERS = (20, 100)
SEARCH_TERMS = 12
SEARCH_PAGE = 20


@dataclass(frozen=True)
class Case:
    """One set of arguments, in each form's own terms."""

    isegraph: Json
    neo4j_graphql: Json
    cypher: Json


@dataclass(frozen=True)
class Operation:
    name: str
    description: str
    isegraph_query: str
    isegraph_answer: Callable[[Json], Any]
    neo4j_graphql_query: str | None
    neo4j_graphql_answer: Callable[[Json], Any]
    raw: RawCall
    raw_answer: Callable[[Any], Any]
    cases: list[Case]
    raw_round_trips: int = 1
    slow: bool = False  # timed with few requests at concurrency 1 only
    # Who asks ISE Graph: an ADMIN, or the PARTNER user of this partner (the access rules apply).
    partner_user: str | None = None


def _cypher(query: LiteralString) -> RawCall:
    async def call(driver: AsyncDriver, database: str, params: Json) -> Any:
        records, _, _ = await driver.execute_query(
            query, params, database_=database, routing_=RoutingControl.READ
        )
        return records

    return call


def _pairs(items: list[Json], *keys: str) -> list[tuple[Any, ...]]:
    return sorted(tuple(item[k] for k in keys) for item in items)


def _instant(value: Any) -> str:
    """A DateTime from the driver, or ISO text from either server, as one UTC ISO string."""
    if hasattr(value, "to_native"):
        value = value.to_native()
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert isinstance(value, datetime), value
    return value.isoformat()


# --------------------------------------------------------------------------- one partner

PARTNER_ISEGRAPH = "query($id: ID!) { partner(id: $id) { id name kind sectors { id name } } }"
PARTNER_NEO4J_GRAPHQL = (
    "query($id: ID!) { partners(where: {id: {eq: $id}}) { id name kind sectors { id name } } }"
)
PARTNER_CYPHER: LiteralString = """
MATCH (p:Partner {id: $id})
RETURN p.id AS id, p.name AS name, p.kind AS kind,
       [(p)-[:IN_SECTOR]->(s:Sector) | s {.id, .name}] AS sectors
"""


def _partner(p: Json) -> tuple[Any, ...]:
    return (p["id"], p["name"], p["kind"], _pairs(p["sectors"], "id", "name"))


# --------------------------------------------------------------------------- a page of partners

PAGE_ISEGRAPH = """{ partners(first: 100, sort: [{name: ASC}, {id: ASC}]) { nodes {
  id name sectors { id name } memberships { role council { id name } } } } }"""
PAGE_NEO4J_GRAPHQL = """{ partners(limit: 100, sort: [{name: ASC}, {id: ASC}]) {
  id name sectors { id name } councilsConnection { edges { properties { role } node { id name } } } } }"""
PAGE_CYPHER: LiteralString = """
MATCH (p:Partner)
WITH p ORDER BY p.name, p.id LIMIT 100
RETURN p.id AS id, p.name AS name,
       [(p)-[:IN_SECTOR]->(s:Sector) | s {.id, .name}] AS sectors,
       [(p)-[m:MEMBER_OF]->(c:Council) | {id: c.id, name: c.name, role: m.role}] AS councils
"""


def _page_row(p: Json, councils: list[Json]) -> tuple[Any, ...]:
    return (p["id"], p["name"], _pairs(p["sectors"], "id", "name"), _pairs(councils, "id", "name", "role"))


def _page_isegraph(data: Json) -> list[tuple[Any, ...]]:
    return [
        _page_row(p, [{**m["council"], "role": m["role"]} for m in p["memberships"]])
        for p in data["partners"]["nodes"]
    ]


def _page_neo4j_graphql(data: Json) -> list[tuple[Any, ...]]:
    return [
        _page_row(
            p, [{**e["node"], "role": e["properties"]["role"]} for e in p["councilsConnection"]["edges"]]
        )
        for p in data["partners"]
    ]


# --------------------------------------------------------------------------- a council, 3 levels

COUNCIL_ISEGRAPH = """query($id: ID!) { council(id: $id) { id name
  members { role partner { id name contacts { id name email } } } } }"""
COUNCIL_NEO4J_GRAPHQL = """query($id: ID!) { councils(where: {id: {eq: $id}}) { id name
  membersConnection { edges { properties { role } node { id name contacts { id name email } } } } } }"""
COUNCIL_CYPHER: LiteralString = """
MATCH (c:Council {id: $id})
RETURN c.id AS id, c.name AS name,
       [(c)<-[m:MEMBER_OF]-(p:Partner) | {role: m.role, partner: p {.id, .name,
          contacts: [(p)<-[:WORKS_FOR]-(k:Contact) | k {.id, .name, .email}]}}] AS members
"""


def _council(c: Json, members: list[tuple[str, Json]]) -> tuple[Any, ...]:
    rows = sorted(
        (p["id"], p["name"], role, _pairs(p["contacts"], "id", "name", "email")) for role, p in members
    )
    return (c["id"], c["name"], rows)


# --------------------------------------------------------------------------- products

PRODUCTS_ISEGRAPH = """{ products(first: 50,
  where: {severity_IN: [HIGH, CRITICAL], kind_IN: [ALERT, WARNING]},
  sort: [{publishedAt: DESC}, {id: ASC}]) { nodes { id title kind severity tlp publishedAt } } }"""
PRODUCTS_NEO4J_GRAPHQL = """{ informationProducts(limit: 50,
  where: {severity: {in: [HIGH, CRITICAL]}, kind: {in: [ALERT, WARNING]}},
  sort: [{publishedAt: DESC}, {id: ASC}]) { id title kind severity tlp publishedAt } }"""
PRODUCTS_CYPHER: LiteralString = """
MATCH (n:InformationProduct)
WHERE n.severity IN ['HIGH', 'CRITICAL'] AND n.kind IN ['ALERT', 'WARNING']
RETURN n.id AS id, n.title AS title, n.kind AS kind, n.severity AS severity, n.tlp AS tlp,
       n.publishedAt AS publishedAt
ORDER BY n.publishedAt DESC, n.id
LIMIT 50
"""


def _product(p: Json) -> tuple[Any, ...]:
    return (p["id"], p["title"], p["kind"], p["severity"], p["tlp"], _instant(p["publishedAt"]))


# --------------------------------------------------------------------------- a page of products,
# as an ADMIN and as a PARTNER user (whose products are those the access rules let it see)

PRODUCT_PAGE_ISEGRAPH = "{ products(first: 50) { nodes { id title tlp publishedAt } } }"
PRODUCT_PAGE_CYPHER: LiteralString = """
MATCH (product:InformationProduct)
RETURN product.id AS id, product.title AS title, product.tlp AS tlp, product.publishedAt AS publishedAt
ORDER BY product.publishedAt DESC, product.id
LIMIT 50
"""


def _visible_page_raw(partner: str) -> RawCall:
    """The same page through the driver, with the access rule's own predicate."""
    visible = access.product_visibility(Principal("bench", Role.PARTNER, partner), "product")
    assert visible is not None
    query = (
        visible.prelude
        + "\nMATCH (product:InformationProduct) WHERE "
        + visible.text
        + " RETURN product.id AS id, product.title AS title, product.tlp AS tlp,"
        " product.publishedAt AS publishedAt ORDER BY product.publishedAt DESC, product.id LIMIT 50"
    )

    async def call(driver: AsyncDriver, database: str, params: Json) -> Any:
        records, _, _ = await driver.execute_query(
            query,
            visible.params,
            database_=database,
            routing_=RoutingControl.READ,
        )
        return records

    return call


def _page_item(p: Json) -> tuple[Any, ...]:
    return (p["id"], p["title"], p["tlp"], _instant(p["publishedAt"]))


# --------------------------------------------------------------------------- full-text search

SEARCH_ISEGRAPH = f"""query($text: String!) {{ search(text: $text, first: {SEARCH_PAGE}) {{ nodes {{
  __typename ... on Partner {{ id name }} ... on Council {{ id name }}
  ... on InformationProduct {{ id title }} }} }} }}"""
SEARCH_NEO4J_GRAPHQL = f"""query($phrase: String!) {{ partnersByName(phrase: $phrase, first: {SEARCH_PAGE},
  sort: [{{score: DESC}}, {{node: {{id: ASC}}}}]) {{ edges {{ node {{ id name }} }} }} }}"""
SEARCH_CYPHER: LiteralString = """
CALL db.index.fulltext.queryNodes('name_search', $query) YIELD node, score
RETURN CASE WHEN node:Partner THEN 'Partner' WHEN node:Council THEN 'Council'
            ELSE 'InformationProduct' END AS type,
       node.id AS id, coalesce(node.name, node.title) AS name
ORDER BY score DESC, node.id
LIMIT $limit
"""


# --------------------------------------------------------------------------- recipient list


async def _recipients_raw(driver: AsyncDriver, database: str, params: Json) -> Any:
    """bench/recipients.py's floor: the product, then the resolution, straight through the driver."""
    records, _, _ = await driver.execute_query(
        statement("export/products"), ids=[params["id"]], database_=database, routing_=RoutingControl.READ
    )
    product = records[0]
    records, _, _ = await driver.execute_query(
        statement("recipients/resolve"),
        recipients.parameters(dict(product)),
        database_=database,
        routing_=RoutingControl.READ,
    )
    return [dict(record) for record in records]


RECIPIENTS_ISEGRAPH = """query($id: ID!) { recipients(productId: $id) {
  recipients { partner { id name } reasons { source ref } channels contacts { name email } }
  excluded { partner { id } reason } } }"""


def _recipients_isegraph(data: Json) -> list[tuple[str, str | None]]:
    answer = data["recipients"]
    kept = [(r["partner"]["id"], None) for r in answer["recipients"]]
    return sorted(kept + [(e["partner"]["id"], e["reason"]) for e in answer["excluded"]], key=str)


def _recipients_rows(records: list[Json]) -> list[tuple[str, str | None]]:
    # Each record holds a chunk of candidate rows: [id, name, kind, reasons, exclusion, contacts].
    return sorted(((row[0], row[4]) for record in records for row in record["rows"]), key=str)


# --------------------------------------------------------------------------- the cases


async def _column(driver: AsyncDriver, database: str, cypher: LiteralString, **params: Any) -> list[Any]:
    records, _, _ = await driver.execute_query(
        cypher, params, database_=database, routing_=RoutingControl.READ
    )
    return [record[0] for record in records]


async def _search_terms(driver: AsyncDriver, database: str, rng: random.Random) -> list[str]:
    """Two-word searches whose hits are partners only (the Library's index query covers one type)."""
    nouns = sorted({noun.split()[0] for noun in SECTOR_NOUNS.values()})
    candidates = [f"{adjective} {noun}".lower() for adjective in ADJECTIVES for noun in nouns]
    rng.shuffle(candidates)
    candidates += [adjective.lower() for adjective in ADJECTIVES]  # enough hits on a small network
    terms: list[str] = []
    for text in candidates:
        labels = await _column(
            driver,
            database,
            "CALL db.index.fulltext.queryNodes('name_search', $query) YIELD node "
            "RETURN CASE WHEN node:Partner THEN 'Partner' ELSE 'other' END AS kind",
            query=lucene_query(text),
        )
        if len(labels) > SEARCH_PAGE and set(labels) == {"Partner"}:
            terms.append(text)
        if len(terms) == SEARCH_TERMS:
            break
    return terms


async def build(driver: AsyncDriver, database: str, seed: int) -> list[Operation]:
    rng = random.Random(seed)
    partner_ids = sorted(await _column(driver, database, "MATCH (p:Partner) RETURN p.id"))
    partners = rng.sample(partner_ids, min(PARTNER_SAMPLE, len(partner_ids)))
    councils = await _column(
        driver,
        database,
        "MATCH (c:Council) WITH c, COUNT { (c)<-[:MEMBER_OF]-(:Partner) } AS n "
        "WHERE $low <= n <= $high RETURN c.id ORDER BY c.id",
        low=COUNCIL_MEMBERS[0],
        high=COUNCIL_MEMBERS[1],
    )
    sized = f"of {COUNCIL_MEMBERS[0]}-{COUNCIL_MEMBERS[1]} members"
    if not councils:  # a small network: any council with members
        sized = "with members"
        councils = await _column(
            driver,
            database,
            "MATCH (c:Council) WHERE EXISTS { (c)<-[:MEMBER_OF]-() } RETURN c.id ORDER BY c.id",
        )
    rng.shuffle(councils)
    # A government partner with sectors and a PCII-authorized contact: it sees the most kinds.
    viewers = await _column(
        driver,
        database,
        "MATCH (p:Partner) WHERE p.kind IN $kinds AND EXISTS { (p)-[:IN_SECTOR]->() } "
        "AND EXISTS { (c:Contact)-[:WORKS_FOR]->(p) WHERE c.active AND c.pciiAuthorized } "
        "RETURN p.id ORDER BY p.id LIMIT 1",
        kinds=sorted(domain.GOVERNMENT_KINDS),
    )
    terms = await _search_terms(driver, database, rng)
    if not councils or not terms:
        raise RuntimeError("The network is too small for the benchmark (no mid-size council or search term).")

    def by_id(ids: list[str]) -> list[Case]:
        return [Case({"id": i}, {"id": i}, {"id": i}) for i in ids]

    no_arguments = [Case({}, {}, {})]
    return [
        Operation(
            "partner",
            f"one partner by id with its sectors ({len(partners)} ids in turn)",
            PARTNER_ISEGRAPH,
            lambda d: _partner(d["partner"]),
            PARTNER_NEO4J_GRAPHQL,
            lambda d: _partner(d["partners"][0]),
            _cypher(PARTNER_CYPHER),
            lambda records: _partner(dict(records[0])),
            by_id(partners),
        ),
        Operation(
            "partners-page",
            "a page of 100 partners by name, with their sectors and councils (and roles)",
            PAGE_ISEGRAPH,
            _page_isegraph,
            PAGE_NEO4J_GRAPHQL,
            _page_neo4j_graphql,
            _cypher(PAGE_CYPHER),
            lambda records: [_page_row(dict(r), r["councils"]) for r in records],
            no_arguments,
        ),
        Operation(
            "council-members-contacts",
            f"a council, its members and each member's contacts: 3 levels "
            f"({len(councils)} councils {sized} in turn)",
            COUNCIL_ISEGRAPH,
            lambda d: _council(d["council"], [(m["role"], m["partner"]) for m in d["council"]["members"]]),
            COUNCIL_NEO4J_GRAPHQL,
            lambda d: _council(
                d["councils"][0],
                [
                    (e["properties"]["role"], e["node"])
                    for e in d["councils"][0]["membersConnection"]["edges"]
                ],
            ),
            _cypher(COUNCIL_CYPHER),
            lambda records: _council(
                dict(records[0]), [(m["role"], m["partner"]) for m in records[0]["members"]]
            ),
            by_id(councils),
        ),
        Operation(
            "products-filtered",
            "50 products, severity HIGH or CRITICAL and kind ALERT or WARNING, newest first, then id",
            PRODUCTS_ISEGRAPH,
            lambda d: [_product(p) for p in d["products"]["nodes"]],
            PRODUCTS_NEO4J_GRAPHQL,
            lambda d: [_product(p) for p in d["informationProducts"]],
            _cypher(PRODUCTS_CYPHER),
            lambda records: [_product(dict(r)) for r in records],
            no_arguments,
        ),
        Operation(
            "products-page-admin",
            "the first page of 50 products, newest first, as an ADMIN",
            PRODUCT_PAGE_ISEGRAPH,
            lambda d: [_page_item(p) for p in d["products"]["nodes"]],
            None,
            lambda d: None,
            _cypher(PRODUCT_PAGE_CYPHER),
            lambda records: [_page_item(dict(r)) for r in records],
            no_arguments,
        ),
        *(
            [
                Operation(
                    "products-page-partner",
                    f"the same page as the PARTNER user of {viewers[0]}: only the products it may see",
                    PRODUCT_PAGE_ISEGRAPH,
                    lambda d: [_page_item(p) for p in d["products"]["nodes"]],
                    None,
                    lambda d: None,
                    _visible_page_raw(viewers[0]),
                    lambda records: [_page_item(dict(r)) for r in records],
                    no_arguments,
                    partner_user=viewers[0],
                )
            ]
            if viewers
            else []
        ),
        Operation(
            "search",
            f"full-text search for words only partner names hold (the last a prefix), best {SEARCH_PAGE} "
            f"hits by score then id ({len(terms)} searches in turn, e.g. '{terms[0]}')",
            SEARCH_ISEGRAPH,
            lambda d: [
                (n["__typename"], n["id"], n.get("name", n.get("title"))) for n in d["search"]["nodes"]
            ],
            SEARCH_NEO4J_GRAPHQL,
            lambda d: [("Partner", e["node"]["id"], e["node"]["name"]) for e in d["partnersByName"]["edges"]],
            _cypher(SEARCH_CYPHER),
            lambda records: [(r["type"], r["id"], r["name"]) for r in records],
            [
                Case(
                    {"text": t}, {"phrase": lucene_query(t)}, {"query": lucene_query(t), "limit": SEARCH_PAGE}
                )
                for t in terms
            ],
        ),
        Operation(
            "recipients-national",
            "the recipient list of a national CRITICAL product (all sectors and topics, no regions)",
            RECIPIENTS_ISEGRAPH,
            _recipients_isegraph,
            None,
            lambda d: None,
            _recipients_raw,
            _recipients_rows,
            [Case({"id": PRODUCT_ID}, {}, {"id": PRODUCT_ID})],
            raw_round_trips=2,
            slow=True,
        ),
    ]

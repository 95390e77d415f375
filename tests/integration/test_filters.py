"""where, sort and cursor pagination return exactly what plain Cypher returns (seed network)."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from graph_api.store.database import Database
from tests.helpers import data, gql

CONNECTIONS = {
    "Partner": "partners",
    "Council": "councils",
    "InformationProduct": "products",
    "Requirement": "requirements",
    "Contact": "contacts",
    "Topic": "topicsConnection",
}
LISTS = {"Sector": "sectors", "Region": "regions"}

# (entity, GraphQL where, GraphQL sort, the same question in plain Cypher returning ids in order)
CASES: list[tuple[str, str, str, str]] = [
    (
        "Partner",
        "{kind: PRIVATE}",
        "",
        "MATCH (n:Partner) WHERE n.kind = 'PRIVATE' RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        '{name_CONTAINS: "GRID"}',
        "[{name: DESC}]",
        "MATCH (n:Partner) WHERE toLower(n.name) CONTAINS 'grid' RETURN n.id ORDER BY n.name DESC, n.id",
    ),
    (
        "Partner",
        "{kind_IN: [STATE, LOCAL], active: true}",
        "",
        "MATCH (n:Partner) WHERE n.kind IN ['STATE', 'LOCAL'] AND n.active RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        '{sectors_SOME: {id: "energy"}}',
        "[{kind: ASC}, {name: DESC}]",
        "MATCH (n:Partner) WHERE EXISTS { (n)-[:IN_SECTOR]->(:Sector {id: 'energy'}) } "
        "RETURN n.id ORDER BY n.kind, n.name DESC, n.id",
    ),
    (
        "Partner",
        "{kind: PRIVATE, councils_NONE: {kind: SCC}}",
        "",
        "MATCH (n:Partner {kind: 'PRIVATE'}) WHERE NOT EXISTS { (n)-[:MEMBER_OF]->(:Council {kind: 'SCC'}) } "
        "RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        '{OR: [{kind: FEDERAL}, {name_STARTS_WITH: "A"}], NOT: {active: false}}',
        "",
        "MATCH (n:Partner) WHERE (n.kind = 'FEDERAL' OR n.name STARTS WITH 'A') AND NOT n.active = false "
        "RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        '{councils_SOME: {members_SOME: {id: "doe"}}, NOT: {id: "doe"}}',
        "",
        "MATCH (n:Partner) WHERE n.id <> 'doe' AND EXISTS { (n)-[:MEMBER_OF]->(:Council)<-[:MEMBER_OF]-(:Partner "
        "{id: 'doe'}) } RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        '{sectors_ALL: {id_IN: ["energy", "water"]}, sectors_SOME: {}}',
        "",
        "MATCH (n:Partner) WHERE EXISTS { (n)-[:IN_SECTOR]->() } AND ALL(s IN [(n)-[:IN_SECTOR]->(s) | s.id] "
        "WHERE s IN ['energy', 'water']) RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        "{councils_SINGLE: {kind: GCC}}",
        "",
        "MATCH (n:Partner) WHERE COUNT { (n)-[:MEMBER_OF]->(:Council {kind: 'GCC'}) } = 1 "
        "RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Partner",
        "{fusionCenterType: RECOGNIZED, serves_SOME: {kind: URBAN_AREA}}",
        "[{name: ASC}]",
        "MATCH (n:Partner {fusionCenterType: 'RECOGNIZED'}) WHERE EXISTS { (n)-[:SERVES]->(:Region "
        "{kind: 'URBAN_AREA'}) } RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "InformationProduct",
        "{severity_GTE: HIGH}",
        "[{severity: DESC}, {publishedAt: DESC}]",
        "MATCH (n:InformationProduct) WHERE n.severityRank >= 3 RETURN n.id "
        "ORDER BY n.severityRank DESC, n.publishedAt DESC, n.id",
    ),
    (
        "InformationProduct",
        '{publishedAt_LT: "2026-11-15T00:00:00Z", tlp_IN: [GREEN, AMBER]}',
        "",
        "MATCH (n:InformationProduct) WHERE n.publishedAt < datetime('2026-11-15T00:00:00Z') "
        "AND n.tlp IN ['GREEN', 'AMBER'] RETURN n.id ORDER BY n.publishedAt DESC, n.id",
    ),
    (
        "InformationProduct",
        '{sectors_SOME: {id: "energy"}, topics_NONE: {id: "cyber"}}',
        "[{title: ASC}]",
        "MATCH (n:InformationProduct) WHERE EXISTS { (n)-[:ABOUT_SECTOR]->(:Sector {id: 'energy'}) } "
        "AND NOT EXISTS { (n)-[:ABOUT_TOPIC]->(:Topic {id: 'cyber'}) } RETURN n.id ORDER BY n.title, n.id",
    ),
    (
        "Council",
        "{kind: ISWG, parent_SOME: {kind: SCC}}",
        "",
        "MATCH (n:Council {kind: 'ISWG'})-[:PART_OF]->(:Council {kind: 'SCC'}) RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Council",
        "{members_SOME: {kind: FEDERAL}, kind_NOT: GCC}",
        "[{name: DESC}]",
        "MATCH (n:Council) WHERE n.kind <> 'GCC' AND EXISTS { (n)<-[:MEMBER_OF]-(:Partner {kind: 'FEDERAL'}) } "
        "RETURN n.id ORDER BY n.name DESC, n.id",
    ),
    (
        "Requirement",
        '{OR: [{sector_SOME: {id: "energy"}}, {minSeverity_GTE: HIGH}], channel_NOT: PHONE}',
        "[{channel: ASC}]",
        "MATCH (n:Requirement) WHERE (EXISTS { (n)-[:FOR_SECTOR]->(:Sector {id: 'energy'}) } OR n.minSeverityRank >= 3) AND n.channel <> 'PHONE' RETURN n.id ORDER BY n.channel, n.id",
    ),
    (
        "Contact",
        "{pciiAuthorized: true, partner_SOME: {kind: FEDERAL, councils_SOME: {kind: GCC}}}",
        "",
        "MATCH (n:Contact)-[:WORKS_FOR]->(p:Partner {kind: 'FEDERAL'}) WHERE n.pciiAuthorized AND EXISTS { (p)-[:MEMBER_OF]->(:Council {kind: 'GCC'}) } RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Topic",
        '{name_STARTS_WITH: "S"}',
        "[{name: DESC}]",
        "MATCH (n:Topic) WHERE n.name STARTS WITH 'S' RETURN n.id ORDER BY n.name DESC, n.id",
    ),
    (
        "Region",
        '{kind: STATE, parent_SOME: {id: "fema-9"}}',
        "",
        "MATCH (n:Region {kind: 'STATE'})-[:PART_OF]->(:Region {id: 'fema-9'}) RETURN n.id ORDER BY n.name, n.id",
    ),
    (
        "Sector",
        "{councils_SOME: {kind: ISWG}}",
        "[{name: DESC}]",
        "MATCH (n:Sector) WHERE EXISTS { (n)<-[:COVERS]-(:Council {kind: 'ISWG'}) } RETURN n.id ORDER BY n.name DESC, n.id",
    ),
]


async def _plain(db: Database, cypher: str) -> list[str]:
    records, _, _ = await db.driver.execute_query(cypher)  # type: ignore[call-overload]
    return [r[0] for r in records]


def _all_pages(client: TestClient, field: str, where: str, sort: str, size: int) -> list[str]:
    sort_argument = f", sort: {sort}" if sort else ""
    query = (
        f"query($after: String) {{ {field}(first: {size}, after: $after, where: {where}{sort_argument}) "
        "{ totalCount nodes { id } pageInfo { hasNextPage endCursor } } }"
    )
    ids: list[str] = []
    after = None
    while True:
        page = data(client, query, after=after)[field]
        ids += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(ids)
            return ids
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(("entity", "where", "sort", "cypher"), CASES, ids=[f"{c[0]}:{c[1]}" for c in CASES])
async def test_where_and_sort_match_plain_cypher(
    client: TestClient, db: Database, seeded: None, entity: str, where: str, sort: str, cypher: str
) -> None:
    expected = await _plain(db, cypher)
    assert expected, "a case that matches nothing proves little"
    if entity in CONNECTIONS:
        # Several pages, so that the cursors are exercised, but few enough to stay quick.
        size = min(500, max(7, len(expected) // 5))
        assert _all_pages(client, CONNECTIONS[entity], where, sort, size) == expected
    else:
        sort_argument = f", sort: {sort}" if sort else ""
        field = LISTS[entity]
        listed = data(client, f"{{ {field}(where: {where}{sort_argument}) {{ id }} }}")[field]
        assert [n["id"] for n in listed] == expected


async def test_last_and_before_page_backwards(client: TestClient, db: Database, seeded: None) -> None:
    expected = await _plain(db, "MATCH (n:Partner {kind: 'STATE'}) RETURN n.id ORDER BY n.name, n.id")
    query = """query($last: Int, $before: String) { partners(where: {kind: STATE}, last: $last, before: $before) {
      edges { cursor node { id } } pageInfo { hasPreviousPage hasNextPage } } }"""
    tail = data(client, query, last=3)["partners"]
    assert [e["node"]["id"] for e in tail["edges"]] == expected[-3:]
    assert tail["pageInfo"] == {"hasPreviousPage": True, "hasNextPage": False}
    before = tail["edges"][0]["cursor"]
    previous = data(client, query, last=2, before=before)["partners"]
    assert [e["node"]["id"] for e in previous["edges"]] == expected[-5:-3]


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("{ partners(where: {colour: RED}) { totalCount } }", "colour"),
        (
            '{ partners(where: {name_CONTAINS: "x", sectors_SOME: {planet: "mars"}}) { totalCount } }',
            "planet",
        ),
        ("{ partners(sort: [{name: ASC, kind: DESC}]) { totalCount } }", "exactly one"),
        ('{ products(where: {publishedAt_GT: "last tuesday"}) { totalCount } }', "ISO-8601"),
        ("{ partners(last: 501) { totalCount } }", "500"),
    ],
)
def test_bad_filters_are_clear_errors(client: TestClient, query: str, fragment: str) -> None:
    body = gql(client, query)
    assert body["errors"], body
    assert fragment in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")


async def test_nested_connections_take_the_same_arguments(
    client: TestClient, db: Database, seeded: None
) -> None:
    expected = await _plain(
        db,
        "MATCH (:Council {id: 'energy-gcc'})<-[:MEMBER_OF]-(n:Partner) WHERE n.kind IN ['FEDERAL', 'STATE'] "
        "RETURN n.id ORDER BY n.name DESC, n.id",
    )
    query = """query($after: String) { council(id: "energy-gcc") {
      membersConnection(first: 2, after: $after, where: {kind_IN: [FEDERAL, STATE]}, sort: [{name: DESC}]) {
        totalCount nodes { id } pageInfo { hasNextPage endCursor } } } }"""
    ids: list[str] = []
    after = None
    while True:
        page = data(client, query, after=after)["council"]["membersConnection"]
        ids += [n["id"] for n in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert expected and ids == expected and page["totalCount"] == len(expected)


def test_nested_connections_cost_one_round_trip_per_level(client: TestClient, seeded: None) -> None:
    query = """query($first: Int) { partners(first: $first, where: {councils_SOME: {kind: GCC}}) { nodes {
      councilsConnection(where: {kind: GCC}, first: 2) { totalCount nodes {
        membersConnection(first: 3, sort: [{name: DESC}]) { nodes { id name } } } } } } }"""
    trips = []
    for first in (1, 100):
        body = gql(client, query, first=first)
        assert "errors" not in body, body["errors"]
        nodes = body["data"]["partners"]["nodes"]
        assert len(nodes) == min(first, len(nodes)) and nodes[0]["councilsConnection"]["nodes"]
        trips.append(body["extensions"]["cypherRoundTrips"])
    # One query per level at most (the page, records, councils, their records, members, theirs);
    # a bigger page may need fewer, when the loaders already hold records from an earlier level.
    assert trips[1] <= trips[0] <= 6


async def test_memberships_and_subscriptions_lists_match_plain_cypher(
    client: TestClient, db: Database, seeded: None
) -> None:
    expected = await _plain(
        db,
        "MATCH (p:Partner)-[m:MEMBER_OF {role: 'CHAIR'}]->(c:Council) RETURN p.id + '@' + c.id "
        "ORDER BY c.name, c.id, p.name, p.id",
    )
    page = data(
        client,
        "{ memberships(role: CHAIR, first: 500) { totalCount nodes { partner { id } council { id } } } }",
    )
    listed = [n["partner"]["id"] + "@" + n["council"]["id"] for n in page["memberships"]["nodes"]]
    assert expected and listed == expected[:500] and page["memberships"]["totalCount"] == len(expected)
    expected = await _plain(
        db, "MATCH (p:Partner)-[:SUBSCRIBES_TO]->(t:Topic {id: 'cyber'}) RETURN p.id ORDER BY p.name, p.id"
    )
    subs = data(
        client, '{ subscriptions(topic: "cyber", last: 500) { nodes { partner { id } topic { id } } } }'
    )
    assert expected and [n["partner"]["id"] for n in subs["subscriptions"]["nodes"]] == expected[-500:]

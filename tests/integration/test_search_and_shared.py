"""Name search, shared memberships, and shortest paths on the seed network."""

from __future__ import annotations

import random

import pytest
from starlette.testclient import TestClient

from graph_api.rules.exporter import export_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import data, gql

SEARCH = """query($text: String!, $first: Int) { search(text: $text, first: $first) {
  totalCount nodes { __typename ... on Partner { id name } ... on Council { id name }
                     ... on InformationProduct { id title } } } }"""


def test_search_finds_partners_councils_and_products_by_words(client: TestClient, seeded: None) -> None:
    found = data(client, SEARCH, text="central california intell", first=10)["search"]
    assert {
        "__typename": "Partner",
        "id": "fc-ua-sacramento",
        "name": "Central California Intelligence Center",
    } in (found["nodes"])
    councils = data(client, SEARCH, text="electricity subsector", first=5)["search"]["nodes"]
    assert any(n["__typename"] == "Council" for n in councils)
    as_you_type = data(client, SEARCH, text="ransomw", first=5)["search"]["nodes"]
    assert any(n["__typename"] == "InformationProduct" and "ansomware" in n["title"] for n in as_you_type)


NARROWED = """query($text: String!, $only: [SearchKind!]) { search(text: $text, first: 50, only: $only) {
  totalCount
  nodes { __typename ... on Partner { id } ... on Council { id } ... on InformationProduct { id } } } }"""


def test_a_search_narrowed_to_councils_finds_only_the_councils_of_the_whole_search(
    client: TestClient, seeded: None
) -> None:
    # "energy" names partners, councils and products in the seed: the narrowed answer is the
    # whole answer's councils, in the same order, counted alone.
    everything = data(client, NARROWED, text="energy", only=None)["search"]
    assert {n["__typename"] for n in everything["nodes"]} >= {"Partner", "Council"}
    councils = data(client, NARROWED, text="energy", only=["COUNCIL"])["search"]
    assert councils["nodes"] == [n for n in everything["nodes"] if n["__typename"] == "Council"]
    assert councils["totalCount"] == len(councils["nodes"]) > 0
    both = data(client, NARROWED, text="energy", only=["COUNCIL", "PARTNER"])["search"]
    assert both["nodes"] == [n for n in everything["nodes"] if n["__typename"] != "InformationProduct"]
    assert data(client, NARROWED, text="energy", only=[])["search"] == {"totalCount": 0, "nodes": []}


def test_a_search_narrowed_to_an_unknown_kind_is_a_clear_error(client: TestClient) -> None:
    body = gql(client, NARROWED, text="energy", only=["SECTOR"])
    assert "SECTOR" in body["errors"][0]["message"]
    assert "data" not in body or body["data"] is None


@pytest.mark.parametrize("text", ["AT&T (", "x' OR 1=1 //", 'name:"*"', "a/b\\c", "~~~"])
def test_search_text_is_words_never_query_syntax(client: TestClient, seeded: None, text: str) -> None:
    body = gql(client, SEARCH, text=text, first=5)
    assert "errors" not in body, body["errors"]


def test_empty_search_is_a_clear_error(client: TestClient) -> None:
    body = gql(client, SEARCH, text="   ", first=5)
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_shared_memberships_match_plain_cypher(client: TestClient, db: Database, seeded: None) -> None:
    records, _, _ = await db.driver.execute_query(
        "MATCH (a:Partner)-[:MEMBER_OF]->(c:Council)<-[:MEMBER_OF]-(b:Partner) WHERE a.id < b.id "
        "RETURN a.id AS a, b.id AS b, count(c) AS n ORDER BY n DESC, a, b LIMIT 1"
    )
    a, b = records[0]["a"], records[0]["b"]
    councils, _, _ = await db.driver.execute_query(
        "MATCH (:Partner {id: $a})-[:MEMBER_OF]->(c:Council)<-[:MEMBER_OF]-(:Partner {id: $b}) "
        "RETURN c.id AS id ORDER BY id",
        a=a,
        b=b,
    )
    shared = data(
        client,
        "query($a: ID!, $b: ID!) { sharedMemberships(a: $a, b: $b) { councils { id } sectors { id } } }",
        a=a,
        b=b,
    )["sharedMemberships"]
    assert [c["id"] for c in shared["councils"]] == [r["id"] for r in councils]


async def test_connections_on_the_seed_network_are_shortest(
    client: TestClient, db: Database, seeded: None
) -> None:
    doc = await export_network(db)
    # The seed's own partners: other tests add networks of their own, mostly not joined to it.
    from seed.network import build_seed_document

    seed_ids = {p["id"] for p in build_seed_document()["partners"]}
    partners = sorted(p["id"] for p in doc["partners"] if p["id"] in seed_ids)
    rng = random.Random(7)
    checked = 0
    for _ in range(60):
        a, b = rng.choice(partners), rng.choice(partners)
        expected = reference.shortest_path_length(doc, a, b)
        answer = data(
            client,
            "query($a: ID!, $b: ID!) { connection(from: $a, to: $b, maxHops: 10) { length path { id } } }",
            a=a,
            b=b,
        )["connection"]
        if expected is None or expected > 10:
            assert answer is None
            continue
        assert answer["length"] == expected
        assert reference.is_valid_path(doc, [step["id"] for step in answer["path"]])
        checked += 1
        if expected >= 1:
            shorter = data(
                client,
                "query($a: ID!, $b: ID!, $h: Int) { connection(from: $a, to: $b, maxHops: $h) { length } }",
                a=a,
                b=b,
                h=expected - 1,
            )["connection"]
            assert shorter is None
    assert checked >= 10

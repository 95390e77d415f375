"""The service through a routing (`neo4j://`) URI, as on a Neo4j cluster or Aura, against the
local server (a single server answers routing requests for itself).

On a cluster a READ transaction goes to a secondary and a WRITE one to the leader, and the server
refuses a write statement in a READ transaction. So: each way the store reads opens a transaction
the server itself holds to reading; the service's read path (a compiled read, a recipient list)
runs every round trip in such transactions, and its write path (a mutation) writes in WRITE
ones. And two workers, each with its own driver: a write through one, then a read through the
other that carries the write's bookmarks, sees the write.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from neo4j.exceptions import ClientError
from starlette.testclient import TestClient

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.http.app import create_app
from graph_api.http.bookmarks import HEADER
from graph_api.identity import Principal, Role, mint_token
from graph_api.neo4j_server.process import local_password
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database, open_driver
from tests.helpers import council_alert_network, unique_prefix

P = unique_prefix("routing")
SCHEMA = build_schema()
ADMIN = Principal(subject="routing-test", role=Role.ADMIN, partner=None)
# The server's refusal of a write statement in a READ transaction.
WRITE_IN_READ_TRANSACTION = "Neo.ClientError.Statement.AccessMode"
COMPILED_READ = """query($ids: [ID!]) {
  partners(where: { id_IN: $ids }, first: 10) { nodes { id name kind } } }"""
RECIPIENTS = """query($id: ID!) {
  recipients(productId: $id) { recipients { partner { id } reasons { source ref } channels } } }"""
COUNCIL = """query($id: ID!) { council(id: $id) { members { partner { id } role } } }"""
ADD_MEMBERSHIP = """mutation($input: AddMembershipInput!) {
  addMembership(input: $input) { membership { role } userErrors { code message } } }"""


@pytest.fixture(scope="module")
def routing_settings(settings: Settings) -> Settings:
    """The tests' settings, but reaching the local server as a cluster is reached."""
    password = settings.neo4j_password or local_password(settings)
    uri = settings.neo4j_uri or f"neo4j://127.0.0.1:{settings.neo4j_bolt_port}"
    routed = dataclasses.replace(
        settings, neo4j_uri=uri.replace("bolt://", "neo4j://"), neo4j_password=password
    )
    assert routed.neo4j_uri is not None and routed.neo4j_uri.startswith("neo4j://")
    return routed


@pytest.fixture(scope="module")
async def routing_db(routing_settings: Settings, seeded: None) -> AsyncIterator[Database]:
    driver = open_driver(routing_settings)
    database = Database.for_settings(driver, routing_settings)
    # An external server, as a cluster is: bookmarks are used.
    assert database.causal_consistency
    yield database
    await driver.close()


async def _network(db: Database) -> None:
    """A council with a requirement, its chair, one partner not yet a member, and an alert the
    requirement matches; and another council, with no members."""
    document = council_alert_network(P, "Routing")
    document["councils"].append(
        {"id": f"{P}gcc", "name": "Routing Other Council", "kind": "GCC", "sectors": ["energy"]}
    )
    report = await import_network(db, document)
    assert report.ok, report.problems


async def _execute(db: Database, settings: Settings, query: str, **variables: Any) -> tuple[Any, Database]:
    """One operation through the schema as the GraphQL endpoint runs it: a Database of its own."""
    scoped = db.fresh()
    result = await SCHEMA.execute(
        query, variable_values=variables, context_value=Context(db=scoped, settings=settings, principal=ADMIN)
    )
    assert not result.errors, result.errors
    return result.data, scoped


def _member_ids(answer: dict[str, Any]) -> set[str]:
    return {
        r["partner"]["id"] for r in answer["recipients"]["recipients"] if r["partner"]["id"].startswith(P)
    }


# -- each way the store reads is a READ transaction, and the server holds it to that -------------


async def test_every_way_the_store_reads_is_refused_a_write_by_the_server(routing_db: Database) -> None:
    """A write statement sent through the store's read paths: the server refuses it, naming the
    READ access mode, and nothing is written. `migrations/record` is a statement that writes."""
    probe = {"version": -1, "name": f"{P}never-written"}

    async def streamed() -> None:
        async for _ in routing_db.stream("migrations/record", **probe):
            pass

    attempts = {
        "read": lambda: routing_db.read("migrations/record", **probe),
        "read_rows": lambda: routing_db.read_rows("migrations/record", **probe),
        "read_text": lambda: routing_db.read_text("CREATE (:RoutingProbe {name: $name})", name=probe["name"]),
        "stream": streamed,
    }
    for way, attempt in attempts.items():
        with pytest.raises(ClientError) as refused:
            await attempt()
        assert refused.value.code == WRITE_IN_READ_TRANSACTION, (way, refused.value.code)
    left = await routing_db.read_text(
        "OPTIONAL MATCH (m:Migration {name: $name}) OPTIONAL MATCH (r:RoutingProbe {name: $name}) "
        "RETURN count(m) + count(r) AS n",
        name=probe["name"],
    )
    assert left == [{"n": 0}]


# -- the service's read and write paths -----------------------------------------------------------


async def test_a_compiled_read_and_a_recipient_list_run_only_read_transactions(
    routing_db: Database, routing_settings: Settings
) -> None:
    await _network(routing_db)
    compiled, scoped = await _execute(
        routing_db, routing_settings, COMPILED_READ, ids=[f"{P}op", f"{P}chair"]
    )
    assert {n["id"] for n in compiled["partners"]["nodes"]} == {f"{P}op", f"{P}chair"}
    # Compiled: one statement, in a READ transaction.
    assert scoped.round_trips_by_access_mode == {"READ": 1}

    listed, scoped = await _execute(routing_db, routing_settings, RECIPIENTS, id=f"{P}alert")
    assert _member_ids(listed) == {f"{P}chair"}
    assert scoped.round_trips >= 1
    assert scoped.round_trips_by_access_mode == {"READ": scoped.round_trips}
    # The request's reads wrote nothing, so the answer hands back no bookmarks.
    assert scoped.bookmarks.after_writes == ()


async def test_a_mutation_writes_in_write_transactions_and_hands_back_its_bookmark(
    routing_db: Database, routing_settings: Settings
) -> None:
    await _network(routing_db)
    membership = {"partner": f"{P}chair", "council": f"{P}gcc", "role": "MEMBER"}
    added, scoped = await _execute(routing_db, routing_settings, ADD_MEMBERSHIP, input=membership)
    assert added["addMembership"]["userErrors"] == [], added
    assert added["addMembership"]["membership"]["role"] == "MEMBER"
    # The membership was written, so in a WRITE transaction (a READ one would have been refused),
    # and every round trip of the mutation is counted under its transaction's access mode.
    assert scoped.round_trips_by_access_mode.get("WRITE", 0) >= 1
    assert sum(scoped.round_trips_by_access_mode.values()) == scoped.round_trips
    council, _ = await _execute(routing_db, routing_settings, COUNCIL, id=f"{P}gcc")
    assert council["council"]["members"] == [{"partner": {"id": f"{P}chair"}, "role": "MEMBER"}]
    assert scoped.bookmarks.after_writes, "a committed write hands back its bookmarks"


# -- two workers: a write through one, a read through the other -----------------------------------


@pytest.fixture(scope="module")
def two_workers(routing_settings: Settings, seeded: None) -> Iterator[tuple[TestClient, TestClient]]:
    """Two instances of the service, each with its own driver and bookmark manager, as two worker
    processes have."""
    headers = {"Authorization": f"Bearer {mint_token(routing_settings, Role.ADMIN)}"}
    with (
        TestClient(create_app(routing_settings), headers=headers) as first,
        TestClient(create_app(routing_settings), headers=headers) as second,
    ):
        yield first, second


def _post(client: TestClient, query: str, bookmarks: str | None = None, **variables: Any) -> tuple[Any, Any]:
    headers = {HEADER: bookmarks} if bookmarks is not None else {}
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json(), response.headers


async def test_a_write_through_one_worker_is_seen_by_a_read_through_the_other(
    routing_db: Database, two_workers: tuple[TestClient, TestClient]
) -> None:
    await _network(routing_db)
    first, second = two_workers
    product = f"{P}alert"
    before, _ = _post(second, RECIPIENTS, id=product)
    assert _member_ids(before["data"]) == {f"{P}chair"}

    membership = {"partner": f"{P}op", "council": f"{P}scc", "role": "MEMBER"}
    added, headers = _post(first, ADD_MEMBERSHIP, input=membership)
    assert added["data"]["addMembership"]["userErrors"] == [], added
    bookmarks = headers.get(HEADER)
    assert bookmarks, f"the answer to a write carries its bookmarks in {HEADER}"

    # The other worker, told the write's bookmarks, reads after it: the recipient list through its
    # own index, and a compiled read.
    after, _ = _post(second, RECIPIENTS, bookmarks, id=product)
    assert _member_ids(after["data"]) == {f"{P}chair", f"{P}op"}
    members, read_headers = _post(second, COUNCIL, bookmarks, id=f"{P}scc")
    assert "errors" not in members, members
    assert {m["partner"]["id"] for m in members["data"]["council"]["members"]} == {f"{P}chair", f"{P}op"}
    # A read commits nothing: its answer hands back no bookmarks of its own.
    assert HEADER not in read_headers
    # The recipient list as a file, likewise.
    download = second.get(f"/recipients/{product}.csv", headers={HEADER: bookmarks})
    assert download.status_code == 200, download.text
    assert f"{P}op" in download.text


async def test_a_bookmark_the_database_did_not_issue_is_the_clients_error(
    two_workers: tuple[TestClient, TestClient],
) -> None:
    """The worker hands the client's bookmarks to Neo4j, which reads them: one it cannot read is
    refused, and the answer says whose error it is."""
    _, second = two_workers
    body, _ = _post(second, COMPILED_READ, "not-a-bookmark", ids=[f"{P}op"])
    [error] = body["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT", error
    assert "bookmark" in error["message"]

    download = second.get(f"/recipients/{P}alert.csv", headers={HEADER: "not-a-bookmark"})
    assert download.status_code == 400, download.text
    assert download.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

    too_many = ", ".join(["x"] * 17)
    response = second.post(
        "/graphql", json={"query": COMPILED_READ, "variables": {"ids": []}}, headers={HEADER: too_many}
    )
    assert response.status_code == 400, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"

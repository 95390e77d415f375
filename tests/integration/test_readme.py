"""The README's GraphQL examples run as written against the seed network."""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import gql, token
from tests.query_counts import QueryCounts

README = Path(__file__).resolve().parents[2] / "README.md"
EVERY_EXAMPLE = re.findall(r"```graphql\n(.*?)```", README.read_text(), re.S)
# The documentation's topic pages (docs/*.md) show operations too; they count as examples of them.
DOC_EXAMPLES = [
    example
    for page in sorted((README.parent / "docs").glob("*.md"))
    for example in re.findall(r"```graphql\n(.*?)```", page.read_text(), re.S)
]
EXAMPLES = [e for e in EVERY_EXAMPLE if not e.lstrip().startswith("subscription")]
SUBSCRIPTIONS = [e for e in EVERY_EXAMPLE if e.lstrip().startswith("subscription")]
# What the subscription examples hear about: a new product for fc-ca, disseminated.
NEWS = """mutation($id: ID!) {
  createProduct(input: { id: $id, title: "README news", kind: ALERT, level: OPERATIONAL,
    severity: CRITICAL, tlp: CLEAR, sectors: ["energy"], addressedTo: ["fc-ca"] }) { userErrors { message } }
}"""


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 10


def operation_key(document: str) -> str:
    """A stable, readable name for an operation: its start and a digest of the whole text."""
    return f"{' '.join(document.split())[:70]} #{hashlib.sha256(document.encode()).hexdigest()[:8]}"


@pytest.fixture(scope="module")
def query_counts() -> Iterator[QueryCounts]:
    counts = QueryCounts()
    yield counts
    counts.save()


def test_every_example_has_its_own_key() -> None:
    assert len({operation_key(e) for e in EXAMPLES}) == len(EXAMPLES)


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_each_readme_example_runs(
    client: TestClient, seeded: None, query_counts: QueryCounts, example: str
) -> None:
    """Each example answers without errors, its edits are made, and it costs the recorded round
    trips (the examples' edits build on one another, so they run once, in order)."""
    body = gql(client, example, as_token=_signed_in_as(example))
    assert "errors" not in body, body["errors"]
    assert body["data"]
    refused = list(_user_errors(body["data"]))
    assert not refused, f"an edit in the example was refused: {refused}"
    query_counts.check(operation_key(example), body["extensions"]["cypherRoundTrips"])


PARTNER_PRODUCTS = "{ products(first: 20) { totalCount edges { node { id title sectors { name } } } } }"


def test_a_partner_reading_products_costs_the_recorded_round_trips(
    client: TestClient, seeded: None, query_counts: QueryCounts
) -> None:
    body = gql(client, PARTNER_PRODUCTS, as_token=token("PARTNER", "cloudforge"))
    assert "errors" not in body, body["errors"]
    assert body["data"]["products"]["edges"], "the seed partner sees some products"
    query_counts.check("PARTNER " + operation_key(PARTNER_PRODUCTS), body["extensions"]["cypherRoundTrips"])


@pytest.mark.parametrize(
    "example", SUBSCRIPTIONS, ids=[f"subscription-{i}" for i in range(len(SUBSCRIPTIONS))]
)
def test_each_readme_subscription_runs(client: TestClient, seeded: None, example: str) -> None:
    """Over WebSocket, as GraphiQL sends it: the token in connection_init, then the example."""
    admin = client.headers["Authorization"]
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": admin}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": example}})
        product = f"readme-news-{uuid.uuid4().hex[:8]}"
        assert not list(_user_errors(gql(client, NEWS, id=product)["data"]))
        gql(client, "mutation($id: ID!) { disseminate(productId: $id) { newlyDelivered } }", id=product)
        message = ws.receive_json()
        while message["type"] == "ping":
            message = ws.receive_json()
        assert message["type"] == "next" and "errors" not in message["payload"], message
        (result,) = message["payload"]["data"].values()
        assert result["sequence"] > 0


def _signed_in_as(example: str) -> str | None:
    """An example that begins `# As a PARTNER user of <partner id>` runs with that user's token;
    any other runs as ADMIN."""
    found = re.match(r"\s*# As a PARTNER user of ([\w-]+)", example)
    return token("PARTNER", found.group(1)) if found else None


def _user_errors(value: object) -> Iterator[object]:
    """Every non-empty `userErrors` in an answer: an edit example must do what it says."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "userErrors" and item:
                yield item
            else:
                yield from _user_errors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _user_errors(item)


def test_every_root_operation_has_an_example() -> None:
    from graph_api.api import schema

    graphql = schema._schema
    roots = (
        set(graphql.query_type.fields)
        | set(graphql.mutation_type.fields)  # type: ignore[union-attr]
        | set(graphql.subscription_type.fields)  # type: ignore[union-attr]
    )
    text = "\n".join(EVERY_EXAMPLE + DOC_EXAMPLES)
    missing = {name for name in roots if not re.search(rf"\b{name}\b\s*[({{}}]", text)}
    assert not missing, f"Neither the README nor docs/ has an example for: {sorted(missing)}"

"""No N+1: an operation costs a bounded number of Cypher round trips, whatever the page size."""

from __future__ import annotations

from typing import Any

from starlette.testclient import TestClient

from tests.helpers import gql

NESTED = """query($first: Int, $after: String) {
  partners(first: $first, after: $after) { edges { cursor node {
  name memberships { role council { name members { role partner { name kind } } } } } } } }"""


def _page(client: TestClient, first: int, after: str | None = None) -> tuple[list[dict[str, Any]], int]:
    body = gql(client, NESTED, first=first, after=after)
    assert "errors" not in body, body["errors"]
    return body["data"]["partners"]["edges"], body["extensions"]["cypherRoundTrips"]


def test_three_levels_over_100_partners_cost_what_one_partner_costs(client: TestClient, seeded: None) -> None:
    edges, hundred = _page(client, 100)
    assert len(edges) == 100
    # A page of one partner that reaches every level (it sits on a council), like the big page does.
    index = next(i for i, e in enumerate(edges) if e["node"]["memberships"])
    after = edges[index - 1]["cursor"] if index else None
    [single], one = _page(client, 1, after)
    assert single["node"]["memberships"][0]["council"]["members"]
    # The page, partner records, memberships, councils, member partners: at most one query per
    # level, whatever the page size (a page may need fewer when the loaders already hold the
    # member partners); one query per partner would be hundreds.
    assert one <= 5 and hundred <= 5

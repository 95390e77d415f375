"""No N+1: an operation costs a bounded number of Cypher round trips, whatever the page size."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import OperationDefinitionNode, parse
from starlette.testclient import TestClient

from bench import operations as bench
from tests.helpers import gql, token
from tests.integration.test_docs import EXAMPLES

# The list of reports and the Daily Report: a page of ids under the access rule, then the records
# in one batch, on the resolvers (a report by id, and a product's source report, are compiled).
REPORT_LISTS = {"reports", "dailyReport"}


def _operation(example: str) -> OperationDefinitionNode:
    definition = parse(example).definitions[0]
    assert isinstance(definition, OperationDefinitionNode)
    return definition


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


# -- compiled reads: one statement per operation -------------------------------------------------

# Domain operations (delivery's queues included) keep their Python and their own bounded round
# trips, which test_docs holds to the recorded counts; every other read of
# the directory and products is one Cypher statement.
ON_RESOLVERS = {
    "recipients",
    "previewRecipients",
    "canShare",
    "connection",
    "neighborhood",
    "impactOf",
    "deliveries",
    "inbox",
    "exportNetwork",
    "auditLog",
    "watchQueue",
    "unacknowledged",
    # Walking the audit chain, a fusion center's onward list (a recipient list), the peer nodes
    # (ADMIN) and the requirement proposals: rules of their own, with their own access.
    "auditChain",
    "onwardRecipients",
    "peers",
    "requirementProposals",
    # The open-source inbox, feeds, keyword rules and reports (rules/open_source.py).
    "openSourceFeeds",
    "openSourceKeywordRules",
    "openSourceItems",
    "openSourceReports",
    "openSourceReport",
}
READ_EXAMPLES = [
    example
    for example in EXAMPLES
    if (operation := _operation(example)).operation.value == "query"
    and not {s.name.value for s in operation.selection_set.selections} & (ON_RESOLVERS | REPORT_LISTS)  # type: ignore[attr-defined]
]
BENCH_OPERATIONS = {
    "partner": (bench.PARTNER_ISEGRAPH, {"id": "fc-ca"}),
    "partners-page": (bench.PAGE_ISEGRAPH, {}),
    "council-members-contacts": (bench.COUNCIL_ISEGRAPH, {"id": "energy-scc"}),
    "products-filtered": (bench.PRODUCTS_ISEGRAPH, {}),
    "search": (bench.SEARCH_ISEGRAPH, {"text": "california"}),
    "products-page": (bench.PRODUCT_PAGE_ISEGRAPH, {}),
}
ROLES = {"ADMIN": lambda: token("ADMIN"), "PARTNER": lambda: token("PARTNER", "fc-ca")}


def test_the_readme_has_reads_to_check() -> None:
    assert len(READ_EXAMPLES) >= 6


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("example", READ_EXAMPLES, ids=[f"read-{i}" for i in range(len(READ_EXAMPLES))])
def test_each_readme_read_is_one_statement(client: TestClient, seeded: None, example: str, role: str) -> None:
    body = gql(client, example, as_token=ROLES[role]())
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cypherRoundTrips"] == 1


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", list(BENCH_OPERATIONS))
def test_each_benchmark_operation_is_one_statement(
    client: TestClient, seeded: None, name: str, role: str
) -> None:
    query, variables = BENCH_OPERATIONS[name]
    body = gql(client, query, as_token=ROLES[role](), **variables)
    assert "errors" not in body, body["errors"]
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_a_probe_that_asks_only_for_the_type_name_never_reaches_the_database(client: TestClient) -> None:
    """`{ __typename }` is what gateways and health checks send: answered without a statement."""
    body = gql(client, "query Probe { __typename kind: __typename }")
    assert body == {"data": {"__typename": "Query", "kind": "Query"}, "extensions": {"cypherRoundTrips": 0}}

"""A scope opens what the access table says and nothing else: on every path a scoped user reads
(compiled reads, `_entities`, the list downloads, TAXII, subscriptions) it sees exactly what a
user of the same organisation without the scope sees, and the scoped operations refuse every
target outside the scope."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from graph_api.settings import Settings
from tests.helpers import data, gql, serving, token, unique_prefix
from tests.integration.test_onward_lists import onward_network
from tests.integration.test_stewardship import stewarded_network
from tests.integration.test_taxii import PRODUCTS, graphql_nodes, reports_over_all_collections

DISSEMINATE = "mutation($id: ID!) { disseminate(productId: $id) { newlyDelivered } }"


def _reads(p: str, own: str, elsewhere: str, product: str) -> list[tuple[str, dict[str, Any]]]:
    """Reads over every kind of record, aimed at the organisation's own and at another's."""
    return [
        ("{ contacts(first: 500) { totalCount nodes { id } } }", {}),
        ("query ($id: ID!) { partner(id: $id) { contacts { id } } }", {"id": elsewhere}),
        ("query ($id: ID!) { partner(id: $id) { contacts { id } } }", {"id": own}),
        ("query ($id: ID!) { product(id: $id) { id title } }", {"id": product}),
        ("{ requirements(first: 500) { totalCount nodes { id } } }", {}),
        ("{ reports(first: 100) { totalCount nodes { id } } }", {}),
        ("query ($id: ID!) { inbox(partnerId: $id) { totalCount } }", {"id": own}),
        ("query ($id: ID!) { inbox(partnerId: $id) { totalCount } }", {"id": elsewhere}),
        ("query ($id: ID!) { recipients(productId: $id) { excluded { reason } } }", {"id": product}),
        ("query ($id: ID!) { deliveries(productId: $id) { totalCount } }", {"id": product}),
        ("{ exportNetwork }", {}),
        ("{ auditLog(first: 1) { totalCount } }", {}),
        (
            "query ($r: [_Any!]!) { _entities(representations: $r) { "
            "... on InformationProduct { id title } ... on Contact { id email } ... on Partner { id } } }",
            {
                "r": [
                    *({"__typename": "InformationProduct", "id": p + x} for x in ("green", "red")),
                    *({"__typename": "Contact", "id": p + c} for c in ("ca", "cb", "cc", "cd")),
                    {"__typename": "Partner", "id": elsewhere},
                ]
            },
        ),
    ]


def _answer(body: dict[str, Any]) -> tuple[Any, list[tuple[Any, Any]]]:
    """What a read told its user: the data and each error's code and message (never the cost)."""
    errors = [(e.get("extensions", {}).get("code"), e["message"]) for e in body.get("errors") or []]
    return body.get("data"), errors


def _same_everywhere(
    client: TestClient, base: str, scoped: str, plain: str, reads: list[tuple[str, dict[str, Any]]]
) -> None:
    for query, variables in reads:
        assert _answer(gql(client, query, as_token=scoped, **variables)) == _answer(
            gql(client, query, as_token=plain, **variables)
        ), query
    assert {n["id"] for n in graphql_nodes(client, PRODUCTS, scoped)} == {
        n["id"] for n in graphql_nodes(client, PRODUCTS, plain)
    }
    assert reports_over_all_collections(base, scoped) == reports_over_all_collections(base, plain)


def _subscription_refusal(client: TestClient, who: str, partner: str) -> Any:
    query = "subscription($p: ID!) { inboxDeliveries(partnerId: $p) { sequence } }"
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": f"Bearer {who}"}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json(
            {"id": "1", "type": "subscribe", "payload": {"query": query, "variables": {"p": partner}}}
        )
        with pytest.raises(WebSocketDisconnect) as closed:
            while True:
                ws.receive_json()
        return closed.value.code, closed.value.reason


@pytest.fixture(scope="module")
def service(settings: Settings) -> Any:
    with serving(settings) as base:
        yield base


def test_a_fusion_center_analyst_sees_no_more_than_its_organisation_outside_onward_lists(
    client: TestClient, service: str
) -> None:
    p = unique_prefix("leakfc")
    assert data(client, "mutation ($d: JSON!) { importNetwork(document: $d) { ok } }", d=onward_network(p))[
        "importNetwork"
    ]["ok"]
    data(client, DISSEMINATE, id=p + "green")
    analyst = token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",))
    plain = token("PARTNER", p + "fc")
    _same_everywhere(client, service, analyst, plain, _reads(p, p + "fc", p + "a", p + "green"))
    assert _subscription_refusal(client, analyst, p + "a") == _subscription_refusal(client, plain, p + "a")
    # The list downloads: the staff list is refused as it is to any PARTNER; the onward list of
    # another partner too; a product the fusion center may not see is missing.
    bearer = {"Authorization": f"Bearer {analyst}"}
    for path in (f"/recipients/{p}green.csv", f"/recipients/{p}green.ndjson", f"/onward/{p}c/{p}green.csv"):
        assert client.get(path, headers=bearer).status_code == 403, path
    assert client.get(f"/onward/{p}fc/{p}red.ndjson", headers=bearer).status_code == 404
    onward = data(
        client,
        "query ($id: ID!) { onwardRecipients(productId: $id) { recipients { partner { id } } "
        "excluded { partner { id } } } }",
        as_token=analyst,
        id=p + "green",
    )["onwardRecipients"]
    listed = {e["partner"]["id"] for e in onward["recipients"] + onward["excluded"]}
    assert listed == {p + "a", p + "b", p + "c"}  # its area and its clients, never d


def test_a_steward_sees_no_more_than_its_organisation(client: TestClient, service: str) -> None:
    p = unique_prefix("leakst")
    assert data(
        client, "mutation ($d: JSON!) { importNetwork(document: $d) { ok } }", d=stewarded_network(p)
    )["importNetwork"]["ok"]
    steward = token("PARTNER", p + "chair", (f"STEWARD:{p}scc",))
    plain = token("PARTNER", p + "chair")
    _same_everywhere(client, service, steward, plain, _reads(p, p + "chair", p + "member", p + "nothing"))
    assert _subscription_refusal(client, steward, p + "member") == _subscription_refusal(
        client, plain, p + "member"
    )
    bearer = {"Authorization": f"Bearer {steward}"}
    assert client.get(f"/recipients/{p}nothing.csv", headers=bearer).status_code == 403
    assert client.get(f"/onward/{p}chair/{p}nothing.csv", headers=bearer).status_code == 403

"""Peer nodes and their sharing agreements over GraphQL: ADMIN only, checked before anything is
written, the credential never read back, listed in pages."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.testclient import TestClient

from graph_api.peering.identity import encode_public_key
from tests.helpers import data, gql, token

PEER_FIELDS = """nodeId url publicKey hasCredential createdAt modifiedAt
  agreement { sectors { id } kinds highestTlp pciiAllowed }"""
SET = f"""mutation($input: PeerInput!) {{ setPeer(input: $input) {{
  peer {{ {PEER_FIELDS} }} userErrors {{ field code message }} }} }}"""
REMOVE = """mutation($nodeId: ID!) { removePeer(nodeId: $nodeId) {
  removedNodeId userErrors { field code message } } }"""
PEERS = f"""query($first: Int, $after: String) {{ peers(first: $first, after: $after) {{
  totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ {PEER_FIELDS} }} }} }}"""
EXPORT = "{ exportNetwork }"


def _key() -> str:
    return encode_public_key(Ed25519PrivateKey.generate().public_key())


def _node_id() -> str:
    return f"peer-{uuid.uuid4().hex[:10]}"


def _input(node_id: str, **changes: Any) -> dict[str, Any]:
    value: dict[str, Any] = {
        "nodeId": node_id,
        "url": "https://ca.isegraph.example",
        "publicKey": _key(),
        "credential": "token-issued-by-the-peer",
        "agreement": {"sectors": ["energy"], "kinds": ["ALERT", "WARNING"], "highestTlp": "AMBER"},
    }
    value.update(changes)
    return value


def _peers(client: TestClient) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    after = None
    while True:
        page = data(client, PEERS, first=2, after=after)["peers"]
        found.update({p["nodeId"]: p for p in page["nodes"]})
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(found)
            return found
        after = page["pageInfo"]["endCursor"]


def test_an_admin_adds_a_peer_with_its_agreement_and_the_credential_is_never_shown(
    client: TestClient, seeded: None
) -> None:
    node_id = _node_id()
    given = _input(node_id)
    answer = data(client, SET, input=given)["setPeer"]
    assert answer["userErrors"] == []
    peer = answer["peer"]
    assert peer["nodeId"] == node_id and peer["publicKey"] == given["publicKey"] and peer["hasCredential"]
    assert peer["agreement"] == {
        "sectors": [{"id": "energy"}],
        "kinds": ["ALERT", "WARNING"],
        "highestTlp": "AMBER",
        "pciiAllowed": False,
    }
    assert _peers(client)[node_id] == peer
    assert "token-issued-by-the-peer" not in str(data(client, PEERS, first=100))


def test_changing_a_peer_replaces_its_agreement_and_keeps_its_credential(
    client: TestClient, seeded: None
) -> None:
    node_id = _node_id()
    assert data(client, SET, input=_input(node_id))["setPeer"]["userErrors"] == []
    changed = _input(node_id, credential=None, url="https://ca2.isegraph.example", agreement=None)
    peer = data(client, SET, input=changed)["setPeer"]["peer"]
    assert peer["url"] == "https://ca2.isegraph.example" and peer["agreement"] is None
    assert peer["hasCredential"], "a null credential keeps the one the peer had"


def test_removing_a_peer_forgets_it_and_a_second_removal_says_not_found(
    client: TestClient, seeded: None
) -> None:
    node_id = _node_id()
    data(client, SET, input=_input(node_id))
    assert data(client, REMOVE, nodeId=node_id)["removePeer"] == {"removedNodeId": node_id, "userErrors": []}
    assert node_id not in _peers(client)
    again = data(client, REMOVE, nodeId=node_id)["removePeer"]
    assert again["removedNodeId"] is None and again["userErrors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"nodeId": "Not A Node"}, ["input", "nodeId"], "BAD_ID"),
        ({"url": "http://ca.isegraph.example"}, ["input", "url"], "BAD_URL"),
        ({"url": "ftp://127.0.0.1/"}, ["input", "url"], "BAD_URL"),
        ({"publicKey": "c2hvcnQ="}, ["input", "publicKey"], "BAD_KEY"),
        ({"credential": None}, ["input", "credential"], "MISSING_FIELD"),
        (
            {"agreement": {"sectors": ["energy"], "kinds": ["ALERT"], "highestTlp": "RED"}},
            ["input", "agreement", "highestTlp"],
            "TLP_NEVER_BY_AGREEMENT",
        ),
        (
            {"agreement": {"sectors": ["energy"], "kinds": ["ALERT"], "highestTlp": "AMBER_STRICT"}},
            ["input", "agreement", "highestTlp"],
            "TLP_NEVER_BY_AGREEMENT",
        ),
        (
            {"agreement": {"sectors": ["energy", "no-such-sector"], "kinds": [], "highestTlp": "GREEN"}},
            ["input", "agreement", "sectors", "1"],
            "UNKNOWN_REFERENCE",
        ),
    ],
    ids=[
        "bad-node-id",
        "http-beyond-loopback",
        "not-http",
        "short-key",
        "new-without-credential",
        "red-by-agreement",
        "amber-strict-by-agreement",
        "unknown-sector",
    ],
)
def test_a_bad_peer_is_refused_by_field_and_nothing_is_written(
    client: TestClient, seeded: None, changes: dict[str, Any], field: list[str], code: str
) -> None:
    node_id = _node_id()
    given = _input(node_id, **changes)
    answer = data(client, SET, input=given)["setPeer"]
    assert answer["peer"] is None
    assert [(e["field"], e["code"]) for e in answer["userErrors"]] == [(field, code)]
    assert given["nodeId"] not in _peers(client)


def test_a_loopback_peer_may_use_http(client: TestClient, seeded: None) -> None:
    answer = data(client, SET, input=_input(_node_id(), url="http://127.0.0.1:8765"))["setPeer"]
    assert answer["userErrors"] == []


@pytest.mark.parametrize("role", ["ANALYST", "PARTNER"])
def test_only_an_admin_reads_or_configures_peers(client: TestClient, seeded: None, role: str) -> None:
    node_id = _node_id()
    data(client, SET, input=_input(node_id))
    user = token(role, "fc-ca" if role == "PARTNER" else None)
    for operation, variables in (
        (PEERS, {"first": 5}),
        (SET, {"input": _input(_node_id())}),
        (REMOVE, {"nodeId": node_id}),
    ):
        body = gql(client, operation, as_token=user, **variables)
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", body
    assert node_id in _peers(client)


def test_peers_are_not_part_of_the_partnership_network(client: TestClient, seeded: None) -> None:
    """An export carries the network, never this node's peers or their credentials."""
    data(client, SET, input=_input(_node_id()))
    assert "token-issued-by-the-peer" not in str(data(client, EXPORT)["exportNetwork"])


def test_the_audit_trail_records_a_peer_change_without_its_credential(
    client: TestClient, seeded: None
) -> None:
    node_id = _node_id()
    data(client, SET, input=_input(node_id, credential="secret-for-the-audit-test"))
    records = data(client, '{ auditLog(first: 20, operation: "setPeer") { nodes { operation arguments } } }')[
        "auditLog"
    ]["nodes"]
    mine = [r for r in records if node_id in str(r["arguments"])]
    assert mine, "the change is audited"
    assert "secret-for-the-audit-test" not in str(mine)
    assert "credentialChanged" in str(mine[0]["arguments"])

"""The peering endpoint: envelopes from peers are kept or refused by named reason, a refusal is
recorded and changes nothing else, a received product changes only by a newer origin version,
and only a NODE token this node issued opens the endpoint (and nothing else)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.identity.node_tokens import mint_node_token
from graph_api.peering.envelope import EXTENSION_ID, relay, seal
from graph_api.peering.identity import NodeIdentity, NodeIdentityError, create_identity, load_identity
from graph_api.rules.receiving import received, received_key
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii.stix import built
from tests.helpers import data, token

TAXII = "application/taxii+json;version=2.1"
ENDPOINT = "/taxii2/peering/collections/envelopes/objects/"
SET_PEER = """mutation($input: PeerInput!) { setPeer(input: $input) { userErrors { code message } } }"""


def _row(product_id: str, title: str = "Grid ransomware campaign") -> dict[str, Any]:
    return {
        "id": product_id, "title": title, "kind": "ALERT", "level": "OPERATIONAL", "severity": "HIGH",
        "tlp": "GREEN", "pcii": False, "summary": "Ransomware against grid operators.",
        "publishedAt": "2026-11-25T12:00:00Z", "createdAt": None, "modifiedAt": "2026-11-25T12:00:00Z",
        "sectors": [{"id": "energy", "name": "Energy", "createdAt": None, "modifiedAt": None}],
        "topics": ["cyber"], "regions": [], "issuer": None, "sources": [],
    }  # fmt: skip


@pytest.fixture(scope="module")
def receiver(settings: Settings) -> NodeIdentity:
    """This node: the identity the service under test finds in its state directory."""
    try:
        return load_identity(settings.node_dir)
    except NodeIdentityError:
        return create_identity(settings.node_dir, "nicc", "receiver-under-test")


def _peer(client: TestClient, tmp_path: Path, name: str, *, known: bool = True) -> NodeIdentity:
    node = create_identity(tmp_path / name, "fc-ca", f"{name}-{uuid.uuid4().hex[:8]}")
    if known:
        answer = data(
            client,
            SET_PEER,
            input={"nodeId": node.node_id, "url": "http://127.0.0.1:9", "publicKey": node.public_key_text,
                   "credential": "a token the peer issued us"},
        )["setPeer"]  # fmt: skip
        assert answer["userErrors"] == []
    return node


def _post(client: TestClient, settings: Settings, sender: str, *objects: dict[str, Any]) -> dict[str, Any]:
    response = client.post(
        ENDPOINT,
        content=json.dumps({"objects": list(objects)}),
        headers={
            "Authorization": f"Bearer {mint_node_token(settings, sender, 300)}",
            "Content-Type": TAXII,
            "Accept": TAXII,
        },
    )
    assert response.status_code == 202, response.text
    status: dict[str, Any] = response.json()
    assert status["status"] == "complete" and status["total_count"] == len(objects)
    return status


async def _held(db: Database, origin: NodeIdentity, product_id: str) -> tuple[Any, list[dict[str, Any]]]:
    """The received product of (origin, product id), and the refusals recorded about it."""
    found = await received(db, [received_key(origin.node_id, product_id)])
    refusals = [
        r
        for r in found["refusals"]
        if (r["originNode"], r["originProductId"]) == (origin.node_id, product_id)
    ]
    return (found["products"][0] if found["products"] else None), refusals


def _sealed(origin: NodeIdentity, product_id: str, version: int, **kwargs: Any) -> dict[str, Any]:
    return seal(built("report", _row(product_id, **kwargs)), origin, product_id=product_id, version=version)


def _reasons(status: dict[str, Any]) -> list[str]:
    return [f["message"].split(":")[0] for f in status["failures"]]


async def test_a_sealed_product_from_a_peer_is_kept_at_its_version(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    envelope = _sealed(origin, "prod-kept", 1)
    status = _post(client, settings, origin.node_id, envelope)
    assert status["success_count"] == 1 and status["successes"][0]["id"] == envelope["id"]
    product, refusals = await _held(db, origin, "prod-kept")
    assert product["version"] == 1 and product["path"] == [origin.node_id] and refusals == []
    assert json.loads(product["content"])["name"] == "Grid ransomware campaign"
    assert product["contentSha256"] == envelope["extensions"][EXTENSION_ID]["content_sha256"]


async def test_a_replay_or_an_older_version_is_refused_and_changes_nothing(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    first, second = _sealed(origin, "prod-v", 1), _sealed(origin, "prod-v", 2, title="Revised")
    assert _post(client, settings, origin.node_id, second)["success_count"] == 1
    kept, _ = await _held(db, origin, "prod-v")
    assert _reasons(_post(client, settings, origin.node_id, second, first)) == [
        "NOT_NEWER_VERSION",
        "NOT_NEWER_VERSION",
    ]
    product, refusals = await _held(db, origin, "prod-v")
    assert product == kept and json.loads(product["content"])["name"] == "Revised"
    # Both recorded; two refusals of one request may carry the same time, so in either order.
    assert sorted((r["reason"], r["version"], r["fromPeer"]) for r in refusals) == [
        ("NOT_NEWER_VERSION", 1, origin.node_id),
        ("NOT_NEWER_VERSION", 2, origin.node_id),
    ]
    third = _sealed(origin, "prod-v", 3, title="Third")
    assert _post(client, settings, origin.node_id, third)["success_count"] == 1
    assert json.loads((await _held(db, origin, "prod-v"))[0]["content"])["name"] == "Third"


async def test_an_envelope_with_one_changed_byte_is_refused_and_recorded(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    text = json.dumps(_sealed(origin, "prod-byte", 1))
    at = text.index("Grid ransomware")
    changed = json.loads(text[:at] + "D" + text[at + 1 :])
    assert _reasons(_post(client, settings, origin.node_id, changed)) == ["HASH_MISMATCH"]
    product, refusals = await _held(db, origin, "prod-byte")
    assert product is None and [r["reason"] for r in refusals] == ["HASH_MISMATCH"]


async def test_an_envelope_signed_with_the_wrong_key_is_refused(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    impostor = create_identity(tmp_path / "impostor", "nicc", origin.node_id)
    envelope = seal(built("report", _row("prod-forged")), impostor, product_id="prod-forged", version=9)
    assert _reasons(_post(client, settings, origin.node_id, envelope)) == ["BAD_SIGNATURE"]
    assert (await _held(db, origin, "prod-forged"))[0] is None


async def test_an_origin_that_is_not_a_peer_is_refused_even_when_a_peer_relays_it(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    stranger = _peer(client, tmp_path, "stranger", known=False)
    relaying = _peer(client, tmp_path, "isac")
    envelope = relay(_sealed(stranger, "prod-stranger", 1), relaying.node_id)
    assert _reasons(_post(client, settings, relaying.node_id, envelope)) == ["UNKNOWN_ORIGIN"]
    assert (await _held(db, stranger, "prod-stranger"))[0] is None


async def test_a_product_that_already_passed_this_node_is_refused(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin, relaying = _peer(client, tmp_path, "national"), _peer(client, tmp_path, "isac")
    around = relay(relay(_sealed(origin, "prod-loop", 1), receiver.node_id), relaying.node_id)
    assert _reasons(_post(client, settings, relaying.node_id, around)) == ["ALREADY_ON_PATH"]
    assert (await _held(db, origin, "prod-loop"))[0] is None


async def test_a_withdrawal_is_kept_as_a_tombstone_at_a_newer_version(
    client: TestClient, settings: Settings, db: Database, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    report = built("report", _row("prod-gone"))
    _post(client, settings, origin.node_id, seal(report, origin, product_id="prod-gone", version=1))
    tombstone = seal(report, origin, product_id="prod-gone", version=2, withdrawn=True)
    assert _post(client, settings, origin.node_id, tombstone)["success_count"] == 1
    product, _ = await _held(db, origin, "prod-gone")
    assert product["withdrawn"] and product["version"] == 2


def test_only_a_node_token_this_node_issued_opens_the_endpoint(
    client: TestClient, settings: Settings, seeded: None, receiver: NodeIdentity, tmp_path: Path
) -> None:
    origin = _peer(client, tmp_path, "national")
    envelope = json.dumps({"objects": [_sealed(origin, "prod-auth", 1)]})
    headers = {"Content-Type": TAXII, "Accept": TAXII}
    for user in (token("ADMIN"), token("PARTNER", "fc-ca"), "not-a-token"):
        response = client.post(
            ENDPOINT, content=envelope, headers={**headers, "Authorization": f"Bearer {user}"}
        )
        assert response.status_code == 401, response.text
    stranger = mint_node_token(settings, "not-a-peer", 300)
    response = client.post(
        ENDPOINT, content=envelope, headers={**headers, "Authorization": f"Bearer {stranger}"}
    )
    assert response.status_code == 403 and "not a peer" in response.json()["description"]


def test_a_node_token_opens_nothing_else(client: TestClient, settings: Settings, seeded: None) -> None:
    node = {"Authorization": f"Bearer {mint_node_token(settings, 'some-peer', 300)}"}
    assert (
        client.post(
            "/graphql", json={"query": "{ peers(first: 1) { totalCount } }"}, headers=node
        ).status_code
        == 401
    )
    assert client.get("/taxii2/isegraph/collections/", headers={**node, "Accept": TAXII}).status_code == 401
    # The endpoint takes envelopes; it answers no read.
    assert client.get(ENDPOINT, headers={**node, "Accept": TAXII}).status_code in (404, 405)

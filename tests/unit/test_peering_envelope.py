"""The envelope a product travels in between nodes: sealed by its origin, refused on arrival
for each reason by name, and accepted whatever JSON writer carried it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graph_api.peering.envelope import (
    EXTENSION_ID,
    EnvelopeRefused,
    RefusalReason,
    canonical,
    claimed_origin,
    may_send,
    relay,
    seal,
    verify,
)
from graph_api.peering.identity import NodeIdentity, create_identity
from graph_api.taxii.stix import TLP_MARKING_IDS, built

PRODUCT: dict[str, Any] = {
    "id": "prod-grid",
    "title": "Grid ransomware campaign",
    "kind": "ALERT",
    "level": "OPERATIONAL",
    "severity": "HIGH",
    "tlp": "AMBER",
    "pcii": False,
    "summary": "Ransomware against grid operators\u2019 billing systems.",
    "publishedAt": "2026-11-25T12:00:00Z",
    "createdAt": "2026-11-25T11:00:00Z",
    "modifiedAt": "2026-11-25T12:00:00Z",
    "sectors": [{"id": "energy", "name": "Energy", "createdAt": None, "modifiedAt": None}],
    "topics": ["cyber"],
    "regions": ["ca"],
    "issuer": {"id": "hitrac", "name": "HITRAC", "sectors": [], "createdAt": None, "modifiedAt": None},
    "sources": [],
}


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, NodeIdentity]:
    home = tmp_path_factory.mktemp("nodes")
    return {
        name: create_identity(Path(home) / name, operator, name)
        for name, operator in (("national", "nicc"), ("ca", "fc-ca"), ("isac", "e-isac"))
    }


def _keys(nodes: dict[str, NodeIdentity]) -> dict[str, Any]:
    return {name: node.public_key for name, node in nodes.items()}


def _sealed(nodes: dict[str, NodeIdentity], version: int = 3, **kwargs: Any) -> dict[str, Any]:
    return seal(
        built("report", PRODUCT),
        nodes["national"],
        product_id="prod-grid",
        version=version,
        addressed_to=["fc-ca"],
        link="https://national.example/products/prod-grid",
        **kwargs,
    )


def _refusal(envelope: dict[str, Any], nodes: dict[str, NodeIdentity], **kwargs: Any) -> RefusalReason:
    arguments: dict[str, Any] = {"receiver": "ca", "origin_keys": _keys(nodes), "held_version": None}
    arguments.update(kwargs)
    with pytest.raises(EnvelopeRefused) as refused:
        verify(envelope, **arguments)
    return refused.value.reason


def test_a_sealed_product_verifies_with_what_its_origin_said(nodes: dict[str, NodeIdentity]) -> None:
    envelope = _sealed(nodes)
    verified = verify(envelope, receiver="ca", origin_keys=_keys(nodes), held_version=2)
    assert (verified.origin_node, verified.product_id, verified.version) == ("national", "prod-grid", 3)
    assert verified.path == ("national",) and not verified.withdrawn
    assert verified.addressed_to == ("fc-ca",)
    # The content is the report the TAXII surface writes, TLP marking included.
    assert verified.content["name"] == PRODUCT["title"]
    assert verified.content["object_marking_refs"] == [TLP_MARKING_IDS["AMBER"]]
    assert claimed_origin(envelope) == ("national", "prod-grid")


def test_it_verifies_after_any_json_writer_carried_it(nodes: dict[str, NodeIdentity]) -> None:
    """Whitespace, key order and escapes of the transport change nothing: RFC 8785 content."""
    envelope = _sealed(nodes)
    rewritten = json.loads(json.dumps(envelope, indent=4, ensure_ascii=True))
    reordered = json.loads(json.dumps(dict(reversed(list(rewritten.items())))))
    assert verify(reordered, receiver="ca", origin_keys=_keys(nodes), held_version=None).version == 3


def test_one_changed_byte_is_a_hash_mismatch(nodes: dict[str, NodeIdentity]) -> None:
    text = json.dumps(_sealed(nodes))
    position = text.index("Grid ransomware")
    changed = text[:position] + "D" + text[position + 1 :]
    assert _refusal(json.loads(changed), nodes) == RefusalReason.HASH_MISMATCH


@pytest.mark.parametrize(
    "tamper",
    [
        lambda e: e.update(object_marking_refs=[TLP_MARKING_IDS["CLEAR"]]),
        lambda e: e["extensions"][EXTENSION_ID].update(addressed_to=["fc-ca", "p1"]),
        lambda e: e["extensions"][EXTENSION_ID].update(withdrawn=True),
        lambda e: e["extensions"][EXTENSION_ID].update(version=4),
        lambda e: e.update(description=e["description"] + " "),
    ],
    ids=["tlp-lowered", "addressee-added", "withdrawn-forged", "version-raised", "trailing-space"],
)
def test_any_change_to_the_content_is_a_hash_mismatch(nodes: dict[str, NodeIdentity], tamper: Any) -> None:
    envelope = _sealed(nodes)
    tamper(envelope)
    assert _refusal(envelope, nodes) == RefusalReason.HASH_MISMATCH


def test_changed_content_with_its_hash_recomputed_is_a_bad_signature(nodes: dict[str, NodeIdentity]) -> None:
    import hashlib

    from graph_api.peering.envelope import content_of

    envelope = _sealed(nodes)
    envelope["object_marking_refs"] = [TLP_MARKING_IDS["CLEAR"]]
    envelope["extensions"][EXTENSION_ID]["content_sha256"] = hashlib.sha256(
        canonical(content_of(envelope))
    ).hexdigest()
    assert _refusal(envelope, nodes) == RefusalReason.BAD_SIGNATURE


def test_an_envelope_signed_with_the_wrong_key_is_a_bad_signature(
    nodes: dict[str, NodeIdentity], tmp_path: Path
) -> None:
    impostor = create_identity(tmp_path / "impostor", "nicc", "national")  # same id, another key
    envelope = seal(built("report", PRODUCT), impostor, product_id="prod-grid", version=3)
    assert _refusal(envelope, nodes) == RefusalReason.BAD_SIGNATURE


def test_a_signature_that_is_not_base64_is_a_bad_signature(nodes: dict[str, NodeIdentity]) -> None:
    envelope = _sealed(nodes)
    envelope["extensions"][EXTENSION_ID]["signature"] = "not*base64"
    assert _refusal(envelope, nodes) == RefusalReason.BAD_SIGNATURE


def test_an_origin_that_is_not_a_peer_is_unknown(nodes: dict[str, NodeIdentity]) -> None:
    keys = {name: key for name, key in _keys(nodes).items() if name != "national"}
    assert _refusal(_sealed(nodes), nodes, origin_keys=keys) == RefusalReason.UNKNOWN_ORIGIN


def test_a_node_already_on_the_path_refuses_it(nodes: dict[str, NodeIdentity]) -> None:
    """A→B→C→A: the origin refuses its own product back; so does a node it passed."""
    around = relay(relay(_sealed(nodes), "ca"), "isac")
    assert _refusal(around, nodes, receiver="national") == RefusalReason.ALREADY_ON_PATH
    assert _refusal(around, nodes, receiver="ca") == RefusalReason.ALREADY_ON_PATH
    assert (
        _refusal(relay(_sealed(nodes), "national"), nodes, receiver="isac") == RefusalReason.ALREADY_ON_PATH
    )


def test_a_relayed_envelope_still_verifies_at_a_new_node(nodes: dict[str, NodeIdentity]) -> None:
    relayed = relay(_sealed(nodes), "ca")
    verified = verify(relayed, receiver="isac", origin_keys=_keys(nodes), held_version=None)
    assert verified.path == ("national", "ca")


def test_the_sender_never_sends_to_a_node_on_the_path(nodes: dict[str, NodeIdentity]) -> None:
    relayed = relay(_sealed(nodes), "ca")
    assert not may_send(relayed, "national") and not may_send(relayed, "ca") and may_send(relayed, "isac")


@pytest.mark.parametrize("held", [3, 4, 10])
def test_an_older_or_equal_version_is_refused(nodes: dict[str, NodeIdentity], held: int) -> None:
    assert _refusal(_sealed(nodes, version=3), nodes, held_version=held) == RefusalReason.NOT_NEWER_VERSION


def test_a_withdrawal_travels_as_a_signed_tombstone_at_a_newer_version(
    nodes: dict[str, NodeIdentity],
) -> None:
    tombstone = _sealed(nodes, version=4, withdrawn=True)
    verified = verify(tombstone, receiver="ca", origin_keys=_keys(nodes), held_version=3)
    assert verified.withdrawn and verified.version == 4


@pytest.mark.parametrize(
    ("tamper", "says"),
    [
        (lambda e: e.update(type="indicator"), "not a STIX report"),
        (lambda e: e["extensions"].pop(EXTENSION_ID), "carries no"),
        (lambda e: e["extensions"][EXTENSION_ID].update(path=["ca", "national"]), "not at its origin"),
        (lambda e: e["extensions"][EXTENSION_ID].update(path=[]), "path"),
        (lambda e: e["extensions"][EXTENSION_ID].update(version="3"), "version"),
        (lambda e: e["extensions"][EXTENSION_ID].pop("content_sha256"), "content_sha256"),
        (lambda e: e.update(external_references=[]), "external references"),
    ],
    ids=[
        "not-a-report",
        "no-extension",
        "path-not-from-origin",
        "empty-path",
        "text-version",
        "no-hash",
        "no-product-id",
    ],
)
def test_a_malformed_envelope_is_refused_naming_what_is_wrong(
    nodes: dict[str, NodeIdentity], tamper: Any, says: str
) -> None:
    envelope = _sealed(nodes)
    tamper(envelope)
    with pytest.raises(EnvelopeRefused, match=says) as refused:
        verify(envelope, receiver="ca", origin_keys=_keys(nodes), held_version=None)
    assert refused.value.reason == RefusalReason.MALFORMED_ENVELOPE


def test_sealing_a_report_of_another_product_is_refused(nodes: dict[str, NodeIdentity]) -> None:
    with pytest.raises(ValueError, match="does not name product"):
        seal(built("report", PRODUCT), nodes["national"], product_id="prod-other", version=1)


# RFC 8785's own examples: what every node must hash identically.
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            # Section 3.2.2: numbers in their shortest form, strings with minimal escapes.
            json.loads(
                '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],'
                ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",'
                ' "literals": [null, true, false]}'
            ),
            '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
            '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
        ),
        (
            # Section 3.2.3: properties sorted by their UTF-16 code units.
            json.loads(
                '{"\\u20ac": "Euro Sign", "\\r": "Carriage Return",'
                ' "\\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",'
                ' "\\ud83d\\ude00": "Emoji: Grinning Face", "\\u0080": "Control",'
                ' "\\u00f6": "Latin Small Letter O With Diaeresis"}'
            ),
            '{"\\r":"Carriage Return","1":"One","\u0080":"Control",'
            '"\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",'
            '"\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
        ),
    ],
    ids=["3.2.2-values", "3.2.3-sorting"],
)
def test_canonical_json_follows_rfc_8785(value: Any, expected: str) -> None:
    assert canonical(value) == expected.encode("utf-8")


def test_the_peer_that_sent_it_must_be_the_last_node_on_its_path(nodes: dict[str, NodeIdentity]) -> None:
    relayed = relay(_sealed(nodes), "ca")
    assert verify(relayed, receiver="isac", origin_keys=_keys(nodes), held_version=None, sender="ca")
    refused = _refusal(relayed, nodes, receiver="isac", sender="national")
    assert refused == RefusalReason.SENDER_NOT_ON_PATH

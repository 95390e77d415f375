"""Envelopes arriving from peers: each checked (`peering.envelope.verify`) and then kept, or
refused with its reason recorded and nothing else changed.

A received product is kept read-only, one per (origin node, origin product id), at its origin's
version: a newer version replaces it, a replay or an older version changes nothing (and is
refused as NOT_NEWER_VERSION). Only the origin's signature makes a version, so no peer can
change another node's product.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from graph_api.peering.envelope import EXTENSION_ID, EnvelopeRefused, RefusalReason, claimed_origin, verify
from graph_api.peering.identity import decode_public_key
from graph_api.store.database import Database, Record, Transaction


class UnknownPeer(Exception):
    """The sending node is not (or no longer) a peer of this one."""


@dataclass(frozen=True)
class Outcome:
    """What became of one object of a request: kept (reason None) or refused."""

    object_id: str
    version: str
    reason: RefusalReason | None = None
    message: str = ""


def received_key(origin_node: str, product_id: str) -> str:
    return f"{origin_node}/{product_id}"


async def receive(db: Database, receiver: str, sender: str, objects: Sequence[Any]) -> list[Outcome]:
    """Check and keep each object sent by peer `sender` to this node (`receiver`), in order."""
    keys = await _peer_keys(db)
    if sender not in keys:
        raise UnknownPeer(f"Node {sender!r} is not a peer of this node.")
    return [await _one(db, receiver, sender, keys, item) for item in objects]


async def _peer_keys(db: Database) -> dict[str, Ed25519PublicKey]:
    keys = {}
    for row in await db.read("peering/peer_keys"):
        # A key that no longer decodes is no key: that peer's envelopes are refused as unknown.
        try:
            keys[row["nodeId"]] = decode_public_key(row["publicKey"])
        except ValueError:
            continue
    return keys


async def _one(
    db: Database, receiver: str, sender: str, keys: Mapping[str, Ed25519PublicKey], item: Any
) -> Outcome:
    object_id = str(item.get("id", "")) if isinstance(item, dict) else ""
    version = str(item.get("modified", "")) if isinstance(item, dict) else ""
    origin, product_id, claimed_version = _claims(item)
    try:
        held = None
        if origin is not None and product_id is not None:
            held_rows = await db.read("peering/received_version", key=received_key(origin, product_id))
            held = held_rows[0]["version"] if held_rows else None
        verified = verify(item, receiver=receiver, origin_keys=keys, held_version=held, sender=sender)

        async def keep(tx: Transaction) -> list[Record]:
            return await tx.run(
                "peering/receive",
                key=received_key(verified.origin_node, verified.product_id),
                originNode=verified.origin_node,
                productId=verified.product_id,
                version=verified.version,
                contentSha256=verified.content_sha256,
                content=json.dumps(verified.content, sort_keys=True),
                withdrawn=verified.withdrawn,
                path=list(verified.path),
                fromPeer=sender,
            )

        if not await db.in_write_transaction(keep):
            # A newer version was kept meanwhile by another request.
            raise EnvelopeRefused(
                RefusalReason.NOT_NEWER_VERSION,
                f"version {verified.version} of {verified.origin_node}/{verified.product_id} is not "
                "newer than the version held here",
            )
    except EnvelopeRefused as refused:
        await db.write(
            "peering/refusal",
            fromPeer=sender,
            reason=refused.reason.value,
            message=refused.message,
            objectId=object_id[:200],
            originNode=origin,
            productId=product_id,
            version=claimed_version,
        )
        return Outcome(object_id, version, refused.reason, refused.message)
    return Outcome(object_id, version)


def _claims(item: Any) -> tuple[str | None, str | None, int | None]:
    """What the object says of itself, for the record of a refusal (unverified, maybe absent)."""
    try:
        origin, product_id = claimed_origin(item)
    except EnvelopeRefused:
        return None, None, None
    version = item["extensions"][EXTENSION_ID].get("version")
    return (
        origin[:200],
        product_id[:200],
        version if isinstance(version, int) and not isinstance(version, bool) else None,
    )


async def received(db: Database, keys: list[str] | None = None) -> Record:
    """The products kept from peers and the refusals recorded (for tests and figures)."""
    return (await db.read("peering/received", keys=keys))[0]

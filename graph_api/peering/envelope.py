"""The envelope a product travels in between nodes: its STIX 2.1 report, as the TAXII surface
writes it, carrying a property extension that says where it comes from and proves it.

The extension holds the origin node, the origin's product id and version, whether the product
is withdrawn (a tombstone), the fields the report has no STIX property for, the provenance path
(every node it passed, the origin first), the SHA-256 of the canonical content and the origin's
Ed25519 signature.

The **content** is the report with its extension less `path`, `content_sha256` and `signature`:
what the origin wrote. It is canonicalised by RFC 8785 (JSON Canonicalization Scheme), hashed and
signed as those bytes. The path is not signed because every hop adds itself to it; the receiver
reads it only to refuse a product that already passed through it.
"""

from __future__ import annotations

import base64
import binascii
import copy
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from graph_api.peering.identity import NODE_ID, NodeIdentity

# The id of this extension's STIX extension-definition (a fixed, random UUID of its own).
EXTENSION_ID = "extension-definition--3f5c9d1e-8a47-4b6e-9f02-7c1d5e8a6b34"
# Added by each hop, or derived from the content: left out of what is hashed and signed.
UNSIGNED = ("path", "content_sha256", "signature")
# The source name under which a report names its product id (as graph_api/taxii/stix.py writes it).
SOURCE_NAME = "isegraph"


class RefusalReason(StrEnum):
    """Why a receiver refuses an envelope; recorded with the refusal, which changes nothing else."""

    MALFORMED_ENVELOPE = "MALFORMED_ENVELOPE"
    UNKNOWN_ORIGIN = "UNKNOWN_ORIGIN"
    HASH_MISMATCH = "HASH_MISMATCH"
    BAD_SIGNATURE = "BAD_SIGNATURE"
    ALREADY_ON_PATH = "ALREADY_ON_PATH"
    # The peer that sent it is not the last node on its path: it passed it on without adding itself.
    SENDER_NOT_ON_PATH = "SENDER_NOT_ON_PATH"
    NOT_NEWER_VERSION = "NOT_NEWER_VERSION"


class EnvelopeRefused(Exception):
    def __init__(self, reason: RefusalReason, message: str) -> None:
        super().__init__(f"[{reason}] {message}")
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class Verified:
    """What a receiver may act on once an envelope has passed every check."""

    origin_node: str
    product_id: str
    version: int
    withdrawn: bool
    path: tuple[str, ...]
    content_sha256: str
    # The report as the origin wrote it, the extension's unsigned fields left out.
    content: dict[str, Any]

    @property
    def addressed_to(self) -> tuple[str, ...]:
        return tuple(self.content["extensions"][EXTENSION_ID]["addressed_to"])


def canonical(value: Any) -> bytes:
    """RFC 8785 canonical JSON: the bytes every node hashes and signs identically."""
    return rfc8785.dumps(value)


def content_of(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report less the extension's unsigned fields (a copy: the report is left alone)."""
    content = copy.deepcopy(dict(report))
    extension = content.get("extensions", {}).get(EXTENSION_ID)
    if isinstance(extension, dict):
        for name in UNSIGNED:
            extension.pop(name, None)
    return content


def seal(
    report: Mapping[str, Any],
    origin: NodeIdentity,
    *,
    product_id: str,
    version: int,
    addressed_to: Sequence[str] = (),
    link: str | None = None,
    withdrawn: bool = False,
) -> dict[str, Any]:
    """The report as the origin sends it: the extension added, hashed and signed, the path
    holding the origin alone. A withdrawal is sealed the same way with `withdrawn` and a newer
    version (a tombstone)."""
    if _product_id_of(report) != product_id:
        raise ValueError(f"the report does not name product {product_id!r} in its external references")
    if version < 1:
        raise ValueError(f"a product version is 1 or more, not {version}")
    content = copy.deepcopy(dict(report))
    extensions = dict(content.get("extensions") or {})
    extensions[EXTENSION_ID] = {
        "extension_type": "property-extension",
        "origin_node": origin.node_id,
        "origin_product_id": product_id,
        "version": version,
        "withdrawn": withdrawn,
        "addressed_to": sorted(set(addressed_to)),
        "link": link,
    }
    content["extensions"] = extensions
    body = canonical(content)
    sealed = copy.deepcopy(content)
    sealed["extensions"][EXTENSION_ID].update(
        path=[origin.node_id],
        content_sha256=hashlib.sha256(body).hexdigest(),
        signature=base64.b64encode(origin.signing_key.sign(body)).decode("ascii"),
    )
    return sealed


def relay(report: Mapping[str, Any], via: str) -> dict[str, Any]:
    """The envelope as node `via` passes it on: `via` added to its path, nothing else changed."""
    relayed = copy.deepcopy(dict(report))
    extension = relayed["extensions"][EXTENSION_ID]
    extension["path"] = [*extension["path"], via]
    return relayed


def claimed_origin(report: Mapping[str, Any]) -> tuple[str, str]:
    """(origin node, origin product id) as the envelope states them, unverified: what a receiver
    looks up the version it already holds by before calling `verify`."""
    extension = _extension(report)
    return _text(extension, "origin_node"), _text(extension, "origin_product_id")


def verify(
    report: Mapping[str, Any],
    *,
    receiver: str,
    origin_keys: Mapping[str, Ed25519PublicKey],
    held_version: int | None,
    sender: str | None = None,
) -> Verified:
    """Check an envelope arriving at node `receiver`, authenticity first: its shape, its origin
    among the known peers (`origin_keys`), its content against its hash, the hash's content
    against the origin's signature, the path against the receiver, and the version against the
    one the receiver holds of that product (`held_version`, None when it holds none). With
    `sender` (the peer it came from), that peer must be the last node on its path.

    Raises EnvelopeRefused naming the first check that fails.
    """
    extension = _extension(report)
    origin_node, product_id = claimed_origin(report)
    version = extension.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise _malformed("its version is not a whole number of 1 or more")
    if not isinstance(extension.get("withdrawn"), bool):
        raise _malformed("it does not say whether the product is withdrawn")
    addressed = extension.get("addressed_to")
    if not isinstance(addressed, list) or not all(isinstance(a, str) for a in addressed):
        raise _malformed("its addressed_to is not a list of partner ids")
    path = extension.get("path")
    if (
        not isinstance(path, list)
        or not path
        or not all(isinstance(n, str) and NODE_ID.fullmatch(n) for n in path)
    ):
        raise _malformed("its path is not a list of node ids")
    if path[0] != origin_node:
        raise _malformed(f"its path starts at {path[0]!r}, not at its origin {origin_node!r}")
    if _product_id_of(report) != product_id:
        raise _malformed(f"the report does not name product {product_id!r} in its external references")
    stated_hash, signature = _text(extension, "content_sha256"), _text(extension, "signature")

    key = origin_keys.get(origin_node)
    if key is None:
        raise EnvelopeRefused(
            RefusalReason.UNKNOWN_ORIGIN, f"its origin {origin_node!r} is not a peer of node {receiver!r}"
        )
    content = content_of(report)
    try:
        body = canonical(content)
    except rfc8785.CanonicalizationError as exc:
        raise _malformed(f"its content cannot be canonicalised: {exc}") from exc
    actual_hash = hashlib.sha256(body).hexdigest()
    if actual_hash != stated_hash:
        raise EnvelopeRefused(
            RefusalReason.HASH_MISMATCH,
            f"its content hashes to {actual_hash}, not the {stated_hash} it states",
        )
    try:
        key.verify(base64.b64decode(signature, validate=True), body)
    except (InvalidSignature, binascii.Error, ValueError) as exc:
        raise EnvelopeRefused(
            RefusalReason.BAD_SIGNATURE, f"its signature does not verify against the key of {origin_node!r}"
        ) from exc

    if receiver in path or len(set(path)) != len(path):
        raise EnvelopeRefused(
            RefusalReason.ALREADY_ON_PATH,
            f"it has already passed node {receiver if receiver in path else _repeated(path)!r} "
            f"(path {' > '.join(path)})",
        )
    if sender is not None and path[-1] != sender:
        raise EnvelopeRefused(
            RefusalReason.SENDER_NOT_ON_PATH,
            f"it came from node {sender!r}, but its path ends at {path[-1]!r}",
        )
    if held_version is not None and version <= held_version:
        raise EnvelopeRefused(
            RefusalReason.NOT_NEWER_VERSION,
            f"version {version} of {origin_node}/{product_id} is not newer than the version "
            f"{held_version} held here",
        )
    return Verified(
        origin_node=origin_node,
        product_id=product_id,
        version=version,
        withdrawn=extension["withdrawn"],
        path=tuple(path),
        content_sha256=actual_hash,
        content=content,
    )


def may_send(report: Mapping[str, Any], peer: str) -> bool:
    """The sender's own loop check: never to a node the product has already passed."""
    return peer not in _extension(report).get("path", [])


def _extension(report: Mapping[str, Any]) -> dict[str, Any]:
    if not isinstance(report, Mapping) or report.get("type") != "report":
        raise _malformed("it is not a STIX report")
    extensions = report.get("extensions")
    extension = extensions.get(EXTENSION_ID) if isinstance(extensions, Mapping) else None
    if not isinstance(extension, dict):
        raise _malformed(f"the report carries no {EXTENSION_ID} extension")
    return extension


def _text(extension: Mapping[str, Any], name: str) -> str:
    value = extension.get(name)
    if not isinstance(value, str) or not value:
        raise _malformed(f"its {name} is missing or not text")
    return value


def _product_id_of(report: Mapping[str, Any]) -> str | None:
    for reference in report.get("external_references") or ():
        if isinstance(reference, Mapping) and reference.get("source_name") == SOURCE_NAME:
            external_id = reference.get("external_id")
            return external_id if isinstance(external_id, str) else None
    return None


def _repeated(path: Sequence[str]) -> str:
    seen: set[str] = set()
    for node in path:
        if node in seen:
            return node
        seen.add(node)
    return ""


def _malformed(message: str) -> EnvelopeRefused:
    return EnvelopeRefused(RefusalReason.MALFORMED_ENVELOPE, message)

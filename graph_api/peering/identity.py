"""This node's identity among its peers: a stable node id, the partner that operates it, and the
Ed25519 key pair that signs everything it sends.

Kept in one directory (`Settings.node_dir`): `node.json` (id and operator, public) and
`signing-key.pem` (the private key, PKCS#8, mode 0600). A node id never changes once made: peers
know the node by it and by its public key.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import re
import shutil
import stat
import tempfile
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

NODE_FILE = "node.json"
KEY_FILE = "signing-key.pem"
# Lower-case letters, digits and inner hyphens, as in a host name: a node id appears in URLs,
# provenance paths and log lines, and must read the same everywhere.
NODE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
PUBLIC_KEY_BYTES = 32


class NodeIdentityError(Exception):
    """The identity cannot be made or read; the message says what to do."""


@dataclass(frozen=True)
class NodeIdentity:
    node_id: str
    # The partner that runs this node (for example `fc-ca` for California's node).
    operator: str
    created_at: str
    signing_key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    @property
    def public_key_text(self) -> str:
        return encode_public_key(self.public_key)


def encode_public_key(key: Ed25519PublicKey) -> str:
    """The key as a peer is given it: its 32 raw bytes in base64."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def decode_public_key(text: str) -> Ed25519PublicKey:
    """A key written by `encode_public_key`; ValueError naming what is wrong otherwise."""
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("a public key is 32 bytes in base64, as `isegraph node show` prints it") from exc
    if len(raw) != PUBLIC_KEY_BYTES:
        raise ValueError(f"an Ed25519 public key is {PUBLIC_KEY_BYTES} bytes, this one is {len(raw)}")
    return Ed25519PublicKey.from_public_bytes(raw)


def check_node_id(node_id: str) -> str:
    if not NODE_ID.fullmatch(node_id):
        raise ValueError(
            f"a node id is 1 to 63 lower-case letters, digits and inner hyphens, not {node_id!r}"
        )
    return node_id


def check_operator(operator: str) -> str:
    if not operator or operator != operator.strip() or len(operator) > 200:
        raise ValueError(f"the operator is a partner id (no surrounding spaces), not {operator!r}")
    return operator


def create_identity(directory: Path, operator: str, node_id: str | None = None) -> NodeIdentity:
    """Make this node's id and key pair in `directory`, which must not hold one already.

    Everything is written in a sibling directory first and renamed into place, so an interrupted
    run leaves either no identity or a whole one.
    """
    check_operator(operator)
    node_id = check_node_id(node_id) if node_id is not None else f"node-{uuid.uuid4().hex[:12]}"
    if (directory / NODE_FILE).exists() or (directory / KEY_FILE).exists():
        raise NodeIdentityError(
            f"{directory} already holds a node identity; a node keeps its id and key for good "
            "(`isegraph node show` prints them)"
        )
    directory.parent.mkdir(parents=True, exist_ok=True)
    if directory.exists() and any(directory.iterdir()):
        raise NodeIdentityError(f"{directory} is not empty; move what it holds away first")
    key = Ed25519PrivateKey.generate()
    identity = NodeIdentity(node_id, operator, datetime.now(UTC).isoformat(timespec="seconds"), key)
    staging = Path(tempfile.mkdtemp(prefix=".node-", dir=directory.parent))
    try:
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        descriptor = os.open(staging / KEY_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
        document = {"nodeId": node_id, "operator": operator, "createdAt": identity.created_at}
        (staging / NODE_FILE).write_text(json.dumps(document, indent=2) + "\n")
        if directory.exists():
            directory.rmdir()
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return identity


def load_identity(directory: Path) -> NodeIdentity:
    node_file, key_file = directory / NODE_FILE, directory / KEY_FILE
    if not node_file.exists() or not key_file.exists():
        raise NodeIdentityError(
            f"this node has no identity yet ({directory}): run `isegraph node init --operator PARTNER_ID`"
        )
    mode = key_file.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        # As ssh does: a signing key others can read is no longer this node's alone.
        raise NodeIdentityError(
            f"{key_file} may be read by others (mode {stat.S_IMODE(mode):04o}); `chmod 600` it "
            "and consider whether the key must be replaced"
        )
    try:
        document = json.loads(node_file.read_text())
        node_id, operator, created_at = document["nodeId"], document["operator"], document["createdAt"]
        check_node_id(node_id)
        check_operator(operator)
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
    except (OSError, ValueError, KeyError, TypeError, UnsupportedAlgorithm) as exc:
        raise NodeIdentityError(f"the node identity in {directory} cannot be read: {exc}") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise NodeIdentityError(f"{key_file} does not hold an Ed25519 private key")
    return NodeIdentity(node_id, operator, created_at, key)

"""The links a message carries: where to read the product, and its signed acknowledgement link."""

from __future__ import annotations

import base64
import hashlib
import hmac
from urllib.parse import quote

from graph_api.identity.tokens import signing_secret
from graph_api.settings import Settings

SIGNATURE_CHARS = 43  # the whole HMAC-SHA256, base64url without padding


class LinkKeyMissing(RuntimeError):
    pass


def ack_key(settings: Settings) -> bytes:
    """ISEGRAPH_ACK_SECRET, else a key derived from the token signing secret (so a development
    machine needs no setting), never the secret itself."""
    if settings.delivery.ack_secret:
        return settings.delivery.ack_secret.encode()
    secret = signing_secret(settings)
    if secret is None:
        raise LinkKeyMissing(
            "No key for acknowledgement links: set ISEGRAPH_ACK_SECRET (or ISEGRAPH_JWT_SECRET)."
        )
    return hmac.new(secret.encode(), b"isegraph acknowledgement links", hashlib.sha256).digest()


def _signature(key: bytes, message_id: str) -> str:
    digest = hmac.new(key, b"ack\x1f" + message_id.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def ack_token(key: bytes, message_id: str) -> str:
    return f"{message_id}.{_signature(key, message_id)}"


def message_of_token(key: bytes, token: str) -> str | None:
    """The message id a token acknowledges; None when it was not signed with this key."""
    message_id, _, signature = token.rpartition(".")
    if not message_id or len(signature) != SIGNATURE_CHARS:
        return None
    return message_id if hmac.compare_digest(signature, _signature(key, message_id)) else None


def ack_url(public_url: str, key: bytes, message_id: str) -> str:
    return f"{public_url}/ack/{ack_token(key, message_id)}"


def report_url(public_url: str, report_id: str) -> str:
    """Where a signed-in user reads a report."""
    return f"{public_url}/console/#/reports/{quote(report_id, safe='')}"


def read_url(public_url: str, product_id: str) -> str:
    """Where a signed-in user reads the product."""
    return f"{public_url}/console/products/{quote(product_id, safe='')}"

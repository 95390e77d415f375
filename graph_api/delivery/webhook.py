"""The HSIN channel: a JSON envelope POSTed to a webhook, signed as Standard Webhooks sign them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx2

from graph_api.delivery.email import SendFailed
from graph_api.delivery.render import Outgoing, hsin_envelope
from graph_api.settings import DeliverySettings

SECRET_PREFIX = "whsec_"  # noqa: S105 - the marker of the format, not a secret
MAX_ERROR_BODY = 200


def secret_key(secret: str) -> bytes:
    """A Standard Webhooks secret is base64, optionally prefixed `whsec_`."""
    text = secret.removeprefix(SECRET_PREFIX)
    try:
        return base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ValueError("ISEGRAPH_HSIN_WEBHOOK_SECRET must be base64 (optionally prefixed whsec_)") from exc


def signature(key: bytes, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


def signed_headers(key: bytes, message_id: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(key, message_id, timestamp, body),
    }


class WebhookSender:
    def __init__(self, settings: DeliverySettings, client: httpx2.AsyncClient) -> None:
        assert settings.hsin_webhook_url and settings.hsin_webhook_secret
        self.url = settings.hsin_webhook_url
        self.key = secret_key(settings.hsin_webhook_secret)
        self.client = client

    async def send(self, message: Outgoing) -> None:
        body = json.dumps(hsin_envelope(message), sort_keys=True).encode()
        try:
            response = await self.client.post(
                self.url, content=body, headers=signed_headers(self.key, message.id, body)
            )
        except httpx2.HTTPError as exc:
            raise SendFailed(f"HSIN webhook {self.url}: {type(exc).__name__}: {exc}") from exc
        if not response.is_success:
            excerpt = response.text[:MAX_ERROR_BODY].strip()
            raise SendFailed(f"HSIN webhook answered HTTP {response.status_code}: {excerpt}")

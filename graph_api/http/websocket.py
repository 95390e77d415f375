"""GraphQL over WebSocket (graphql-transport-ws): the bearer token arrives in the `connection_init`
payload, `{"Authorization": "Bearer <token>"}`, and is checked like the HTTP header.

Close codes: 4401 for a missing, bad or expired token (also when it expires during the
connection), 4403 when a subscription is one the user may not have, 1013 for a subscriber too
slow to keep up. The server pings every `ping_seconds`; a connection holds at most
`per_connection` operations at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Mapping
from typing import Any

from starlette.websockets import WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    Message,
    SubscribeMessage,
)

from graph_api.api.context import Context
from graph_api.api.fanout import RUNNING_OPERATION, encode_next
from graph_api.identity import AuthenticationError, Principal, TokenVerifier

log = logging.getLogger("isegraph.websocket")
UNAUTHORIZED = 4401
TOO_SLOW = 1013
MAX_REASON_BYTES = 123  # a WebSocket close frame's limit


def close_reason(text: str) -> str:
    encoded = text.encode()
    if len(encoded) <= MAX_REASON_BYTES:
        return text
    return encoded[: MAX_REASON_BYTES - 3].decode(errors="ignore") + "..."


class TolerantWebSocket(ASGIWebSocketAdapter):
    """Sends nothing once the socket is closing: an operation may still finish after its
    connection was closed for a reason (an expired token, a refusal)."""

    async def send_json(self, message: Mapping[str, object]) -> None:
        # graphql-transport-ws messages are text frames: clients parse a binary frame as
        # something else, whatever bytes the HTTP side's JSON encoder returns.
        # A subscription event's payload is encoded once for every subscriber of its plan.
        encoded = encode_next(message) or self.view.encode_json(message)
        await self.send_text(encoded.decode("utf-8") if isinstance(encoded, bytes) else encoded)

    async def send_text(self, text: str) -> None:
        if self.ws.application_state != WebSocketState.CONNECTED:
            return
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc
        except RuntimeError:  # the close raced the send: nothing more to say on this socket
            return

    async def close(self, code: int, reason: str) -> None:
        if self.ws.application_state == WebSocketState.DISCONNECTED:
            return
        with contextlib.suppress(RuntimeError):
            await super().close(code=code, reason=close_reason(reason))


class ConnectionControl:
    """What an operation may do to its connection: end it, now or from synchronous code, and
    send finished messages from synchronous code through an outbox that one task drains in
    order (the handler's own messages wait for it, so nothing overtakes what was put there)."""

    def __init__(self, handler: AuthenticatedTransportWS, outbox_limit: int) -> None:
        self._handler = handler
        self._pending: set[asyncio.Task[None]] = set()
        self._outbox: deque[str] = deque()
        self._outbox_limit = outbox_limit
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    def send_soon(self, text: str) -> bool:
        if self._closing:
            return False
        if len(self._outbox) >= self._outbox_limit:
            self._closing = True
            self.close_soon(TOO_SLOW, "Too slow: events piled up. Resubscribe with 'after'.")
            return False
        self._outbox.append(text)
        if self._writer is None:
            self._writer = asyncio.create_task(self._drain())
        return True

    async def _drain(self) -> None:
        try:
            while self._outbox:
                await self._handler.socket.send_text(self._outbox.popleft())
        except (WebSocketDisconnected, RuntimeError):  # gone: nothing more to say on it
            self._closing = True
            self._outbox.clear()
        finally:
            self._writer = None

    async def sent(self) -> None:
        """Returns once everything put on the outbox so far was written."""
        while self._writer is not None:
            await asyncio.shield(self._writer)

    async def close(self, code: int, reason: str) -> None:
        log.info("closing a WebSocket (%d): %s", code, reason)
        self._closing = True
        await self._handler.websocket.close(code, reason)

    def close_soon(self, code: int, reason: str) -> None:
        task = asyncio.create_task(self.close(code, reason))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)


def bearer_token(payload: dict[str, Any]) -> str:
    """The token of `{"Authorization": "Bearer <token>"}` (the key in any case)."""
    value = next((v for k, v in payload.items() if k.lower() == "authorization"), None)
    if not isinstance(value, str):
        raise AuthenticationError(
            'Missing bearer token: send {"Authorization": "Bearer <token>"} in connection_init.'
        )
    scheme, _, token = value.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthenticationError('Send the token as "Bearer <token>".')
    return token.strip()


class AuthenticatedTransportWS(BaseGraphQLTransportWSHandler[Context, None]):
    """strawberry's graphql-transport-ws handler, with the token checked at connection_init,
    pings, a per-connection limit, and the end of the connection when the token expires."""

    verifier: TokenVerifier | None  # None: authentication disabled, every user is an ADMIN
    anonymous: Principal
    leeway_seconds: float
    ping_seconds: float
    per_connection: int
    outbox_limit: int

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._watchers: list[asyncio.Task[None]] = []
        self._control: ConnectionControl | None = None

    @property
    def socket(self) -> TolerantWebSocket:
        assert isinstance(self.websocket, TolerantWebSocket)
        return self.websocket

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        # The operation's task: what its subscription resolves knows which operation it serves.
        RUNNING_OPERATION.set(operation.id)
        await super().run_operation(operation)

    async def send_message(self, message: Message) -> None:
        if self._control is not None:
            await self._control.sent()  # nothing overtakes what an operation put on the outbox
        await super().send_message(message)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = message.get("payload") or {}
        if self.connection_init_received or self.connection_timed_out or not isinstance(payload, dict):
            await super().handle_connection_init(message)
            return
        try:
            principal = await self._authenticate(payload)
        except AuthenticationError as exc:
            self.connection_init_received = True
            if self.connection_init_timeout_task:
                self.connection_init_timeout_task.cancel()
            await self.websocket.close(UNAUTHORIZED, close_reason(f"Unauthorized: {exc.message}"))
            return
        self.context.principal = principal
        self._control = ConnectionControl(self, self.outbox_limit)
        self.context.connection = self._control
        self._watch(self._ping())
        if principal.expires_at is not None:
            self._watch(self._expire(principal.expires_at + self.leeway_seconds))
        await super().handle_connection_init(message)

    async def _authenticate(self, payload: dict[str, Any]) -> Principal:
        if self.verifier is None:
            return self.anonymous
        return await self.verifier.verify(bearer_token(payload))

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if self.connection_acknowledged and len(self.operations) >= self.per_connection:
            await self.send_message(
                {
                    "id": message["id"],
                    "type": "error",
                    "payload": [
                        {
                            "message": f"This connection already runs {self.per_connection} operations, "
                            "its limit: complete one, or open another connection.",
                            "extensions": {"code": "SUBSCRIPTION_LIMIT"},
                        }
                    ],
                }
            )
            return
        await super().handle_subscribe(message)

    def _watch(self, work: Any) -> None:
        self._watchers.append(asyncio.create_task(work))

    async def _ping(self) -> None:
        while True:
            await asyncio.sleep(self.ping_seconds)
            await self.send_message({"type": "ping"})

    async def _expire(self, at: float) -> None:
        await asyncio.sleep(max(0.0, at - time.time()))
        await self.websocket.close(
            UNAUTHORIZED, "Unauthorized: the token expired. Reconnect with a new one and resume with 'after'."
        )

    async def shutdown(self) -> None:
        for task in self._watchers:
            task.cancel()
        for task in self._watchers:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        await super().shutdown()

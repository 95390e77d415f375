"""A small Python client of the graphql-transport-ws protocol, on the `websockets` library: what
a Python consumer of the subscriptions writes."""

from __future__ import annotations

import asyncio
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

PROTOCOL = "graphql-transport-ws"


class Closed(Exception):
    def __init__(self, code: int | None, reason: str) -> None:
        super().__init__(f"closed {code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass
class GraphQLWS:
    socket: ClientConnection
    pings: int = 0
    _ids: itertools.count[int] = field(default_factory=itertools.count)
    _inbox: dict[str, asyncio.Queue[dict[str, Any]]] = field(default_factory=dict)
    _reader: asyncio.Task[None] | None = None
    closed: Closed | None = None

    @classmethod
    async def open(cls, url: str, token: str | None, payload: dict[str, Any] | None = None) -> GraphQLWS:
        """Connect and initialise; raises Closed when the server refuses the connection."""
        socket = await connect(url, subprotocols=[PROTOCOL], open_timeout=10)  # type: ignore[list-item]
        init = payload if payload is not None else ({"Authorization": f"Bearer {token}"} if token else {})
        await socket.send(json.dumps({"type": "connection_init", "payload": init}))
        try:
            answer = json.loads(await asyncio.wait_for(socket.recv(), 10))
        except ConnectionClosed as exc:
            raise Closed(exc.rcvd.code if exc.rcvd else None, exc.rcvd.reason if exc.rcvd else "") from exc
        assert answer["type"] == "connection_ack", answer
        client = cls(socket)
        client._reader = asyncio.create_task(client._read())
        return client

    async def _read(self) -> None:
        try:
            async for raw in self.socket:
                message = json.loads(raw)
                if message["type"] == "ping":
                    self.pings += 1
                    await self.socket.send(json.dumps({"type": "pong"}))
                elif "id" in message:
                    await self._queue(message["id"]).put(message)
        except ConnectionClosed:
            pass
        self.closed = Closed(self.socket.close_code, self.socket.close_reason or "")
        for queue in self._inbox.values():
            await queue.put({"type": "closed"})

    def _queue(self, op_id: str) -> asyncio.Queue[dict[str, Any]]:
        return self._inbox.setdefault(op_id, asyncio.Queue())

    async def subscribe(self, query: str, **variables: Any) -> str:
        op_id = str(next(self._ids))
        self._queue(op_id)
        await self.socket.send(
            json.dumps(
                {"id": op_id, "type": "subscribe", "payload": {"query": query, "variables": variables}}
            )
        )
        return op_id

    async def message(self, op_id: str, timeout: float = 15) -> dict[str, Any]:
        """The next message of an operation: next, error or complete; raises Closed."""
        message = await asyncio.wait_for(self._queue(op_id).get(), timeout)
        if message["type"] == "closed":
            assert self.closed is not None
            raise self.closed
        return message

    async def next(self, op_id: str, timeout: float = 15) -> dict[str, Any]:
        """The data of the operation's next result."""
        message = await self.message(op_id, timeout)
        assert message["type"] == "next", message
        assert "errors" not in message["payload"], message["payload"]
        data: dict[str, Any] = message["payload"]["data"]
        return data

    async def quiet(self, op_id: str, seconds: float) -> bool:
        """True when the operation receives nothing for `seconds`."""
        try:
            await asyncio.wait_for(self._queue(op_id).get(), seconds)
        except TimeoutError:
            return True
        return False

    async def wait_closed(self, timeout: float = 15) -> Closed:
        assert self._reader is not None
        await asyncio.wait_for(asyncio.shield(self._reader), timeout)
        assert self.closed is not None
        return self.closed

    async def close(self) -> None:
        await self.socket.close()
        if self._reader is not None:
            await self._reader

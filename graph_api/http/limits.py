"""Limits applied before a request reaches the application: the body's size, enforced while it
streams in, and its JSON decoded safely."""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.http.error_bodies import graphql_error_response

# The text of one operation; variables (an import document) may be far larger. The token limit
# stops a long operation early, but a megabyte of comment is a single token.
MAX_QUERY_CHARS = 100_000


class _BodyTooLarge(Exception):
    pass


class BodyLimit:
    """Refuses a body over `max_bytes`: at once when Content-Length says so, otherwise as soon as
    the streamed bytes pass the limit (a chunked upload has no length)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_bytes):
            await self._refuse(scope, receive, send)
            return
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _BodyTooLarge
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except _BodyTooLarge:
            if not started:
                await self._refuse(scope, receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"The request body is larger than {self.max_bytes} bytes."
        await graphql_error_response(message, "BODY_TOO_LARGE", 413)(scope, receive, send)


def decode_request_json(data: str | bytes) -> object:
    """A GraphQL request document, or a 400 that says what is wrong with it."""
    try:
        document: Any = json.loads(data)
    except RecursionError as exc:
        raise HTTPException(400, "The request body is nested too deeply to be a GraphQL request.") from exc
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "The request body is not valid UTF-8.") from exc
    except ValueError as exc:
        raise HTTPException(400, f"The request body is not valid JSON: {exc}") from exc
    if not isinstance(document, dict | list):
        raise HTTPException(400, "The request body must be a JSON object with a `query`.")
    for operation in document if isinstance(document, list) else [document]:
        if not isinstance(operation, dict):
            raise HTTPException(400, "Each operation in the request body must be a JSON object.")
        query = operation.get("query")
        if isinstance(query, str) and len(query) > MAX_QUERY_CHARS:
            raise HTTPException(
                413, f"The operation's text is longer than {MAX_QUERY_CHARS} characters; send a shorter one."
            )
    return document

"""Limits applied before a request reaches the application: the body's size, enforced while it
streams in, the size an operation of its kind may have, and its JSON decoded safely."""

from __future__ import annotations

import asyncio
import json
import re
from typing import Any

import ijson
import orjson
from cross_web import HTTPException
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType, parse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.http.error_bodies import graphql_error_response

# The text of one operation; variables (an import document) may be far larger. The token limit
# stops a long operation early, but a megabyte of comment is a single token.
MAX_QUERY_CHARS = 100_000
# How much of a large body is decoded per turn of the event loop (about a millisecond's work).
DECODE_SLICE_BYTES = 64 * 1024
# The only operations whose body may pass the per-operation limit: an import document travels in
# its variables.
LARGE_BODY_FIELDS = frozenset({"importNetwork"})
# A JSON string, or a bracket: enough to follow a body's nesting without decoding its values.
# A string followed by a colon is a member's name.
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"(\s*:)?|[{}\[\]]')


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
    return _checked_request(document)


async def decode_request_json_in_turns(data: bytes) -> object:
    """`decode_request_json` for a body of megabytes (an import): decoded a slice at a time with
    a turn of the event loop between slices. Any one decoder, in a thread or not, holds the
    interpreter lock for the whole body (a second or more for tens of MB), and the loop with it."""
    decoded = ijson.sendable_list()
    decoder = ijson.items_coro(decoded, "", use_float=True)
    try:
        for start in range(0, len(data), DECODE_SLICE_BYTES):
            decoder.send(data[start : start + DECODE_SLICE_BYTES])
            await asyncio.sleep(0)  # a turn of the loop for other requests, not a wait
        decoder.close()
    except UnicodeDecodeError as exc:
        raise HTTPException(400, "The request body is not valid UTF-8.") from exc
    except ijson.JSONError as exc:
        raise HTTPException(400, f"The request body is not valid JSON: {exc}") from exc
    if len(decoded) != 1:
        raise HTTPException(400, "The request body is not valid JSON: it holds more than one value.")
    return _checked_request(decoded[0])


def _checked_request(document: Any) -> object:
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


def top_level_query(body: bytes) -> str | None:
    """The `query` member of a JSON request object when it comes before any member whose value is
    an object or an array (`variables`, `extensions`), found without reading further: the cost
    of finding it does not grow with the body. None otherwise, or when it is not a string."""
    opened = named_query = False
    for token in _JSON_TOKEN.finditer(body):
        text = token.group()
        first = text[:1]
        if first == b"{" and not opened:
            opened = True  # the request object itself
            continue
        if first in b"{[]}" or not opened:
            return None
        if named_query:
            # The value after `"query":`, or the next member's name when the value was not a string.
            return None if token.group(1) else _json_string(text)
        if token.group(1) and text.startswith(b'"query"'):
            named_query = True
    return None


def _json_string(literal: bytes) -> str | None:
    try:
        value = orjson.loads(literal)
    except orjson.JSONDecodeError:
        return None
    return value if isinstance(value, str) else None


def may_be_large(body: bytes) -> bool:
    """Whether the body's operation may pass the per-operation limit: a mutation whose document
    selects only the fields of `LARGE_BODY_FIELDS`. Decided from the operation's text alone, so
    a body that will be refused costs no more than finding that text."""
    query = top_level_query(body)
    if query is None or len(query) > MAX_QUERY_CHARS:
        return False
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return False
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    return bool(operations) and all(
        operation.operation == OperationType.MUTATION
        and all(
            isinstance(selection, FieldNode) and selection.name.value in LARGE_BODY_FIELDS
            for selection in operation.selection_set.selections
        )
        for operation in operations
    )

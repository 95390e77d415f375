"""The GraphQL endpoint, read and answered as the GraphQL-over-HTTP specification says, and
subscriptions over WebSocket (graphql-transport-ws) on the same path.

* POST with a JSON body `{"query", "variables", "operationName", "extensions"}`, or GET with
  the same names as URL parameters (queries only: a mutation over GET is 405).
* The answer is `application/graphql-response+json` when the client accepts it, else
  `application/json` (see `media_types`).
* A request that is not a well-formed GraphQL request (bad JSON, a parameter of the wrong
  type, no document) is 4xx with a GraphQL error body, in either media type.
* With `application/graphql-response+json`, a document that does not parse or validate, or
  variables that do not fit it, is 400 without a `data` entry; once execution began the answer
  is 200 with `data` (null where errors nulled it). With `application/json` every GraphQL
  result is 200, as older clients expect.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import Any

import orjson
from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData, process_result
from strawberry.http.base import BaseRequestProtocol
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.api.extensions.persisted_queries import NOT_FOUND as PERSISTED_QUERY_NOT_FOUND
from graph_api.errors import InvalidInput
from graph_api.http.authentication import UNAUTHENTICATED_ADMIN
from graph_api.http.bookmarks import hand_back_bookmarks, sent_bookmarks
from graph_api.http.limits import decode_request_json, decode_request_json_in_turns, may_be_large
from graph_api.http.media_types import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, response_media_type
from graph_api.http.websocket import AuthenticatedTransportWS, TolerantWebSocket
from graph_api.identity import Principal, Role, TokenVerifier
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.store.tuning import collector_paused

# Status of a `application/graphql-response+json` answer that has no `data`, by error code.
# PersistedQueryNotFound is an expected step of the protocol, not a bad request: Apollo's
# client stops using persisted queries altogether after a 400 or a 500, and retries after 404.
_STATUS_WITHOUT_DATA = {
    PERSISTED_QUERY_NOT_FOUND: 404,
    "INTERNAL_SERVER_ERROR": 500,
    "QUERY_TIMEOUT": 504,
}
# Lists longer than this are encoded a slice at a time (see `encode_in_turns`).
ENCODE_SLICE = 500
# Who a WebSocket is before its connection_init: the protocol runs nothing for it until then.
NOBODY = Principal(subject="unauthenticated", role=Role.PARTNER, partner="")
_OPTIONAL_PARAMETERS = {"variables": "an object", "operationName": "a string", "extensions": "an object"}
_PARAMETER_TYPES: dict[str, type] = {"variables": dict, "operationName": str, "extensions": dict}


class RequestRefused(Exception):
    """An HTTP request that is not a GraphQL request we can run, and why."""

    def __init__(
        self, status: int, message: str, code: str = "BAD_REQUEST", headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.headers = dict(headers or {})


def encode(body: object) -> bytes:
    try:
        return orjson.dumps(body)
    except TypeError:
        # orjson refuses integers beyond 64 bits, which a JSON scalar may carry; json does not.
        return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def _has_long_list(value: object, depth: int = 6) -> bool:
    """Whether an answer holds a list long enough to encode in turns (a whole recipient list, an
    export). Looks at objects' members and at the first item of short lists only: cheap."""
    if isinstance(value, list):
        return len(value) > ENCODE_SLICE or (
            bool(value) and depth > 0 and _has_long_list(value[0], depth - 1)
        )
    if isinstance(value, dict) and depth > 0:
        return any(_has_long_list(member, depth - 1) for member in value.values())
    return False


async def encode_in_turns(body: object) -> bytes:
    """The JSON of a large answer, a slice of its long lists at a time, with a turn of the event
    loop between slices: encoding a national recipient list at once holds the loop for tens of
    milliseconds (orjson holds the interpreter lock, so a thread would hold it as long)."""
    parts: list[bytes] = []
    for _ in _encode_pieces(body, parts):
        await asyncio.sleep(0)
    return b"".join(parts)


def _encode_pieces(value: object, parts: list[bytes]) -> Iterator[None]:
    if isinstance(value, dict) and _has_long_list(value):
        parts.append(b"{")
        for index, (key, member) in enumerate(value.items()):
            parts.append((b"," if index else b"") + encode(str(key)) + b":")
            yield from _encode_pieces(member, parts)
        parts.append(b"}")
    elif isinstance(value, list) and len(value) > ENCODE_SLICE:
        parts.append(b"[")
        for start in range(0, len(value), ENCODE_SLICE):
            items = encode(value[start : start + ENCODE_SLICE])[1:-1]  # without the brackets
            parts.append((b"," if start else b"") + items)
            yield
        parts.append(b"]")
    else:
        parts.append(encode(value))


def content_type_header(media_type: str) -> str:
    return f"{media_type}; charset=utf-8"


def refusal_response(refused: RequestRefused, media_type: str) -> Response:
    body = {"errors": [{"message": refused.message, "extensions": {"code": refused.code}}]}
    return Response(
        encode(body),
        status_code=refused.status,
        headers=refused.headers,
        media_type=content_type_header(media_type),
    )


def is_request_error(result: ExecutionResult) -> bool:
    """Errors raised before execution began (parse, validation, variables) carry no path."""
    errors = result.errors or []
    return result.data is None and bool(errors) and all(e.path is None for e in errors)


def response_status(body: GraphQLHTTPResponse, media_type: str) -> int:
    if media_type != GRAPHQL_RESPONSE_JSON or "data" in body:
        return 200
    codes = [
        error.get("extensions", {}).get("code")
        for error in body.get("errors") or []
        if isinstance(error, dict)
    ]
    return next((_STATUS_WITHOUT_DATA[c] for c in codes if c in _STATUS_WITHOUT_DATA), 400)


def _request_parameters(raw: object) -> GraphQLRequestData:
    if isinstance(raw, list):
        raise RequestRefused(400, "Batched requests are not supported: send one operation per request.")
    if not isinstance(raw, dict):
        raise RequestRefused(400, 'The request must be a JSON object such as {"query": "{ __typename }"}.')
    query = raw.get("query")
    if query is not None and not isinstance(query, str):
        raise RequestRefused(400, "The `query` parameter must be a string holding a GraphQL document.")
    for name, expected in _OPTIONAL_PARAMETERS.items():
        value = raw.get(name)
        if value is not None and not isinstance(value, _PARAMETER_TYPES[name]):
            raise RequestRefused(400, f"The `{name}` parameter must be {expected} or null.")
    if query is None and not raw.get("extensions"):
        raise RequestRefused(400, "No GraphQL document in the request: send it as the `query` parameter.")
    return GraphQLRequestData(
        query=query,
        variables=raw.get("variables"),
        operation_name=raw.get("operationName"),
        extensions=raw.get("extensions"),
    )


def _decoded(text: str | bytes, what: str) -> object:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise RequestRefused(400, f"{what} is not valid JSON: {exc}.") from exc


class GraphQLApp(GraphQL[Context, None]):
    websocket_adapter_class = TolerantWebSocket

    def __init__(self, settings: Settings) -> None:
        events = settings.events
        super().__init__(
            build_schema(
                production=not settings.development,
                document_cache_size=settings.document_cache_size,
                persisted_query_cache_size=settings.persisted_query_cache_size,
                limits=settings.limits,
            ),
            # GraphiQL's page is the service's own offline one, served by the authentication layer.
            graphql_ide=None,
            allow_queries_via_get=True,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
            connection_init_wait_timeout=timedelta(seconds=events.init_timeout_seconds),
            max_subscriptions_per_connection=None,  # counted by the handler, with a clear error
        )
        self.settings = settings

        class Handler(AuthenticatedTransportWS):
            verifier = None if settings.auth_disabled else TokenVerifier(settings)
            anonymous = UNAUTHENTICATED_ADMIN
            leeway_seconds = float(settings.jwt_leeway_seconds)
            ping_seconds = events.ping_seconds
            per_connection = events.per_connection
            # Each operation may fall a whole subscriber's buffer behind, as on the hub's queues.
            outbox_limit = events.per_connection * events.buffer

        self.graphql_transport_ws_handler_class = Handler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        media_type = response_media_type(request.headers.get("accept"))
        try:
            if media_type is None and not self._is_ide_page(request):
                raise RequestRefused(
                    406,
                    f"Cannot answer in any media type the Accept header names; "
                    f"accept {GRAPHQL_RESPONSE_JSON} or {APPLICATION_JSON}.",
                    code="NOT_ACCEPTABLE",
                )
            request.state.media_type = media_type or APPLICATION_JSON
            if self._declares_large_body(request):
                with collector_paused():
                    response = await self.run(request)
            else:
                response = await self.run(request)
            hand_back_bookmarks(response, getattr(request.state, "database", None))
        except RequestRefused as refused:
            response = refusal_response(refused, media_type or APPLICATION_JSON)
        except HTTPException as exc:
            response = refusal_response(
                RequestRefused(exc.status_code, exc.reason), media_type or APPLICATION_JSON
            )
        await response(scope, receive, send)

    def _declares_large_body(self, request: Request) -> bool:
        """A body over the per-operation limit, which only an import may send (see `limits`)."""
        length = request.headers.get("content-length", "")
        return length.isdigit() and int(length) > self.settings.limits.operation_body_bytes

    def _is_ide_page(self, request: Request) -> bool:
        return self.graphql_ide is not None and self.should_render_graphql_ide(
            self.request_adapter_class(request)
        )

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        # A GET that names a persisted query carries no `query` and still asks for data.
        return not request.query_params and super().should_render_graphql_ide(request)

    async def get_context(self, request: Any, response: Any) -> Context:
        db: Database = request.app.state.database
        if isinstance(request, WebSocket):
            return Context(db=db.fresh(), settings=self.settings, principal=NOBODY, hub=request.app.state.hub)
        try:
            bookmarks = sent_bookmarks(request)
        except InvalidInput as exc:
            raise RequestRefused(400, exc.message, code=exc.code) from exc
        # A fresh Database per request keeps round-trip counts and bookmarks per request; the
        # driver is shared.
        scoped = db.fresh(bookmarks)
        request.state.database = scoped
        return Context(
            db=scoped,
            settings=self.settings,
            principal=request.state.principal,
            request_id=request.state.request_id,
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = request.state.media_type
        request.state.sub_response = sub_response
        return sub_response

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method == "GET":
            raw: dict[str, object] = dict(request.query_params)
            for name in ("variables", "extensions"):
                value = raw.get(name)
                if isinstance(value, str) and value:
                    raw[name] = _decoded(value, f"The `{name}` URL parameter")
            return _request_parameters(raw)
        content_type = (request.content_type or "").split(";", 1)[0].strip().lower()
        if content_type != APPLICATION_JSON:
            raise RequestRefused(
                415,
                f"Send the request body as {APPLICATION_JSON}, not {content_type or 'no media type'}.",
                code="UNSUPPORTED_MEDIA_TYPE",
            )
        body = await request.get_body()
        if not body.strip():
            raise RequestRefused(400, "The request body is empty: send a JSON object with a `query`.")
        self._refuse_oversized(body)
        # The hostile-input checks (depth, encoding, operation size) come first, then the shape.
        # An import's large body is decoded in turns, so that the service answers others meanwhile.
        if len(body) > self.settings.limits.operation_body_bytes:
            return _request_parameters(await decode_request_json_in_turns(body))
        return _request_parameters(decode_request_json(body))

    def _refuse_oversized(self, body: bytes) -> None:
        """Only an import may pass the per-operation limit: a larger body is refused from its
        operation's text alone, before its variables are decoded."""
        limit = self.settings.limits.operation_body_bytes
        if len(body) <= limit or may_be_large(body):
            return
        raise RequestRefused(
            413,
            f"The request body is larger than {limit} bytes, the limit of every operation but "
            f"importNetwork (set by ISEGRAPH_MAX_OPERATION_BYTES). An importNetwork mutation may send "
            f"up to {self.settings.max_import_bytes} bytes (ISEGRAPH_MAX_BODY_BYTES) when its `query` "
            "comes before its `variables` in the body.",
            code="BODY_TOO_LARGE",
        )

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        allowed = OperationType.from_http(request_adapter.method)
        if request_adapter.method == "GET":
            allowed = allowed - {OperationType.MUTATION}
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=allowed,
                operation_extensions=request_data.extensions,
            )
        except CannotGetOperationTypeError as exc:
            raise RequestRefused(400, exc.as_http_error_reason()) from exc
        except InvalidOperationTypeError as exc:
            if request_adapter.method == "GET":
                raise RequestRefused(
                    405,
                    "Mutations are sent with POST; GET runs queries only.",
                    code="METHOD_NOT_ALLOWED",
                    headers={"Allow": "POST"},
                ) from exc
            raise RequestRefused(400, exc.as_http_error_reason(request_adapter.method)) from exc
        except MissingQueryError as exc:
            raise RequestRefused(
                400, "No GraphQL document in the request: send it as the `query` parameter."
            ) from exc

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        body = process_result(result)
        if request.state.media_type == GRAPHQL_RESPONSE_JSON and is_request_error(result):
            # The request was not understood, so there is no data to speak of, not even null.
            del body["data"]
        if _has_long_list(body.get("data")):
            # Encoded here, where the loop can be given turns; `create_response` takes the bytes.
            request.state.sub_response.encoded_body = await encode_in_turns(body)
        return body

    def encode_json(self, data: object) -> bytes:
        return encode(data)

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        assert isinstance(response_data, dict)  # batches are refused while parsing
        media_type = sub_response.media_type or APPLICATION_JSON
        encoded = getattr(sub_response, "encoded_body", None)
        response = Response(
            encoded if encoded is not None else self.encode_json(response_data),
            status_code=sub_response.status_code or response_status(response_data, media_type),
            media_type=content_type_header(media_type),
        )
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response

"""Every error the HTTP layer answers is a GraphQL error body with a code, never a bare text or a
stack trace; an unexpected fault is a 500 naming the request id, with the traceback in the log."""

from __future__ import annotations

import json
import logging

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.observability.logs import current_request_id

log = logging.getLogger("isegraph.http")

CODES_BY_STATUS = {
    400: "BAD_REQUEST",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    413: "BODY_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}


def graphql_error_response(message: str, code: str, status: int, **extensions: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code, **extensions}}]}, status_code=status
    )


class GraphQLErrorBodies:
    """Turns plain-text 4xx answers (the GraphQL view's refusals) into GraphQL error bodies, and an
    exception that escaped every handler into a 500 with the request id."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: Message | None = None
        text = b""
        started = False

        async def rewriting_send(message: Message) -> None:
            nonlocal held, text, started
            if message["type"] == "http.response.start":
                started = True
                content_type = Headers(raw=message.get("headers", [])).get("content-type", "")
                if message["status"] >= 400 and content_type.startswith("text/plain"):
                    held = message
                    return
            elif held is not None and message["type"] == "http.response.body":
                text += message.get("body", b"")
                if message.get("more_body", False):
                    return
                await self._send_as_graphql_error(held, text.decode(errors="replace"), send)
                return
            await send(message)

        try:
            await self.app(scope, receive, rewriting_send)
        except Exception:
            request_id = current_request_id.get()
            log.exception("request %s failed with an unexpected error", request_id)
            if started:
                raise
            response = graphql_error_response(
                f"Internal error (request {request_id}); the server log has details.",
                "INTERNAL_SERVER_ERROR",
                500,
                requestId=request_id,
            )
            await response(scope, receive, send)

    @staticmethod
    async def _send_as_graphql_error(start: Message, text: str, send: Send) -> None:
        status = int(start["status"])
        code = CODES_BY_STATUS.get(status, "BAD_REQUEST")
        body = json.dumps({"errors": [{"message": text.strip(), "extensions": {"code": code}}]}).encode()
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in (b"content-type", b"content-length")
        ]
        headers += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

"""HTTP authentication: every GraphQL request carries a bearer token; the health checks and the
console's static pages do not (the console sends the user's token with each GraphQL request)."""

from __future__ import annotations

import logging

from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from graph_api.console import CONSOLE_PREFIX, graphiql_page
from graph_api.identity import AuthenticationError, Principal, Role, TokenVerifier
from graph_api.settings import Settings

log = logging.getLogger("isegraph.app")

# /metrics decides for itself: open to loopback, a token of its own elsewhere.
OPEN_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})
# A message's acknowledgement link carries its own signature instead of a bearer token; the
# peering endpoint takes only NODE tokens, which it checks itself (and no other path accepts).
OPEN_PREFIXES = ("/ack/", "/taxii2/peering/")
UNAUTHENTICATED_ADMIN = Principal(subject="auth-disabled", role=Role.ADMIN, partner=None)


def _unauthorized(message: str) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": message, "extensions": {"code": "UNAUTHENTICATED"}}]},
        status_code=401,
        headers={"WWW-Authenticate": 'Bearer realm="isegraph"'},
    )


def _is_open(path: str) -> bool:
    return path in OPEN_PATHS or path == CONSOLE_PREFIX or path.startswith(CONSOLE_PREFIX + "/")


def _is_ide_page(scope: Scope, headers: Headers) -> bool:
    """GraphiQL's HTML carries no data; the browser then sends the token with each query."""
    return (
        scope["path"] == "/graphql"
        and scope["method"] == "GET"
        and not scope.get("query_string")
        and "text/html" in headers.get("accept", "")
    )


class BearerAuthentication:
    """Decides once per request who is asking, and refuses anyone without a valid token."""

    def __init__(self, app: ASGIApp, verifier: TokenVerifier, ide_enabled: bool) -> None:
        self.app = app
        self.verifier = verifier
        self.ide_enabled = ide_enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or _is_open(path) or path.startswith(OPEN_PREFIXES):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self.ide_enabled and _is_ide_page(scope, headers):
            # The page itself carries no data; GraphiQL then sends the user's token with each query.
            await graphiql_page()(scope, receive, send)
            return
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            await _unauthorized("Missing bearer token: send 'Authorization: Bearer <token>'.")(
                scope, receive, send
            )
            return
        try:
            principal = await self.verifier.verify(token.strip())
        except AuthenticationError as exc:
            await _unauthorized(exc.message)(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)


class AuthenticationDisabled:
    """ISEGRAPH_AUTH_DISABLED: every request is an ADMIN and no token is asked for."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope.setdefault("state", {})["principal"] = UNAUTHENTICATED_ADMIN
        await self.app(scope, receive, send)


def authentication_middleware(settings: Settings) -> Middleware:
    if not settings.auth_disabled:
        return Middleware(
            BearerAuthentication, verifier=TokenVerifier(settings), ide_enabled=settings.development
        )
    if not settings.development:
        raise SystemExit(
            "ISEGRAPH_AUTH_DISABLED=true is refused with ISEGRAPH_ENV=production: "
            "a production service always checks bearer tokens."
        )
    log.warning(
        "AUTHENTICATION IS DISABLED (ISEGRAPH_AUTH_DISABLED=true): every request is treated as ADMIN "
        "without a token. Use this for benchmarks and local experiments only."
    )
    return Middleware(AuthenticationDisabled)

"""The ASGI application: GraphQL, GraphiQL in development, the console, and health endpoints."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send
from strawberry.asgi import GraphQL

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.console import console_routes
from graph_api.http.authentication import AuthenticationDisabled, BearerAuthentication
from graph_api.identity import TokenVerifier
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, DatabaseNotConfigured, open_driver
from graph_api.store.tuning import tune_garbage_collector

log = logging.getLogger("isegraph.app")


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(production=not settings.development),
            # GraphiQL's page is the service's own (offline) one, served by the authentication layer.
            graphql_ide=None,
            allow_queries_via_get=True,
        )
        self.settings = settings

    async def get_context(self, request: Any, response: Any) -> Context:
        db: Database = request.app.state.database
        # A fresh Database per request keeps round-trip counts per request; the driver is shared.
        scoped = Database(db.driver, db.name, db.timeout_seconds)
        request.state.database = scoped
        return Context(db=scoped, settings=self.settings, principal=request.state.principal)


class BodyLimit:
    """Refuses request bodies over the configured size before anyone reads them."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            length = dict(scope["headers"]).get(b"content-length")
            if length is not None and int(length) > self.max_bytes:
                response = JSONResponse(
                    {
                        "errors": [
                            {
                                "message": f"The request body is larger than {self.max_bytes} bytes.",
                                "extensions": {"code": "BODY_TOO_LARGE"},
                            }
                        ]
                    },
                    status_code=413,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    db: Database = request.app.state.database
    try:
        await db.ping()
    except Exception as exc:  # any failure means "not ready"; the reason is what matters
        reason = f"Neo4j does not answer: {type(exc).__name__}: {exc}".strip()
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready"})


def _authentication(settings: Settings) -> Middleware:
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


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    tune_garbage_collector()
    authentication = _authentication(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            driver = open_driver(settings)
        except DatabaseNotConfigured as exc:
            raise SystemExit(str(exc)) from exc
        app.state.database = Database(driver, settings.neo4j_database, settings.query_timeout_seconds)
        try:
            applied = await app.state.database.migrate()
            if applied:
                log.info("schema migrations applied: %s", ", ".join(applied))
        except Exception as exc:  # the service still starts; /readyz reports the database
            log.warning("could not apply migrations at start-up: %s", exc)
        try:
            yield
        finally:
            await driver.close()

    graphql = GraphQLApp(settings)
    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *console_routes(settings),
        ],
        middleware=[
            Middleware(BodyLimit, max_bytes=settings.max_import_bytes),
            authentication,
        ],
        lifespan=lifespan,
    )


__all__ = ["create_app"]

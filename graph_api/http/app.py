"""The ASGI application: GraphQL (with GraphiQL in development), the console, recipient
downloads, TAXII, health, and the middleware."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from functools import partial

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route, WebSocketRoute

from graph_api import audience
from graph_api.console import console_routes
from graph_api.events.hub import Hub, prune_periodically
from graph_api.http import downloads
from graph_api.http.acknowledgement import acknowledgement_route
from graph_api.http.authentication import authentication_middleware
from graph_api.http.error_bodies import GraphQLErrorBodies
from graph_api.http.graphql import GraphQLApp
from graph_api.http.health import HEALTH_ROUTES
from graph_api.http.limits import BodyLimit
from graph_api.http.metrics import metrics_route
from graph_api.http.request_ids import RequestIds
from graph_api.observability.logs import configure_logging
from graph_api.rules import access
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, DatabaseNotConfigured, open_driver
from graph_api.store.tuning import tune_for_service
from graph_api.taxii.peering import build_peering_routes
from graph_api.taxii.routes import build_routes as taxii_routes

log = logging.getLogger("isegraph.app")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    if not logging.getLogger().handlers:
        # A worker process of `serve --workers` starts with Python's default logging: give it the
        # service's log (the parent configured its own before uvicorn spawned it).
        configure_logging(settings.log_format)
    authentication = authentication_middleware(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            driver = open_driver(settings)
        except DatabaseNotConfigured as exc:
            raise SystemExit(str(exc)) from exc
        db = Database.for_settings(driver, settings)
        app.state.database = db
        app.state.hub = Hub(db, settings.events, partial(access.visible_among, db))
        try:
            applied = await app.state.database.migrate()
            if applied:
                log.info("schema migrations applied: %s", ", ".join(applied))
        except Exception as exc:  # the service still starts; /readyz reports the database
            log.warning("could not apply migrations at start-up: %s", exc)
        if db.recipient_index:
            await audience.warm(db)
        pruner = asyncio.create_task(prune_periodically(db, settings.events), name="isegraph-event-pruner")
        try:
            yield
        finally:
            pruner.cancel()
            await app.state.hub.stop()
            await driver.close()

    graphql = GraphQLApp(settings)
    app = Starlette(
        routes=[
            *HEALTH_ROUTES,
            metrics_route(settings),
            Route("/graphql", graphql, methods=["GET", "POST"]),
            *downloads.ROUTES,
            WebSocketRoute("/graphql", graphql),
            acknowledgement_route(settings),
            *build_peering_routes(settings),
            taxii_routes(settings),
            *console_routes(settings),
        ],
        middleware=[
            Middleware(RequestIds),
            Middleware(GraphQLErrorBodies),
            Middleware(BodyLimit, max_bytes=settings.max_import_bytes),
            authentication,
        ],
        lifespan=lifespan,
    )
    # After the schema and the routes are built: they live as long as the process.
    tune_for_service()
    return app


__all__ = ["create_app"]

"""The ASGI application: GraphQL (with GraphiQL in development), the console, health, and the middleware."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from graph_api.console import console_routes
from graph_api.http.authentication import authentication_middleware
from graph_api.http.graphql import GraphQLApp
from graph_api.http.health import HEALTH_ROUTES
from graph_api.http.limits import BodyLimit
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, DatabaseNotConfigured, open_driver
from graph_api.store.tuning import tune_garbage_collector

log = logging.getLogger("isegraph.app")


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or load_settings()
    tune_garbage_collector()
    authentication = authentication_middleware(settings)

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
            *HEALTH_ROUTES,
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

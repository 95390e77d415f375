"""The GraphQL endpoint: strawberry's ASGI app with our schema and a context per request."""

from __future__ import annotations

from typing import Any

from strawberry.asgi import GraphQL

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.settings import Settings
from graph_api.store.database import Database


class GraphQLApp(GraphQL[Context, None]):
    def __init__(self, settings: Settings) -> None:
        super().__init__(
            build_schema(production=not settings.development),
            # GraphiQL's page is the service's own offline one, served by the authentication layer.
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

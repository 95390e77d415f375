"""The GraphQL endpoint: strawberry's ASGI app with our schema and a context per request, and
subscriptions over WebSocket (graphql-transport-ws) on the same path."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.http.authentication import UNAUTHENTICATED_ADMIN
from graph_api.http.websocket import AuthenticatedTransportWS, TolerantWebSocket
from graph_api.identity import Principal, Role, TokenVerifier
from graph_api.settings import Settings
from graph_api.store.database import Database

# Who a WebSocket is before its connection_init: the protocol runs nothing for it until then.
NOBODY = Principal(subject="unauthenticated", role=Role.PARTNER, partner="")


class GraphQLApp(GraphQL[Context, None]):
    websocket_adapter_class = TolerantWebSocket

    def __init__(self, settings: Settings) -> None:
        events = settings.events
        super().__init__(
            build_schema(production=not settings.development),
            graphql_ide="graphiql" if settings.development else None,
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

        self.graphql_transport_ws_handler_class = Handler

    async def get_context(self, request: Any, response: Any) -> Context:
        db: Database = request.app.state.database
        # A fresh Database per request keeps round-trip counts per request; the driver is shared.
        scoped = Database(db.driver, db.name, db.timeout_seconds)
        if isinstance(request, WebSocket):
            return Context(db=scoped, settings=self.settings, principal=NOBODY, hub=request.app.state.hub)
        request.state.database = scoped
        return Context(db=scoped, settings=self.settings, principal=request.state.principal)

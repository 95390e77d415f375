"""The GraphQL schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.federation.schema import FederationAny
from strawberry.federation.schema_directives import Key
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from graph_api.api.admin import EditMutations
from graph_api.api.delivery import DeliveryMutation, DeliveryQuery
from graph_api.api.extensions.coded_errors import CodedErrors, log_errors
from graph_api.api.extensions.compiled_reads import CompiledReads
from graph_api.api.extensions.document_cache import DocumentCache
from graph_api.api.extensions.limits import AliasLimit, DepthLimit, RequestBounds, TokenLimit
from graph_api.api.extensions.operation_metrics import OperationMetrics
from graph_api.api.extensions.persisted_queries import PersistedQueryStore
from graph_api.api.extensions.round_trips import RoundTripCount
from graph_api.api.fanout import ResolvedEventExecutor, SharedEventExecutor
from graph_api.api.mutation import Mutation
from graph_api.api.open_source import OpenSourceMutation, OpenSourceQuery
from graph_api.api.peering import PeeringMutation, PeeringQuery
from graph_api.api.projected import Projected, ProjectedExecutionContext, projected
from graph_api.api.query import Query
from graph_api.api.reports import ReportMutation, ReportQuery
from graph_api.api.subscription import Subscription
from graph_api.compiler.references import Reference, representation
from graph_api.settings import RequestLimits

DOCUMENT_CACHE_SIZE = 1000
PERSISTED_QUERY_CACHE_SIZE = 10_000


class Schema(strawberry.federation.Schema):
    def __init__(self, *args: Any, compiled: bool = True, **kwargs: Any) -> None:
        """`compiled`: records are read by the compiler, resolvers handing it references (a
        mutation's payload, `_entities`); False keeps every read on the resolvers."""
        kwargs.setdefault("execution_context_class", ProjectedExecutionContext)
        super().__init__(*args, **kwargs)
        self.compiled = compiled

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # strawberry's default logs every error, a user's typo included, at ERROR with a traceback.
        log_errors(errors, execution_context.context if execution_context else None)

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        refs = [representation(i, value, self._entity_names()) for i, value in enumerate(representations)]
        if self.compiled:
            # graphql-core awaits what a resolver returns.
            return cast(list[FederationAny], self._projected_entities(info, refs))
        return super().entities_resolver(info, representations)

    async def _projected_entities(self, info: Info, refs: list[Reference]) -> Projected:
        """Every representation in one round trip, under the access rules of the root reads."""
        return Projected(await projected(info, refs))

    def _entity_names(self) -> set[str]:
        return {
            name
            for name, type_ in self.schema_converter.type_map.items()
            if any(isinstance(d, Key) for d in getattr(type_.definition, "directives", None) or ())
        }


def build_schema(
    *,
    production: bool = False,
    document_cache_size: int = DOCUMENT_CACHE_SIZE,
    persisted_query_cache_size: int = PERSISTED_QUERY_CACHE_SIZE,
    compiled: bool = True,
    limits: RequestLimits | None = None,
) -> Schema:
    """`compiled=False` answers every operation on the resolvers (the reference the compiled
    path is tested against)."""
    # The caches live as long as the schema; strawberry makes fresh extensions per request.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        # First: a persisted-query refusal ends the request before any other extension begins.
        PersistedQueryStore(persisted_query_cache_size).extension,
        CodedErrors,
        DepthLimit,
        AliasLimit,
        TokenLimit,
        RoundTripCount,
        OperationMetrics,
        DocumentCache(document_cache_size).extension,
        # Before the compiled reads: a request over a bound is refused before anything is sent.
        RequestBounds(limits or RequestLimits()).extension,
    ]
    if compiled:
        extensions.append(CompiledReads)
    if production:
        extensions.append(DisableIntrospection)
    # Also an Apollo Federation v2 subgraph: partners, councils, sectors, regions and products are
    # entities keyed by id (see README, "Federation").
    return Schema(
        query=merge_types("Query", (Query, DeliveryQuery, ReportQuery, OpenSourceQuery, PeeringQuery)),
        mutation=merge_types(
            "Mutation",
            (Mutation, DeliveryMutation, ReportMutation, OpenSourceMutation, PeeringMutation, EditMutations),
        ),
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
        compiled=compiled,
        # Each subscription event's payload is executed once per plan (see `fanout`).
        execution_context_class=SharedEventExecutor if compiled else ResolvedEventExecutor,
    )


schema = build_schema()

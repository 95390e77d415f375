"""The GraphQL schema."""

from __future__ import annotations

from collections.abc import Callable

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
from graph_api.api.query import Query
from graph_api.api.reports import ReportMutation, ReportQuery
from graph_api.api.subscription import Subscription
from graph_api.errors import InvalidInput
from graph_api.settings import RequestLimits

DOCUMENT_CACHE_SIZE = 1000
PERSISTED_QUERY_CACHE_SIZE = 10_000


class Schema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # strawberry's default logs every error, a user's typo included, at ERROR with a traceback.
        log_errors(errors, execution_context.context if execution_context else None)

    def entities_resolver(self, info: Info, representations: list[FederationAny]) -> list[FederationAny]:
        # strawberry takes each representation for an object naming a known entity; a gateway's
        # always is, anyone else's may not be, and that is the caller's mistake, not a fault.
        for index, representation in enumerate(representations):
            # Every entity here is keyed by `id` alone, so that is all a representation may carry.
            valid = (
                isinstance(representation, dict)
                and set(representation) == {"__typename", "id"}
                and representation["__typename"] in self._entity_names()
                and isinstance(representation["id"], str)
            )
            if not valid:
                raise InvalidInput(
                    f"representations[{index}] must be an object of a string `id` and a __typename, one of "
                    f"{', '.join(sorted(self._entity_names()))}."
                )
        return super().entities_resolver(info, representations)

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
        query=merge_types("Query", (Query, DeliveryQuery, ReportQuery, OpenSourceQuery)),
        mutation=merge_types(
            "Mutation", (Mutation, DeliveryMutation, ReportMutation, OpenSourceMutation, EditMutations)
        ),
        subscription=Subscription,
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
        # Each subscription event's payload is executed once per plan (see `fanout`).
        execution_context_class=SharedEventExecutor if compiled else ResolvedEventExecutor,
    )


schema = build_schema()

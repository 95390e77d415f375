"""The GraphQL schema."""

from __future__ import annotations

from collections.abc import Callable

import strawberry
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graph_api.api.admin import EditMutations
from graph_api.api.extensions.coded_errors import CodedErrors
from graph_api.api.extensions.document_cache import DocumentCache
from graph_api.api.extensions.limits import AliasLimit, DepthLimit, TokenLimit
from graph_api.api.extensions.persisted_queries import PersistedQueryStore
from graph_api.api.extensions.round_trips import RoundTripCount
from graph_api.api.mutation import Mutation
from graph_api.api.query import Query

DOCUMENT_CACHE_SIZE = 1000
PERSISTED_QUERY_CACHE_SIZE = 10_000


def build_schema(
    *,
    production: bool = False,
    document_cache_size: int = DOCUMENT_CACHE_SIZE,
    persisted_query_cache_size: int = PERSISTED_QUERY_CACHE_SIZE,
) -> strawberry.federation.Schema:
    # The caches live as long as the schema; strawberry makes fresh extensions per request.
    extensions: list[type[SchemaExtension] | Callable[[], SchemaExtension]] = [
        # First: a persisted-query refusal ends the request before any other extension begins.
        PersistedQueryStore(persisted_query_cache_size).extension,
        CodedErrors,
        DepthLimit,
        AliasLimit,
        TokenLimit,
        RoundTripCount,
        DocumentCache(document_cache_size).extension,
    ]
    if production:
        extensions.append(DisableIntrospection)
    # Also an Apollo Federation v2 subgraph: partners, councils, sectors, regions and products are
    # entities keyed by id (see README, "Federation").
    return strawberry.federation.Schema(
        query=Query,
        mutation=merge_types("Mutation", (Mutation, EditMutations)),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


schema = build_schema()

"""The GraphQL schema."""

from __future__ import annotations

import strawberry
from strawberry.extensions import (
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graph_api.api.admin import EditMutations
from graph_api.api.delivery import DeliveryMutation, DeliveryQuery
from graph_api.api.errors import CodedErrors
from graph_api.api.mutation import Mutation
from graph_api.api.query import Query
from graph_api.api.round_trips import RoundTripCount

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000


# Classes, not instances: strawberry makes a fresh one per request, so no state leaks between them.
class DepthLimit(QueryDepthLimiter):
    def __init__(self) -> None:
        super().__init__(max_depth=MAX_DEPTH)


class AliasLimit(MaxAliasesLimiter):
    def __init__(self) -> None:
        super().__init__(max_alias_count=MAX_ALIASES)


class TokenLimit(MaxTokensLimiter):
    def __init__(self) -> None:
        super().__init__(max_token_count=MAX_TOKENS)


def build_schema(*, production: bool = False) -> strawberry.federation.Schema:
    extensions: list[type[SchemaExtension]] = [
        CodedErrors,
        DepthLimit,
        AliasLimit,
        TokenLimit,
        RoundTripCount,
    ]
    if production:
        extensions.append(DisableIntrospection)
    # Also an Apollo Federation v2 subgraph: partners, councils, sectors, regions and products are
    # entities keyed by id (see README, "Federation").
    return strawberry.federation.Schema(
        query=merge_types("Query", (Query, DeliveryQuery)),
        mutation=merge_types("Mutation", (Mutation, DeliveryMutation, EditMutations)),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


schema = build_schema()

"""The GraphQL schema."""

from __future__ import annotations

import strawberry
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from graph_api.api.admin import EditMutations
from graph_api.api.extensions.coded_errors import CodedErrors
from graph_api.api.extensions.limits import AliasLimit, DepthLimit, TokenLimit
from graph_api.api.extensions.round_trips import RoundTripCount
from graph_api.api.mutation import Mutation
from graph_api.api.query import Query


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
        query=Query,
        mutation=merge_types("Mutation", (Mutation, EditMutations)),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


schema = build_schema()

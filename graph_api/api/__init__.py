"""The GraphQL schema."""

from __future__ import annotations

import strawberry
from graphql import GraphQLError
from strawberry.extensions import DisableIntrospection, SchemaExtension
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext

from graph_api.api.admin import EditMutations
from graph_api.api.extensions.coded_errors import CodedErrors, log_errors
from graph_api.api.extensions.limits import AliasLimit, DepthLimit, TokenLimit
from graph_api.api.extensions.operation_metrics import OperationMetrics
from graph_api.api.extensions.round_trips import RoundTripCount
from graph_api.api.mutation import Mutation
from graph_api.api.query import Query


class Schema(strawberry.federation.Schema):
    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # strawberry's default logs every error, a user's typo included, at ERROR with a traceback.
        log_errors(errors, execution_context.context if execution_context else None)


def build_schema(*, production: bool = False) -> Schema:
    extensions: list[type[SchemaExtension]] = [
        CodedErrors,
        DepthLimit,
        AliasLimit,
        TokenLimit,
        RoundTripCount,
        OperationMetrics,
    ]
    if production:
        extensions.append(DisableIntrospection)
    # Also an Apollo Federation v2 subgraph: partners, councils, sectors, regions and products are
    # entities keyed by id (see README, "Federation").
    return Schema(
        query=Query,
        mutation=merge_types("Mutation", (Mutation, EditMutations)),
        extensions=extensions,
        config=StrawberryConfig(disable_field_suggestions=production),
    )


schema = build_schema()

"""Records a resolver hands to the compiler: a write's payload, federation's `_entities`.

A resolver that has settled which records it answers (the record a mutation wrote, the entities a
gateway asks for) names them by reference; the compiler reads them for the field's selection in
one statement (`compiler/references.py`), and the finished JSON goes into the answer as it is:
graphql-core completes nothing under it, so no field resolver below it runs or reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graphql import GraphQLOutputType
from graphql.execution.values import VariableValues
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph_api.api.types import Info
from graph_api.compiler.plan import Planner
from graph_api.compiler.references import Reference
from graph_api.compiler.translate import project


@dataclass(frozen=True)
class Projected:
    """A field's value as the compiler finished it: the answer's JSON for the field."""

    value: Any


class ProjectedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    """graphql-core's execution, taking a `Projected` value as already complete."""

    def complete_value(
        self,
        return_type: GraphQLOutputType,
        field_details_list: Any,
        info: Any,
        path: Any,
        result: Any,
        position_context: Any,
    ) -> Any:
        if isinstance(result, Projected) and result.value is not None:
            return result.value
        if isinstance(result, Projected):
            result = None  # null is completed as graphql-core does, a non-null field's error included
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)


def compiled(info: Info) -> bool:
    """Whether this schema answers reads with the compiler (the reference schema does not)."""
    return bool(getattr(info.schema, "compiled", False))


async def projected(info: Info, refs: list[Reference]) -> list[Any]:
    """The records `refs` name, each with this field's selection, in one round trip."""
    raw = info._raw_info
    # Resolvers see the coerced values only; the planner reads them from graphql-core's container.
    given: Any = raw.variable_values
    variables = given if isinstance(given, VariableValues) else VariableValues({}, given)
    planner = Planner(raw.schema, None, variables, raw.fragments)
    selection_sets = [node.selection_set for node in raw.field_nodes if node.selection_set is not None]
    selections = planner.selections(raw.return_type, selection_sets)
    ctx = info.context
    return await project(ctx.db, ctx.principal, variables, selections, refs)


async def projected_one(info: Info, ref: Reference) -> Projected:
    """One record for this field (null: gone, or hidden from this user)."""
    return Projected((await projected(info, [ref]))[0])

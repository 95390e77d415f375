"""What a resolver hands to the compiler: a write's payload, federation's `_entities`, a domain
operation's computed answer.

A resolver that has settled which records it answers (the record a mutation wrote, the entities a
gateway asks for) names them by reference; the compiler reads them for the field's selection in
one statement (`compiler/references.py`). A domain operation's answer is shaped for the field's
selection, the records it names read the same way (`shaping.py`). The finished JSON goes into
the answer as it is: graphql-core completes nothing under it, so no field resolver below it runs
or reads.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from graphql import GraphQLOutputType
from graphql.execution.values import VariableValues
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from graph_api.api.shaping import Fallback, Shaper, shaped
from graph_api.api.types import Info
from graph_api.compiler.plan import Field, NotCompilable, Planner
from graph_api.compiler.references import Reference
from graph_api.compiler.translate import project
from graph_api.errors import ServiceError

T = TypeVar("T")


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


def _planned(info: Info) -> tuple[Field, VariableValues]:
    """This field as the compiler plans it: its selection per object type, fragments merged."""
    raw = info._raw_info
    # Resolvers see the coerced values only; the planner reads them from graphql-core's container.
    given: Any = raw.variable_values
    variables = given if isinstance(given, VariableValues) else VariableValues({}, given)
    planner = Planner(raw.schema, None, variables, raw.fragments)
    selection_sets = [node.selection_set for node in raw.field_nodes if node.selection_set is not None]
    node = raw.field_nodes[0]
    definition = raw.parent_type.fields[raw.field_name]
    field = Field(raw.path.key, raw.field_name, node, definition)  # type: ignore[arg-type]
    field.children = planner.selections(raw.return_type, selection_sets)
    return field, variables


async def projected(info: Info, refs: list[Reference]) -> list[Any]:
    """The records `refs` name, each with this field's selection, in one round trip."""
    field, variables = _planned(info)
    ctx = info.context
    wanted = [(r, field.of(r.type_name)) for r in refs]
    return await project(ctx.db, ctx.principal, variables, wanted)


async def visible(info: Info, ref: Reference) -> bool:
    """Whether the record exists and this user may see it, as the root reads decide."""
    ctx = info.context
    variables = VariableValues({}, {})
    return (await project(ctx.db, ctx.principal, variables, [(ref, {})]))[0] is not None


async def answer(info: Info, value: T, resolved: Callable[[], Awaitable[T]] | None = None) -> T:
    """A domain operation's computed answer for this field's selection, the records it names read
    by the compiler in one round trip; for the resolvers to complete, where the selection asks for
    what only they answer, the value itself, or `resolved()` when the value names its records by
    `Reference` (what the resolvers would have loaded). Typed as the value: graphql-core takes a
    `Projected` as the field's finished value (`ProjectedExecutionContext`)."""
    if not compiled(info):
        return value if resolved is None else await resolved()
    field, variables = _planned(info)
    shaper = Shaper()
    ctx = info.context
    try:
        done = shaper.value(field.definition.type, value, field)
        return cast(T, Projected(await shaped(ctx.db, ctx.principal, variables, shaper, done)))
    except (NotCompilable, Fallback, ServiceError):
        return value if resolved is None else await resolved()


async def exists(info: Info, ref: Reference, collection: str) -> bool:
    """Whether this user may see the record: asked of the compiler, or of the loaders on the
    reference schema."""
    if compiled(info):
        return await visible(info, ref)
    found = await info.context.loaders.record(collection).load(str(ref.key[0]))
    return found is not None


async def projected_one(info: Info, ref: Reference) -> Projected:
    """One record for this field (null: gone, or hidden from this user)."""
    return Projected((await projected(info, [ref]))[0])

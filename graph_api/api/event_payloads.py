"""A subscription event's payload through the compiler: one Cypher statement per event and plan.

The event's own fields (its sequence, kind, ids, a delivery's channels) are the values the
subscription yielded, serialized by their GraphQL types as graphql-core would. The records it
names (the product, the partner) are read as `Query.product(id:)` / `Query.partner(id:)` read
them, with the same selection and the user's access rules, all in one statement
(`compiler.translate_references`). A selection with anything else (a delivery's messages) is
not compilable and is executed on the resolvers instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    get_named_type,
    is_leaf_type,
)
from graphql.execution.values import VariableValues

from graph_api.compiler import RecordRead, run, translate_references
from graph_api.compiler.plan import Field, NotCompilable, Plan
from graph_api.identity import Principal
from graph_api.store.database import Database

# (event type, field) → the entity it names and how to find its id on the yielded object.
RECORDS: dict[tuple[str, str], tuple[str, Callable[[Any], str | None]]] = {
    ("ProductPublication", "product"): ("InformationProduct", lambda event: event._product),
    ("WatchEvent", "product"): ("InformationProduct", lambda event: event.product_id),
    ("WatchEvent", "partner"): ("Partner", lambda event: event.partner_id),
    ("Delivery", "product"): ("InformationProduct", lambda delivery: delivery._product),
    ("Delivery", "partner"): ("Partner", lambda delivery: delivery._partner),
}


@dataclass(frozen=True)
class _Slot:
    """Where a record read by the statement goes: its key in the answer."""

    key: str
    non_null: bool


class _Fallback(Exception):
    """The compiled answer cannot stand for the resolvers' (an error, a null where none may be)."""


def _serialize(gtype: GraphQLOutputType, value: Any) -> Any:
    if isinstance(gtype, GraphQLNonNull):
        if value is None:
            raise _Fallback("null in a non-null field")
        return _serialize(gtype.of_type, value)
    if value is None:
        return None
    if isinstance(gtype, GraphQLList):
        return [_serialize(gtype.of_type, item) for item in value]
    return gtype.serialize(value)  # type: ignore[union-attr]


def _python_name(field: Field) -> str:
    definition = field.definition.extensions.get("strawberry-definition")
    if definition is None or definition.base_resolver is not None:
        raise NotCompilable(f"{field.name} has a resolver")
    return str(definition.python_name)


class _Shaper:
    def __init__(self) -> None:
        self.references: list[RecordRead] = []

    def object(self, type_name: str, value: Any, fields: dict[str, Field]) -> dict[str, Any]:
        shaped: dict[str, Any] = {}
        for f in fields.values():
            if f.name == "__typename":
                shaped[f.response] = type_name
            elif (type_name, f.name) in RECORDS:
                entity, id_of = RECORDS[(type_name, f.name)]
                record_id = id_of(value)
                non_null = isinstance(f.definition.type, GraphQLNonNull)
                if record_id is None:
                    if non_null:
                        raise _Fallback(f"{type_name}.{f.name} names no record")
                    shaped[f.response] = None
                    continue
                key = f"r{len(self.references)}"
                self.references.append(RecordRead(key, entity, str(record_id), f))
                shaped[f.response] = _Slot(key, non_null)
            else:
                named = get_named_type(f.definition.type)
                inner = getattr(value, _python_name(f))
                if is_leaf_type(named):
                    shaped[f.response] = _serialize(f.definition.type, inner)
                elif isinstance(named, GraphQLObjectType) and not isinstance(f.definition.type, GraphQLList):
                    if inner is None:
                        shaped[f.response] = _serialize(f.definition.type, None)
                    else:
                        shaped[f.response] = self.object(named.name, inner, f.of(named.name))
                else:
                    raise NotCompilable(f"{type_name}.{f.name}")
        return shaped


def _fill(value: Any, found: dict[str, Any]) -> Any:
    if isinstance(value, _Slot):
        record = found[value.key]
        if record is None and value.non_null:
            raise _Fallback("a record the event names is not there")
        return record
    if isinstance(value, dict):
        return {k: _fill(v, found) for k, v in value.items()}
    return value


async def compiled_payload(
    db: Database, plan: Plan, principal: Principal, variables: VariableValues, event: Any
) -> dict[str, Any] | None:
    """The event's `data` for this plan in one round trip (none when it names no record); None
    when only the resolvers can answer it exactly."""
    (root,) = plan.roots.values()
    shaper = _Shaper()
    try:
        shaped = shaper.object(get_named_type(root.definition.type).name, event, root.of(root.type_name))
        if not shaper.references:
            return {root.response: shaped}
        answer = await run(db, translate_references(shaper.references, principal, variables))
        if answer.errors or answer.data is None:
            return None
        return {root.response: _fill(shaped, answer.data)}
    except (NotCompilable, _Fallback):
        return None

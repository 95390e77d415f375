"""A computed answer shaped for its selection, the records it names read by the compiler.

A domain operation (`deliveries`, `inbox`, `canShare`, `connection`, a recipient list in a
payload, …) and a subscription event compute their answer in Python: values of the schema's
answer types. `Shaper` walks the planned selection over that value once: the values it computed
(a share decision's reason, a delivery's channels, a page's cursors) are serialized by their
GraphQL types as graphql-core would; the records it names (a delivery's product and partner, a
recipient's partner) become references, read by the compiler for their selections in one
statement (`compiler.project`); graphql-core completes nothing of it, so no field resolver reads.

An answer may also hold a `Reference` where a record goes (a page of reports, the Daily
Report's products): the operation settled which records, the compiler reads them; one this user
may not see (or gone) is left out of a list, as the loaders leave it out.

What it does not know (a resolver that reads, a union, a list of records with arguments) raises
`NotCompilable` before anything is read, and the answer is completed on the resolvers instead;
so is one whose record has gone where the schema says it cannot be null (`Fallback`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
)
from graphql.execution.values import VariableValues

from graph_api.compiler import project
from graph_api.compiler.plan import Field, NotCompilable
from graph_api.compiler.references import Reference, Wanted, referable
from graph_api.identity import Principal
from graph_api.store.database import Database


def _private(name: str) -> Callable[[Any], str | None]:
    return lambda value: getattr(value, name)


def _listed_id(value: Any) -> str | None:
    return str(value._partner["id"])


# (answer type, field) → how to find the id of the record the field names on the computed value.
# The record's type is the field's.
REFERENCES: dict[tuple[str, str], Callable[[Any], str | None]] = {
    ("ProductPublication", "product"): _private("_product"),
    ("WatchEvent", "product"): _private("product_id"),
    ("WatchEvent", "partner"): _private("partner_id"),
    ("Delivery", "product"): _private("_product"),
    ("Delivery", "partner"): _private("_partner"),
    ("Acknowledgement", "product"): _private("_product"),
    ("Acknowledgement", "partner"): _private("_partner"),
    ("Message", "product"): _private("_product"),
    ("Message", "partner"): _private("_partner"),
    ("Message", "contact"): _private("_contact"),
    ("Contact", "partner"): _private("_partner"),
    ("Route", "partner"): _private("_partner"),
    ("DailyReport", "sector"): _private("_sector"),
    ("Recipient", "partner"): _listed_id,
    ("Exclusion", "partner"): _listed_id,
}
# What a list entry already holds of its partner: asked only these, the entry answers them.
LISTED = {("Recipient", "partner"), ("Exclusion", "partner")}
LISTED_FIELDS = frozenset({"id", "name", "kind", "__typename"})
# Records an answer computed itself, which the graph does not hold as they are (a draft product,
# a product as an edit would leave it): shaped from the value, never read by reference.
COMPUTED_RECORDS = {("RecipientList", "product"), ("ProductImpact", "product")}


@dataclass(frozen=True)
class _Slot:
    """Where a record read by the statement goes: its place among the references; `dropped`:
    an item of a list, left out when it is not there."""

    index: int
    non_null: bool
    dropped: bool = False


_GONE = object()


class Fallback(Exception):
    """The compiled answer cannot stand for the resolvers' (a null where none may be)."""


def _serialize(gtype: GraphQLOutputType, value: Any) -> Any:
    if isinstance(gtype, GraphQLNonNull):
        if value is None:
            raise Fallback("null in a non-null field")
        return _serialize(gtype.of_type, value)
    if value is None:
        return None
    if isinstance(gtype, GraphQLList):
        return [_serialize(gtype.of_type, item) for item in value]
    return gtype.serialize(value)  # type: ignore[union-attr]


def _computed(field: Field, value: Any) -> Any:
    """The field's value on the computed answer: an attribute, or what a resolver that needs
    nothing but the value (no arguments, no context, not awaited) makes of it."""
    definition = field.definition.extensions.get("strawberry-definition")
    if definition is None:
        raise NotCompilable(field.name)
    resolver = definition.base_resolver
    if resolver is None:
        return getattr(value, definition.python_name)
    if resolver.arguments or resolver.info_parameter is not None or resolver.is_async:
        raise NotCompilable(f"{field.name} has a resolver")
    function = resolver.wrapped_func
    if inspect.iscoroutinefunction(function):
        raise NotCompilable(f"{field.name} is awaited")
    return function(value)


def _has_resolvers(type_name: str, fields: dict[str, Field]) -> bool:
    """Whether the selection asks the value for a field only a resolver answers."""
    for f in fields.values():
        if f.name == "__typename" or (type_name, f.name) in REFERENCES:
            continue
        definition = f.definition.extensions.get("strawberry-definition")
        if definition is None or definition.base_resolver is not None:
            return True
    return False


class Shaper:
    """Shapes computed values for their selections; the records they name are `wanted`."""

    def __init__(self) -> None:
        self.wanted: list[Wanted] = []

    def _reference(
        self,
        type_name: str,
        record_id: str | None,
        f: Field,
        gtype: GraphQLOutputType,
        *,
        dropped: bool = False,
    ) -> Any:
        if record_id is None:
            return _serialize(gtype, None)
        non_null = isinstance(gtype, GraphQLNonNull)
        self.wanted.append((Reference.of(type_name, str(record_id)), f.of(type_name)))
        return _Slot(len(self.wanted) - 1, non_null, dropped)

    def object(self, type_name: str, value: Any, fields: dict[str, Field]) -> dict[str, Any]:
        shaped: dict[str, Any] = {}
        for f in fields.values():
            if f.name == "__typename":
                shaped[f.response] = type_name
            elif (type_name, f.name) in REFERENCES:
                target = f.type_name
                if (type_name, f.name) in LISTED and all(
                    s.name in LISTED_FIELDS for s in f.of(target).values()
                ):
                    shaped[f.response] = self._listed(target, value._partner, f.of(target))
                else:
                    record_id = REFERENCES[(type_name, f.name)](value)
                    shaped[f.response] = self._reference(target, record_id, f, f.definition.type)
            else:
                computed = (type_name, f.name) in COMPUTED_RECORDS
                shaped[f.response] = self.value(
                    f.definition.type, _computed(f, value), f, by_reference=not computed
                )
        return shaped

    def value(self, gtype: GraphQLOutputType, value: Any, f: Field, *, by_reference: bool = True) -> Any:
        if isinstance(gtype, GraphQLNonNull):
            if value is None:
                raise Fallback(f"{f.name} is null")
            return self.value(gtype.of_type, value, f, by_reference=by_reference)
        if value is None:
            return None
        if isinstance(gtype, GraphQLList):
            items = [self.value(gtype.of_type, item, f, by_reference=by_reference) for item in value]
            return [
                _Slot(i.index, i.non_null, True) if isinstance(i, _Slot) and isinstance(v, Reference) else i
                for i, v in zip(items, value, strict=True)
            ]
        if is_leaf_type(gtype):
            return gtype.serialize(value)
        if not isinstance(gtype, GraphQLObjectType):
            raise NotCompilable(f"{f.name}: {gtype}")
        if isinstance(value, Reference):
            assert value.type_name == gtype.name, value
            return self._reference(gtype.name, value.key[0], f, GraphQLNonNull(gtype))
        fields = f.of(gtype.name)
        if _has_resolvers(gtype.name, fields) and referable(gtype.name) and by_reference:
            # A record of the graph the answer holds: its relations are read by the compiler.
            return self._reference(gtype.name, getattr(value, "id", None), f, GraphQLNonNull(gtype))
        return self.object(gtype.name, value, fields)

    def _listed(self, type_name: str, listed: dict[str, Any], fields: dict[str, Field]) -> dict[str, Any]:
        shaped: dict[str, Any] = {}
        for f in fields.values():
            if f.name == "__typename":
                shaped[f.response] = type_name
            else:
                shaped[f.response] = self.value(f.definition.type, listed[f.name], f)
        return shaped


def _fill(value: Any, found: list[Any]) -> Any:
    if isinstance(value, _Slot):
        record = found[value.index]
        if record is None and value.dropped:
            return _GONE
        if record is None and value.non_null:
            raise Fallback("a record the answer names is not there")
        return record
    if isinstance(value, dict):
        return {k: _fill(v, found) for k, v in value.items()}
    if isinstance(value, list):
        return [item for item in (_fill(v, found) for v in value) if item is not _GONE]
    return value


async def shaped(
    db: Database, principal: Principal, variables: VariableValues, shaper: Shaper, value: Any
) -> Any:
    """The shaped value with the records it names read, in one round trip (none when it names
    none). Raises Fallback when a record the schema says is there is not."""
    if not shaper.wanted:
        return value
    return _fill(value, await project(db, principal, variables, shaper.wanted))

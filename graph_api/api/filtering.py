"""GraphQL `where` and `sort` inputs, generated from the entity model (graph_api/domain/entities.py).

One table describes what can be filtered and sorted; the input types and the Cypher both come
from it, so the schema can never offer a filter the compiler does not know.
"""

from __future__ import annotations

import sys
from enum import Enum, StrEnum
from typing import Any, cast

import strawberry

from graph_api import domain as _enums
from graph_api.domain.entities import ENTITIES, OPERATORS, RELATION_OPERATORS, Entity, Scalar

# The where inputs have always named the TLP levels `Tlp`, where the rest of the schema says `TLP`;
# kept as it is so that the variable types clients already send stay valid.
FilterTlp = strawberry.enum(
    cast(type[StrEnum], StrEnum("Tlp", {level: level for level in _enums.TLP_LEVELS}))
)


@strawberry.enum
class SortDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


_PYTHON_TYPES: dict[str, str] = {
    "id": "strawberry.ID",
    "string": "str",
    "bool": "bool",
    "datetime": "str",
}


def _scalar_type(scalar: Scalar) -> str:
    if scalar.enum is _enums.Tlp:
        return "FilterTlp"
    if scalar.enum is not None:
        return f"_enums.{scalar.enum.__name__}"
    return _PYTHON_TYPES[scalar.kind]


def _where_class(entity: Entity) -> type:
    annotations: dict[str, str] = {}
    namespace: dict[str, Any] = {}
    for name, scalar in entity.scalars.items():
        for operator in OPERATORS[scalar.kind]:
            key = name + operator
            many = operator in ("_IN", "_NOT_IN")
            annotations[key] = (
                f"list[{_scalar_type(scalar)}] | None" if many else f"{_scalar_type(scalar)} | None"
            )
            namespace[key] = strawberry.field(name=key, default=None)
    for name, relation in entity.relations.items():
        for operator in RELATION_OPERATORS:
            key = name + operator
            annotations[key] = f"{relation.target}Where | None"
            namespace[key] = strawberry.field(name=key, default=None)
    for key in ("AND", "OR"):
        annotations[key] = f"list[{entity.name}Where] | None"
        namespace[key] = strawberry.field(name=key, default=None)
    annotations["NOT"] = f"{entity.name}Where | None"
    namespace["NOT"] = strawberry.field(name="NOT", default=None)
    namespace["__annotations__"] = annotations
    namespace["__module__"] = __name__
    return type(f"{entity.name}Where", (), namespace)


def _sort_class(entity: Entity) -> type:
    annotations = {name: "SortDirection | None" for name in entity.scalars}
    namespace: dict[str, Any] = {name: strawberry.field(name=name, default=None) for name in entity.scalars}
    namespace["__annotations__"] = annotations
    namespace["__module__"] = __name__
    return type(f"{entity.name}Sort", (), namespace)


_module = sys.modules[__name__]
for _entity in ENTITIES.values():
    # Registered in this module first, then decorated: the types refer to each other by name.
    setattr(_module, f"{_entity.name}Where", _where_class(_entity))
    setattr(_module, f"{_entity.name}Sort", _sort_class(_entity))
for _entity in ENTITIES.values():
    strawberry.input(
        getattr(_module, f"{_entity.name}Where"),
        description=f"Filters on {_entity.name}: every given field must hold; AND, OR and NOT combine "
        "filters; <relation>_SOME / _NONE / _ALL / _SINGLE filter on related records.",
    )
    strawberry.input(getattr(_module, f"{_entity.name}Sort"), description="Exactly one field per entry.")


def as_dict(value: Any) -> Any:
    """A where/sort input as the plain dict the compiler reads; unset fields left out."""
    if isinstance(value, list):
        return [as_dict(v) for v in value]
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "__strawberry_definition__"):
        return {k: as_dict(v) for k, v in vars(value).items() if v is not None}
    return value


def where_type(entity: str) -> Any:
    return getattr(_module, f"{entity}Where")


def sort_type(entity: str) -> Any:
    return getattr(_module, f"{entity}Sort")

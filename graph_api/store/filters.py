"""Compiles list filters and sort orders into Cypher, from fixed allow-lists only.

A `where` is a dict in the style of the Neo4j GraphQL Library: `{"name_CONTAINS": "grid",
"kind_IN": [...], "sectors_SOME": {"id": "energy"}, "OR": [...], "NOT": {...}}`. Every key must
name a field or relation of the entity model (`domain/entities.py`) and an operator of the fixed set; values
only ever travel as parameters. Unknown keys are a clear error, never Cypher.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from graph_api import domain
from graph_api.domain.entities import ENTITIES, OPERATORS, RELATION_OPERATORS, Entity, Relation, Scalar
from graph_api.errors import InvalidInput
from graph_api.store.keyset import SortKey

# The Cypher each operator compiles to: `prop` is an allow-listed property, `value` a parameter.
_PREDICATES = {
    "": "{prop} = {value}",
    "_NOT": "{prop} <> {value}",
    "_IN": "{prop} IN {value}",
    "_NOT_IN": "NOT {prop} IN {value}",
    "_CONTAINS": "toLower({prop}) CONTAINS toLower({value})",
    "_STARTS_WITH": "{prop} STARTS WITH {value}",
    "_ENDS_WITH": "{prop} ENDS WITH {value}",
    "_LT": "{prop} < {value}",
    "_LTE": "{prop} <= {value}",
    "_GT": "{prop} > {value}",
    "_GTE": "{prop} >= {value}",
}


class _Compiler:
    """Turns one where-dict into predicate text plus parameters."""

    def __init__(self, prefix: str = "w") -> None:
        self.params: dict[str, Any] = {}
        self._names = itertools.count()
        self._prefix = prefix

    def param(self, value: Any) -> str:
        name = f"{self._prefix}{next(self._names)}"
        self.params[name] = value
        return f"${name}"

    def where(self, entity: Entity, where: dict[str, Any], var: str, path: str) -> str:
        parts: list[str] = []
        for key, value in where.items():
            if value is None:
                continue
            if key in ("AND", "OR"):
                joined = [self.where(entity, w, var, f"{path}.{key}[{i}]") for i, w in enumerate(value)]
                if joined:
                    parts.append("(" + f" {key} ".join(joined) + ")")
            elif key == "NOT":
                parts.append("NOT " + self.where(entity, value, var, f"{path}.NOT"))
            else:
                parts.append(self.condition(entity, key, value, var, f"{path}.{key}"))
        return "(" + " AND ".join(parts) + ")" if parts else "true"

    def condition(self, entity: Entity, key: str, value: Any, var: str, path: str) -> str:
        for operator in RELATION_OPERATORS:
            name = key.removesuffix(operator)
            if key.endswith(operator) and name in entity.relations:
                return self.relation(entity.relations[name], operator, value, var, path)
        # Longest names first, so that no field is read as another field plus an operator.
        for name in sorted(entity.scalars, key=len, reverse=True):
            scalar = entity.scalars[name]
            suffix = key[len(name) :] if key.startswith(name) else None
            if suffix is not None and suffix in OPERATORS[scalar.kind]:
                return self.scalar(scalar, suffix, value, var, f"{path}")
        raise InvalidInput(f"{path}: '{key}' is not a filter of {entity.name}.")

    def scalar(self, scalar: Scalar, operator: str, value: Any, var: str, path: str) -> str:
        prop = f"{var}.{scalar.prop}"
        if scalar.kind == "datetime":
            value = _timestamp(value, path)
        if scalar.kind == "severity":
            value = (
                [domain.severity_rank(v) for v in value]
                if isinstance(value, list)
                else (domain.severity_rank(value))
            )
        cast = "datetime({})" if scalar.kind == "datetime" else "{}"
        p = cast.format(self.param(value))
        return _PREDICATES[operator].format(prop=prop, value=p)

    def relation(self, relation: Relation, operator: str, value: Any, var: str, path: str) -> str:
        # Related records' variables are named after the parameters' prefix, so that filters
        # sharing one statement never share a variable.
        inner = f"{self._prefix.removesuffix('w')}m{next(self._names)}"
        pattern = relation.pattern.replace("(n)", f"({var})").replace("(m:", f"({inner}:")
        predicate = self.where(ENTITIES[relation.target], value, inner, path)
        subquery = "EXISTS { MATCH " + pattern + " WHERE " + predicate + " }"
        if operator == "_SOME":
            return subquery
        if operator == "_NONE":
            return "NOT " + subquery
        if operator == "_ALL":
            return "NOT EXISTS { MATCH " + pattern + " WHERE NOT " + predicate + " }"
        return "COUNT { MATCH " + pattern + " WHERE " + predicate + " } = 1"


def _timestamp(value: Any, path: str) -> str:
    """An ISO-8601 date-time with a zone, checked here so that Cypher never sees a bad one."""
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise InvalidInput(
            f"{path}: {value!r} is not an ISO-8601 date-time with a zone, e.g. 2026-11-25T12:00:00Z."
        )
    return moment.isoformat()


def compile_where(
    entity_name: str, where: dict[str, Any] | None, var: str = "n", prefix: str = "w"
) -> tuple[str, dict[str, Any]]:
    """Predicate text over `var` and its parameters, named `<prefix><n>` so that several
    filters can share one statement."""
    compiler = _Compiler(prefix)
    text = compiler.where(ENTITIES[entity_name], where or {}, var, "where")
    return text, compiler.params


def sort_keys(entity_name: str, sort: list[dict[str, str]] | None) -> list[SortKey]:
    """The keys a list is ordered by; each sort entry names exactly one field. Ties always break
    on id (the entity's default order applies when no sort is given)."""
    entity = ENTITIES[entity_name]
    keys: list[SortKey] = []
    for index, entry in enumerate(sort or []):
        given = [(k, v) for k, v in entry.items() if v is not None]
        if len(given) != 1:
            raise InvalidInput(f"sort[{index}] must name exactly one field.")
        name, direction = given[0]
        if name not in entity.scalars or direction not in ("ASC", "DESC"):
            raise InvalidInput(f"sort[{index}]: cannot sort {entity.name} by '{name}' {direction}.")
        keys.append(_key(entity, name, direction == "DESC"))
    if not keys:
        keys = [_key(entity, name.lstrip("-"), name.startswith("-")) for name in entity.default_sort]
    if all(key.name != "id" for key in keys):
        keys.append(_key(entity, "id", False))
    return keys


def _key(entity: Entity, name: str, descending: bool) -> SortKey:
    scalar = entity.scalars[name]
    return SortKey(name, scalar.prop, scalar.kind, descending)


def compile_sort(entity_name: str, sort: list[dict[str, str]] | None, var: str = "n") -> str:
    """ORDER BY text for `sort_keys`."""
    return ", ".join(key.order(var) for key in sort_keys(entity_name, sort))

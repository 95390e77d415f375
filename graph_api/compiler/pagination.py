"""Connections: Relay pages printed as Cypher that reads only the page (ORDER BY … LIMIT).

A keyset page fetches one row more than it shows, so `hasNextPage` (or `hasPreviousPage` when
paging backwards) needs no count; the cursors' own conditions say whether anything lies beyond
them. `totalCount` is a `COUNT {}` printed only when it is selected. Cursors leave Cypher as the
rows' sort-key values and are encoded in Python, outside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from graph_api.compiler.context import CypherContext, Printed, finish_list
from graph_api.compiler.plan import Field, NotCompilable
from graph_api.compiler.projection import Projector, map_of
from graph_api.store import keyset
from graph_api.store.filters import sort_keys
from graph_api.store.keyset import SortKey


@dataclass(frozen=True)
class Source:
    """Where a connection's records come from: a MATCH binding `var` to `entity` records,
    and the access rule they must also meet (None: none)."""

    entity: str
    var: str
    match: str
    guard: str | None = None


def plain(value: Any) -> Any:
    """A coerced GraphQL input (dicts, strawberry input objects, enum members) as the plain
    dict the filter compiler reads; unset fields left out."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if v is not None}
    if hasattr(value, "__strawberry_definition__"):
        return {k: plain(v) for k, v in vars(value).items() if v is not None}
    return value


def _key_condition(ctx: CypherContext, key: SortKey, value: Any, var: str, later: bool) -> str:
    """`var` sorts strictly later (or earlier) than `value` on this key alone. Null sorts last
    ascending and first descending, as Neo4j orders it."""
    prop = f"{var}.{key.prop}"
    greater = later != key.descending  # the later rows hold greater values
    if value is None:
        return "false" if greater else f"{prop} IS NOT NULL"
    bound = key.parameter(ctx.param(value))
    return f"({prop} > {bound} OR {prop} IS NULL)" if greater else f"{prop} < {bound}"


def beyond(ctx: CypherContext, keys: list[SortKey], values: list[Any], var: str, *, later: bool) -> str:
    """Rows strictly after (`later`) or before the cursor's row: lexicographic on the keys."""
    alternatives: list[str] = []
    for index, key in enumerate(keys):
        same: list[str] = []
        for earlier, value in zip(keys[:index], values[:index], strict=True):
            prop = f"{var}.{earlier.prop}"
            same.append(
                f"{prop} IS NULL" if value is None else f"{prop} = {earlier.parameter(ctx.param(value))}"
            )
        step = _key_condition(ctx, key, values[index], var, later)
        if step != "false":
            alternatives.append("(" + " AND ".join([*same, step]) + ")")
    return "(" + " OR ".join(alternatives) + ")" if alternatives else "false"


def _and(*parts: str | None) -> str:
    kept = [p for p in parts if p and p != "true"]
    return " AND ".join(kept) if kept else "true"


def _cursor(keys: list[SortKey]) -> Callable[[Any], Any]:
    def finish(values: Any) -> Any:
        return None if values is None else keyset.encode(keys, values)

    return finish


def keyset_connection(projector: Projector, f: Field, source: Source) -> Printed:
    ctx = projector.ctx
    args = f.arguments(ctx.variables)
    window = keyset.slice_of(args.get("first"), args.get("after"), args.get("last"), args.get("before"))
    keys = sort_keys(source.entity, plain(args.get("sort")))
    x = source.var
    base = _and(ctx.where(source.entity, plain(args.get("where")), x), source.guard)
    after = None if window.after is None else keyset.decode(keys, window.after)
    before = None if window.before is None else keyset.decode(keys, window.before)
    after_text = None if after is None else beyond(ctx, keys, after, x, later=True)
    before_text = None if before is None else beyond(ctx, keys, before, x, later=False)
    inside = _and(base, after_text, before_text)

    rows, page, row = ctx.var("rows"), ctx.var("page"), ctx.var("e")
    slots: list[str] = []
    connection_type = f.type_name
    node_type = source.entity

    def node_slot(fields: dict[str, Field]) -> Printed:
        projected = projector.record(node_type, x, fields)
        slot = f"v{len(slots)}"
        slots.append(f"{slot}: {projected.text}")
        return Printed(f"{row}.{slot}", projected.finish)

    def exists(condition: str) -> str:
        return f"EXISTS {{ {source.match} WHERE {condition} }}"

    size_param = ctx.param(window.first if window.forward else window.last)
    if window.forward:
        taken = f"{rows}[0..{size_param}]"
        if window.last is None:
            page_text = taken
            trimmed = "false"
        else:
            last = ctx.param(window.last)
            page_text = (
                f"CASE WHEN size({taken}) > {last} THEN {taken}[size({taken}) - {last}..] ELSE {taken} END"
            )
            trimmed = f"size({taken}) > {last}"
        has_next = f"size({rows}) > {size_param}"
        if before_text is not None:
            has_next += f" OR {exists(_and(base, f'NOT {before_text}'))}"
        has_previous = trimmed
        if after_text is not None:
            has_previous += f" OR {exists(_and(base, f'NOT {after_text}'))}"
        order = ", ".join(k.order(x) for k in keys)
    else:
        page_text = f"reverse({rows}[0..{size_param}])"
        has_previous = f"size({rows}) > {size_param}"
        if after_text is not None:
            has_previous += f" OR {exists(_and(base, f'NOT {after_text}'))}"
        has_next = "false" if before_text is None else exists(_and(base, f"NOT {before_text}"))
        order = ", ".join(f"{x}.{k.prop} {'ASC' if k.descending else 'DESC'}" for k in keys)

    cursor = _cursor(keys)
    entries: list[tuple[str, Printed]] = []
    for sub in f.of(connection_type).values():
        if sub.name == "__typename":
            entries.append((sub.response, Printed(f"'{connection_type}'")))
        elif sub.name == "totalCount":
            entries.append((sub.response, Printed(f"COUNT {{ {source.match} WHERE {base} }}")))
        elif sub.name == "nodes":
            node = node_slot(sub.of(node_type))
            entries.append(
                (sub.response, Printed(f"[{row} IN {page} | {node.text}]", finish_list(node.finish)))
            )
        elif sub.name == "edges":
            edge_type = sub.type_name
            edge: list[tuple[str, Printed]] = []
            for part in sub.of(edge_type).values():
                if part.name == "__typename":
                    edge.append((part.response, Printed(f"'{edge_type}'")))
                elif part.name == "cursor":
                    edge.append((part.response, Printed(f"{row}.k", cursor)))
                elif part.name == "node":
                    edge.append((part.response, node_slot(part.of(node_type))))
                else:
                    raise NotCompilable(f"{edge_type}.{part.name}")
            item = map_of(edge)
            entries.append(
                (sub.response, Printed(f"[{row} IN {page} | {item.text}]", finish_list(item.finish)))
            )
        elif sub.name == "pageInfo":
            info: list[tuple[str, Printed]] = []
            for part in sub.of("PageInfo").values():
                if part.name == "__typename":
                    info.append((part.response, Printed("'PageInfo'")))
                elif part.name == "hasNextPage":
                    info.append((part.response, Printed(f"({has_next})")))
                elif part.name == "hasPreviousPage":
                    info.append((part.response, Printed(f"({has_previous})")))
                elif part.name == "startCursor":
                    info.append((part.response, Printed(f"{page}[0].k", cursor)))
                elif part.name == "endCursor":
                    info.append((part.response, Printed(f"{page}[-1].k", cursor)))
                else:
                    raise NotCompilable(f"PageInfo.{part.name}")
            entries.append((sub.response, map_of(info)))
        else:
            raise NotCompilable(f"{connection_type}.{sub.name}")
    body = map_of(entries)
    limit = ctx.param((window.first if window.forward else window.last) + 1)  # type: ignore[operator]
    key_values = ", ".join(k.value(x) for k in keys)
    fetched = (
        f"COLLECT {{ {source.match} WHERE {inside} WITH {x} ORDER BY {order} LIMIT {limit} "
        f"RETURN {{k: [{key_values}]{''.join(', ' + s for s in slots)}}} AS r }}"
    )
    text = f"[{rows} IN [{fetched}] | [{page} IN [{page_text}] | {body.text}][0]][0]"
    return Printed(text, body.finish)

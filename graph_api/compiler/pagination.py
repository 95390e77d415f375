"""Connections: the one printer of the Relay connection shape (`connection`), and the ways of
paging it asks for the parts: keyset and offset pages printed as Cypher that reads only the page
(ORDER BY … LIMIT), and (compiler/recipient_lists.py) a recipient list's rows shaped in Python.

A keyset page fetches one row more than it shows, so `hasNextPage` (or `hasPreviousPage` when
paging backwards) needs no count; the cursors' own conditions say whether anything lies beyond
them. `totalCount` is a `COUNT {}` printed only when it is selected. Cursors leave Cypher as the
rows' sort-key values and are encoded in Python, outside the database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol, TypeVar

from graph_api.compiler.context import CypherContext, Printed, finish_list, map_of
from graph_api.compiler.plan import Field, NotCompilable
from graph_api.store import keyset
from graph_api.store.filters import sort_keys
from graph_api.store.keyset import SortKey
from graph_api.store.paging import encode_cursor


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


# A value of a connection's answer, and of one row of its page: Cypher expressions (`Printed`)
# when the connection is printed as Cypher, values and functions of a row when it is shaped in
# Python from rows already at hand (recipient lists).
V = TypeVar("V")
R = TypeVar("R")


class Paging(Protocol[V, R]):
    """How a connection's parts are made, whichever way it pages (keyset or offset, in Cypher or
    in Python); `connection` walks the selection and asks for each part."""

    def constant(self, value: str) -> V: ...

    def obj(self, entries: list[tuple[str, V]]) -> V: ...

    def total(self) -> V: ...

    def has_next(self) -> V: ...

    def has_previous(self) -> V: ...

    def start_cursor(self, around: Field) -> V: ...

    def end_cursor(self, around: Field) -> V: ...

    def each_row(self, around: Field, nodes: list[Field], item: Callable[[list[R]], R]) -> V:
        """The page's rows, each made by `item` from the row's node for each of `nodes` (the
        selections of the node); `around` is the connection's field that asks for them."""
        ...

    def row_constant(self, value: str) -> R: ...

    def row_cursor(self) -> R: ...

    def row_object(self, entries: list[tuple[str, R]]) -> R: ...


def connection(f: Field, paging: Paging[V, R]) -> V:
    """A Relay connection's selected fields: the one printer of the connection shape, for every
    way of paging."""
    connection_type = f.type_name
    entries: list[tuple[str, V]] = []
    for sub in f.of(connection_type).values():
        if sub.name == "__typename":
            entries.append((sub.response, paging.constant(connection_type)))
        elif sub.name == "totalCount":
            entries.append((sub.response, paging.total()))
        elif sub.name == "nodes":
            entries.append((sub.response, paging.each_row(sub, [sub], _only)))
        elif sub.name == "edges":
            entries.append((sub.response, _edges(sub, paging)))
        elif sub.name == "pageInfo":
            entries.append((sub.response, _page_info(sub, paging)))
        else:
            raise NotCompilable(f"{connection_type}.{sub.name}")
    return paging.obj(entries)


def _only(nodes: list[R]) -> R:
    return nodes[0]


def _edges(f: Field, paging: Paging[V, R]) -> V:
    edge_type = f.type_name
    parts = list(f.of(edge_type).values())
    for part in parts:
        if part.name not in ("__typename", "cursor", "node"):
            raise NotCompilable(f"{edge_type}.{part.name}")
    wanted = [part for part in parts if part.name == "node"]

    def edge(nodes: list[R]) -> R:
        node_of = {part.response: node for part, node in zip(wanted, nodes, strict=True)}
        entries: list[tuple[str, R]] = []
        for part in parts:
            if part.name == "__typename":
                entries.append((part.response, paging.row_constant(edge_type)))
            elif part.name == "cursor":
                entries.append((part.response, paging.row_cursor()))
            else:
                entries.append((part.response, node_of[part.response]))
        return paging.row_object(entries)

    return paging.each_row(f, wanted, edge)


def _page_info(f: Field, paging: Paging[V, R]) -> V:
    info: list[tuple[str, V]] = []
    for part in f.of("PageInfo").values():
        if part.name == "__typename":
            info.append((part.response, paging.constant("PageInfo")))
        elif part.name == "hasNextPage":
            info.append((part.response, paging.has_next()))
        elif part.name == "hasPreviousPage":
            info.append((part.response, paging.has_previous()))
        elif part.name == "startCursor":
            info.append((part.response, paging.start_cursor(f)))
        elif part.name == "endCursor":
            info.append((part.response, paging.end_cursor(f)))
        else:
            raise NotCompilable(f"PageInfo.{part.name}")
    return paging.obj(info)


class CypherPaging:
    """A connection printed as Cypher, what keyset and offset paging share: a page is a Cypher
    list of rows `{k: the row's cursor key, …}`, each bound to `row` in turn."""

    row: str

    # -- what each way of paging prints ---------------------------------------------------------

    def total_text(self) -> str:
        raise NotImplementedError

    def has_next_text(self) -> str:
        raise NotImplementedError

    def has_previous_text(self) -> str:
        raise NotImplementedError

    def cursor(self, key: Any) -> Any:
        """The cursor of a row's key (None: none)."""
        raise NotImplementedError

    def rows(self, around: Field, nodes: list[Field]) -> tuple[str, list[Printed]]:
        """The page's rows, and for each of `nodes` the node of `row`."""
        raise NotImplementedError

    def first_key(self, around: Field) -> str:
        raise NotImplementedError

    def last_key(self, around: Field) -> str:
        raise NotImplementedError

    # -- Paging[Printed, Printed] ---------------------------------------------------------------

    def constant(self, value: str) -> Printed:
        return Printed(f"'{value}'")

    def obj(self, entries: list[tuple[str, Printed]]) -> Printed:
        return map_of(entries)

    def total(self) -> Printed:
        return Printed(self.total_text())

    def has_next(self) -> Printed:
        return Printed(f"({self.has_next_text()})")

    def has_previous(self) -> Printed:
        return Printed(f"({self.has_previous_text()})")

    def start_cursor(self, around: Field) -> Printed:
        return Printed(self.first_key(around), self.cursor)

    def end_cursor(self, around: Field) -> Printed:
        return Printed(self.last_key(around), self.cursor)

    def each_row(
        self, around: Field, nodes: list[Field], item: Callable[[list[Printed]], Printed]
    ) -> Printed:
        rows, printed = self.rows(around, nodes)
        made = item(printed)
        return Printed(f"[{self.row} IN {rows} | {made.text}]", finish_list(made.finish))

    def row_constant(self, value: str) -> Printed:
        return Printed(f"'{value}'")

    def row_cursor(self) -> Printed:
        return Printed(f"{self.row}.k", self.cursor)

    def row_object(self, entries: list[tuple[str, Printed]]) -> Printed:
        return map_of(entries)


# Prints a record's selected fields: (type name, variable, fields) → a Cypher map.
RecordPrinter = Callable[[str, str, dict[str, Field]], Printed]


class Keyset(CypherPaging):
    """Keyset paging: the page is fetched once, one row more than it shows, ordered by the sort
    keys; each selection of the node is a slot of the fetched rows."""

    def __init__(self, ctx: CypherContext, record: RecordPrinter, source: Source, f: Field) -> None:
        args = f.arguments(ctx.variables)
        self.ctx, self.record, self.source = ctx, record, source
        self.window = keyset.slice_of(
            args.get("first"), args.get("after"), args.get("last"), args.get("before")
        )
        self.keys = sort_keys(source.entity, plain(args.get("sort")))
        x = source.var
        self.base = _and(ctx.where(source.entity, plain(args.get("where")), x), source.guard)
        window = self.window
        after = None if window.after is None else keyset.decode(self.keys, window.after)
        before = None if window.before is None else keyset.decode(self.keys, window.before)
        self.after_text = None if after is None else beyond(ctx, self.keys, after, x, later=True)
        self.before_text = None if before is None else beyond(ctx, self.keys, before, x, later=False)
        self.rows_var, self.page, self.row = ctx.var("rows"), ctx.var("page"), ctx.var("e")
        self.slots: list[str] = []
        self.size = ctx.param(window.first if window.forward else window.last)
        taken = f"{self.rows_var}[0..{self.size}]"
        self.trimmed = "false"
        if not window.forward:
            self.page_text = f"reverse({taken})"
        elif window.last is None:
            self.page_text = taken
        else:
            last = ctx.param(window.last)
            self.page_text = (
                f"CASE WHEN size({taken}) > {last} THEN {taken}[size({taken}) - {last}..] ELSE {taken} END"
            )
            self.trimmed = f"size({taken}) > {last}"

    def _exists(self, condition: str) -> str:
        return f"EXISTS {{ {self.source.match} WHERE {condition} }}"

    def _outside(self, bound: str | None) -> str | None:
        """Whether any record lies beyond a cursor's bound (None: no such cursor)."""
        return None if bound is None else self._exists(_and(self.base, f"NOT {bound}"))

    def total_text(self) -> str:
        return f"COUNT {{ {self.source.match} WHERE {self.base} }}"

    def has_next_text(self) -> str:
        if not self.window.forward:
            return self._outside(self.before_text) or "false"
        more = f"size({self.rows_var}) > {self.size}"
        beyond_before = self._outside(self.before_text)
        return more if beyond_before is None else f"{more} OR {beyond_before}"

    def has_previous_text(self) -> str:
        earlier = self.trimmed if self.window.forward else f"size({self.rows_var}) > {self.size}"
        beyond_after = self._outside(self.after_text)
        return earlier if beyond_after is None else f"{earlier} OR {beyond_after}"

    def cursor(self, values: Any) -> Any:
        return None if values is None else keyset.encode(self.keys, values)

    def rows(self, around: Field, nodes: list[Field]) -> tuple[str, list[Printed]]:
        printed = []
        for node in nodes:
            projected = self.record(self.source.entity, self.source.var, node.of(self.source.entity))
            slot = f"v{len(self.slots)}"
            self.slots.append(f"{slot}: {projected.text}")
            printed.append(Printed(f"{self.row}.{slot}", projected.finish))
        return self.page, printed

    def first_key(self, around: Field) -> str:
        return f"{self.page}[0].k"

    def last_key(self, around: Field) -> str:
        return f"{self.page}[-1].k"

    def fetched(self, body: Printed) -> Printed:
        """The connection: the page's rows fetched, and the body printed from them."""
        x, window = self.source.var, self.window
        inside = _and(self.base, self.after_text, self.before_text)
        if window.forward:
            order = ", ".join(k.order(x) for k in self.keys)
        else:
            order = ", ".join(f"{x}.{k.prop} {'ASC' if k.descending else 'DESC'}" for k in self.keys)
        limit = self.ctx.param((window.first if window.forward else window.last) + 1)  # type: ignore[operator]
        key_values = ", ".join(k.value(x) for k in self.keys)
        fetched = (
            f"COLLECT {{ {self.source.match} WHERE {inside} WITH {x} ORDER BY {order} LIMIT {limit} "
            f"RETURN {{k: [{key_values}]{''.join(', ' + s for s in self.slots)}}} AS r }}"
        )
        rows, page = self.rows_var, self.page
        text = f"[{rows} IN [{fetched}] | [{page} IN [{self.page_text}] | {body.text}][0]][0]"
        return Printed(text, body.finish)


def keyset_connection(ctx: CypherContext, record: RecordPrinter, f: Field, source: Source) -> Printed:
    paging = Keyset(ctx, record, source, f)
    return paging.fetched(connection(f, paging))


class Offsets(CypherPaging):
    """Offset paging: `page_of` prints the page's rows as `{k: offset, v: node}` for a selection
    of the node (a `nodes` or `edges.node` field), one subquery per selection."""

    row = "e"

    def __init__(
        self, page_of: Callable[[Field], Printed], *, has_next: str, has_previous: str, total: str
    ) -> None:
        self.page_of = page_of
        self._has_next, self._has_previous, self._total = has_next, has_previous, total

    def total_text(self) -> str:
        return self._total

    def has_next_text(self) -> str:
        return self._has_next

    def has_previous_text(self) -> str:
        return self._has_previous

    def cursor(self, index: Any) -> Any:
        return None if index is None else encode_cursor(index)

    def rows(self, around: Field, nodes: list[Field]) -> tuple[str, list[Printed]]:
        if len(nodes) > 1:
            raise NotCompilable("an offset page's node selected twice")
        page = self.page_of(nodes[0] if nodes else _nothing_of(around))
        return page.text, [Printed(f"{self.row}.v", page.finish) for _ in nodes]

    def first_key(self, around: Field) -> str:
        return f"{self.page_of(_nothing_of(around)).text}[0].k"

    def last_key(self, around: Field) -> str:
        # Bound first: Neo4j answers null for a negative index on a subquery itself.
        return f"[rows IN [{self.page_of(_nothing_of(around)).text}] | rows[-1].k][0]"


def _nothing_of(f: Field) -> Field:
    """A selection of nothing of the node, where only the page's rows are wanted."""
    return Field(f.response, "nodes", f.node, f.definition, {})

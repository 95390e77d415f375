"""Keyset pagination: a cursor names a row by the values of its sort keys, not by its offset.

A cursor stays valid when records are inserted or deleted before it: the page after it starts at
the first row whose keys sort after the cursor's, wherever that row now is. Cursors are opaque
(base64 of JSON) and carry the sort they were made for; one made for another order is refused.

Null sort values follow Neo4j's ordering: null sorts after every value ascending, and so before
every value descending. Ties always break on `id`, so keys never repeat.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from graph_api.domain.entities import Kind
from graph_api.errors import InvalidInput


@dataclass(frozen=True)
class SortKey:
    name: str  # the GraphQL field
    prop: str  # the allow-listed node property
    kind: Kind
    descending: bool

    def order(self, var: str) -> str:
        return f"{var}.{self.prop} {'DESC' if self.descending else 'ASC'}"

    def value(self, var: str) -> str:
        """The key as a cursor carries it: date-times as ISO text, everything else as stored."""
        return f"toString({var}.{self.prop})" if self.kind == "datetime" else f"{var}.{self.prop}"

    def parameter(self, name: str) -> str:
        return f"datetime({name})" if self.kind == "datetime" else name


DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class Slice:
    """Relay arguments of a keyset-paged list; the cursors are still the client's text."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None

    @property
    def forward(self) -> bool:
        """Paged from the front (`first`, with an optional `last` taken from that page)."""
        return self.first is not None or self.last is None


def slice_of(
    first: int | None, after: str | None, last: int | None = None, before: str | None = None
) -> Slice:
    """Relay arguments, checked; `first` defaults when neither `first` nor `last` is given. The
    cursors are decoded later, against the sort of the list they page."""
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"{name} must be between 0 and {MAX_PAGE_SIZE}, got {size}.")
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    return Slice(first=first, after=after, last=last, before=before)


def signature(keys: list[SortKey]) -> str:
    return ",".join(("-" if k.descending else "+") + k.name for k in keys)


def encode(keys: list[SortKey], values: list[Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps([signature(keys), *values])).decode()


def decode(keys: list[SortKey], cursor: str) -> list[Any]:
    """The key values a cursor carries, checked against the list's sort."""
    try:
        parts = orjson.loads(base64.urlsafe_b64decode(cursor.encode()))
    except (binascii.Error, ValueError, UnicodeEncodeError) as exc:
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.") from exc
    if not isinstance(parts, list) or len(parts) != len(keys) + 1 or not isinstance(parts[0], str):
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.")
    if parts[0] != signature(keys):
        raise InvalidInput(f"'{cursor}' was given out for another sort order of this list.")
    values: list[Any] = parts[1:]
    for key, value in zip(keys, values, strict=True):
        if key.kind == "datetime" and value is not None:
            try:
                datetime.fromisoformat(str(value).replace("Z", "+00:00"))
            except ValueError as exc:
                raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.") from exc
    return values


def _comparable(key: SortKey, value: Any) -> Any:
    if key.kind == "datetime" and value is not None:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return value


def compare(keys: list[SortKey], row: list[Any], cursor: list[Any]) -> int:
    """-1, 0 or 1 as `row` sorts before, at or after `cursor` in the list's order."""
    for key, a, b in zip(keys, row, cursor, strict=True):
        a, b = _comparable(key, a), _comparable(key, b)
        if a == b:
            continue
        # Ascending, null is greatest; descending reverses everything, null included.
        if a is None:
            ascending = 1
        elif b is None:
            ascending = -1
        else:
            ascending = 1 if a > b else -1
        return -ascending if key.descending else ascending
    return 0


@dataclass(frozen=True)
class KeysetPage:
    """One page of a keyset-paged list: ids, their cursors, and what lies around them."""

    total: int
    ids: list[str]
    cursors: list[str]
    has_next: bool
    has_previous: bool


def page_of(keys: list[SortKey], rows: list[tuple[str, list[Any]]], window: Slice) -> KeysetPage:
    """The window of a whole sorted list of (id, key values): the meaning every path must give
    first/after/last/before (Relay's: cut at the cursors, then take `first`, then `last`)."""
    after = None if window.after is None else decode(keys, window.after)
    before = None if window.before is None else decode(keys, window.before)

    def is_after(values: list[Any]) -> bool:
        return after is None or compare(keys, values, after) > 0

    def is_before(values: list[Any]) -> bool:
        return before is None or compare(keys, values, before) < 0

    inside = [row for row in rows if is_after(row[1]) and is_before(row[1])]
    rows_up_to_after = after is not None and any(not is_after(values) for _, values in rows)
    rows_from_before = before is not None and any(not is_before(values) for _, values in rows)
    if window.forward:
        first = window.first if window.first is not None else len(inside)
        taken = inside[:first]
        page = taken if window.last is None else taken[max(0, len(taken) - window.last) :]
        has_next = len(inside) > first or rows_from_before
        has_previous = len(page) < len(taken) or rows_up_to_after
    else:
        assert window.last is not None
        page = inside[max(0, len(inside) - window.last) :]
        has_previous = len(inside) > window.last or rows_up_to_after
        has_next = rows_from_before
    return KeysetPage(
        total=len(rows),
        ids=[row_id for row_id, _ in page],
        cursors=[encode(keys, values) for _, values in page],
        has_next=has_next,
        has_previous=has_previous,
    )

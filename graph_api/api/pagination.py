"""Relay pagination: connections, edges, opaque cursors, and the one parser of their arguments."""

from __future__ import annotations

import base64
from typing import Generic, TypeVar

import strawberry

from graph_api.errors import InvalidInput
from graph_api.store.paging import Window

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
T = TypeVar("T")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A Relay connection: a page of a list, with its total.")
class Connection(Generic[T]):
    total_count: int
    edges: list[Edge[T]]
    page_info: PageInfo

    @strawberry.field
    def nodes(self) -> list[T]:
        return [edge.node for edge in self.edges]


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(number)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.") from exc
    if kind != "offset" or offset < 0:
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.")
    return offset


def window_of(
    first: int | None, after: str | None, last: int | None = None, before: str | None = None
) -> Window:
    """Relay arguments, checked, with cursors turned into offsets; `first` defaults when neither
    `first` nor `last` is given."""
    for name, size in (("first", first), ("last", last)):
        if size is not None and not 0 <= size <= MAX_PAGE_SIZE:
            raise InvalidInput(f"{name} must be between 0 and {MAX_PAGE_SIZE}, got {size}.")
    if first is None and last is None:
        first = DEFAULT_PAGE_SIZE
    return Window(
        first=first,
        after=None if after is None else decode_cursor(after),
        last=last,
        before=None if before is None else decode_cursor(before),
    )


def connection_of(nodes: list[T], offset: int, total: int) -> Connection[T]:
    edges = [Edge(cursor=encode_cursor(offset + i), node=n) for i, n in enumerate(nodes)]
    return Connection(
        total_count=total,
        edges=edges,
        page_info=PageInfo(
            has_next_page=offset + len(edges) < total,
            has_previous_page=offset > 0,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )

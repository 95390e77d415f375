"""Relay pagination: connections, edges, opaque cursors, and the one parser of their arguments."""

from __future__ import annotations

from typing import Generic, TypeVar

import strawberry

from graph_api.store.keyset import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, KeysetPage, slice_of
from graph_api.store.paging import encode_cursor, window_of

__all__ = ["DEFAULT_PAGE_SIZE", "MAX_PAGE_SIZE", "slice_of", "window_of"]

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


def keyset_connection(nodes: list[T], page: KeysetPage) -> Connection[T]:
    edges = [Edge(cursor=c, node=n) for c, n in zip(page.cursors, nodes, strict=True)]
    return Connection(
        total_count=page.total,
        edges=edges,
        page_info=PageInfo(
            has_next_page=page.has_next,
            has_previous_page=page.has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
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

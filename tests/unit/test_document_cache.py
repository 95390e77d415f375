"""Parsing and validation cached by document text, on a five-line schema."""

from __future__ import annotations

import pytest
import strawberry
from graphql import DocumentNode
from strawberry.extensions import QueryDepthLimiter, SchemaExtension

from graph_api.api.extensions.document_cache import DocumentCache
from graph_api.api.extensions.lru import LRU


@strawberry.type
class Node:
    @strawberry.field
    def child(self) -> Node:
        return Node()

    name: str = "n"


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return Node()


class Seen(SchemaExtension):
    """Records which document and validation outcome each request ran with."""

    documents: list[DocumentNode] = []
    validated: list[bool] = []

    def on_validate(self):  # type: ignore[no-untyped-def]
        Seen.validated.append(self.execution_context.pre_execution_errors is None)
        yield

    def on_execute(self):  # type: ignore[no-untyped-def]
        assert self.execution_context.graphql_document is not None
        Seen.documents.append(self.execution_context.graphql_document)
        yield


@pytest.fixture
def schema() -> strawberry.Schema:
    Seen.documents, Seen.validated = [], []

    class Depth(QueryDepthLimiter):
        def __init__(self) -> None:
            super().__init__(max_depth=3)

    return strawberry.Schema(query=Query, extensions=[Depth, DocumentCache(4).extension, Seen])


async def test_a_repeated_document_is_parsed_and_validated_once(schema: strawberry.Schema) -> None:
    query = "{ root { child { name } } }"
    for _ in range(3):
        result = await schema.execute(query)
        assert result.data == {"root": {"child": {"name": "n"}}}
    assert Seen.documents[0] is Seen.documents[1] is Seen.documents[2]
    # Validation ran for the first request only; the later ones reuse its outcome.
    assert Seen.validated == [True, False, False]


async def test_a_document_that_fails_validation_fails_every_time(schema: strawberry.Schema) -> None:
    too_deep = "{ root { child { child { child { name } } } } }"
    for _ in range(2):
        result = await schema.execute(too_deep)
        assert result.errors and "exceeds maximum operation depth" in result.errors[0].message
    assert Seen.validated == [True, True]


async def test_a_syntax_error_is_reported_and_not_cached(schema: strawberry.Schema) -> None:
    for _ in range(2):
        result = await schema.execute("{ root { ")
        assert result.errors and "Syntax Error" in result.errors[0].message


def test_the_lru_keeps_the_most_recently_used_entries() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now "b" is the oldest
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2
    with pytest.raises(ValueError):
        LRU(0)

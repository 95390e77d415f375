"""Automatic persisted queries on a five-line schema: the protocol alone, no server."""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from graph_api.api.extensions.persisted_queries import PersistedQueryStore, document_hash


@strawberry.type
class Query:
    @strawberry.field
    def greeting(self, name: str = "world") -> str:
        return f"hello {name}"


QUERY = "query Greet($name: String!) { greeting(name: $name) }"


def persisted(sha: str, version: object = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha}}


@pytest.fixture
def schema() -> strawberry.Schema:
    return strawberry.Schema(query=Query, extensions=[PersistedQueryStore(10).extension])


async def test_a_hash_alone_is_not_found_until_the_document_is_registered(schema: strawberry.Schema) -> None:
    sha = document_hash(QUERY)
    unknown = await schema.execute(None, {"name": "ada"}, operation_extensions=persisted(sha))
    assert unknown.data is None and unknown.errors
    assert unknown.errors[0].message == "PersistedQueryNotFound"
    assert unknown.errors[0].extensions == {"code": "PERSISTED_QUERY_NOT_FOUND"}

    registered = await schema.execute(QUERY, {"name": "ada"}, operation_extensions=persisted(sha))
    assert registered.errors is None and registered.data == {"greeting": "hello ada"}

    by_hash = await schema.execute(None, {"name": "grace"}, operation_extensions=persisted(sha.upper()))
    assert by_hash.errors is None and by_hash.data == {"greeting": "hello grace"}


async def test_a_document_that_does_not_match_its_hash_is_refused_and_not_stored(
    schema: strawberry.Schema,
) -> None:
    other = document_hash("{ greeting }")
    refused = await schema.execute(QUERY, {"name": "ada"}, operation_extensions=persisted(other))
    assert refused.data is None and refused.errors
    assert refused.errors[0].extensions == {"code": "PERSISTED_QUERY_HASH_MISMATCH"}
    # Nothing was planted under the other document's hash.
    lookup = await schema.execute(None, operation_extensions=persisted(other))
    assert lookup.errors and lookup.errors[0].message == "PersistedQueryNotFound"


async def test_a_document_that_fails_validation_is_not_stored(schema: strawberry.Schema) -> None:
    invalid = "{ greting }"
    sha = document_hash(invalid)
    first = await schema.execute(invalid, operation_extensions=persisted(sha))
    assert first.errors and "greting" in first.errors[0].message
    again = await schema.execute(None, operation_extensions=persisted(sha))
    assert again.errors and again.errors[0].message == "PersistedQueryNotFound"


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": "abc"},
        persisted(document_hash(QUERY), version=2),
        persisted("not-a-sha"),
        {"persistedQuery": {"version": 1}},
    ],
)
async def test_a_malformed_persisted_query_extension_says_what_is_wrong(
    schema: strawberry.Schema, extension: dict[str, Any]
) -> None:
    result = await schema.execute(QUERY, {"name": "ada"}, operation_extensions=extension)
    assert result.data is None and result.errors
    assert result.errors[0].extensions == {"code": "PERSISTED_QUERY_MALFORMED"}


async def test_requests_without_the_extension_run_as_usual(schema: strawberry.Schema) -> None:
    result = await schema.execute(QUERY, {"name": "ada"}, operation_extensions={"other": True})
    assert result.data == {"greeting": "hello ada"}


async def test_the_store_keeps_the_most_recently_used_documents() -> None:
    schema = strawberry.Schema(query=Query, extensions=[PersistedQueryStore(2).extension])
    documents = [f'{{ greeting(name: "{n}") }}' for n in ("a", "b", "c")]
    for document in documents:
        assert (await schema.execute(document, operation_extensions=persisted(document_hash(document)))).data
    answers = [
        await schema.execute(None, operation_extensions=persisted(document_hash(d))) for d in documents
    ]
    assert answers[0].errors and answers[0].errors[0].message == "PersistedQueryNotFound"
    assert [a.data for a in answers[1:]] == [{"greeting": "hello b"}, {"greeting": "hello c"}]

"""Which media type a GraphQL answer is written in, from the Accept header."""

from __future__ import annotations

import pytest

from graph_api.http.media_types import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, response_media_type


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, APPLICATION_JSON),
        ("", APPLICATION_JSON),
        ("*/*", APPLICATION_JSON),
        ("application/*", APPLICATION_JSON),
        ("application/json", APPLICATION_JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        # Apollo Client and urql: the newer type first, the older as a fallback.
        ("application/graphql-response+json,application/json;q=0.9", GRAPHQL_RESPONSE_JSON),
        (
            "application/graphql-response+json, application/graphql+json, application/json, "
            "text/event-stream, multipart/mixed",
            GRAPHQL_RESPONSE_JSON,
        ),
        # A named type wins over a wildcard of the same quality; quality decides first.
        ("*/*, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/json, application/graphql-response+json;q=0.5", APPLICATION_JSON),
        ("Application/GraphQL-Response+JSON", GRAPHQL_RESPONSE_JSON),
        # GraphiQL's own fetcher.
        ("application/json, multipart/mixed", APPLICATION_JSON),
        ("text/html,application/xhtml+xml,*/*;q=0.8", APPLICATION_JSON),
        ("application/graphql-response+json;q=0", None),
        ("application/xml", None),
        ("text/html", None),
        ("application/json;q=abc", None),
    ],
)
def test_the_accept_header_decides(accept: str | None, expected: str | None) -> None:
    assert response_media_type(accept) == expected

"""The HTTP layer's cheap looks at a request and an answer: which operation a large body carries,
found without decoding it, and large answers encoded a slice at a time, byte for byte as at once."""

from __future__ import annotations

import asyncio
import json

import orjson

from graph_api.http.graphql import encode, encode_in_turns
from graph_api.http.limits import may_be_large, top_level_query

IMPORT = "mutation($d: JSON!) { importNetwork(document: $d, dryRun: true) { ok } }"


def _body(*members: tuple[str, object]) -> bytes:
    return ("{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in members) + "}").encode()


def test_the_query_is_found_before_the_variables_and_only_there() -> None:
    variables = {"d": {"query": "mutation { importNetwork }", "x": ['"query": "y"']}}
    assert (
        top_level_query(_body(("operationName", "I"), ("query", IMPORT), ("variables", variables))) == IMPORT
    )
    assert top_level_query(_body(("variables", variables), ("query", IMPORT))) is None
    assert top_level_query(_body(("query", None), ("variables", variables))) is None
    assert top_level_query(b'[{"query": "{ a }"}]') is None
    assert top_level_query(_body(("query", 'say "hi" \\ there'))) == 'say "hi" \\ there'


def test_only_a_document_of_imports_alone_may_be_large() -> None:
    assert may_be_large(_body(("query", IMPORT), ("variables", {})))
    aliased = (
        "mutation($d: JSON!) { a: importNetwork(document: $d) { ok } b: importNetwork(document: $d) { ok } }"
    )
    assert may_be_large(_body(("query", aliased)))
    for query in (
        "query($t: String!) { search(text: $t) { totalCount } }",
        "mutation($d: JSON!) { importNetwork(document: $d) { ok } "
        'disseminate(productId: "x") { newlyDelivered } }',
        "mutation($d: JSON!) { ...F } fragment F on Mutation { importNetwork(document: $d) { ok } }",
        IMPORT + " query Q { __typename }",
        "mutation { importNetwork(",
    ):
        assert not may_be_large(_body(("query", query))), query


def test_a_large_answer_is_encoded_in_turns_as_it_would_be_at_once() -> None:
    answer = {
        "data": {
            "recipients": {
                "product": {"id": "p", "title": "é ✓"},
                "recipients": [{"partner": {"id": f"x{i}"}, "channels": ["EMAIL"]} for i in range(1234)],
                "excluded": [{"n": i} for i in range(501)],
                "empty": [],
            }
        },
        "extensions": {"cypherRoundTrips": 2},
    }
    encoded = asyncio.run(encode_in_turns(answer))
    assert encoded == encode(answer)
    assert orjson.loads(encoded) == answer

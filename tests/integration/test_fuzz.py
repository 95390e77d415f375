"""Generated operations over the whole schema (hypothesis-graphql): valid ones and ones with one
schema violation each. None may end in an HTTP 500 or an INTERNAL_SERVER_ERROR."""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from typing import Any

import graphql
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries
from starlette.testclient import TestClient

from graph_api.api import schema

# The graphql-core schema itself: its SDL carries federation directives a plain parser refuses.
SDL = schema._schema
OPERATIONS = 5_000
# Half the operations are valid, half carry one schema violation.
PER_MODE = OPERATIONS // 2


def _string_node(text: str) -> graphql.StringValueNode:
    return graphql.StringValueNode(value=text)


CUSTOM_SCALARS: dict[str, st.SearchStrategy[graphql.ValueNode]] = {
    "DateTime": st.one_of(
        st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat()),
        st.text(max_size=30),
    ).map(_string_node),
    "JSON": st.text(max_size=40).map(_string_node),
    "_Any": st.text(max_size=20).map(_string_node),
}


def _check(client: TestClient, query: str, outcomes: Counter[str]) -> None:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code < 500, (query, response.text[:500])
    body: dict[str, Any] = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, (query, body)
    outcomes["errors" if codes else "data"] += 1


def test_generated_operations_never_fault(client: TestClient, seeded: None) -> None:
    outcomes: Counter[str] = Counter()
    common = settings(
        max_examples=PER_MODE,
        deadline=None,
        database=None,
        derandomize=True,
        # Shrinking a failure replays it against the database many times; the first one says enough.
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )

    for mode in (Mode.POSITIVE, Mode.NEGATIVE):

        @common
        @given(queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=mode))
        def run(query: str) -> None:
            _check(client, query, outcomes)

        run()
    print(f"generated operations: {dict(outcomes)}")
    assert sum(outcomes.values()) >= OPERATIONS * 0.9  # hypothesis may stop early on duplicates

"""Generated operations over the whole schema (hypothesis-graphql): valid ones and ones with one
schema violation each. None may end in an HTTP 500 or an INTERNAL_SERVER_ERROR."""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter
from datetime import UTC
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
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
GENERATION = settings(
    max_examples=PER_MODE,
    deadline=None,
    database=None,
    # The same operations in every run, whichever process generates them.
    derandomize=True,
    # Shrinking a failure replays it against the database many times; the first one says enough.
    phases=[Phase.generate],
    suppress_health_check=list(HealthCheck),
)


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


def generate(mode: Mode, out: Queue[str | None]) -> None:
    """Puts the mode's generated operations on `out` as they come, then None."""
    try:

        @GENERATION
        @given(queries(SDL, custom_scalars=CUSTOM_SCALARS, mode=mode))
        def collect(query: str) -> None:
            out.put(query)

        collect()
    finally:
        out.put(None)


def _check(client: TestClient, query: str, outcomes: Counter[str]) -> None:
    response = client.post("/graphql", json={"query": query})
    assert response.status_code < 500, (query, response.text[:500])
    body: dict[str, Any] = response.json()
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
    assert "INTERNAL_SERVER_ERROR" not in codes, (query, body)
    outcomes["errors" if codes else "data"] += 1


def test_generated_operations_never_fault(client: TestClient, seeded: None) -> None:
    # Generating an operation costs this process several times what the service takes to answer
    # it (hypothesis-graphql builds strategies as it draws). Each mode is generated in a process
    # of its own, on the machine's other cores, and this one sends each operation as it arrives.
    context = multiprocessing.get_context("spawn")
    generated: Queue[str | None] = context.Queue()
    generators: list[BaseProcess] = [
        context.Process(target=generate, args=(mode, generated), name=f"generate {mode.name}")
        for mode in (Mode.POSITIVE, Mode.NEGATIVE)
    ]
    for generator in generators:
        generator.start()
    outcomes: Counter[str] = Counter()
    try:
        finished = 0
        while finished < len(generators):
            try:
                query = generated.get(timeout=5)
            except queue.Empty:
                # A generator that died without its last word has nothing more to send.
                assert any(g.is_alive() for g in generators), "a generator died: see its output above"
                continue
            if query is None:
                finished += 1
            else:
                _check(client, query, outcomes)
        for generator in generators:
            generator.join()
    finally:
        for generator in generators:
            if generator.is_alive():  # the test failed before the generator was done
                generator.kill()
                generator.join()
    assert all(g.exitcode == 0 for g in generators), [g.exitcode for g in generators]
    print(f"generated operations: {dict(outcomes)}")
    assert sum(outcomes.values()) >= OPERATIONS * 0.9  # hypothesis may stop early on duplicates

"""The service's metrics, defined once; each layer counts what it sees.

Operation names come from clients, so the label is bounded: a name that is not a plain
identifier, or one past the first few hundred seen, is counted as "other".
"""

from __future__ import annotations

import re
import threading

from prometheus_client import CollectorRegistry, Counter, Histogram

REGISTRY = CollectorRegistry(auto_describe=True)

GRAPHQL_REQUESTS = Counter(
    "isegraph_graphql_requests",
    "GraphQL operations answered, by operation name and outcome code (OK or the first error's code).",
    ["operation", "outcome"],
    registry=REGISTRY,
)
GRAPHQL_SECONDS = Histogram(
    "isegraph_graphql_request_seconds",
    "Time to answer a GraphQL operation, by operation name and outcome code.",
    ["operation", "outcome"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
    registry=REGISTRY,
)
CYPHER_ROUND_TRIPS = Counter(
    "isegraph_cypher_round_trips", "Cypher statements sent to Neo4j.", registry=REGISTRY
)
NEO4J_ERRORS = Counter(
    "isegraph_neo4j_errors",
    "Statements that failed in Neo4j or on the way to it, by the driver's error class.",
    ["error"],
    registry=REGISTRY,
)

MAX_OPERATION_NAMES = 200
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_seen_names: set[str] = set()
_names_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _IDENTIFIER.fullmatch(name):
        return "other"
    with _names_lock:
        if name in _seen_names:
            return name
        if len(_seen_names) >= MAX_OPERATION_NAMES:
            return "other"
        _seen_names.add(name)
        return name

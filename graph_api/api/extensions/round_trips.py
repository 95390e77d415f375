"""Reports how many Cypher round trips an operation cost, in the response's `extensions`."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension


class RoundTripCount(SchemaExtension):
    """`extensions.cypherRoundTrips`: lets front-end developers and the benchmarks see N+1 at once."""

    def get_results(self) -> dict[str, Any]:
        db = getattr(self.execution_context.context, "db", None)
        return {} if db is None else {"cypherRoundTrips": db.round_trips}

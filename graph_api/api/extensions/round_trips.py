"""Reports how many Cypher round trips an operation cost, in the response's `extensions`."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension


class RoundTripCount(SchemaExtension):
    """`extensions.cypherRoundTrips`: lets front-end developers and the benchmarks see N+1 at once."""

    def get_results(self) -> dict[str, Any]:
        return round_trip_extensions(self.execution_context.context)


def round_trip_extensions(context: object) -> dict[str, Any]:
    """What a result's `extensions` say of its round trips (also for a subscription's `next` sent
    without a result of strawberry's)."""
    db = getattr(context, "db", None)
    return {} if db is None else {"cypherRoundTrips": db.round_trips}

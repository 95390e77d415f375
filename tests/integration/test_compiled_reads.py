"""Differential test: compiled reads give the answers the per-field resolvers give.

The reference is the same schema without the compiler extension: graphql-core executes every
field on the resolvers and their loaders. Seeded random operations (tests/operations.py) run on
both, on the seed network and on generated networks, for an ADMIN and for a PARTNER user; the
`data` and `errors` must be equal, and every operation that answers without errors must have
been compiled (one Cypher round trip).
"""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strawberry.federation import Schema

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.identity import Principal, Role
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from tests.helpers import unique_prefix
from tests.operations import Generator, Pools
from tests.strategies import add_prefix, networks

COMPILED = build_schema()
REFERENCE = build_schema(compiled=False)
SEED_OPERATIONS = 300  # per role
GENERATED_NETWORKS = 3
GENERATED_OPERATIONS = 70  # per network and role


async def execute(
    schema: Schema,
    db: Database,
    settings: Settings,
    principal: Principal,
    query: str,
    variables: dict[str, Any],
) -> tuple[dict[str, Any] | None, list[tuple[str, Any]], int]:
    scoped = db.fresh()
    context = Context(db=scoped, settings=settings, principal=principal)
    # A copy: federation's resolver writes into the representations it is given.
    variables = copy.deepcopy(variables)
    result = await schema.execute(query, variable_values=variables, context_value=context)
    errors = [(e.message, e.path) for e in result.errors or []]
    return result.data, errors, scoped.round_trips


class Cursors:
    """Real cursors of root lists, read once per (entity, sort) through the reference path."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings
        self.known: dict[tuple[str, str], list[str]] = {}
        self.pending: set[tuple[str, str]] = set()

    def __call__(self, entity: str, sort: str) -> list[str]:
        if (entity, sort) not in self.known:
            self.pending.add((entity, sort))
            return []
        return self.known[(entity, sort)]

    async def fill(self) -> None:
        from tests.operations import ROOT_CONNECTIONS

        admin = Principal("cursors", Role.ADMIN, None)
        root = {entity: name for name, entity in ROOT_CONNECTIONS.items()}
        for entity, sort in sorted(self.pending):
            argument = f", sort: {sort}" if sort else ""
            query = f"{{ {root[entity]}(first: 500{argument}) {{ edges {{ cursor }} }} }}"
            data, errors, _ = await execute(REFERENCE, self.db, self.settings, admin, query, {})
            assert not errors, errors
            assert data is not None
            cursors = [e["cursor"] for e in data[root[entity]]["edges"]]
            self.known[(entity, sort)] = cursors[:: max(1, len(cursors) // 25)][:30]
        self.pending.clear()


async def differential(
    db: Database, settings: Settings, pools: Pools, principal: Principal, seed: int, count: int
) -> int:
    """Runs `count` generated operations through both paths; returns how many were compiled."""
    cursors = Cursors(db, settings)
    rng = random.Random(seed)
    generator = Generator(COMPILED._schema, rng, pools, cursors)
    compiled = 0
    for index in range(count):
        query, variables = generator.operation()
        if cursors.pending:
            await cursors.fill()
        ours = await execute(COMPILED, db, settings, principal, query, variables)
        theirs = await execute(REFERENCE, db, settings, principal, query, variables)
        assert ours[:2] == theirs[:2], f"operation {index} (seed {seed}) differs:\n{query}\n{variables}"
        if not ours[1]:
            assert ours[2] == 1, f"operation {index} (seed {seed}) was not compiled:\n{query}\n{variables}"
            compiled += 1
    return compiled


PRINCIPALS = {
    "ADMIN": Principal("differential-admin", Role.ADMIN, None),
    # A partner with contacts, sectors and councils in the seed network.
    "PARTNER": Principal("differential-partner", Role.PARTNER, "fc-ca"),
}


@pytest.mark.parametrize("role", list(PRINCIPALS))
async def test_seed_network_compiled_equals_resolvers(
    db: Database, settings: Settings, seeded: None, role: str
) -> None:
    from seed.network import build_seed_document

    pools = Pools.of(build_seed_document())
    compiled = await differential(db, settings, pools, PRINCIPALS[role], seed=13, count=SEED_OPERATIONS)
    # Errors (a bad cursor, a page too large) are answered by the resolvers; the rest compiled.
    assert compiled >= SEED_OPERATIONS * 0.8


_networks_seen = iter(range(1_000_000))


@settings(
    max_examples=GENERATED_NETWORKS,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=networks("g-"))
async def test_generated_networks_compiled_equals_resolvers(
    db: Database, settings: Settings, document: dict[str, Any]
) -> None:
    prefix = unique_prefix("diff")
    document = add_prefix(document, prefix)
    report = await import_network(db, document)
    assert report.ok, report.problems[:3]
    pools = Pools.of(document, prefix)
    number = next(_networks_seen)
    member = document["partners"][0]["id"]
    for role, principal in (
        ("ADMIN", PRINCIPALS["ADMIN"]),
        ("PARTNER", Principal("differential-partner", Role.PARTNER, member)),
    ):
        seed = 100 + number * 2 + (role == "PARTNER")
        await differential(db, settings, pools, principal, seed=seed, count=GENERATED_OPERATIONS)

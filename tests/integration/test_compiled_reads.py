"""Differential test: compiled reads give the answers the per-field resolvers give.

The reference is the same schema without the compiler extension: graphql-core executes every
field on the resolvers and their loaders. Seeded random operations (tests/operations.py) run on
both, on the seed network and on generated networks, for an ADMIN and for a PARTNER user; the
`data` and `errors` must be equal, and every operation that answers without errors must have
been compiled (one Cypher round trip).
"""

from __future__ import annotations

import copy
import dataclasses
import random
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from strawberry.federation import Schema

from graph_api.api import build_schema
from graph_api.api.context import Context
from graph_api.identity import Principal, Role
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import READ_ACCESS, Database
from tests.helpers import unique_prefix
from tests.operations import Generator, Pools, Write, Writes
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


# -- records handed to the compiler by resolvers: mutation payloads, `_entities` -----------------

ENTITIES_OPERATIONS = 60  # per role


@pytest.mark.parametrize("role", list(PRINCIPALS))
async def test_entities_beside_a_resolver_field_are_compiled_and_equal_the_resolvers(
    db: Database, settings: Settings, seeded: None, role: str
) -> None:
    """`_entities` in an operation the compiler does not take whole (here beside introspection):
    the resolver hands the representations to the compiler, one round trip for all of them."""
    from seed.network import build_seed_document

    generator = Generator(
        COMPILED._schema, random.Random(29), Pools.of(build_seed_document()), lambda e, s: []
    )
    for index in range(ENTITIES_OPERATIONS):
        query, variables = generator.entities_beside_introspection()
        ours = await execute(COMPILED, db, settings, PRINCIPALS[role], query, variables)
        theirs = await execute(REFERENCE, db, settings, PRINCIPALS[role], query, variables)
        assert ours[:2] == theirs[:2], f"operation {index} differs:\n{query}\n{variables}"
        assert not ours[1], ours[1]
        assert ours[2] == 1, f"operation {index} took {ours[2]} round trips:\n{query}\n{variables}"


WRITES = 90  # ADMIN edits
REPORTS = 25  # PARTNER submissions, each then taken into review by an ADMIN


async def _written(
    schema: Schema, db: Database, settings: Settings, principal: Principal, write: Write
) -> dict[str, Any] | None:
    """Runs the write on `schema`; the record its payload answers."""
    data, errors, _ = await execute(schema, db, settings, principal, write.mutation, write.variables)
    assert not errors, f"{errors}\n{write.mutation}\n{write.variables}"
    assert data is not None
    payload = data["m"]
    assert payload["userErrors"] == [], f"{payload}\n{write.mutation}\n{write.variables}"
    record: dict[str, Any] | None = payload["rec"]
    return record


async def _read_after(db: Database, settings: Settings, principal: Principal, write: Write) -> Any:
    """The same selection read as a root query, on the resolvers."""
    read, errors, _ = await execute(REFERENCE, db, settings, principal, write.read, write.variables)
    assert not errors, f"{errors}\n{write.read}"
    assert read is not None
    return read["rec"]["nodes"][0] if write.listed else read["rec"]


async def test_mutation_payloads_equal_the_record_read_after_the_write(
    db: Database, settings: Settings
) -> None:
    """Generated edits (ADMIN) and reports submitted (PARTNER) and taken into review (ADMIN),
    alternately on each schema: the payload's record, projected by the compiler (or on the
    resolvers, on the reference schema), is what a root query of the same selection, fragments
    and variables reads right after the write."""
    writes = Writes(COMPILED._schema, random.Random(29), unique_prefix("pay"))
    imported = await import_network(db, writes.network())
    assert imported.ok, imported.problems[:3]
    admin = PRINCIPALS["ADMIN"]
    schemas = [COMPILED, REFERENCE]
    for index in range(WRITES):
        edit = writes.plan_edit()
        if edit.version_read is not None:
            found, errors, _ = await execute(REFERENCE, db, settings, admin, edit.version_read, {})
            assert not errors and found is not None, errors
            edit.input["version"] = (
                found["v"]["nodes"][0]["version"] if edit.listed else found["v"]["version"]
            )
        write = writes.render(edit)
        record = await _written(schemas[index % 2], db, settings, admin, write)
        assert record is not None, write.mutation
        assert record == await _read_after(db, settings, admin, write), f"{write.mutation}\n{write.variables}"
        writes.done(write)
    seen: set[str] = set()
    for index in range(REPORTS):
        submitter = writes.rng.choice(writes.partners)
        partner = Principal(f"pay-partner-{index}", Role.PARTNER, submitter)
        write = writes.submit_report()
        record = await _written(schemas[index % 2], db, settings, partner, write)
        listed, errors, _ = await execute(REFERENCE, db, settings, partner, SUBMITTED, {"s": submitter})
        assert not errors and listed is not None, errors
        [report_id] = [n["id"] for n in listed["reports"]["nodes"] if n["id"] not in seen]
        seen.add(report_id)
        write.variables["report"] = report_id
        assert record == await _read_after(db, settings, partner, write), (
            f"{write.mutation}\n{write.variables}"
        )
        review = writes.review_report(report_id)
        review.variables["report"] = report_id
        record = await _written(schemas[(index + 1) % 2], db, settings, admin, review)
        assert record == await _read_after(db, settings, admin, review), (
            f"{review.mutation}\n{review.variables}"
        )


SUBMITTED = "query($s: ID) { reports(first: 100, submitter: $s) { nodes { id } } }"


@dataclasses.dataclass
class Watched(Database):
    """The real database, refusing any read not issued by the compiler: what a resolver hands
    the compiler is read by the compiler, and no resolver or loader reads. Writes (the edit and
    its audit entry, in write transactions) are the domain's. `issuers` records the module that
    issued each read (the first of ours outside the query layer)."""

    issuers: list[str] = dataclasses.field(default_factory=list)
    # Who else may read: a domain operation's own rules, which compute its answer.
    allowed: tuple[str, ...] = ("graph_api.compiler",)

    def count_round_trip(self, access_mode: str) -> None:
        if access_mode == READ_ACCESS:
            issuer = _issuer()
            self.issuers.append(issuer)
            if not issuer.startswith(self.allowed):
                raise AssertionError(f"{issuer} sent a read")
        super().count_round_trip(access_mode)


def _issuer() -> str:
    frame = sys._getframe(2)
    while frame is not None:
        module = str(frame.f_globals.get("__name__", ""))
        if module.startswith("graph_api.") and not module.startswith("graph_api.store"):
            return module
        frame = frame.f_back  # type: ignore[assignment]
    return "?"


DEEP_PARTNER = """{ id name kind isGovernment fusionCenter { type serves { id name parent { id } } }
  sectors { id name councils { id kind } } regions { id parent { name } }
  memberships { role version council { id name sectors { id } } partner { id } }
  subscriptions { minSeverity topic { id } sector { id } }
  contacts { name email partner { id } }
  councilsConnection(first: 2) { totalCount edges { cursor node { id members { partner { id } } } } }
  partnersWith { id clientOf { id } } }"""


async def test_payloads_and_entities_are_read_by_the_compiler_alone(db: Database, settings: Settings) -> None:
    """A mutation's payload and `_entities` on the resolver path, with the database refusing any
    statement a resolver or loader would send: every read is the compiler's."""
    writes = Writes(COMPILED._schema, random.Random(3), unique_prefix("watch"))
    imported = await import_network(db, writes.network())
    assert imported.ok, imported.problems[:3]
    watched = Watched(**{f.name: getattr(db, f.name) for f in dataclasses.fields(db) if f.init})
    admin = PRINCIPALS["ADMIN"]
    p = writes.prefix
    mutation = f"""mutation {{ m: createPartner(input: {{id: "{p}new", name: "New", kind: STATE,
      sectors: ["{p}energy"], regions: ["{p}city"], partnersWith: ["{p}grid"],
      fusionCenter: {{type: RECOGNIZED, serves: ["{p}state"]}}}}) {{ rec: partner {DEEP_PARTNER}
      userErrors {{ code }} }} }}"""
    data, errors, _ = await execute(COMPILED, watched, settings, admin, mutation, {})
    assert not errors, errors
    assert data is not None and data["m"]["rec"]["sectors"] == [
        {
            "id": f"{p}energy",
            "name": "Energy",
            "councils": [{"id": f"{p}gcc", "kind": "GCC"}, {"id": f"{p}scc", "kind": "SCC"}],
        }
    ]
    reference, _, _ = await execute(
        REFERENCE, db, settings, admin, f'{{ rec: partner(id: "{p}new") {DEEP_PARTNER} }}', {}
    )
    assert reference is not None and data["m"]["rec"] == reference["rec"]
    assert "graph_api.compiler.translate" in watched.issuers
    # The test can fail: the reference schema's resolvers read through their loaders.
    _, refused, _ = await execute(
        REFERENCE, watched, settings, admin, mutation.replace(f"{p}new", f"{p}new2"), {}
    )
    assert refused and "graph_api.api.context" in watched.issuers, (refused, watched.issuers)
    watched.issuers.clear()
    entities = """query($r: [_Any!]!) { _entities(representations: $r) { __typename
      ... on Partner { id name sectors { id } } ... on Council { id members { role } } }
      __schema { queryType { name } } }"""
    reps = [
        {"__typename": "Partner", "id": f"{p}new"},
        {"__typename": "Council", "id": f"{p}scc"},
        {"__typename": "Partner", "id": f"{p}gone"},
    ]
    data, errors, trips = await execute(COMPILED, watched, settings, admin, entities, {"r": reps})
    assert not errors, errors
    assert data is not None
    assert data["_entities"] == [
        {"__typename": "Partner", "id": f"{p}new", "name": "New", "sectors": [{"id": f"{p}energy"}]},
        {"__typename": "Council", "id": f"{p}scc", "members": [{"role": "CHAIR"}]},
        None,
    ]
    assert watched.issuers == ["graph_api.compiler.translate"] and trips == 1


# -- domain operations: computed in Python, the records their answers name read by the compiler --

DOMAIN_OPERATIONS = 120  # per role
# A domain operation's answer is computed by its rules, which read what they need; every record
# the answer names, and everything selected under it, is read by the compiler.
DOMAIN_READERS = ("graph_api.compiler", "graph_api.rules", "graph_api.audience", "graph_api.delivery")


@pytest.mark.parametrize("role", ["ADMIN", "PARTNER", "OTHER_PARTNER"])
async def test_domain_operations_compiled_equal_resolvers_and_read_by_the_compiler(
    db: Database, settings: Settings, role: str
) -> None:
    """Generated operations of recipient lists, deliveries, inboxes, onward sharing, paths, the
    Daily Report and reports, with nested selections of the records they name: the answers equal
    the resolvers', and no resolver or loader reads (the database refuses any read but the
    compiler's and the domain rules')."""
    from graph_api.rules import dissemination

    writes = Writes(COMPILED._schema, random.Random(41), unique_prefix("dom"))
    network = writes.network()
    imported = await import_network(db, network)
    assert imported.ok, imported.problems[:3]
    p = writes.prefix
    for product in (f"{p}prod1", f"{p}prod2"):
        await dissemination.disseminate(db, product, "differential")
    principal = {
        "ADMIN": PRINCIPALS["ADMIN"],
        "PARTNER": Principal("dom-grid", Role.PARTNER, f"{p}grid"),
        "OTHER_PARTNER": Principal("dom-utility", Role.PARTNER, f"{p}utility"),
    }[role]
    watched = Watched(
        **{f.name: getattr(db, f.name) for f in dataclasses.fields(db) if f.init}, allowed=DOMAIN_READERS
    )
    generator = Generator(COMPILED._schema, random.Random(43), Pools.of(network, p), lambda e, s: [])
    answered = 0
    for index in range(DOMAIN_OPERATIONS):
        query, variables = generator.domain_operation(principal.partner)
        watched.issuers.clear()
        ours = await execute(COMPILED, watched, settings, principal, query, variables)
        theirs = await execute(REFERENCE, db, settings, principal, query, variables)
        message = f"operation {index} differs:\n{query}\n{variables}\n{ours[1]}"
        if ours[0] is None and theirs[0] is None and ours[1] != theirs[1]:
            # Two root fields refused, one of them non-null: whether graphql-core still reports
            # the other's error after the first nulls the whole answer depends on which finished
            # first: one answer's errors are then among the other's.
            mine, yours = [repr(e) for e in ours[1]], [repr(e) for e in theirs[1]]
            assert set(mine) <= set(yours) or set(yours) <= set(mine), message
        else:
            assert ours[:2] == theirs[:2], message
        answered += ours[0] is not None
    assert answered >= DOMAIN_OPERATIONS // 3

"""Oversized filters on every list's `where`: each is refused with the bound it passes named, or
answered; either way Neo4j is idle again soon after the answer (a statement too large to plan is
never sent, and every statement sent stops at the query timeout)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest
from graphql import GraphQLInputObjectType, get_named_type
from starlette.testclient import TestClient

from graph_api.api import schema as graphql_schema
from graph_api.domain.entities import ENTITIES, OPERATORS, Entity
from graph_api.settings import RequestLimits, Settings
from graph_api.store.database import Database
from tests.helpers import gql

IDLE_WITHIN_SECONDS = 5.0


def _root_lists() -> list[tuple[str, Entity]]:
    """Every root field of the schema that lists an entity of the model with a `where`."""
    lists = []
    by_where = {f"{entity.name}Where": entity for entity in ENTITIES.values()}
    for name, field in graphql_schema._schema.query_type.fields.items():
        argument = field.args.get("where")
        if argument is None:
            continue
        where_type = get_named_type(argument.type)
        assert isinstance(where_type, GraphQLInputObjectType)
        if where_type.name in by_where:
            lists.append((name, by_where[where_type.name]))
    return lists


ROOT_LISTS = _root_lists()


def _text_field(entity: Entity) -> tuple[str, str]:
    """A text field of the entity and its substring-like operator (`name_CONTAINS`, `id_STARTS_WITH`)."""
    for name, scalar in entity.scalars.items():
        if "_CONTAINS" in OPERATORS[scalar.kind]:
            return name, "_CONTAINS"
    return "id", "_STARTS_WITH"


def _branches(entity: Entity, count: int) -> dict[str, Any]:
    name, operator = _text_field(entity)
    return {"OR": [{f"{name}{operator}": f"no such text {i}"} for i in range(count)]}


def _nested(entity: Entity, depth: int) -> dict[str, Any]:
    where: dict[str, Any] = {"id_STARTS_WITH": "no-such-id"}
    for _ in range(depth - 1):
        where = {"NOT": where}
    return where


def _long_in(entity: Entity, count: int) -> dict[str, Any]:
    return {"id_IN": [f"no-such-id-{i}" for i in range(count)]}


def _long_text(entity: Entity, chars: int) -> dict[str, Any]:
    name, operator = _text_field(entity)
    return {f"{name}{operator}": "x" * chars}


# Each shape: how to build a filter of a size, the bound that size meets, and the setting it names.
SHAPES: dict[str, tuple[Callable[[Entity, int], dict[str, Any]], Callable[[RequestLimits], int], str]] = {
    "many branches": (_branches, lambda limits: limits.filter_conditions, "ISEGRAPH_MAX_FILTER_CONDITIONS"),
    "deep nesting": (_nested, lambda limits: limits.filter_depth, "ISEGRAPH_MAX_FILTER_DEPTH"),
    "a long _IN list": (
        _long_in,
        lambda limits: limits.filter_list_values,
        "ISEGRAPH_MAX_FILTER_LIST_VALUES",
    ),
    "a long _CONTAINS value": (
        _long_text,
        lambda limits: limits.filter_text_chars,
        "ISEGRAPH_MAX_FILTER_TEXT_CHARS",
    ),
}


def _list_query(field: str, entity: Entity) -> str:
    return f"query($w: {entity.name}Where) {{ {field}(where: $w) {{ __typename }} }}"


async def _our_transactions(db: Database) -> list[str]:
    """The transactions Neo4j is running now, but the one that lists them."""
    records, _, _ = await db.driver.execute_query(
        "SHOW TRANSACTIONS YIELD transactionId, currentQuery, status",
        database_=db.name,
    )
    return [
        f"{r['status']}: {str(r['currentQuery'])[:120]}"
        for r in records
        if not str(r["currentQuery"]).lstrip().upper().startswith("SHOW TRANSACTIONS")
    ]


async def assert_idle_soon(db: Database) -> None:
    """Polls `SHOW TRANSACTIONS` until Neo4j runs no transaction of ours, for at most 5 s."""
    deadline = time.monotonic() + IDLE_WITHIN_SECONDS
    running = await _our_transactions(db)
    while running and time.monotonic() < deadline:
        await asyncio.sleep(0.1)  # bounded poll: until our transactions are gone, within the deadline above
        running = await _our_transactions(db)
    assert not running, f"Neo4j still busy {IDLE_WITHIN_SECONDS} s after the answer: {running}"


def _refusal(body: dict[str, Any]) -> dict[str, Any]:
    errors = body.get("errors") or []
    assert errors and body.get("data") is None, body
    error: dict[str, Any] = errors[0]
    return error


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize(("field", "entity"), ROOT_LISTS, ids=[name for name, _ in ROOT_LISTS])
async def test_an_oversized_filter_is_refused_by_name_and_one_at_the_bound_is_answered(
    client: TestClient, settings: Settings, db: Database, seeded: None, field: str, entity: Entity, shape: str
) -> None:
    build, bound, setting = SHAPES[shape]
    limit = bound(settings.limits)
    query = _list_query(field, entity)

    at_the_bound = gql(client, query, w=build(entity, limit))
    assert "errors" not in at_the_bound, at_the_bound["errors"]
    assert at_the_bound["data"][field] is not None
    await assert_idle_soon(db)

    over = _refusal(gql(client, query, w=build(entity, limit + 1)))
    assert over["extensions"]["code"] == "BAD_USER_INPUT"
    assert setting in over["message"] and f"limit {limit}" in over["message"], over["message"]
    await assert_idle_soon(db)


@pytest.mark.parametrize(("field", "entity"), ROOT_LISTS, ids=[name for name, _ in ROOT_LISTS])
async def test_a_filter_of_thousands_of_branches_is_refused_and_never_reaches_neo4j(
    client: TestClient, settings: Settings, db: Database, seeded: None, field: str, entity: Entity
) -> None:
    # A planner takes minutes over a statement like this one, and cannot be stopped meanwhile.
    refused = _refusal(gql(client, _list_query(field, entity), w=_branches(entity, 2000)))
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ISEGRAPH_MAX_FILTER_CONDITIONS" in refused["message"]
    await assert_idle_soon(db)


def test_the_filters_of_one_operation_are_bounded_together(client: TestClient, settings: Settings) -> None:
    limits = settings.limits
    per_list = limits.filter_conditions
    lists = limits.operation_filter_conditions // per_list
    branches = {"OR": [{"name_CONTAINS": f"no such name {i}"} for i in range(per_list)]}

    def operation(count: int) -> str:
        # Nested lists, in a fragment spread once per alias: each spread counts.
        aliases = " ".join(f"s{i}: sectors {{ ...F }}" for i in range(count))
        fragment = "fragment F on Sector { partnersConnection(where: $w) { totalCount } }"
        return f"query($w: PartnerWhere) {{ {aliases} }} {fragment}"

    within = gql(client, operation(lists), w=branches)
    assert "errors" not in within, within["errors"]
    refused = _refusal(gql(client, operation(lists + 1), w=branches))
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    message = refused["message"]
    assert (
        "ISEGRAPH_MAX_OPERATION_FILTER_CONDITIONS" in message
        and f"limit {limits.operation_filter_conditions}" in message
    )


def test_a_search_text_over_its_bound_is_refused_and_one_at_it_is_answered(
    client: TestClient, settings: Settings, seeded: None
) -> None:
    limit = settings.limits.search_text_chars
    query = "query($t: String!) { search(text: $t) { totalCount } }"
    answered = gql(client, query, t="g" * limit)
    assert "errors" not in answered, answered["errors"]
    refused = _refusal(gql(client, query, t="g" * (limit + 1)))
    assert refused["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ISEGRAPH_MAX_SEARCH_TEXT_CHARS" in refused["message"]

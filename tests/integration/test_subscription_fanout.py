"""Subscription fan-out in one process: subscribers with the same plan (document, variables and
access) share each event's payload, read through the compiler in one Cypher statement per plan;
subscribers whose access differs get one each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from graph_api import events
from graph_api.api import schema
from graph_api.api.context import Context
from graph_api.events.hub import Hub
from graph_api.identity import Principal, Role
from graph_api.rules import access
from graph_api.rules.importer import import_network
from graph_api.settings import EventSettings, Settings
from graph_api.store.database import Database
from tests.helpers import imported_sample
from tests.sample import sample

PUBLISHED = """subscription($after: Int) { productPublished(after: $after) { sequence
  product { id title tlp sectors { id name } issuedBy { id name contacts { id } } } } }"""


@pytest.fixture
async def hub(db: Database) -> AsyncIterator[Hub]:
    running = Hub(db, EventSettings(poll_seconds=0.02), lambda a, b: access.visible_among(db, a, b))
    yield running
    await running.stop()


async def test_subscribers_of_one_plan_share_one_statement_per_event_and_each_access_has_its_own(
    db: Database, settings: Settings, hub: Hub
) -> None:
    network = await imported_sample(db, "fan")
    staff = Principal("fan-admin", Role.ADMIN, None)
    partner = Principal("fan-partner", Role.PARTNER, f"{network}p1")
    subscribers = [staff, staff, staff, partner, partner]
    contexts = [Context(db=db.fresh(), settings=settings, principal=p, hub=hub) for p in subscribers]
    start = await events.last_sequence(db)
    streams: list[Any] = [
        await schema.subscribe(PUBLISHED, variable_values={"after": start}, context_value=context)
        for context in contexts
    ]
    product = {**sample(network)["products"][0], "id": f"{network}fan", "tlp": "GREEN"}
    assert (await import_network(db, {"products": [product]})).ok

    results = await asyncio.gather(*(asyncio.wait_for(anext(stream), 30) for stream in streams))
    for stream in streams:
        await stream.aclose()
    assert all(r.errors is None for r in results), [r.errors for r in results]
    heard = [r.data["productPublished"] for r in results]
    assert heard[0]["product"]["id"] == product["id"] and heard[0]["product"]["issuedBy"]["id"]
    assert heard[0] == heard[1] == heard[2] and heard[3] == heard[4]
    # One statement for the three ADMIN subscribers and one for the two PARTNER ones: the
    # resolvers would have needed a round trip per record and level, for each subscriber.
    assert sum(context.db.round_trips for context in contexts) == 2

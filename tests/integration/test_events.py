"""The event log on the real Neo4j: numbering under concurrency, events written in the change's own
transaction (and none for a change that did not happen), pruning, and the tailer's fan-out."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator

import pytest

from graph_api import events
from graph_api.errors import InvalidInput
from graph_api.events import EventKind
from graph_api.events.changes import edited
from graph_api.events.hub import EventsPruned, Hub, SubscriberTooSlow, SubscriptionLimit
from graph_api.rules import access, dissemination, editing
from graph_api.rules.importer import import_network
from graph_api.settings import EventSettings, Settings
from graph_api.store.database import Database, Transaction
from tests.helpers import imported_sample, unique_prefix, until
from tests.sample import sample

FAST = EventSettings(poll_seconds=0.02)


async def _create_topic(db: Database, topic: str, name: str | None = None) -> None:
    """An edit as the mutations make it: the record and its event in one transaction."""
    fields = {"id": topic, "name": name or topic}
    await db.in_write_transaction(
        editing.recorded(lambda tx: editing.create(tx, "topics", fields), "admin:test")
    )


async def _log_after(db: Database, after: int) -> list[events.Event]:
    return await events.read_after(db, after, 10_000)


@pytest.fixture
async def network(db: Database) -> str:
    return await imported_sample(db, "ev")


async def test_concurrent_transactions_get_consecutive_numbers_in_commit_order(db: Database) -> None:
    before = await events.last_sequence(db)

    async def append(i: int) -> None:
        async def work(tx: Transaction) -> None:
            events.append(tx, edited("topics", f"concurrent-{i}", None, {"id": i}, "test"))
            # More work after the append: the events are numbered at the commit all the same.
            await tx.run("events/last")

        await db.in_write_transaction(work)

    await asyncio.gather(*(append(i) for i in range(20)))
    logged = [e for e in await _log_after(db, before) if (e.key or "").startswith("concurrent-")]
    assert [e.sequence for e in logged] == list(range(before + 1, before + 21))
    assert len({e.key for e in logged}) == 20


async def test_a_transaction_that_does_not_commit_appends_nothing(db: Database) -> None:
    before = await events.last_sequence(db)

    async def refused(tx: Transaction) -> None:
        events.append(tx, edited("topics", "never-committed", None, {}, "test"))
        raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        await db.in_write_transaction(refused)
    assert await _log_after(db, before) == []
    assert await events.last_sequence(db) == before


async def test_dissemination_appends_one_delivery_event_per_new_recipient(db: Database, network: str) -> None:
    before = await events.last_sequence(db)
    report = await dissemination.disseminate(db, f"{network}prod-1", "analyst:test")
    first = await _log_after(db, before)
    delivered = sorted(e.partner or "" for e in first if e.kind == EventKind.DELIVERED)
    assert delivered == sorted([f"{network}p1", f"{network}fc-ca"]) and report.newly_delivered == 2
    (summary,) = [e for e in first if e.kind == EventKind.DISSEMINATED]
    assert summary.product == f"{network}prod-1" and summary.detail["newlyDelivered"] == 2
    assert summary.sequence == max(e.sequence for e in first)  # after the deliveries it sums up

    # Again: nothing new is delivered, so no delivery event; the dissemination itself is logged.
    middle = await events.last_sequence(db)
    await dissemination.disseminate(db, f"{network}prod-1", "analyst:test")
    second = await _log_after(db, middle)
    assert [(e.kind, e.detail.get("alreadyDelivered")) for e in second] == [(EventKind.DISSEMINATED, 2)]


async def test_an_edit_appends_its_event_and_a_refused_or_empty_edit_none(db: Database, network: str) -> None:
    before = await events.last_sequence(db)
    topic = f"{network}new-topic"
    await _create_topic(db, topic, "New")
    (event,) = await _log_after(db, before)
    assert (event.kind, event.collection, event.key, event.status, event.actor) == (
        EventKind.EDITED,
        "topics",
        topic,
        "CREATED",
        "admin:test",
    )
    middle = await events.last_sequence(db)
    with pytest.raises(editing.EditRejected):  # the id is taken: nothing changes, nothing is logged
        await db.in_write_transaction(
            editing.recorded(
                lambda tx: editing.create(tx, "topics", {"id": topic, "name": "X"}), "admin:test"
            )
        )
    # An update that changes nothing is no change either.
    await db.in_write_transaction(
        editing.recorded(lambda tx: editing.update(tx, "topics", topic, 1, {"name": "New"}), "admin:test")
    )
    assert await _log_after(db, middle) == []


async def test_a_new_product_is_published_by_an_edit_and_by_an_import(db: Database, network: str) -> None:
    before = await events.last_sequence(db)
    doc = sample(network)
    product = {**doc["products"][0], "id": f"{network}imported", "tlp": "GREEN"}
    await import_network(db, {"products": [product]}, actor="admin:test")
    kinds = [(e.kind, e.product) for e in await _log_after(db, before)]
    assert kinds == [(EventKind.PRODUCT_PUBLISHED, product["id"]), (EventKind.NETWORK_IMPORTED, None)]
    # The same document again writes nothing, and announces nothing.
    middle = await events.last_sequence(db)
    await import_network(db, {"products": [product]}, actor="admin:test")
    assert await _log_after(db, middle) == []


async def test_pruning_removes_only_events_older_than_the_retention(db: Database) -> None:
    async def work(tx: Transaction) -> None:
        events.append(
            tx, [*edited("topics", "old-one", None, {}, "t"), *edited("topics", "new-one", None, {}, "t")]
        )

    await db.in_write_transaction(work)
    last = await events.last_sequence(db)
    await db.driver.execute_query(
        "MATCH (e:Event) WHERE e.sequence < $s SET e.at = datetime() - duration('P8D')", s=last
    )
    await events.prune(db, retention_seconds=7 * 24 * 3600)
    assert await events.first_sequence(db) == last  # the older one went, the newer one stayed
    hub = Hub(db, FAST, lambda a, b: access.visible_among(db, a, b))
    # Resuming from before the oldest kept event would miss events: refused, never silently partial.
    with pytest.raises(EventsPruned, match="no longer kept"):
        await anext(hub.stream(lambda e: True, None, last - 2))
    resumed = hub.stream(lambda e: True, None, last - 1)
    assert (await asyncio.wait_for(anext(resumed), 20)).key == "new-one"
    await resumed.aclose()
    await hub.stop()
    assert await events.last_sequence(db) >= last  # the numbering goes on: numbers are never reused


@pytest.fixture
async def hub(db: Database) -> AsyncIterator[Hub]:
    running = Hub(db, FAST, lambda partners, products: access.visible_among(db, partners, products))
    yield running
    await running.stop()


async def _take(stream: AsyncIterator[events.Event], count: int) -> list[events.Event]:
    return [await asyncio.wait_for(anext(stream), 20) for _ in range(count)]


async def test_the_hub_resumes_after_a_sequence_then_goes_live(db: Database, hub: Hub, network: str) -> None:
    start = await events.last_sequence(db)
    keys = [f"{network}t{i}" for i in range(5)]
    for key in keys[:3]:
        await _create_topic(db, key)
    stream = hub.stream(
        lambda e: e.kind == EventKind.EDITED and (e.key or "").startswith(network), None, start
    )
    seen = await _take(stream, 3)
    for key in keys[3:]:
        await _create_topic(db, key)
    seen += await _take(stream, 2)
    assert [e.key for e in seen] == keys
    assert [e.sequence for e in seen] == sorted({e.sequence for e in seen})
    await stream.aclose()
    assert hub.subscriber_count == 0


async def test_a_partner_viewer_hears_only_of_products_it_may_see(
    db: Database, hub: Hub, network: str
) -> None:
    start = await events.last_sequence(db)
    doc = sample(network)
    base = doc["products"][0]
    red = {**base, "id": f"{network}red", "tlp": "RED", "addressedTo": [f"{network}p1"]}
    green = {**base, "id": f"{network}green", "tlp": "GREEN"}
    await import_network(db, {"products": [red, green]})
    # p2 works in the energy sector: the GREEN product is in its community, the RED one is not its.
    stream = hub.stream(lambda e: e.kind == EventKind.PRODUCT_PUBLISHED, f"{network}p2", start)
    (only,) = await _take(stream, 1)
    assert only.product == green["id"]
    await stream.aclose()


async def test_a_slow_subscriber_is_dropped_not_buffered(db: Database, network: str) -> None:
    small = Hub(db, dataclasses.replace(FAST, buffer=2), lambda a, b: access.visible_among(db, a, b))
    dropped = asyncio.Event()
    stream = small.stream(lambda e: (e.key or "").startswith(network), None, None, dropped.set)
    waiting = asyncio.ensure_future(anext(stream))
    # Subscribed once the hub holds its listener; the first event then wakes the waiting reader.
    await until(lambda: small.subscriber_count == 1, 20, "the subscriber to register")
    for i in range(6):
        await _create_topic(db, f"{network}s{i}")
    await asyncio.wait_for(dropped.wait(), 20)
    await waiting
    with pytest.raises(SubscriberTooSlow):
        for _ in range(10):
            await asyncio.wait_for(anext(stream), 5)
    assert small.subscriber_count == 0
    await small.stop()


async def test_limits_and_an_after_the_log_cannot_serve(db: Database) -> None:
    capped = Hub(db, dataclasses.replace(FAST, per_process=1), lambda a, b: access.visible_among(db, a, b))
    first = capped.stream(lambda e: True, None, None)
    waiting = asyncio.ensure_future(anext(first))
    await until(lambda: capped.subscriber_count == 1, 20, "the first subscriber to register")
    with pytest.raises(SubscriptionLimit, match="limit"):
        await anext(capped.stream(lambda e: True, None, None))
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    await first.aclose()
    latest = await events.last_sequence(db)
    with pytest.raises(InvalidInput, match="no event"):
        await anext(capped.stream(lambda e: True, None, latest + 1000))
    await capped.stop()


async def test_message_status_changes_and_the_first_acknowledgement_are_logged(
    db: Database, settings: Settings
) -> None:
    from graph_api.delivery import actions
    from graph_api.delivery.worker import Worker
    from tests.integration.peers import MailServer
    from tests.integration.test_delivery import network as delivery_network
    from tests.integration.test_delivery import peer_settings

    prefix = unique_prefix("evmsg")
    document = delivery_network(prefix, [("solo", ["EMAIL"])], [{"id": "p", "title": "T"}])
    assert (await import_network(db, document)).ok
    product, partner = f"{prefix}p", f"{prefix}org"
    mail = MailServer()
    mail.start()
    quick = peer_settings(settings, mail)
    quick = dataclasses.replace(
        quick, delivery=dataclasses.replace(quick.delivery, max_attempts=2, retry_base_seconds=0.05)
    )
    worker = Worker(db, quick)
    before = await events.last_sequence(db)
    mail.stop()
    try:
        report = await dissemination.disseminate(db, product, "analyst:test")
        assert report.messages_queued == 1
        await worker.drain()

        async def dead_after_a_drain() -> bool:
            await worker.drain()  # sends nothing until the retry is due; the last attempt: DEAD
            logged = await _log_after(db, before)
            return any(e.kind == EventKind.MESSAGE_DEAD and e.product == product for e in logged)

        await until(dead_after_a_drain, 60, "the second attempt to fail")
        # The worker sends whatever is due in the outbox; only this product's message is this test's.
        logged_so_far = await _log_after(db, before)
        (message,) = {e.message for e in logged_so_far if e.message and e.product == product}
        await actions.retry(db, message, "admin:test")
        mail.start()
        await worker.drain()
    finally:
        await worker.close()
        mail.stop()
    await actions.acknowledge(db, product, partner, "partner:test")
    await actions.acknowledge(db, product, partner, "partner:test")  # changes nothing, logs nothing

    logged = await _log_after(db, before)
    assert [e.kind for e in logged if e.message == message] == [
        EventKind.MESSAGE_FAILED,
        EventKind.MESSAGE_DEAD,
        EventKind.MESSAGE_QUEUED,
        EventKind.MESSAGE_SENT,
    ]
    # The worker drains the whole outbox: other tests' messages may die in the same drains.
    dead = next(e for e in logged if e.kind == EventKind.MESSAGE_DEAD and e.message == message)
    assert (dead.product, dead.partner, dead.detail["before"]) == (product, partner, "FAILED")
    assert dead.detail["error"]  # what went wrong travels with the failure
    (queued,) = [e for e in logged if e.kind == EventKind.DISSEMINATED]
    assert queued.detail["messagesQueued"] == 1
    (ack,) = [e for e in logged if e.kind == EventKind.ACKNOWLEDGED]
    assert (ack.product, ack.partner, ack.actor, ack.detail["via"]) == (
        product,
        partner,
        "partner:test",
        "USER",
    )

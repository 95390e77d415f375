"""Delivery end to end: disseminate, a worker sends to a real SMTP server and a real webhook
receiver on loopback, retries, acknowledgements, and several workers at once."""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import json
import os
import re
import secrets
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from standardwebhooks import Webhook
from starlette.testclient import TestClient

from graph_api.delivery.worker import Worker
from graph_api.domain.messages import PCII_NOTICE, message_id
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from tests.helpers import data, gql, token, unique_prefix, until, wait_until
from tests.integration.peers import MailServer, WebhookReceiver

SECRET = "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()
DISSEMINATE = "mutation($p: ID!) { disseminate(productId: $p) { newlyDelivered messagesQueued } }"
MESSAGES = """query($p: ID!) { deliveries(productId: $p, first: 500) { totalCount nodes {
  partner { id } acknowledgedAt acknowledgedBy acknowledgedVia
  messages { id channel status address attempts lastError nextAttemptAt sentAt linkUsedAt
             contact { id } } } } }"""


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


def peer_settings(settings: Settings, mail: MailServer, webhook: WebhookReceiver | None = None) -> Settings:
    delivery = dataclasses.replace(
        settings.delivery,
        smtp_host="127.0.0.1",
        smtp_port=mail.port,
        smtp_tls="none",
        hsin_webhook_url=webhook.url if webhook else None,
        hsin_webhook_secret=SECRET if webhook else None,
        retry_base_seconds=0.2,
        retry_cap_seconds=0.5,
        lease_seconds=20,
        poll_seconds=0.05,
    )
    return dataclasses.replace(settings, delivery=delivery)


@pytest.fixture
async def worker(
    db: Database, settings: Settings, mail: MailServer, webhook: WebhookReceiver
) -> AsyncIterator[Worker]:
    running = Worker(db, peer_settings(settings, mail, webhook))
    yield running
    await running.close()


def network(
    prefix: str, contacts: list[tuple[str, list[str]]], products: list[dict[str, Any]]
) -> dict[str, Any]:
    """One partner with the given contacts, and products addressed to it. The products are about a
    region of their own, so that no fusion center of other tests is a recipient."""
    partner = f"{prefix}org"
    return {
        "regions": [{"id": f"{prefix}region", "name": f"{prefix} Region", "kind": "OTHER"}],
        "partners": [{"id": partner, "name": f"{prefix} Utility", "kind": "STATE"}],
        "contacts": [
            {
                "id": f"{prefix}{name}",
                "partner": partner,
                "name": f"Person {name}",
                "email": f"{name}@{prefix.rstrip('-')}.example.org",
                "channels": channels,
                "pciiAuthorized": True,
            }
            for name, channels in contacts
        ],
        "products": [
            {
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "GREEN",
                "addressedTo": [partner],
                "regions": [f"{prefix}region"],
                "publishedAt": "2026-11-25T10:00:00Z",
                **product,
                "id": f"{prefix}{product['id']}",
            }
            for product in products
        ],
    }


def watch_queue(client: TestClient) -> list[dict[str, Any]]:
    """Every call and notice waiting for a person, page after page."""
    query = """query($after: String) { watchQueue(first: 100, after: $after) {
      nodes { id channel status product { id } contact { id } } pageInfo { hasNextPage endCursor } } }"""
    found: list[dict[str, Any]] = []
    after = None
    while True:
        page = data(client, query, after=after)["watchQueue"]
        found += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


async def until_due(client: TestClient, product: str) -> None:
    """Until every failed message of `product` is due again (its nextAttemptAt has come)."""
    due = [m["nextAttemptAt"] for m in messages_of(client, product) if m["nextAttemptAt"]]
    assert due, "no message waits for another attempt"
    latest = max(datetime.fromisoformat(at) for at in due)
    await until(lambda: datetime.now(UTC) >= latest, 60, f"the next attempt time {latest}")


def messages_of(client: TestClient, product: str) -> list[dict[str, Any]]:
    nodes = data(client, MESSAGES, p=product)["deliveries"]["nodes"]
    return [m for d in nodes for m in d["messages"]]


def expected_messages(client: TestClient, product: str) -> set[tuple[str, str, str]]:
    """(contact, channel, email) the dissemination rule names, from the recipient list itself."""
    answer = data(
        client,
        """query($p: ID!) { recipients(productId: $p) { recipients {
             channels contacts { id email channels } } } }""",
        p=product,
    )["recipients"]["recipients"]
    wanted: set[tuple[str, str, str]] = set()
    for recipient in answer:
        contacts = recipient["contacts"]
        pairs = {
            (c["id"], ch, c["email"]) for c in contacts for ch in c["channels"] if ch in recipient["channels"]
        }
        wanted |= pairs or {(c["id"], ch, c["email"]) for c in contacts for ch in c["channels"]}
    return wanted


# -- every channel -----------------------------------------------------------------------------


async def test_a_seed_product_reaches_every_contact_once_on_each_of_its_channels(
    client: TestClient, seeded: None, worker: Worker, mail: MailServer, webhook: WebhookReceiver
) -> None:
    product = "prod-003"
    expected = expected_messages(client, product)
    by_channel = {
        ch: {(c, e) for c, x, e in expected if x == ch} for ch in ("EMAIL", "HSIN", "PHONE", "WATCH_CENTER")
    }
    assert by_channel["EMAIL"] and by_channel["HSIN"] and by_channel["PHONE"] | by_channel["WATCH_CENTER"]

    report = data(client, DISSEMINATE, p=product)["disseminate"]
    assert report["messagesQueued"] == len(expected)
    assert data(client, DISSEMINATE, p=product)["disseminate"]["messagesQueued"] == 0
    await worker.drain()

    mails = mail.received(product)
    assert Counter(m["To"] for m in mails) == Counter(e for _, e in by_channel["EMAIL"])
    ids = {message_id(product, c, "EMAIL") for c, _ in by_channel["EMAIL"]}
    assert {re.sub(r"^<(.*)@.*>$", r"\1", m["Message-ID"]) for m in mails} == ids
    assert all(m["Subject"].startswith("[TLP:GREEN] ") for m in mails)

    verifier = Webhook(SECRET)
    posts = [p for p in webhook.posts if json.loads(p.body)["product"]["id"] == product]
    envelopes = [verifier.verify(p.body, p.headers) for p in posts]  # raises on a bad signature
    assert Counter(e["recipient"]["contact"] for e in envelopes) == Counter(c for c, _ in by_channel["HSIN"])
    assert {p.headers["webhook-id"] for p in posts} == {e["messageId"] for e in envelopes}

    # Other tests may have queued calls too: this product's are picked out of the whole queue.
    queue = [m for m in watch_queue(client) if m["product"]["id"] == product]
    manual = {(m["contact"]["id"], m["channel"]) for m in queue}
    assert manual == {(c, ch) for c, ch, _ in expected if ch in ("PHONE", "WATCH_CENTER")}

    statuses = Counter((m["channel"], m["status"]) for m in messages_of(client, product))
    assert statuses[("EMAIL", "SENT")] == len(by_channel["EMAIL"])
    assert statuses[("HSIN", "SENT")] == len(by_channel["HSIN"])

    done = queue[0]
    completed = data(
        client,
        'mutation($m: ID!) { completeManualDelivery(messageId: $m, note: "called") { status note } }',
        m=done["id"],
    )["completeManualDelivery"]
    assert completed == {"status": "SENT", "note": "called"}
    remaining = {m["id"] for m in watch_queue(client)}
    assert done["id"] not in remaining
    assert {m["id"] for m in queue[1:]} <= remaining  # only the completed call left the queue


# -- what an email may carry ---------------------------------------------------------------------

TITLE, SUMMARY = "Zebra pipeline intrusion", "Quokka indicators of compromise in the historian."


async def test_emails_carry_content_only_for_clear_and_green_without_pcii(
    client: TestClient, db: Database, worker: Worker, mail: MailServer
) -> None:
    prefix = unique_prefix("tlp")
    cases = [
        ("clear", "CLEAR", False),
        ("green", "GREEN", False),
        ("amber", "AMBER", False),
        ("strict", "AMBER_STRICT", False),
        ("red", "RED", False),
        ("pcii", "GREEN", True),
    ]
    products = [
        {
            "id": key,
            "tlp": tlp,
            "pcii": pcii,
            "title": TITLE,
            "summary": SUMMARY,
            "link": "https://example.org/x",
        }
        for key, tlp, pcii in cases
    ]
    assert (await import_network(db, network(prefix, [("ana", ["EMAIL"])], products))).ok
    for key, _, _ in cases:
        data(client, DISSEMINATE, p=f"{prefix}{key}")
    await worker.drain()

    labels = {
        "CLEAR": "TLP:CLEAR",
        "GREEN": "TLP:GREEN",
        "AMBER": "TLP:AMBER",
        "AMBER_STRICT": "TLP:AMBER+STRICT",
        "RED": "TLP:RED",
    }
    for key, tlp, pcii in cases:
        [email] = mail.received(f"{prefix}{key}")
        subject, body = email["Subject"], email.get_content()
        label = labels[tlp]
        assert body.splitlines()[0] == label
        assert f"{prefix}{key}" in body and "/ack/" in body
        if tlp in ("CLEAR", "GREEN") and not pcii:
            assert subject == f"[{label}] {TITLE}"
            assert TITLE in body and SUMMARY in body and "https://example.org/x" in body
            assert "Severity: HIGH" in body and "Kind: ALERT" in body
        else:
            assert subject == f"[{label}] New information product"
            for secret in (TITLE, SUMMARY, "Zebra", "Quokka"):
                assert secret not in subject and secret not in body
            assert "Kind: ALERT" in body and "Severity: HIGH" in body and "Sign in to read it" in body
            assert (PCII_NOTICE in body) == pcii


# -- retries ------------------------------------------------------------------------------------


async def test_messages_fail_while_the_mail_server_is_down_and_arrive_once_when_it_returns(
    client: TestClient, db: Database, worker: Worker, mail: MailServer
) -> None:
    prefix = unique_prefix("down")
    people = [(f"p{i}", ["EMAIL"]) for i in range(6)]
    assert (await import_network(db, network(prefix, people, [{"id": "alert", "title": "Outage"}]))).ok
    product = f"{prefix}alert"
    mail.stop()
    data(client, DISSEMINATE, p=product)
    await worker.drain()

    failed = messages_of(client, product)
    assert len(failed) == 6
    for message in failed:
        assert message["status"] == "FAILED" and message["attempts"] == 1
        assert "SMTP 127.0.0.1" in message["lastError"] and message["nextAttemptAt"]

    await until_due(client, product)
    await worker.drain()  # still down: a second failed attempt each
    assert {m["attempts"] for m in messages_of(client, product)} == {2}

    mail.start()
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    try:
        await until(lambda: len(mail.received(product)) >= 6, 30, "the six messages")
    finally:
        # Once the worker has stopped, everything it ever sent has arrived: a message sent twice
        # would be counted below.
        stop.set()
        await running
    counted = Counter(m["Message-ID"] for m in mail.received(product))
    assert len(counted) == 6 and set(counted.values()) == {1}
    assert {(m["status"], m["lastError"]) for m in messages_of(client, product)} == {("SENT", None)}


async def test_a_message_is_dead_after_the_last_attempt_until_someone_requeues_it(
    client: TestClient, db: Database, settings: Settings, mail: MailServer
) -> None:
    prefix = unique_prefix("dead")
    assert (await import_network(db, network(prefix, [("solo", ["EMAIL"])], [{"id": "p", "title": "T"}]))).ok
    product = f"{prefix}p"
    quick = peer_settings(settings, mail)
    quick = dataclasses.replace(
        quick, delivery=dataclasses.replace(quick.delivery, max_attempts=2, retry_base_seconds=0.05)
    )
    worker = Worker(db, quick)
    mail.stop()
    try:
        data(client, DISSEMINATE, p=product)
        await worker.drain()
        await until_due(client, product)
        await worker.drain()
        [message] = messages_of(client, product)
        assert message["status"] == "DEAD" and message["attempts"] == 2 and message["nextAttemptAt"] is None
        # No more attempts by itself, even once any retry delay of the policy has passed.
        would_be_due = datetime.now(UTC) + timedelta(seconds=worker.policy.cap_seconds)
        await until(lambda: datetime.now(UTC) >= would_be_due, 60, "a third attempt's time")
        await worker.drain()
        assert messages_of(client, product)[0]["status"] == "DEAD"

        retried = data(
            client, "mutation($m: ID!) { retryDelivery(messageId: $m) { status attempts } }", m=message["id"]
        )
        assert retried["retryDelivery"] == {"status": "QUEUED", "attempts": 0}
        mail.start()
        await worker.drain()
    finally:
        await worker.close()
    assert messages_of(client, product)[0]["status"] == "SENT"
    assert len(mail.received(product)) == 1
    again = gql(client, "mutation($m: ID!) { retryDelivery(messageId: $m) { status } }", m=message["id"])
    assert (
        again["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        and "sent already" in again["errors"][0]["message"]
    )
    log = data(client, '{ auditLog(first: 50, operation: "retryDelivery") { nodes { arguments outcome } } }')
    assert any(message["id"] in n["arguments"] and n["outcome"] == "OK" for n in log["auditLog"]["nodes"])


async def test_a_webhook_that_answers_an_error_is_retried(
    client: TestClient, db: Database, settings: Settings, mail: MailServer, webhook: WebhookReceiver
) -> None:
    prefix = unique_prefix("hook")
    assert (await import_network(db, network(prefix, [("h", ["HSIN"])], [{"id": "p", "title": "T"}]))).ok
    product = f"{prefix}p"
    worker = Worker(db, peer_settings(settings, mail, webhook))
    webhook.status = 503
    try:
        data(client, DISSEMINATE, p=product)
        await worker.drain()
        [message] = messages_of(client, product)
        assert message["status"] == "FAILED" and "HTTP 503" in message["lastError"]
        webhook.status = 200
        await until_due(client, product)
        await worker.drain()
    finally:
        await worker.close()
    assert messages_of(client, product)[0]["status"] == "SENT"
    ours = [p for p in webhook.posts if json.loads(p.body)["product"]["id"] == product]
    assert len(ours) == 2 and len({p.headers["webhook-id"] for p in ours}) == 1


# -- a message that cannot be built -------------------------------------------------------------

# A line break in a title makes an e-mail subject that cannot be written (a header injection).
POISON = "\r\nBcc: everyone@example.org"


async def test_a_message_that_cannot_be_built_fails_until_dead_while_the_others_flow_on(
    client: TestClient, db: Database, settings: Settings, mail: MailServer
) -> None:
    prefix = unique_prefix("poison")
    people = [(f"p{i}", ["EMAIL"]) for i in range(6)]
    products = [{"id": "bad", "title": "Bad"}, {"id": "good", "title": "Good"}]
    assert (await import_network(db, network(prefix, people, products))).ok
    bad, good = f"{prefix}bad", f"{prefix}good"
    # Stored as if before text was checked on entry: the import refuses such a title today.
    await db.driver.execute_query(
        "MATCH (p:InformationProduct {id: $id}) SET p.title = p.title + $poison",
        id=bad,
        poison=POISON,
        database_=db.name,
    )
    quick = peer_settings(settings, mail)
    quick = dataclasses.replace(
        quick,
        delivery=dataclasses.replace(
            quick.delivery, max_attempts=3, retry_base_seconds=0.3, retry_cap_seconds=0.3
        ),
    )
    worker = Worker(db, quick)
    try:
        # The six poisoned messages are claimed first: more than the worker's four lanes.
        data(client, DISSEMINATE, p=bad)
        data(client, DISSEMINATE, p=good)
        await worker.drain()
        assert len({m["Message-ID"] for m in mail.received(good)}) == 6
        assert {m["status"] for m in messages_of(client, good)} == {"SENT"}
        for message in messages_of(client, bad):
            assert message["status"] == "FAILED" and message["attempts"] in (1, 2), message
            assert "ValueError" in message["lastError"] and message["nextAttemptAt"], message

        stop = asyncio.Event()
        running = asyncio.create_task(worker.run(stop))
        try:
            await until(
                lambda: {m["status"] for m in messages_of(client, bad)} == {"DEAD"}, 60, "the bad ones DEAD"
            )
        finally:
            stop.set()
            await running
    finally:
        await worker.close()
        # The title as the rule of entry allows it again, so that an export of the shared test
        # database still imports.
        await db.driver.execute_query(
            "MATCH (p:InformationProduct {id: $id}) SET p.title = 'Bad'", id=bad, database_=db.name
        )
    for message in messages_of(client, bad):
        assert message["attempts"] == 3 and "ValueError" in message["lastError"], message
    assert mail.received(bad) == []


# -- several workers, and a worker killed mid-batch ---------------------------------------------


async def test_two_workers_at_once_send_each_message_once(
    client: TestClient, db: Database, settings: Settings, mail: MailServer
) -> None:
    prefix = unique_prefix("pair")
    people = [(f"p{i:03d}", ["EMAIL"]) for i in range(150)]
    assert (await import_network(db, network(prefix, people, [{"id": "p", "title": "T"}]))).ok
    product = f"{prefix}p"
    data(client, DISSEMINATE, p=product)
    both = [Worker(db, peer_settings(settings, mail), owner=f"{prefix}w{i}") for i in range(2)]
    stop = asyncio.Event()
    running = [asyncio.create_task(w.run(stop)) for w in both]
    try:
        await until(lambda: len(mail.received(product)) >= 150, 120, "the 150 messages")
    finally:
        # Once both workers have stopped, everything they sent has arrived: a message sent
        # twice would be counted below.
        stop.set()
        await asyncio.gather(*running)
        for w in both:
            await w.close()
    counted = Counter(m["Message-ID"] for m in mail.received(product))
    assert len(counted) == 150 and set(counted.values()) == {1}


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_at_most_the_message_in_flight_twice(
    client: TestClient, mail: MailServer
) -> None:
    prefix = unique_prefix("kill")
    people = [(f"p{i:03d}", ["EMAIL"]) for i in range(500)]
    body = network(prefix, people, [{"id": "p", "title": "T"}])
    imported = data(client, "mutation($d: JSON!) { importNetwork(document: $d) { ok } }", d=body)
    assert imported["importNetwork"]["ok"]
    product = f"{prefix}p"
    env = {
        **os.environ,
        "ISEGRAPH_SMTP_HOST": "127.0.0.1",
        "ISEGRAPH_SMTP_PORT": str(mail.port),
        "ISEGRAPH_SMTP_TLS": "none",
        "ISEGRAPH_DELIVERY_CONCURRENCY": "1",
        "ISEGRAPH_DELIVERY_LEASE_SECONDS": "5",
        "ISEGRAPH_DELIVERY_POLL_SECONDS": "0.1",
    }
    command = [sys.executable, "-m", "graph_api", "worker"]
    data(client, DISSEMINATE, p=product)
    first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: len(mail.received(product)) >= 150, 120, "150 messages before the kill")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait()
    at_kill = len(mail.received(product))
    assert at_kill < 500, "the worker finished before it could be killed"
    second = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        mail.wait_for(500, product, timeout=180)
    finally:
        # Once the worker process has exited, everything it sent has arrived: a message sent
        # twice would be counted below.
        second.terminate()
        second.wait(timeout=30)
    counted = Counter(m["Message-ID"] for m in mail.received(product))
    assert len(counted) == 500
    twice = [mid for mid, n in counted.items() if n > 1]
    assert len(twice) <= 1 and max(counted.values()) <= 2, twice
    statuses = Counter(m["status"] for m in messages_of(client, product))
    assert statuses == {"SENT": 500}


# -- acknowledgement ----------------------------------------------------------------------------

UNACKNOWLEDGED = "query($p: ID!) { unacknowledged(productId: $p) { totalCount nodes { partner { id } } } }"


async def test_acknowledgement_by_a_partner_user_and_by_the_emailed_link(
    client: TestClient, db: Database, worker: Worker, mail: MailServer
) -> None:
    prefix = unique_prefix("ack")
    first, second = (
        network(f"{prefix}a-", [("ann", ["EMAIL"])], []),
        network(f"{prefix}b-", [("bob", ["EMAIL"])], []),
    )
    product = f"{prefix}p"
    document = {
        "regions": first["regions"],
        "partners": first["partners"] + second["partners"],
        "contacts": first["contacts"] + second["contacts"],
        "products": [
            {
                "id": product,
                "title": "Ack me",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "AMBER",
                "addressedTo": [f"{prefix}a-org", f"{prefix}b-org"],
                "regions": [f"{prefix}a-region"],
                "publishedAt": "2026-11-25T10:00:00Z",
            }
        ],
    }
    assert (await import_network(db, document)).ok
    data(client, DISSEMINATE, p=product)
    await worker.drain()
    assert data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]["totalCount"] == 2

    mutation = (
        "mutation($p: ID!) { acknowledge(productId: $p) { "
        "alreadyAcknowledged via acknowledgedBy partner { id } } }"
    )
    as_a = token("PARTNER", f"{prefix}a-org")
    answer = data(client, mutation, p=product, as_token=as_a)["acknowledge"]
    assert answer["alreadyAcknowledged"] is False and answer["partner"]["id"] == f"{prefix}a-org"
    assert data(client, mutation, p=product, as_token=as_a)["acknowledge"]["alreadyAcknowledged"] is True
    left = data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]
    assert left["totalCount"] == 1 and left["nodes"] == [{"partner": {"id": f"{prefix}b-org"}}]

    [email] = [m for m in mail.received(product) if m["To"].startswith("bob@")]
    link = re.search(r"(https?://\S+/ack/\S+)", email.get_content())
    assert link is not None
    path = "/ack/" + link.group(1).split("/ack/", 1)[1]
    # Opening the link (as a mail scanner does) shows a button and changes nothing.
    for _ in range(2):
        opened = client.get(path, headers={"Authorization": ""})
        assert opened.status_code == 200 and "Receipt acknowledged" not in opened.text
        assert (
            f'<form method="post" action="{path}">' in opened.text
            and "Acknowledge receipt</button>" in opened.text
        )
    assert data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]["totalCount"] == 1
    pressed = client.post(path, headers={"Authorization": ""})
    assert pressed.status_code == 200 and "Receipt acknowledged" in pressed.text
    assert data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]["totalCount"] == 0

    recorded = {d["partner"]["id"]: d for d in data(client, MESSAGES, p=product)["deliveries"]["nodes"]}
    bob = recorded[f"{prefix}b-org"]
    assert (
        bob["acknowledgedVia"] == "LINK"
        and bob["acknowledgedBy"].startswith("bob@")
        and bob["acknowledgedAt"]
    )
    assert recorded[f"{prefix}a-org"]["acknowledgedVia"] == "USER"

    for method in ("GET", "POST"):
        reused = client.request(method, path, headers={"Authorization": ""})
        assert (
            reused.status_code == 409
            and "already used" in reused.text
            and "Nothing was changed" in reused.text
        )
    after = {d["partner"]["id"]: d for d in data(client, MESSAGES, p=product)["deliveries"]["nodes"]}
    assert after[f"{prefix}b-org"]["acknowledgedAt"] == bob["acknowledgedAt"]

    forged = client.post(
        path[:-3] + ("AAA" if not path.endswith("AAA") else "BBB"), headers={"Authorization": ""}
    )
    assert forged.status_code == 404 and "not valid" in forged.text

    other = gql(client, mutation, p=product, as_token=token("PARTNER", "nothing-of-ours"))
    assert other["errors"][0]["extensions"]["code"] in ("NOT_FOUND", "FORBIDDEN")
    log = data(client, "{ auditLog(first: 100) { nodes { operation arguments } } }")["auditLog"]["nodes"]
    operations = {n["operation"] for n in log if product in n["arguments"]}
    assert {"acknowledge", "acknowledgeByLink"} <= operations


async def test_an_expired_acknowledgement_link_is_refused_and_changes_nothing(
    client: TestClient, db: Database, settings: Settings, worker: Worker, mail: MailServer
) -> None:
    prefix = unique_prefix("expired")
    assert (await import_network(db, network(prefix, [("eve", ["EMAIL"])], [{"id": "p", "title": "Old"}]))).ok
    product = f"{prefix}p"
    data(client, DISSEMINATE, p=product)
    await worker.drain()
    [email] = mail.received(product)
    link = re.search(r"https?://\S+(/ack/\S+)", email.get_content())
    assert link is not None
    path = link.group(1)
    [message] = messages_of(client, product)
    # The message went out longer ago than links live (ISEGRAPH_ACK_LINK_DAYS, 30 by default).
    days = settings.delivery.ack_link_days
    await db.driver.execute_query(
        "MATCH (m:Message {id: $id}) SET m.sentAt = m.sentAt - duration({days: $days}), "
        "m.createdAt = m.createdAt - duration({days: $days})",
        id=message["id"],
        days=days + 1,
        database_=db.name,
    )
    for method in ("GET", "POST"):
        answer = client.request(method, path, headers={"Authorization": ""})
        assert answer.status_code == 410, answer.text
        assert (
            "Link expired" in answer.text
            and "Nothing was changed" in answer.text
            and "<form" not in answer.text
        )
    assert data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]["totalCount"] == 1
    assert messages_of(client, product)[0]["linkUsedAt"] is None

    # One day younger than the limit, the same link works.
    await db.driver.execute_query(
        "MATCH (m:Message {id: $id}) SET m.sentAt = m.sentAt + duration({days: 2})",
        id=message["id"],
        database_=db.name,
    )
    assert client.post(path, headers={"Authorization": ""}).status_code == 200
    assert data(client, UNACKNOWLEDGED, p=product)["unacknowledged"]["totalCount"] == 0

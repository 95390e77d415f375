"""What reports and the Daily Report send, through the outbox and the worker to a real SMTP
server (aiosmtpd on loopback); and that nothing of a report reaches another partner through
TAXII or a GraphQL subscription of the running service."""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import date
from email.message import EmailMessage
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient
from taxii2client.v21 import Server

from graph_api import events
from graph_api.delivery.digest import queue_digests
from graph_api.delivery.worker import Worker
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii.pull import BearerAuth
from tests.graphql_ws import GraphQLWS
from tests.helpers import data, serving, token, unique_prefix
from tests.integration.peers import MailServer

P = unique_prefix("rptmail")
DAY = date(2026, 10, 7)
CREATE_PRODUCT = """mutation($input: CreateProductInput!) { createProduct(input: $input) {
  product { id } userErrors { code message } } }"""
SUBMIT = """mutation($input: SubmitReportInput!) { submitReport(input: $input) {
  report { id state } userErrors { code message } } }"""


def _id(short: str) -> str:
    return P + short


def _contact(short: str, partner: str, *, pcii: bool = False) -> dict[str, Any]:
    return {
        "id": _id(short),
        "partner": _id(partner),
        "name": f"Person {short}",
        "email": f"{short}@{P.rstrip('-')}.example.org",
        "channels": ["EMAIL"],
        "pciiAuthorized": pcii,
    }


def _product(
    short: str, sectors: list[str], published: str, tlp: str = "GREEN", **extra: Any
) -> dict[str, Any]:
    return {
        "id": _id(short),
        "title": f"Product {short} {P}",
        "kind": "SITUATIONAL_REPORT",
        "level": "SITUATIONAL",
        "severity": "MODERATE",
        "tlp": tlp,
        "sectors": [_id(s) for s in sectors],
        "regions": [_id("island")],
        "publishedAt": published,
        "summary": f"Summary of {short}.",
        **extra,
    }


NETWORK: dict[str, Any] = {
    "sectors": [{"id": _id("water"), "name": f"Water {P}"}, {"id": _id("dams"), "name": f"Dams {P}"}],
    "regions": [
        {"id": _id("state"), "name": "State", "kind": "STATE"},
        {"id": _id("city"), "name": "City", "kind": "URBAN_AREA", "parent": _id("state")},
        {"id": _id("island"), "name": "Island", "kind": "OTHER"},
    ],
    "partners": [
        {
            "id": _id("org"),
            "name": f"Reporting Utility {P}",
            "kind": "PRIVATE",
            "sectors": [_id("water")],
            "regions": [_id("city")],
        },
        {
            "id": _id("peer"),
            "name": f"Peer Utility {P}",
            "kind": "PRIVATE",
            "sectors": [_id("water")],
            "regions": [_id("city")],
        },
        {
            "id": _id("fc"),
            "name": f"State Fusion Center {P}",
            "kind": "STATE",
            "regions": [_id("state")],
            "fusionCenter": {"type": "PRIMARY", "serves": [_id("state")]},
        },
        {"id": _id("ngo"), "name": f"Nonprofit Intake {P}", "kind": "NONPROFIT", "intake": True},
        {
            "id": _id("reader"),
            "name": f"Digest Reader {P}",
            "kind": "LOCAL",
            "sectors": [_id("water"), _id("dams")],
            "regions": [_id("island")],
        },
        # Follows the water sector by digest without working in it (its community is dams).
        {
            "id": _id("onlooker"),
            "name": f"Dam Operator {P}",
            "kind": "PRIVATE",
            "sectors": [_id("dams")],
            "regions": [_id("city")],
        },
    ],
    "contacts": [
        _contact("org-analyst", "org"),
        _contact("peer-analyst", "peer"),
        _contact("fc-officer", "fc", pcii=True),
        _contact("fc-clerk", "fc"),
        _contact("ngo-officer", "ngo", pcii=True),
        _contact("reader-one", "reader"),
        _contact("reader-two", "reader"),
        _contact("onlooker-analyst", "onlooker"),
    ],
    "subscriptions": [
        {"partner": _id("reader"), "sector": _id("water"), "delivery": "DAILY_DIGEST"},
        {"partner": _id("reader"), "sector": _id("dams"), "delivery": "DAILY_DIGEST"},
        {"partner": _id("onlooker"), "sector": _id("water"), "delivery": "DAILY_DIGEST"},
    ],
    "products": [
        _product("water-morning", ["water"], "2026-10-07T08:00:00Z"),
        _product("dams-noon", ["dams"], "2026-10-07T12:00:00Z", tlp="CLEAR"),
        _product("both-evening", ["water", "dams"], "2026-10-07T18:30:00Z"),
        _product("water-yesterday", ["water"], "2026-10-06T23:59:59Z"),
        _product("water-amber", ["water"], "2026-10-07T09:00:00Z", tlp="AMBER"),
        _product("water-pcii", ["water"], "2026-10-07T10:00:00Z", pcii=True),
        _product("dams-tomorrow", ["dams"], "2026-10-08T00:00:00Z"),
        # The onlooker's day: what its water digest may list.
        _product("water-fifth", ["water"], "2026-10-05T08:00:00Z"),
        _product("both-fifth", ["water", "dams"], "2026-10-05T09:00:00Z"),
        _product("clear-fifth", ["water"], "2026-10-05T10:00:00Z", tlp="CLEAR"),
    ],
}
LISTED = ["both-evening", "dams-noon", "water-morning"]  # newest first
ABSENT = ["water-yesterday", "water-amber", "water-pcii", "dams-tomorrow"]


@pytest.fixture(scope="module")
async def network(db: Database) -> None:
    report = await import_network(db, NETWORK)
    assert report.ok, report.problems


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


def smtp_settings(settings: Settings, mail: MailServer) -> Settings:
    delivery = dataclasses.replace(
        settings.delivery, smtp_host="127.0.0.1", smtp_port=mail.port, smtp_tls="none", poll_seconds=0.05
    )
    return dataclasses.replace(settings, delivery=delivery)


@pytest.fixture
async def worker(db: Database, settings: Settings, mail: MailServer) -> AsyncIterator[Worker]:
    running = Worker(db, smtp_settings(settings, mail))
    yield running
    await running.close()


def to(mail: MailServer, contact: str, about: str | None = None) -> list[EmailMessage]:
    """What `contact` received other than messages of a product, which the module's other tests
    queue and any worker may send; `about`: only the notices naming that report."""
    address = NETWORK_EMAIL[contact]
    return [
        m
        for m in mail.received()
        if m["To"] == address and m["X-ISEGraph-Product"] is None and (about is None or about in body(m))
    ]


NETWORK_EMAIL = {c["id"].removeprefix(P): c["email"] for c in NETWORK["contacts"]}


def body(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None, f"no text/{subtype} part"
    return str(part.get_content())


def submit(client: TestClient, **fields: Any) -> str:
    answer = data(
        client,
        SUBMIT,
        as_token=token("PARTNER", _id("org")),
        input={
            "title": f"Fence cut at the pumping station {P}",
            "summary": f"The perimeter fence was cut overnight {P}.",
            "kind": "INCIDENT",
            **fields,
        },
    )["submitReport"]
    assert answer["userErrors"] == [], answer
    return str(answer["report"]["id"])


# -- notices of new reports -------------------------------------------------------------------


async def test_a_routed_fusion_center_hears_of_a_new_report_at_once_without_its_content(
    client: TestClient, network: None, worker: Worker, mail: MailServer
) -> None:
    report = submit(client)
    await worker.drain()
    officer, clerk = to(mail, "fc-officer", report), to(mail, "fc-clerk", report)
    assert len(officer) == 1 and len(clerk) == 1
    notice = officer[0]
    assert notice["Subject"] == "[TLP:AMBER] New report routed to you"
    text = body(notice)
    assert text.startswith("TLP:AMBER") and report in text and f"/console/#/reports/{report}" in text
    assert "Fence cut" not in text and "perimeter fence" not in text
    # The nonprofit intake point may see an ordinary report; the submitter's peer was not routed to.
    assert len(to(mail, "ngo-officer", report)) == 1 and to(mail, "peer-analyst", report) == []


async def test_a_green_report_notice_carries_its_content_and_a_pcii_one_reaches_only_who_may_see_it(
    client: TestClient, network: None, worker: Worker, mail: MailServer
) -> None:
    shareable = submit(client, tlp="GREEN", kind="SUSPICIOUS_ACTIVITY")
    await worker.drain()
    (green,) = to(mail, "fc-clerk", shareable)
    assert green["Subject"] == f"[TLP:GREEN] Report: Fence cut at the pumping station {P}"
    assert f"The perimeter fence was cut overnight {P}." in body(green)
    assert len(to(mail, "fc-officer", shareable)) == 1 and len(to(mail, "ngo-officer", shareable)) == 1

    protected = submit(client, pciiRequested=True)
    await worker.drain()
    # PCII protection: only the government fusion center's PCII-authorized contact hears of it.
    assert len(to(mail, "fc-officer", protected)) == 1 and to(mail, "fc-clerk", protected) == []
    assert to(mail, "ngo-officer", protected) == []
    (pcii,) = to(mail, "fc-officer", protected)
    assert "Protected Critical Infrastructure Information" in body(pcii)
    assert "Fence cut" not in pcii["Subject"]


# -- the Daily Report and its digest ------------------------------------------------------------


def test_the_daily_report_lists_a_sectors_shareable_products_of_the_day_newest_first(
    client: TestClient, network: None
) -> None:
    query = """query($s: ID!, $d: String!) {
      dailyReport(sector: $s, date: $d) { date sector { id } products { id } } }"""
    water = data(client, query, s=_id("water"), d=DAY.isoformat())["dailyReport"]
    assert water["date"] == "2026-10-07" and water["sector"] == {"id": _id("water")}
    assert [p["id"] for p in water["products"]] == [_id("both-evening"), _id("water-morning")]
    dams = data(client, query, s=_id("dams"), d=DAY.isoformat())["dailyReport"]["products"]
    assert [p["id"] for p in dams] == [_id("both-evening"), _id("dams-noon")]
    bad = client.post("/graphql", json={"query": query, "variables": {"s": _id("dams"), "d": "07/10/2026"}})
    assert bad.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_digest_reaches_each_contact_once_listing_each_product_once_and_a_second_run_sends_nothing(
    db: Database, network: None, worker: Worker, mail: MailServer, settings: Settings
) -> None:
    queued = await queue_digests(db, DAY)
    # Other readers in the shared database may have digests that day too.
    assert queued.messages_queued >= 2 and queued.products >= 3
    await worker.drain()
    for contact in ("reader-one", "reader-two"):
        (digest,) = to(mail, contact)
        assert digest["Subject"] == "[TLP:GREEN] Daily Report for 2026-10-07: 3 products"
        text, page = body(digest), body(digest, "html")
        for short in LISTED:
            assert text.count(f"Product {short} {P}") == 1, (contact, short)
            assert page.count(f"Product {short} {P}") == 1, (contact, short)
        for short in ABSENT:
            assert f"Product {short} " not in text and f"Product {short} " not in page
        order = [text.index(f"Product {short} {P}") for short in LISTED]
        assert order == sorted(order), "newest first"
        assert f"[TLP:CLEAR] Product dams-noon {P}" in text
        assert f"[TLP:GREEN] Product both-evening {P}" in text
        assert "<strong>[TLP:CLEAR]</strong>" in page
    assert to(mail, "peer-analyst") == []

    # By hand, as an operator would: the day's digests went out already, so nothing new is sent.
    env = {
        **os.environ,
        "ISEGRAPH_SMTP_HOST": "127.0.0.1",
        "ISEGRAPH_SMTP_PORT": str(mail.port),
        "ISEGRAPH_SMTP_TLS": "none",
    }
    before = len(mail.received())
    run = subprocess.run(
        [sys.executable, "-m", "graph_api", "digest", "--date", DAY.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 new message(s)" in run.stdout and "nothing new" in run.stdout
    # The command sends what it queued before it exits, and a worker finds nothing of it left.
    await worker.drain()
    again = [m for m in mail.received()[before:] if m["To"] in NETWORK_EMAIL.values()]
    assert [m for m in again if "Daily Report" in m["Subject"]] == []


async def test_a_digest_lists_exactly_the_products_its_reader_may_open(
    client: TestClient, db: Database, network: None, worker: Worker, mail: MailServer
) -> None:
    # The onlooker follows water by digest but works in dams: TLP:GREEN about water alone stays in
    # the water community, so its digest leaves it out, as the view rule does.
    await queue_digests(db, date(2026, 10, 5))
    await worker.drain()
    (digest,) = to(mail, "onlooker-analyst")
    text = body(digest)
    day = ["clear-fifth", "both-fifth", "water-fifth"]  # the water sector's Daily Report, newest first
    listed = [short for short in day if f"Product {short} {P}" in text]
    assert listed == ["clear-fifth", "both-fifth"]
    assert digest["Subject"] == "[TLP:GREEN] Daily Report for 2026-10-05: 2 products"
    as_onlooker = token("PARTNER", _id("onlooker"))
    query = "query($id: ID!) { product(id: $id) { id } }"
    for short in day:
        opened = data(client, query, as_token=as_onlooker, id=_id(short))["product"]
        assert (opened is not None) == (short in listed), short
    # The readers who work in water still read all three.
    for contact in ("reader-one", "reader-two"):
        (theirs,) = to(mail, contact)
        assert all(f"Product {short} {P}" in body(theirs) for short in day)


def test_the_digest_command_explains_a_bad_date() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "graph_api", "digest", "--date", "tomorrow"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "YYYY-MM-DD" in run.stderr


async def test_the_worker_queues_the_previous_days_digests_once_after_the_digest_hour(
    db: Database, network: None, worker: Worker
) -> None:
    from datetime import UTC, datetime

    early = datetime(
        2026, 10, 9, worker.settings.digest_hour - 1 if worker.settings.digest_hour else 0, tzinfo=UTC
    )
    late = datetime(2026, 10, 9, 23, tzinfo=UTC)
    if worker.settings.digest_hour:
        await worker.queue_due_digests(early)
        assert worker._digests_queued_for is None
    await worker.queue_due_digests(late)
    assert worker._digests_queued_for == date(2026, 10, 8)
    # The 8th lists dams-tomorrow for the reader: its digests were queued then, and only once.
    again = await queue_digests(db, date(2026, 10, 8))
    assert again.messages_queued == 0 and again.partners >= 1 and again.products >= 1


# -- nothing of a report through TAXII or subscriptions ------------------------------------------


@pytest.fixture(scope="module")
def service(settings: Settings, network: None) -> Iterator[str]:
    with serving(settings) as base:
        yield base


def test_another_partner_reads_nothing_of_a_report_over_taxii(client: TestClient, service: str) -> None:
    secret = f"taxiisecret{P.replace('-', '')}"
    report = submit(client, tlp="GREEN", title=f"Valve tampering {secret}", summary=f"Seen {secret}.")
    peer = token("PARTNER", _id("peer"))
    root = Server(f"{service}/taxii2/", auth=BearerAuth(peer)).default
    assert root is not None
    wanted = {f"sector-{_id('water')}", f"inbox-{_id('peer')}"}
    collections = [c for c in root.collections if c.alias in wanted]
    assert len(collections) == 2, [c.alias for c in root.collections]
    for collection in collections:
        text = json.dumps(collection.get_objects())
        assert secret not in text and report not in text


async def _publish_marker(service: str, short: str) -> str:
    """A product the peer may see, created and disseminated to it through the service; published
    on a day of its own, so no Daily Report or digest of the other tests lists it."""
    marker = _product(short, ["water"], "2026-10-20T20:00:00Z", tlp="CLEAR", addressedTo=[_id("peer")])
    admin = {"Authorization": f"Bearer {token('ADMIN')}"}
    async with httpx.AsyncClient(base_url=service, headers=admin, timeout=30) as http:
        answer = await http.post(
            "/graphql",
            json={"query": CREATE_PRODUCT, "variables": {"input": marker}},
        )
        assert answer.json()["data"]["createProduct"]["userErrors"] == [], answer.json()
        answer = await http.post(
            "/graphql",
            json={
                "query": "mutation($p: ID!) { disseminate(productId: $p) { newlyDelivered } }",
                "variables": {"p": marker["id"]},
            },
        )
        assert answer.json()["data"]["disseminate"]["newlyDelivered"] >= 1
    return str(marker["id"])


async def test_another_partner_hears_nothing_of_a_report_through_subscriptions(
    client: TestClient, db: Database, service: str
) -> None:
    # Subscribed from the log's latest event: whatever comes after it reaches the peer, however
    # long the subscription takes to start.
    start = await events.last_sequence(db)
    peer = await GraphQLWS.open(service.replace("http", "ws") + "/graphql", token("PARTNER", _id("peer")))
    published = await peer.subscribe(
        "subscription($a: Int) { productPublished(after: $a) { product { id title } } }", a=start
    )
    inbox = await peer.subscribe(
        """subscription($p: ID!, $a: Int) {
          inboxDeliveries(partnerId: $p, after: $a) { delivery { product { id } } } }""",
        p=_id("peer"),
        a=start,
    )
    secret = f"wssecret{P.replace('-', '')}"
    submit(client, tlp="GREEN", title=f"Drone over the reservoir {secret}")
    # Markers the peer may see, after the report: each must be the next thing the peer hears.
    for short in ("marker", "marker-after"):
        marker = await _publish_marker(service, short)
        first = await peer.next(published, timeout=20)
        assert first["productPublished"]["product"]["id"] == marker, first
        delivered = await peer.next(inbox, timeout=20)
        assert delivered["inboxDeliveries"]["delivery"]["product"]["id"] == marker
    await peer.close()


def test_a_digest_reader_gets_no_message_of_its_own_for_a_product_its_digest_lists(
    client: TestClient, network: None
) -> None:
    messages = """query($p: ID!) { deliveries(productId: $p, first: 100) {
      nodes { partner { id } messages { contact { id } } } } }"""

    def reader_messages(short: str) -> list[dict[str, Any]]:
        data(client, "mutation($p: ID!) { disseminate(productId: $p) { newlyDelivered } }", p=_id(short))
        nodes = data(client, messages, p=_id(short))["deliveries"]["nodes"]
        (reader,) = [d for d in nodes if d["partner"]["id"] == _id("reader")]
        found: list[dict[str, Any]] = reader["messages"]
        return found

    # Delivered (it is in the reader's inbox), but read in the day's digest, not on its own.
    assert reader_messages("water-morning") == []
    # An AMBER product is never in a digest: it reaches the reader as a message of its own.
    assert {m["contact"]["id"] for m in reader_messages("water-amber")} == {
        _id("reader-one"),
        _id("reader-two"),
    }


async def test_a_routed_fusion_center_hears_of_a_new_report_through_the_watch_feed(
    client: TestClient, db: Database, service: str
) -> None:
    url = service.replace("http", "ws") + "/graphql"
    feed = """subscription($a: Int) { watchFeed(after: $a, kinds: [REPORT_SUBMITTED]) {
      kind key status collection detail productId } }"""
    # Subscribed from the log's latest event: every later report reaches whoever may hear of it,
    # however long the subscriptions take to start.
    start = await events.last_sequence(db)
    listeners = {who: await GraphQLWS.open(url, token("PARTNER", _id(who))) for who in ("fc", "ngo", "peer")}
    ops = {who: await ws.subscribe(feed, a=start) for who, ws in listeners.items()}
    staff = await GraphQLWS.open(url, token("ANALYST"))
    staff_op = await staff.subscribe(feed, a=start)

    report = submit(client, pciiRequested=True)
    heard = (await listeners["fc"].next(ops["fc"], timeout=20))["watchFeed"]
    assert (
        heard["kind"] == "REPORT_SUBMITTED" and heard["key"] == report and heard["status"] == "PCII_PENDING"
    )
    assert heard["productId"] is None and "Fence cut" not in json.dumps(heard)
    assert (await staff.next(staff_op, timeout=20))["watchFeed"]["key"] == report

    # The nonprofit intake point was routed to but may not see a PCII report: the next report,
    # an ordinary one, is the first it hears of; the fusion center hears of it next, once.
    ordinary = submit(client)
    assert (await listeners["ngo"].next(ops["ngo"], timeout=20))["watchFeed"]["key"] == ordinary
    assert (await listeners["fc"].next(ops["fc"], timeout=20))["watchFeed"]["key"] == ordinary
    assert (await staff.next(staff_op, timeout=20))["watchFeed"]["key"] == ordinary
    # The peer was routed to neither, and no report can be routed to it to mark the end of the
    # stream: the events were fanned out to every listener when the others heard of them, so what
    # the peer could have been sent would be on its way; half a second is bound enough for that.
    assert await listeners["peer"].quiet(ops["peer"], 0.5)
    for ws in (*listeners.values(), staff):
        await ws.close()


async def test_a_partner_may_not_follow_the_rest_of_the_watch_feed(service: str) -> None:
    from tests.graphql_ws import Closed

    peer = await GraphQLWS.open(service.replace("http", "ws") + "/graphql", token("PARTNER", _id("peer")))
    await peer.subscribe("subscription { watchFeed(kinds: [REPORT_SUBMITTED, EDITED]) { kind } }")
    closed: Closed = await peer.wait_closed()
    assert closed.code == 4403 and "kinds: [REPORT_SUBMITTED]" in closed.reason

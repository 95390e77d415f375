"""The Daily Open Source Infrastructure Report from end to end: feeds on loopback, fetched and
deduplicated; an analyst's draft (items picked, summaries and sectors edited, ordered); its
publication as a DAILY_REPORT product; delivery through a real SMTP server, the daily digest and
TAXII; and the archive, by day, sector and word."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from starlette.testclient import TestClient
from taxii2client.v21 import Server

from graph_api.delivery.digest import queue_digests
from graph_api.delivery.worker import Worker
from graph_api.rules.importer import import_network
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii import stix
from graph_api.taxii.pull import BearerAuth
from tests.feed_server import Document, FeedServer, atom, json_feed, rss
from tests.helpers import data, gql, serving, token, unique_prefix
from tests.integration.peers import MailServer

P = unique_prefix("osr")
# A day no other run of the tests publishes a report for (one report per day).
DAY = (date(1990, 1, 1) + timedelta(days=random.randrange(365 * 30))).isoformat()
PUBLISHED = f"{DAY}T09:00:00Z"
ANALYST = token("ANALYST")


def _id(short: str) -> str:
    return P + short


NETWORK: dict[str, Any] = {
    "sectors": [{"id": _id("grid"), "name": f"Grid {P}"}, {"id": _id("pipes"), "name": f"Pipes {P}"}],
    "regions": [{"id": _id("isle"), "name": f"Isle {P}", "kind": "OTHER"}],
    "councils": [
        {
            "id": _id("iswg"),
            "name": f"Grid ISWG {P}",
            "kind": "ISWG",
            "sectors": [_id("grid")],
            "members": [],
        },
        {
            "id": _id("scc"),
            "name": f"Grid SCC {P}",
            "kind": "SCC",
            "sectors": [_id("grid")],
            "members": [{"partner": _id("utility"), "role": "MEMBER"}],
        },
    ],
    "partners": [
        {"id": _id("utility"), "name": f"Utility {P}", "kind": "PRIVATE", "sectors": [_id("grid")]},
        {"id": _id("city"), "name": f"City {P}", "kind": "LOCAL", "sectors": [_id("pipes")]},
    ],
    "contacts": [
        {
            "id": _id("ops"),
            "partner": _id("utility"),
            "name": "Grid Ops",
            "email": f"ops@{P.rstrip('-')}.example.org",
            "channels": ["EMAIL"],
        },
        {
            "id": _id("clerk"),
            "partner": _id("city"),
            "name": "City Clerk",
            "email": f"clerk@{P.rstrip('-')}.example.org",
            "channels": ["EMAIL"],
        },
    ],
    "requirements": [
        {
            "id": _id("daily"),
            "council": _id("iswg"),
            "sector": _id("grid"),
            "kinds": ["DAILY_REPORT"],
            "audience": {"council": _id("scc")},
            "channel": "EMAIL",
        }
    ],
    "subscriptions": [{"partner": _id("city"), "sector": _id("pipes"), "delivery": "DAILY_DIGEST"}],
}


def entry(n: int, title: str, description: str) -> dict[str, str]:
    return {
        "title": f"{title} {P}",
        "link": f"https://open.example.com/{P}{n}",
        "description": description,
        "pubDate": datetime.fromisoformat(PUBLISHED).strftime("%d %b %Y %H:%M:%S GMT"),
        "updated": PUBLISHED,
        "published": PUBLISHED,
    }


GRID = entry(1, "Substation fire cuts power grid service on Isle", "A fire at a substation cut service.")
LEAK = entry(2, "Main break floods Isle pumping station", "Crews isolated the main.")
OTHER = entry(3, "Trade show opens downtown", "Nothing for the report.")


@pytest.fixture(scope="module")
async def network(db: Database, seeded: None) -> None:
    report = await import_network(db, NETWORK)
    assert report.ok, report.problems


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    server = FeedServer().start()
    # The same item in two feeds, another format each; a third feed with the rest.
    server.routes[f"/{P}wire"] = Document(rss("Wire", [GRID, OTHER]))
    server.routes[f"/{P}agency"] = Document(atom("Agency", [GRID, LEAK]), "application/atom+xml")
    server.routes[f"/{P}city"] = Document(json_feed("City", [LEAK]), "application/feed+json")
    yield server
    server.stop()


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def worker(db: Database, settings: Settings, mail: MailServer) -> AsyncIterator[Worker]:
    delivery = dataclasses.replace(
        settings.delivery, smtp_host="127.0.0.1", smtp_port=mail.port, smtp_tls="none", poll_seconds=0.05
    )
    running = Worker(db, dataclasses.replace(settings, delivery=delivery))
    yield running
    await running.close()


def to(mail: MailServer, contact: str) -> list[EmailMessage]:
    address = next(c["email"] for c in NETWORK["contacts"] if c["id"] == _id(contact))
    return [m for m in mail.received() if m["To"] == address]


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


CONFIGURE = """mutation($input: OpenSourceFeedInput!) { configureOpenSourceFeed(input: $input) {
  feed { id } userErrors { code message } } }"""
RULE = """mutation($ref: ID!, $keywords: [String!]!) {
  setOpenSourceKeywordRule(target: SECTOR, ref: $ref, keywords: $keywords) {
    rule { ref keywords stored } userErrors { code message } } }"""
FETCH = """mutation($ids: [ID!]) { fetchOpenSourceFeeds(ids: $ids) { feed newItems copies error } }"""
INBOX = """query($day: String!, $search: String) { openSourceItems(day: $day, search: $search, first: 50) {
  totalCount nodes { id title link feeds suggestedSectors { id } } } }"""
SAVE = """mutation($day: String!, $entries: [OpenSourceReportEntryInput!]!) {
  saveOpenSourceReportDraft(day: $day, entries: $entries) {
    report { day state version entries { position title summary link sector { id } } }
    userErrors { field code message } } }"""
PUBLISH = """mutation($day: String!, $issuedBy: ID) {
  publishOpenSourceReport(day: $day, issuedBy: $issuedBy) {
  report { day state text sectors { id } product { id } }
  product { id kind tlp title summary sectors { id } issuedBy { id } }
  dissemination { newlyDelivered messagesQueued recipients { recipients { partner { id } } } }
  userErrors { field code message } } }"""
REPORT = """query($day: String!) { openSourceReport(day: $day) { day state entries { title } } }"""
ARCHIVE = """query($from: String, $to: String, $sector: ID, $search: String, $first: Int, $after: String) {
  openSourceReports(
    fromDay: $from, toDay: $to, sector: $sector, search: $search, first: $first, after: $after
  ) {
    totalCount pageInfo { hasNextPage } nodes { day state product { id } } } }"""


async def test_from_the_feeds_to_the_recipients_the_digest_taxii_and_the_archive(
    client: TestClient,
    db: Database,
    network: None,
    feeds: FeedServer,
    mail: MailServer,
    worker: Worker,
    settings: Settings,
) -> None:
    # An ADMIN configures the feeds; an analyst says which words suggest the test's sectors.
    for short in ("wire", "agency", "city"):
        made = data(
            client,
            CONFIGURE,
            input={
                "id": _id(short),
                "name": f"{P} {short}",
                "url": feeds.url(f"/{P}{short}"),
                "pollSeconds": 600,
            },
        )["configureOpenSourceFeed"]
        assert made["userErrors"] == []
    rules = [(_id("grid"), ["substation", "power grid"]), (_id("pipes"), ["pumping station", "main break"])]
    for ref, words in rules:
        rule = data(client, RULE, as_token=ANALYST, ref=ref, keywords=words)["setOpenSourceKeywordRule"]
        assert rule["rule"] == {"ref": ref, "keywords": words, "stored": True}

    fetched = data(client, FETCH, ids=[_id("wire"), _id("agency"), _id("city")])["fetchOpenSourceFeeds"]
    assert {f["feed"]: (f["newItems"], f["copies"], f["error"]) for f in fetched} == {
        _id("agency"): (2, 0, None),  # "agency" sorts first: it brings the grid item and the leak
        _id("city"): (0, 1, None),
        _id("wire"): (1, 1, None),
    }

    # The day's inbox: each item once, whatever the number of feeds carrying it.
    inbox = data(client, INBOX, as_token=ANALYST, day=DAY, search=P.rstrip("-"))["openSourceItems"]
    by_title = {n["title"]: n for n in inbox["nodes"]}
    assert inbox["totalCount"] == 3
    grid, leak = by_title[GRID["title"]], by_title[LEAK["title"]]
    assert sorted(grid["feeds"]) == sorted([_id("wire"), _id("agency")])
    assert {"id": _id("grid")} in grid["suggestedSectors"] and {"id": _id("pipes")} in leak[
        "suggestedSectors"
    ]

    # The analyst picks two items, leak first, edits the grid item's summary, and sets sectors.
    entries = [
        {"item": leak["id"], "sector": _id("pipes")},
        {"item": grid["id"], "sector": _id("grid"), "summary": "Service restored by evening."},
    ]
    saved = data(client, SAVE, as_token=ANALYST, day=DAY, entries=entries)["saveOpenSourceReportDraft"]
    assert saved["userErrors"] == []
    assert saved["report"]["state"] == "DRAFT"
    assert [(e["position"], e["title"], e["sector"]["id"]) for e in saved["report"]["entries"]] == [
        (0, LEAK["title"], _id("pipes")),
        (1, GRID["title"], _id("grid")),
    ]
    assert saved["report"]["entries"][0]["summary"] == LEAK["description"]  # the item's own text
    # A draft is for analysts; a PARTNER user sees no report of the day until it is published.
    hidden = data(client, REPORT, as_token=token("PARTNER", _id("city")), day=DAY)
    assert hidden["openSourceReport"] is None
    refused = data(
        client,
        SAVE,
        as_token=ANALYST,
        day=DAY,
        entries=[{"item": "osi-none"}, {"item": leak["id"], "sector": "x"}],
    )["saveOpenSourceReportDraft"]
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["entries", "0", "item"], "UNKNOWN_REFERENCE"),
        (["entries", "1", "sector"], "UNKNOWN_REFERENCE"),
    ]

    published = data(client, PUBLISH, as_token=ANALYST, day=DAY, issuedBy="dosir")["publishOpenSourceReport"]
    assert published["userErrors"] == []
    product = published["product"]
    assert product["id"] == f"osr-{DAY}"
    assert (product["kind"], product["tlp"]) == ("DAILY_REPORT", "CLEAR")
    assert product["sectors"] == [{"id": _id("grid")}, {"id": _id("pipes")}]
    assert product["issuedBy"] == {"id": "dosir"}
    text = product["summary"]
    # One section per sector, in the analyst's order, each item with its source link.
    assert (
        text.index(f"Pipes {P}")
        < text.index(LEAK["title"])
        < text.index(f"Grid {P}")
        < text.index(GRID["title"])
    )
    assert f"Source: {LEAK['link']}" in text and f"Source: {GRID['link']}" in text
    assert "Service restored by evening." in text and GRID["description"] not in text
    assert published["report"]["state"] == "PUBLISHED" and published["report"]["text"] == text
    recipients = {r["partner"]["id"] for r in published["dissemination"]["recipients"]["recipients"]}
    assert {_id("utility"), _id("city")} <= recipients
    # Published once: a second publication or a new draft of the day is refused.
    again = data(client, PUBLISH, as_token=ANALYST, day=DAY)["publishOpenSourceReport"]
    assert [e["code"] for e in again["userErrors"]] == ["ALREADY_PUBLISHED"]
    late = data(client, SAVE, as_token=ANALYST, day=DAY, entries=entries)["saveOpenSourceReportDraft"]
    assert [e["code"] for e in late["userErrors"]] == ["ALREADY_PUBLISHED"]

    # Email: the requirement's audience gets the report at once, its whole text (TLP:CLEAR).
    await worker.drain()
    (email,) = to(mail, "ops")
    assert email["Subject"] == f"[TLP:CLEAR] Daily Open Source Infrastructure Report - {DAY}"
    body = text_of(email)
    assert (
        body.startswith("TLP:CLEAR")
        and f"Source: {GRID['link']}" in body
        and f"Source: {LEAK['link']}" in body
    )
    # The digest subscriber gets nothing now, and the report in the digest of its publication day.
    assert to(mail, "clerk") == []
    today = datetime.now(UTC).date()
    await queue_digests(db, today)
    await worker.drain()
    (digest,) = to(mail, "clerk")
    assert digest["Subject"].startswith(f"[TLP:CLEAR] Daily Report for {today.isoformat()}")
    assert f"Daily Open Source Infrastructure Report - {DAY}" in text_of(digest)

    # TAXII: a STIX report, TLP:CLEAR, whose external references are the items' links in order.
    with serving(settings) as service:
        root = Server(f"{service}/taxii2/", auth=BearerAuth(token("PARTNER", _id("utility")))).default
        assert root is not None
        (collection,) = [c for c in root.collections if c.alias == f"sector-{_id('grid')}"]
        objects = collection.get_objects()["objects"]
    (report,) = [o for o in objects if o["id"] == stix.report_id(product["id"])]
    assert report["object_marking_refs"] == [stix.TLP_MARKING_IDS["CLEAR"]]
    assert report["description"] == text
    assert report["external_references"] == [
        {"source_name": "isegraph", "external_id": product["id"]},
        {"source_name": "open-source", "url": LEAK["link"], "description": LEAK["title"]},
        {"source_name": "open-source", "url": GRID["link"], "description": GRID["title"]},
    ]

    # The archive, for everyone: by day, sector and word, with paging.
    partner = token("PARTNER", _id("city"))
    by_day = data(client, ARCHIVE, as_token=partner, **{"from": DAY, "to": DAY})["openSourceReports"]
    assert [(n["day"], n["state"], n["product"]["id"]) for n in by_day["nodes"]] == [
        (DAY, "PUBLISHED", product["id"])
    ]
    by_sector = data(client, ARCHIVE, as_token=partner, sector=_id("pipes"))["openSourceReports"]
    assert [n["day"] for n in by_sector["nodes"]] == [DAY]
    by_word = data(client, ARCHIVE, as_token=partner, search=f"restored {P.rstrip('-')}")["openSourceReports"]
    assert [n["day"] for n in by_word["nodes"]] == [DAY]
    assert (
        data(client, ARCHIVE, as_token=partner, search="restored nosuchwordanywhere")["openSourceReports"][
            "totalCount"
        ]
        == 0
    )
    first = data(client, ARCHIVE, as_token=partner, first=1)["openSourceReports"]
    assert len(first["nodes"]) == 1 and first["totalCount"] >= 1
    visible = data(client, REPORT, as_token=partner, day=DAY)["openSourceReport"]
    assert visible == {
        "day": DAY,
        "state": "PUBLISHED",
        "entries": [{"title": LEAK["title"]}, {"title": GRID["title"]}],
    }


def test_bad_days_and_empty_drafts_are_refused_with_a_code(client: TestClient, network: None) -> None:
    bad = gql(client, REPORT, as_token=ANALYST, day="2026-13-40")
    assert bad["data"] is None or bad["data"]["openSourceReport"] is None
    assert bad["errors"][0]["extensions"]["code"] in ("EDIT_REJECTED", "BAD_REQUEST", "INVALID_INPUT")
    empty_day = (date.fromisoformat(DAY) + timedelta(days=1)).isoformat()
    empty = data(client, PUBLISH, as_token=ANALYST, day=empty_day)["publishOpenSourceReport"]
    assert [e["code"] for e in empty["userErrors"]] == ["EMPTY"]

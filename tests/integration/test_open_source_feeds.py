"""Open-source feeds fetched from a real HTTP server on loopback: each format, broken and hostile
servers, items repeated across feeds and changed by their source; every case ends with each item
stored once, the failing feed's error shown and nothing else lost, and a fetch with nothing new
writes nothing."""

from __future__ import annotations

import dataclasses
import itertools
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.feeds.poller import Poller, RoundReport
from graph_api.identity import Principal, Role
from graph_api.rules import open_source
from graph_api.settings import Settings
from graph_api.store.database import Database
from tests.feed_server import Document, FeedServer, HeldBack, Huge, Redirect, atom, json_feed, rss
from tests.helpers import data, token, unique_prefix

P = unique_prefix("osfeed")
ADMIN = Principal(subject="feeds-admin", role=Role.ADMIN, partner=None)
LIMIT = 1_000_000
FIFTY_MB = 50 * 1024 * 1024
MADE = itertools.count()


def story(n: int, where: str = "Texas", **extra: str) -> dict[str, str]:
    """A news item whose title no other test run uses (the run's prefix is in it)."""
    return {
        "title": f"Ransomware attack disrupts water utility in {where} case {n} {P}",
        "link": f"https://news.example.com/{P}story-{n}",
        "description": f"Story {n}: the utility's treatment plant switched to manual operation.",
        **extra,
    }


@pytest.fixture(scope="module")
def server() -> Iterator[FeedServer]:
    running = FeedServer().start()
    yield running
    running.stop()


@pytest.fixture
def feed_settings(settings: Settings) -> Settings:
    feeds = dataclasses.replace(
        settings.feeds,
        allow_private_addresses=True,  # the feeds are on loopback
        timeout_seconds=0.5,
        max_bytes=LIMIT,
        max_redirects=3,
        min_poll_seconds=60,
    )
    return dataclasses.replace(settings, feeds=feeds)


@pytest.fixture
async def poller(db: Database, feed_settings: Settings) -> AsyncIterator[Poller]:
    running = Poller(db, feed_settings.feeds)
    yield running
    await running.close()


async def add_feed(db: Database, settings: Settings, server: FeedServer, short: str, **config: Any) -> str:
    path = f"/{P}{short}"
    return await open_source.configure_feed(
        db,
        ADMIN,
        # Named in the order made: a round stores feeds by name, so the first made is stored first.
        open_source.FeedConfig(
            name=f"Feed {next(MADE):04d} {short}", url=server.url(path), id=f"{P}{short}", **config
        ),
        settings.feeds,
    )


async def items_of(db: Database, feed: str) -> list[dict[str, Any]]:
    rows = await db.read_text(
        "MATCH (i:OpenSourceItem) WHERE $feed IN i.feeds RETURN properties(i) AS item ORDER BY i.id",
        feed=feed,
    )
    return [row["item"] for row in rows]


async def feed_row(db: Database, feed: str) -> dict[str, Any]:
    return (await open_source.feeds(db, [feed]))[0]


async def everything(db: Database) -> tuple[Any, ...]:
    """What a write would change: node and relationship counts, every feed and item of this
    run, the graph version and the event log's head."""
    counts = (
        await db.read_text("MATCH (n) WITH count(n) AS nodes RETURN nodes, COUNT { ()-[]->() } AS links")
    )[0]
    feeds = await db.read_text(
        "MATCH (f:OpenSourceFeed) WHERE f.id STARTS WITH $p RETURN properties(f) AS f ORDER BY f.id", p=P
    )
    stored = await db.read_text(
        "MATCH (i:OpenSourceItem) WHERE any(f IN i.feeds WHERE f STARTS WITH $p) "
        "RETURN properties(i) AS i ORDER BY i.id",
        p=P,
    )
    last_event = (await db.read("events/last"))[0]["last"]
    return (counts["nodes"], counts["links"], feeds, stored, await db.graph_version(), last_event)


def kept_story(kept: list[dict[str, Any]]) -> dict[str, str]:
    """The entry a stored item came from."""
    return {"title": kept[0]["title"], "link": kept[0]["link"], "description": kept[0]["summary"]}


def outcome(report: RoundReport, feed: str) -> Any:
    return next(f for f in report.feeds if f.feed == feed)


# -- each format --------------------------------------------------------------------------------


async def test_rss_atom_and_json_feeds_are_stored_with_their_suggestions(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    server.routes[f"/{P}rss"] = Document(rss("Wire", [story(1, pubDate="Mon, 07 Dec 2026 10:00:00 GMT")]))
    server.routes[f"/{P}atom"] = Document(
        atom("CERT", [story(2, "California", updated="2026-12-06T08:30:00Z")]), "application/atom+xml"
    )
    server.routes[f"/{P}json"] = Document(
        json_feed("Utility", [story(3, "Ohio", published="2026-12-05T12:00:00Z")]), "application/feed+json"
    )
    ids = [await add_feed(db, feed_settings, server, f, sectors=["energy"]) for f in ("rss", "atom", "json")]
    report = await poller.poll(ids, force=True)
    assert [(o.feed, o.new, o.error) for o in report.feeds] == [(i, 1, None) for i in ids]
    [rss_item] = await items_of(db, ids[0])
    assert rss_item["link"] == story(1)["link"]
    assert rss_item["day"] == "2026-12-07"
    # Sectors: the feed's default and the keyword rules (water utility, treatment plant); topics:
    # ransomware; regions: the state named in the title.
    assert rss_item["sectors"] == ["energy", "water"]
    assert rss_item["topics"] == ["cyber"]
    # (other tests may add regions of the same name to the shared database)
    assert "tx" in rss_item["regions"]
    [atom_item] = await items_of(db, ids[1])
    assert atom_item["day"] == "2026-12-06" and "ca" in atom_item["regions"]
    [json_item] = await items_of(db, ids[2])
    assert json_item["day"] == "2026-12-05" and "oh" in json_item["regions"]
    for feed in ids:
        row = await feed_row(db, feed)
        assert row["lastError"] is None and row["itemCount"] == 1 and row["lastSuccessAt"] is not None


async def test_a_second_fetch_with_nothing_new_writes_nothing(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    server.routes[f"/{P}steady"] = Document(rss("Steady", [story(10), story(11, "Utah")]))
    # A server that sends no validators answers 200 with the same document every time.
    server.routes[f"/{P}plain"] = Document(json_feed("Plain", [story(12, "Iowa")]), validators=False)
    ids = [await add_feed(db, feed_settings, server, f) for f in ("steady", "plain")]
    first = await poller.poll(ids, force=True)
    assert [o.new for o in first.feeds] == [2, 1]
    before = await everything(db)
    again = await poller.poll(ids, force=True)
    assert await everything(db) == before
    assert [(o.written, o.not_modified, o.unchanged) for o in again.feeds] == [
        (False, True, 0),
        (False, False, 1),
    ]
    assert server.not_modified[f"/{P}steady"] == 1  # conditional GET: the ETag was sent back


async def test_an_item_carried_by_several_feeds_is_stored_once(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    original = story(20, "Nevada")
    # The same page with tracking parameters; the same text at another address; the same story
    # retold under a reworded title by a third source.
    tracked = {**original, "link": original["link"] + "?utm_source=feed&utm_medium=rss"}
    syndicated = {**original, "link": f"https://mirror.example.net/{P}copy-20"}
    retold = {
        "title": f"Nevada water utility disrupted by ransomware attack case 20 {P}",
        "link": f"https://local.example.org/{P}n20",
        "description": "Local coverage.",
    }
    server.routes[f"/{P}first"] = Document(rss("First", [original]))
    server.routes[f"/{P}tracked"] = Document(atom("Tracked", [tracked]), "application/atom+xml")
    server.routes[f"/{P}mirror"] = Document(json_feed("Mirror", [syndicated]), "application/feed+json")
    server.routes[f"/{P}local"] = Document(rss("Local", [retold]))
    ids = [await add_feed(db, feed_settings, server, f) for f in ("first", "tracked", "mirror", "local")]
    report = await poller.poll(ids, force=True)
    assert [(o.new, o.copies) for o in report.feeds] == [(1, 0), (0, 1), (0, 1), (0, 1)]
    [item] = await items_of(db, ids[0])
    assert sorted(item["feeds"]) == sorted(ids)
    assert item["source"] == ids[0] and item["title"] == original["title"]
    for feed in ids[1:]:
        assert [i["id"] for i in await items_of(db, feed)] == [item["id"]]
    before = await everything(db)
    await poller.poll(ids, force=True)
    assert await everything(db) == before  # copies known by their addresses from then on


async def test_a_feed_that_changes_an_item_updates_it_in_place(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    path = f"/{P}changing"
    server.routes[path] = Document(rss("Changing", [story(30, "Idaho"), story(31, "Maine")]))
    feed = await add_feed(db, feed_settings, server, "changing")
    await poller.poll([feed], force=True)
    stored = {i["link"]: i for i in await items_of(db, feed)}
    first, other = stored[story(30)["link"]], stored[story(31)["link"]]
    corrected = story(30, "Idaho", description="Update: service restored; the FBI is investigating.")
    server.routes[path] = Document(rss("Changing", [corrected, story(31, "Maine")]))
    report = await poller.poll([feed], force=True)
    assert (outcome(report, feed).changed, outcome(report, feed).new) == (1, 0)
    now = {i["id"]: i for i in await items_of(db, feed)}
    assert len(now) == 2
    changed, untouched = now[first["id"]], now[other["id"]]
    assert changed["summary"] == corrected["description"]
    assert changed["contentHash"] != first["contentHash"] and changed["firstSeenAt"] == first["firstSeenAt"]
    assert untouched == other


# -- broken and hostile servers -----------------------------------------------------------------


async def failing_case(
    db: Database, server: FeedServer, poller: Poller, settings: Settings, short: str, broken: Any
) -> tuple[str, dict[str, Any], list[dict[str, Any]]]:
    """A feed that worked, then breaks, fetched with a healthy one: the broken feed's error, its
    items as they were, and the healthy feed's new item."""
    path = f"/{P}{short}"
    n = 1000 + 10 * next(MADE)
    server.routes[path] = Document(rss("Was fine", [story(n, "Oregon")]))
    healthy_path = f"/{P}{short}-healthy"
    server.routes[healthy_path] = Document(rss("Healthy", [story(n + 1, "Kansas")]))
    feed = await add_feed(db, settings, server, short)
    healthy = await add_feed(db, settings, server, f"{short}-healthy")
    await poller.poll([feed, healthy], force=True)
    kept = await items_of(db, feed)
    assert len(kept) == 1
    server.routes[path] = broken
    server.routes[healthy_path] = Document(rss("Healthy", [story(n + 1, "Kansas"), story(n + 2, "Vermont")]))
    started = time.monotonic()
    report = await poller.poll([feed, healthy], force=True)
    elapsed = time.monotonic() - started
    assert outcome(report, healthy).new == 1 and outcome(report, healthy).error is None
    assert await items_of(db, feed) == kept  # nothing fetched before is lost
    row = await feed_row(db, feed)
    assert row["lastError"] == outcome(report, feed).error is not None
    assert row["failingSince"] is not None and row["itemCount"] == 1
    assert elapsed < 10
    return row["lastError"], row, kept


async def test_malformed_xml_shows_the_error_and_keeps_what_came_before(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    broken = Document(b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut</channel>")
    error, _, _ = await failing_case(db, server, poller, feed_settings, "malformed", broken)
    assert error.startswith("not well-formed XML")


async def test_a_50_mb_feed_is_refused_at_the_limit_without_being_read(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    announced = Huge(FIFTY_MB, announced=True)
    error, _, _ = await failing_case(db, server, poller, feed_settings, "huge", announced)
    assert error == f"the feed is {FIFTY_MB:,} bytes, over the limit of {LIMIT:,}"
    # Without a Content-Length the body is read up to the limit and no further.
    streamed = Huge(FIFTY_MB, announced=False)
    error, _, _ = await failing_case(db, server, poller, feed_settings, "streamed", streamed)
    assert error == f"the feed is over the limit of {LIMIT:,} bytes; stopped reading it"
    for path in (f"/{P}huge", f"/{P}streamed"):
        assert path not in server.finished
        # What the server got out before the client hung up: the socket buffers and a few chunks.
        assert server.bytes_sent[path] < FIFTY_MB / 4


async def test_a_redirect_loop_is_followed_only_within_the_bound(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    loop_a, loop_b = f"/{P}loop", f"/{P}loop-b"
    server.routes[loop_b] = Redirect(server.url(loop_a))
    error, _, _ = await failing_case(db, server, poller, feed_settings, "loop", Redirect(server.url(loop_b)))
    assert error == f"more than 3 redirects (a loop), from {server.url(loop_a)}"
    assert server.requests[loop_a] + server.requests[loop_b] <= 1 + 4  # the first fetch, then 4


async def test_a_redirect_to_a_host_that_is_not_a_feeds_is_refused(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    away = Redirect(f"http://localhost:{server.port}/{P}elsewhere")
    error, _, _ = await failing_case(db, server, poller, feed_settings, "away", away)
    assert error == "localhost is not the host of a configured feed"


async def test_a_server_that_answers_after_60_s_times_out_at_the_configured_timeout(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    error, _, _ = await failing_case(db, server, poller, feed_settings, "slow", HeldBack(60.0))
    assert error in ("no answer within 0.5 s", "no complete answer within 0.5 s")


async def test_a_feed_that_recovers_clears_its_error_and_adds_what_is_new(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    _, _, kept = await failing_case(db, server, poller, feed_settings, "recovers", Document(b"not a feed"))
    server.routes[f"/{P}recovers"] = Document(rss("Back", [kept_story(kept), story(40)]))
    report = await poller.poll([f"{P}recovers"], force=True)
    assert outcome(report, f"{P}recovers").new == 1
    row = await feed_row(db, f"{P}recovers")
    assert row["lastError"] is None and row["failingSince"] is None
    now = await items_of(db, f"{P}recovers")
    assert len(now) == 2 and kept[0] in now  # the item from before the failure, untouched


async def test_private_addresses_are_refused_unless_the_settings_allow_them(
    db: Database, seeded: None, server: FeedServer, feed_settings: Settings
) -> None:
    server.routes[f"/{P}private"] = Document(rss("Private", [story(50)]))
    feed = await add_feed(db, feed_settings, server, "private")
    strict = Poller(db, dataclasses.replace(feed_settings.feeds, allow_private_addresses=False))
    try:
        report = await strict.poll([feed], force=True)
    finally:
        await strict.close()
    assert outcome(report, feed).error.startswith(
        "127.0.0.1 resolves to 127.0.0.1, a private or special address"
    )
    assert server.requests[f"/{P}private"] == 0  # refused before any request
    assert await items_of(db, feed) == []


async def test_the_worker_fetches_a_feed_again_only_when_its_interval_has_run_out(
    db: Database, seeded: None, server: FeedServer, poller: Poller, feed_settings: Settings
) -> None:
    server.routes[f"/{P}interval"] = Document(rss("Interval", [story(60)]))
    feed = await add_feed(db, feed_settings, server, "interval", poll_seconds=3600)
    assert outcome(await poller.poll([feed]), feed).new == 1
    assert (await poller.poll([feed])).feeds == []  # not due for an hour
    assert server.requests[f"/{P}interval"] == 1


# -- over GraphQL -------------------------------------------------------------------------------

CONFIGURE = """mutation($input: OpenSourceFeedInput!) { configureOpenSourceFeed(input: $input) {
  feed { id name url pollSeconds sectors { id } topics { id } lastError itemCount }
  userErrors { field code message } } }"""
FETCH = """mutation($ids: [ID!]) { fetchOpenSourceFeeds(ids: $ids) {
  feed newItems changedItems copies unchanged notModified error written } }"""
ITEMS = """query($day: String, $sector: ID, $feed: ID, $search: String, $first: Int, $after: String) {
  openSourceItems(day: $day, sector: $sector, feed: $feed, search: $search, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id title link day feeds
            suggestedSectors { id } suggestedTopics { id } suggestedRegions { id } } } }"""


def test_an_admin_configures_and_fetches_feeds_and_analysts_page_and_search_items(
    client: TestClient, seeded: None, server: FeedServer
) -> None:
    day_items = [story(70 + n, "Florida", pubDate=f"0{n + 1} Mar 2021 0{n}:00:00 GMT") for n in range(3)]
    day_items[1]["title"] = f"Hurricane damages airport terminal in Georgia {P}"
    server.routes[f"/{P}gql"] = Document(rss("GQL", day_items))
    refused = data(
        client,
        CONFIGURE,
        input={"name": " ", "url": "ftp://x", "pollSeconds": 5, "sectors": ["nope"], "id": f"{P}gql"},
    )["configureOpenSourceFeed"]
    assert refused["feed"] is None
    assert {e["code"] for e in refused["userErrors"]} == {
        "EMPTY",
        "BAD_URL",
        "TOO_SMALL",
        "UNKNOWN_REFERENCE",
    }
    made = data(
        client,
        CONFIGURE,
        input={
            "name": "Wire",
            "url": server.url(f"/{P}gql"),
            "pollSeconds": 600,
            "sectors": ["water"],
            "topics": ["cyber"],
            "id": f"{P}gql",
        },
    )["configureOpenSourceFeed"]
    assert made["userErrors"] == [] and made["feed"]["sectors"] == [{"id": "water"}]
    # An ANALYST may read but not configure or fetch.
    analyst = token("ANALYST")
    forbidden = client.post(
        "/graphql",
        json={"query": FETCH, "variables": {"ids": [f"{P}gql"]}},
        headers={"Authorization": f"Bearer {analyst}"},
    ).json()
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    fetched = data(client, FETCH, ids=[f"{P}gql"])["fetchOpenSourceFeeds"]
    assert fetched == [
        {
            "feed": f"{P}gql",
            "newItems": 3,
            "changedItems": 0,
            "copies": 0,
            "unchanged": 0,
            "notModified": False,
            "error": None,
            "written": True,
        }
    ]
    # The day's inbox, two at a time, newest first.
    first = data(client, ITEMS, as_token=analyst, day="2021-03-02", feed=f"{P}gql", first=5)[
        "openSourceItems"
    ]
    assert first["totalCount"] == 1 and first["nodes"][0]["title"].startswith("Hurricane damages airport")
    assert first["nodes"][0]["suggestedSectors"] == [{"id": "transportation"}, {"id": "water"}]
    # (water: the feed's default; transportation: "airport")
    assert first["nodes"][0]["suggestedTopics"] == [{"id": "cyber"}, {"id": "severe-weather"}]
    assert {"id": "ga"} in first["nodes"][0]["suggestedRegions"]
    page = data(client, ITEMS, as_token=analyst, feed=f"{P}gql", first=2)["openSourceItems"]
    assert page["totalCount"] == 3 and page["pageInfo"]["hasNextPage"]
    rest = data(client, ITEMS, as_token=analyst, feed=f"{P}gql", first=2, after=page["pageInfo"]["endCursor"])
    titles = [n["title"] for n in page["nodes"] + rest["openSourceItems"]["nodes"]]
    assert titles == [day_items[2]["title"], day_items[1]["title"], day_items[0]["title"]]
    # Full-text search: every word, the last as a prefix.
    found = data(client, ITEMS, as_token=analyst, search=f"{P.rstrip('-')} hurricane termin")[
        "openSourceItems"
    ]
    assert [n["title"] for n in found["nodes"]] == [day_items[1]["title"]]
    # A PARTNER user reads no open-source inbox.
    partner = client.post(
        "/graphql",
        json={"query": ITEMS, "variables": {"feed": f"{P}gql"}},
        headers={"Authorization": f"Bearer {token('PARTNER', 'dosir')}"},
    ).json()
    assert partner["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_documents_parsed_in_other_processes_are_stored_and_refused_alike(
    db: Database, seeded: None, server: FeedServer, feed_settings: Settings
) -> None:
    server.routes[f"/{P}pooled"] = Document(rss("Pooled", [story(80, "Alaska"), story(81, "Hawaii")]))
    server.routes[f"/{P}pooled-bad"] = Document(b"<rss><channel><item></rss>")
    ids = [await add_feed(db, feed_settings, server, f) for f in ("pooled", "pooled-bad")]
    pooled = Poller(db, dataclasses.replace(feed_settings.feeds, parse_processes=1, parse_pool_min_bytes=0))
    try:
        report = await pooled.poll(ids, force=True)
    finally:
        await pooled.close()
    assert outcome(report, ids[0]).new == 2
    assert outcome(report, ids[1]).error.startswith("not well-formed XML")
    assert {r for i in await items_of(db, ids[0]) for r in i["regions"]} >= {"ak", "hi"}

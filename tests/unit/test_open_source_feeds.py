"""Open-source feeds without a database: reading each format, telling items apart, suggesting."""

from __future__ import annotations

import asyncio
import json

import pytest

from bench.dedup_pairs import PAIRS, scores
from graph_api.domain import open_source as report_rules
from graph_api.feeds.classify import Classifier, KeywordRule, RuleTarget, effective_rules
from graph_api.feeds.dedup import Deduplicator, Match, Verdict, entry_keys
from graph_api.feeds.identity import canonical_url, content_hash
from graph_api.feeds.keywords import DEFAULT_RULES
from graph_api.feeds.parsing import FeedUnreadable, parse
from graph_api.feeds.poller import Write, WritesInOrder

RSS = b"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title><link>https://wire.example.com/</link>
<description>d</description>
<item><title>Storm knocks out power in Texas</title><link>https://wire.example.com/a?utm_source=rss</link>
<description>&lt;p&gt;Crews are &lt;b&gt;restoring&lt;/b&gt; the grid &amp;amp; pipes.&lt;/p&gt;
&lt;script&gt;x()&lt;/script&gt;</description>
<pubDate>Mon, 07 Dec 2026 10:00:00 GMT</pubDate></item>
<item><title>No link here</title><description>dropped</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>CERT</title><id>urn:x</id><updated>2026-12-07T00:00:00Z</updated>
<entry><title>Advisory: ransomware at water utilities</title><id>urn:1</id>
<link href="https://cert.example.gov/adv/1"/><updated>2026-12-06T08:30:00Z</updated>
<summary>Indicators and mitigations.</summary></entry></feed>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Utility",
        "items": [
            {
                "id": "1",
                "url": "https://utility.example.com/n/1",
                "title": "Substation vandalism cuts power",
                "content_text": "Vandals damaged a substation.",
                "date_published": "2026-12-05T12:00:00-05:00",
            },
            {"id": "2", "title": "No address"},
        ],
    }
).encode()


def test_each_format_gives_its_entries_as_plain_text_with_utc_times() -> None:
    [rss] = parse(RSS, "application/rss+xml")
    assert rss.title == "Storm knocks out power in Texas"
    assert rss.summary == "Crews are restoring the grid & pipes."  # markup and scripts gone
    assert rss.published_at == "2026-12-07T10:00:00+00:00"
    [atom] = parse(ATOM, "application/atom+xml")
    assert (atom.link, atom.published_at) == ("https://cert.example.gov/adv/1", "2026-12-06T08:30:00+00:00")
    [item] = parse(JSON_FEED, "application/feed+json")
    assert (item.link, item.summary, item.published_at) == (
        "https://utility.example.com/n/1",
        "Vandals damaged a substation.",
        "2026-12-05T17:00:00+00:00",
    )


@pytest.mark.parametrize(
    "body",
    [
        b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>x</title></channel></rss>",
        b"<html><body>Not a feed</body></html>",
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b'{"title": "no version"}',
    ],
)
def test_a_document_that_is_not_a_well_formed_feed_is_refused_whole(body: bytes) -> None:
    with pytest.raises(FeedUnreadable):
        parse(body)


def test_canonical_urls_ignore_what_does_not_change_the_page() -> None:
    same = {
        canonical_url(u)
        for u in (
            "https://www.News.example.com:443/a/b/?utm_source=x&id=2&k=1#top",
            "http://news.example.com/a/b?k=1&id=2&fbclid=zz",
        )
    }
    assert same == {"https://news.example.com/a/b?id=2&k=1"}
    assert canonical_url("https://news.example.com/a?id=3") != canonical_url(
        "https://news.example.com/a?id=2"
    )


def test_an_item_is_stored_once_by_address_then_content_then_title() -> None:
    dedup = Deduplicator()
    first = dedup.decide(
        "wire", "https://wire.example.com/s/1", "Chemical plant explosion injures six in Texas", "A"
    )
    assert first.verdict == Verdict.NEW
    again = dedup.decide("wire", "https://wire.example.com/s/1?utm_medium=x", first_title(), "A")
    assert again.verdict == Verdict.UNCHANGED
    copy = dedup.decide("mirror", "https://mirror.example.net/1", first_title(), "A")
    assert (copy.verdict, copy.item, copy.match) == (Verdict.DUPLICATE, first.item, Match.CONTENT)
    retold = dedup.decide(
        "local", "https://local.example.org/x", "Explosion at Texas chemical plant injures six", "B"
    )
    assert (retold.verdict, retold.item, retold.match) == (Verdict.DUPLICATE, first.item, Match.TITLE)
    other = dedup.decide(
        "local", "https://local.example.org/y", "Chemical plant explosion injures six in Ohio", "C"
    )
    assert other.verdict == Verdict.NEW  # another place: another story


def first_title() -> str:
    return "Chemical plant explosion injures six in Texas"


def test_a_change_by_the_items_own_source_updates_it_and_a_copy_never_does() -> None:
    dedup = Deduplicator()
    made = dedup.decide("wire", "https://wire.example.com/s/2", "Dam spillway damaged in Oregon", "first")
    changed = dedup.decide(
        "wire", "https://wire.example.com/s/2", "Dam spillway damaged in Oregon", "updated"
    )
    assert (changed.verdict, changed.item) == (Verdict.CHANGED, made.item)
    assert changed.content_hash == content_hash("Dam spillway damaged in Oregon", "updated")
    copied = dedup.decide("mirror", "https://wire.example.com/s/2", "Dam spillway damaged in Oregon", "other")
    assert (copied.verdict, copied.item) == (Verdict.DUPLICATE, made.item)
    assert dedup.decide("mirror", "https://wire.example.com/s/2", "x", "y").verdict == Verdict.UNCHANGED


def test_one_sources_own_items_are_never_merged_by_title() -> None:
    dedup = Deduplicator()
    a = dedup.decide(
        "utility", "https://u.example.com/1", "Daily situation update for the energy sector", "a"
    )
    b = dedup.decide(
        "utility", "https://u.example.com/2", "Daily situation update for the energy sector", "b"
    )
    assert a.verdict == b.verdict == Verdict.NEW and a.item != b.item


def test_the_labelled_pairs_are_told_apart() -> None:
    judged = scores()
    assert judged.pairs >= 40
    # The figures bench/RESULTS-osint.md reports; a change to the rules that loses either shows here.
    assert judged.precision >= 0.95, judged.wrong
    assert judged.recall >= 0.9, judged.wrong


def test_keys_worked_out_beforehand_decide_as_the_entry_itself_does() -> None:
    # The poller works out each entry's canonical URL and content hash once, to look up older
    # items, and hands them to the deduplicator: its decisions are the ones the entry alone gets.
    pairs = json.loads(PAIRS.read_text())["pairs"]
    alone, keyed = Deduplicator(), Deduplicator()
    for pair in pairs:
        for side in (pair["a"], pair["b"]):
            args = (side["feed"], side["link"], side["title"], side["summary"])
            decided = alone.decide(*args)
            assert (
                keyed.decide(*args, keys=entry_keys(side["link"], side["title"], side["summary"])) == decided
            )
            assert (decided.url, decided.content_hash) == (
                canonical_url(side["link"]),
                content_hash(side["title"], side["summary"]),
            )


def test_keyword_rules_and_region_names_suggest_sectors_topics_and_regions() -> None:
    sorter = Classifier(
        effective_rules(DEFAULT_RULES, [KeywordRule(RuleTarget.SECTOR, "water", ("boil-water notice",))]),
        [("us", "United States", "NATION"), ("tx", "Texas", "STATE"), ("ny", "New York", "STATE")],
    )
    hint = sorter.suggest("Ransomware hits hospital in New   York; a boil-water notice in Texas", ["energy"])
    assert hint.sectors == ["energy", "healthcare", "water"]
    assert hint.topics == ["cyber"]
    assert hint.regions == ["ny", "tx"]
    # A stored rule replaces the built-in one of its target: "drinking water" no longer suggests water.
    assert sorter.suggest("drinking water").sectors == []
    # Whole words only: "dam" is not in "damage".
    assert "dams" not in sorter.suggest("storm damage").sectors


def test_the_report_text_has_one_section_per_sector_in_the_analysts_order() -> None:
    entries = [
        report_rules.ReportEntry("i1", "Grid alert", "Summary 1", "energy", "Energy", "https://a/1"),
        report_rules.ReportEntry("i2", "Leak", "", "water", "Water", "https://b/2"),
        report_rules.ReportEntry("i3", "Outage", "Summary 3", "energy", "Energy", "https://c/3"),
    ]
    text = report_rules.text("2026-12-07", entries)
    assert text.splitlines() == [
        "Daily Open Source Infrastructure Report - 2026-12-07",
        "",
        "Energy",
        "- Grid alert",
        "  Summary 1",
        "  Source: https://a/1",
        "- Outage",
        "  Summary 3",
        "  Source: https://c/3",
        "",
        "Water",
        "- Leak",
        "  Source: https://b/2",
    ]


async def test_feed_writes_run_one_at_a_time_in_the_order_given() -> None:
    # The poller deduplicates the next feed while one is written: the writes themselves never
    # overlap, and go in the feeds' order.
    happened: list[str] = []

    def write(name: str, turns: int) -> Write:
        async def run() -> None:
            happened.append(f"{name} begins")
            for _ in range(turns):
                # Not a wait: a write that spans `turns` turns of the loop, as a real one spans
                # its round trips, so that an overlapping write would have the chance to begin.
                await asyncio.sleep(0)
            happened.append(f"{name} ends")

        return run

    writes = WritesInOrder()
    await writes.add(write("first", 5))
    happened.append("next feed deduplicated")
    await writes.add(None)  # a feed with nothing new
    await writes.add(write("second", 0))
    await writes.drain()
    assert happened == [
        "next feed deduplicated",
        "first begins",
        "first ends",
        "second begins",
        "second ends",
    ]


async def test_a_failed_feed_write_is_raised_and_one_under_way_when_a_round_fails_ends_whole() -> None:
    async def failing() -> None:
        raise RuntimeError("the database refused")

    writes = WritesInOrder()
    await writes.add(failing)
    with pytest.raises(RuntimeError, match="refused"):
        await writes.drain()
    ended: list[str] = []

    async def slow() -> None:
        for _ in range(3):
            await asyncio.sleep(0)  # not a wait: a write that spans three turns of the loop
        ended.append("written")

    await writes.add(slow)
    await writes.abandon()  # the round failed meanwhile: the write begun still ends
    assert ended == ["written"]
    await writes.add(failing)
    await writes.abandon()  # its error is logged, not raised over the round's own

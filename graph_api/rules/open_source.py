"""Open-source reporting: feeds configured by an ADMIN, items read by analysts, and the Daily Open
Source Infrastructure Report curated from them, published as an ordinary product.

An analyst saves the draft of day D (the items picked, each with its summary and sector, in
order) as often as needed; publishing makes the DAILY_REPORT product of D (TLP:CLEAR, one section
per sector, each item with its source link), which is resolved and disseminated like any product
and stays in the archive, searchable by day, sector and word.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import LiteralString
from urllib.parse import urlsplit

from graph_api.domain import open_source as report_rules
from graph_api.domain.entities import Label
from graph_api.domain.moments import publication_now
from graph_api.feeds.classify import KeywordRule, RuleTarget, effective_rules
from graph_api.feeds.fetching import host_of
from graph_api.feeds.identity import canonical_url, content_hash, item_id, plain_text
from graph_api.feeds.keywords import DEFAULT_RULES
from graph_api.feeds.parsing import Entry
from graph_api.feeds.poller import classifier, item_day
from graph_api.identity import Principal
from graph_api.rules import access, dissemination, editing
from graph_api.rules.editing import EditRejected, FieldProblem, rejected
from graph_api.rules.search import lucene_query
from graph_api.settings import FeedSettings
from graph_api.store.database import Database, Record, Transaction
from graph_api.store.paging import Page, Window
from graph_api.store.statements import composed

MAX_NAME_CHARS = 200
MAX_URL_CHARS = 2_000
MAX_KEYWORDS = 200
MAX_KEYWORD_CHARS = 100
_FEED_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PAGE_ALL = 1_000_000

ITEMS_ALL = f"MATCH (i:{Label.OPEN_SOURCE_ITEM})"
ITEMS_MATCHING: LiteralString = (
    "CALL db.index.fulltext.queryNodes('open_source_item_text', $query) YIELD node AS i"
)
REPORTS_ALL = f"MATCH (r:{Label.OPEN_SOURCE_REPORT})"
REPORTS_MATCHING: LiteralString = (
    "CALL db.index.fulltext.queryNodes('open_source_report_text', $query) YIELD node AS r"
)


# -- feeds --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedConfig:
    name: str
    url: str
    sectors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    poll_seconds: int = 900
    id: str | None = None


async def feeds(db: Database, ids: list[str] | None = None) -> list[Record]:
    return [row["feed"] for row in await db.read("open_source/feeds", ids=ids)]


async def configure_feed(
    db: Database, principal: Principal, config: FeedConfig, settings: FeedSettings
) -> str:
    """Add a feed, or change the one of `config.id`; its id. Refused with every problem found."""
    access.require(principal, access.Action.CONFIGURE_FEEDS)
    feed_id = config.id or f"feed-{uuid.uuid4().hex[:10]}"
    errors: list[FieldProblem] = []

    def problem(name: str, code: str, message: str) -> None:
        errors.append(FieldProblem(("input", name), code, message))

    if config.id is not None and not _FEED_ID.match(config.id):
        problem("id", "BAD_ID", "A feed id is 1 to 63 lower-case letters, digits and hyphens.")
    if not config.name.strip():
        problem("name", "EMPTY", "A feed needs a name.")
    elif len(config.name) > MAX_NAME_CHARS:
        problem("name", "TOO_LONG", f"A name has at most {MAX_NAME_CHARS} characters.")
    parts = urlsplit(config.url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(config.url) > MAX_URL_CHARS:
        problem("url", "BAD_URL", "A feed URL is an absolute http or https URL.")
    if config.poll_seconds < settings.min_poll_seconds:
        problem(
            "pollSeconds",
            "TOO_SMALL",
            f"A feed is polled at most every {settings.min_poll_seconds} s "
            "(ISEGRAPH_FEEDS_MIN_POLL_SECONDS).",
        )

    async def write(tx: Transaction) -> str:
        facts = (await tx.run("open_source/feed_facts", sectors=config.sectors, topics=config.topics))[0]
        for name in ("sectors", "topics"):
            for i, ref in enumerate(getattr(config, name)):
                if ref not in facts[name]:
                    errors.append(
                        FieldProblem(("input", name, str(i)), "UNKNOWN_REFERENCE", f"No {name[:-1]} '{ref}'.")
                    )
        if errors:
            raise EditRejected(errors)
        await tx.run(
            "open_source/feed_upsert",
            id=feed_id,
            name=config.name.strip(),
            url=config.url.strip(),
            host=host_of(config.url.strip()),
            sectors=sorted(set(config.sectors)),
            topics=sorted(set(config.topics)),
            pollSeconds=config.poll_seconds,
        )
        return feed_id

    return await db.in_write_transaction(write)


async def delete_feed(db: Database, principal: Principal, feed_id: str) -> None:
    """Stop fetching a feed; what it brought stays."""
    access.require(principal, access.Action.CONFIGURE_FEEDS)
    rows = await db.write("open_source/feed_delete", id=feed_id)
    if not rows or rows[0]["deleted"] == 0:
        raise rejected(("id",), "NOT_FOUND", f"No feed has the id '{feed_id}'.")


# -- keyword rules ------------------------------------------------------------------------------


async def keyword_rules(db: Database) -> list[tuple[KeywordRule, bool]]:
    """The rules in force, each with whether it was stored (False: built in)."""
    stored = [
        KeywordRule(RuleTarget(r["target"]), r["ref"], tuple(r["keywords"]))
        for r in await db.read("open_source/keyword_rules")
    ]
    keys = {(r.target, r.ref) for r in stored}
    return [(r, (r.target, r.ref) in keys) for r in effective_rules(DEFAULT_RULES, stored)]


async def set_keyword_rule(
    db: Database, principal: Principal, target: RuleTarget, ref: str, keywords: list[str]
) -> None:
    """Replace the keywords that suggest a sector or a topic (an empty list: suggest it never)."""
    access.require(principal, access.Action.CURATE_OPEN_SOURCE)
    cleaned = list(dict.fromkeys(" ".join(k.split()).lower() for k in keywords if k.strip()))
    if len(cleaned) > MAX_KEYWORDS or any(len(k) > MAX_KEYWORD_CHARS for k in cleaned):
        raise rejected(
            ("keywords",),
            "TOO_LONG",
            f"A rule has at most {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD_CHARS} characters.",
        )
    facts = (
        await db.read(
            "open_source/feed_facts",
            sectors=[ref] if target == RuleTarget.SECTOR else [],
            topics=[ref] if target == RuleTarget.TOPIC else [],
        )
    )[0]
    if ref not in facts["sectors"] + facts["topics"]:
        raise rejected(("ref",), "UNKNOWN_REFERENCE", f"No {target.value.lower()} '{ref}'.")
    await db.write(
        "open_source/keyword_rule_set",
        target=target.value,
        ref=ref,
        keywords=cleaned,
        actor=principal.subject,
    )


# -- items --------------------------------------------------------------------------------------

MANUAL_SOURCE = "manual"


@dataclass(frozen=True)
class ManualItem:
    title: str
    link: str
    summary: str = ""
    published_at: str | None = None
    sectors: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)


async def add_item(db: Database, principal: Principal, manual: ManualItem) -> str:
    """Add an item by hand (a source no feed reaches); its id. An item already stored at the same
    address or with the same text is that item: nothing new is stored."""
    access.require(principal, access.Action.CURATE_OPEN_SOURCE)
    errors: list[FieldProblem] = []
    parts = urlsplit(manual.link.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or len(manual.link) > MAX_URL_CHARS:
        errors.append(
            FieldProblem(("input", "link"), "BAD_URL", "A source link is an absolute http or https URL.")
        )
    if not manual.title.strip():
        errors.append(FieldProblem(("input", "title"), "EMPTY", "An item needs a title."))
    published = None
    if manual.published_at is not None:
        try:
            moment = datetime.fromisoformat(manual.published_at.replace("Z", "+00:00"))
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            errors.append(
                FieldProblem(("input", "publishedAt"), "BAD_DATETIME", "publishedAt is ISO-8601 with a zone.")
            )
        else:
            published = moment.astimezone(UTC).isoformat()
    facts = (await db.read("open_source/feed_facts", sectors=manual.sectors, topics=manual.topics))[0]
    for name in ("sectors", "topics"):
        for i, ref in enumerate(getattr(manual, name)):
            if ref not in facts[name]:
                errors.append(
                    FieldProblem(("input", name, str(i)), "UNKNOWN_REFERENCE", f"No {name[:-1]} '{ref}'.")
                )
    if errors:
        raise EditRejected(errors)
    entry = Entry(manual.link.strip(), plain_text(manual.title), plain_text(manual.summary), published)
    url, digest = canonical_url(entry.link), content_hash(entry.title, entry.summary)
    stored = await db.read("open_source/items_by_keys", urls=[url], hashes=[digest])
    if stored:
        return str(stored[0]["id"])
    now = datetime.now(UTC)
    hint = (await classifier(db)).suggest(f"{entry.title}\n{entry.summary}", manual.sectors, manual.topics)
    row = {
        "id": item_id(url),
        "url": url,
        "link": entry.link,
        "contentHash": digest,
        "title": entry.title,
        "summary": entry.summary,
        "publishedAt": entry.published_at,
        "day": item_day(entry, now),
        "sectors": hint.sectors,
        "topics": hint.topics,
        "regions": hint.regions,
    }
    await db.write("open_source/item_add", row=row, at=now.isoformat(), actor=principal.subject)
    return str(row["id"])


async def items(
    db: Database,
    principal: Principal,
    window: Window,
    *,
    day: str | None = None,
    sector: str | None = None,
    feed: str | None = None,
    query: str | None = None,
    ids: list[str] | None = None,
) -> Page[Record]:
    """A window of the stored items, newest first (the day's inbox when `day` is given)."""
    access.require(principal, access.Action.CURATE_OPEN_SOURCE)
    if day is not None:
        day = checked_day(day)
    text = composed("open_source/items", FULLTEXT=ITEMS_ALL if query is None else ITEMS_MATCHING)
    offset, limit = window.forward()
    row = (
        await db.read_text(
            text,
            day=day,
            sector=sector,
            feed=feed,
            ids=ids,
            query=None if query is None else lucene_query(query),
            offset=offset,
            limit=PAGE_ALL if limit is None else limit,
        )
    )[0]
    return Page(int(row["total"]), offset, row["items"])


def checked_day(text: str) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise rejected(
            ("day",), "BAD_DATE", f"'{text}' is not a day: write it as YYYY-MM-DD (UTC)."
        ) from None


# -- the daily report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DraftEntry:
    item: str
    sector: str | None = None  # None: the item's first suggested sector
    summary: str | None = None  # None: the item's own text


async def report(db: Database | Transaction, day: str) -> Record | None:
    """The report of a day (draft or published) with its entries, or None."""
    rows = await db.read("open_source/report", day=day)
    return rows[0] if rows else None


async def save_draft(db: Database, principal: Principal, day: str, entries: list[DraftEntry]) -> None:
    """Replace the draft of `day` with `entries`, in their order. Refused once it is published."""
    access.require(principal, access.Action.CURATE_OPEN_SOURCE)
    day = checked_day(day)
    if len(entries) > report_rules.MAX_ENTRIES:
        raise rejected(
            ("entries",), "TOO_MANY", f"A daily report lists at most {report_rules.MAX_ENTRIES} items."
        )

    async def write(tx: Transaction) -> None:
        state = (await tx.run("open_source/report_lock", day=day))[0]["state"]
        if state == "PUBLISHED":
            raise rejected(("day",), "ALREADY_PUBLISHED", f"The report of {day} is published already.")
        rows = await _checked_entries(tx, entries)
        await tx.run("open_source/report_save", day=day, entries=rows, actor=principal.subject)

    await db.in_write_transaction(write)


async def _checked_entries(tx: Transaction, entries: list[DraftEntry]) -> list[Record]:
    ids = [e.item for e in entries]
    by_id = {item["id"]: item for item in await tx.read("open_source/items_by_id", ids=ids)}
    sectors = [e.sector for e in entries if e.sector is not None]
    known = set((await tx.run("open_source/report_facts", items=ids, sectors=sectors))[0]["sectors"])
    errors: list[FieldProblem] = []
    rows: list[Record] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = ("entries", str(i))
        item = by_id.get(entry.item)
        if item is None:
            errors.append(FieldProblem((*where, "item"), "UNKNOWN_REFERENCE", f"No item '{entry.item}'."))
            continue
        if entry.item in seen:
            errors.append(
                FieldProblem((*where, "item"), "DUPLICATE", f"Item '{entry.item}' is listed twice.")
            )
        seen.add(entry.item)
        sector = entry.sector or next(iter(item["sectors"] or []), None)
        if sector is None:
            errors.append(
                FieldProblem(
                    (*where, "sector"), "REQUIRED", "No sector was suggested for this item: choose one."
                )
            )
        elif entry.sector is not None and sector not in known:
            errors.append(FieldProblem((*where, "sector"), "UNKNOWN_REFERENCE", f"No sector '{sector}'."))
        summary = item["summary"] if entry.summary is None else entry.summary.strip()
        if len(summary) > report_rules.MAX_ENTRY_SUMMARY_CHARS:
            if entry.summary is None:
                summary = summary[: report_rules.MAX_ENTRY_SUMMARY_CHARS - 1].rstrip() + "…"
            else:
                errors.append(
                    FieldProblem(
                        (*where, "summary"),
                        "TOO_LONG",
                        f"An item's summary has at most {report_rules.MAX_ENTRY_SUMMARY_CHARS:,} characters.",
                    )
                )
        rows.append({"item": entry.item, "sector": sector, "summary": summary})
    if errors:
        raise EditRejected(errors)
    return rows


def report_entries(found: Record) -> list[report_rules.ReportEntry]:
    return [
        report_rules.ReportEntry(
            item=e["item"],
            title=e["title"],
            summary=e["summary"] or "",
            sector=e["sector"],
            sector_name=e["sectorName"] or e["sector"],
            link=e["link"],
        )
        for e in found["entries"]
    ]


async def publish(
    db: Database, principal: Principal, day: str, issued_by: str | None = None
) -> tuple[str, dissemination.DisseminationReport]:
    """Publish the draft of `day` as its DAILY_REPORT product and disseminate it; the product's id
    and the dissemination."""
    access.require(principal, access.Action.CURATE_OPEN_SOURCE)
    day = checked_day(day)

    async def write(tx: Transaction) -> str:
        state = (await tx.run("open_source/report_lock", day=day))[0]["state"]
        if state == "PUBLISHED":
            raise rejected(("day",), "ALREADY_PUBLISHED", f"The report of {day} is published already.")
        found = await report(tx, day)
        assert found is not None
        entries = report_entries(found)
        if not entries:
            raise rejected(("day",), "EMPTY", f"The draft of {day} lists no item: save a draft first.")
        text = report_rules.text(day, entries)
        fields = {
            "id": report_rules.product_id(day),
            "title": report_rules.title(day),
            "kind": report_rules.KIND.value,
            "level": report_rules.LEVEL.value,
            "severity": report_rules.SEVERITY.value,
            "tlp": report_rules.TLP.value,
            "pcii": False,
            "sectors": [sector for sector, _ in report_rules.sections(entries)],
            "topics": [],
            "regions": [],
            "addressedTo": [],
            "issuedBy": issued_by,
            "publishedAt": publication_now(),
            "summary": text,
        }
        made = await editing.recorded(lambda t: editing.create(t, "products", fields), principal.subject)(tx)
        await tx.run(
            "open_source/report_publish", day=day, product=fields["id"], text=text, actor=principal.subject
        )
        return made[-1].key

    product_id = await db.in_write_transaction(write)
    return product_id, await dissemination.disseminate(db, product_id, principal.subject)


async def archive(
    db: Database,
    window: Window,
    *,
    day_from: str | None = None,
    day_to: str | None = None,
    sector: str | None = None,
    query: str | None = None,
) -> Page[str]:
    """A window of the days of the published reports, newest first."""
    text = composed("open_source/reports", FULLTEXT=REPORTS_ALL if query is None else REPORTS_MATCHING)
    offset, limit = window.forward()
    row = (
        await db.read_text(
            text,
            **{"from": None if day_from is None else checked_day(day_from)},
            to=None if day_to is None else checked_day(day_to),
            sector=sector,
            query=None if query is None else lucene_query(query),
            offset=offset,
            limit=PAGE_ALL if limit is None else limit,
        )
    )[0]
    return Page(int(row["total"]), offset, [str(d) for d in row["items"]])

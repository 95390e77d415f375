"""The poll round: fetch the feeds that are due, store what is new, and show what failed.

Each feed is written in one transaction, and only when it brought something: new items, an item
its own source changed, another source's copy of a stored item, new validators, or a new error. A
feed that answers 304, or the same document again, costs no write at all. A failed fetch leaves
everything stored before as it was and sets the feed's last error.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import time
from collections.abc import Callable, Coroutine, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from graph_api.feeds.classify import Classifier, KeywordRule, RuleTarget, effective_rules
from graph_api.feeds.dedup import Deduplicator, Known, Verdict, entry_keys
from graph_api.feeds.fetching import FeedClient, Fetched, FetchFailed, Validators
from graph_api.feeds.keywords import DEFAULT_RULES
from graph_api.feeds.parsing import Entry, FeedUnreadable, parse
from graph_api.settings import FeedSettings
from graph_api.store.database import Database, Record, Transaction

log = logging.getLogger("isegraph.feeds")
MAX_ERROR_CHARS = 500
# Entries deduplicated between two turns of the event loop, so that a write under way goes on.
YIELD_EVERY = 50
Write = Callable[[], Coroutine[Any, Any, None]]


class _InOrder:
    """Writes made one at a time, in the order given: each begins when the one before has ended,
    and the caller goes on (deduplicating the next feed) while it runs."""

    def __init__(self) -> None:
        self._pending: asyncio.Task[None] | None = None

    async def add(self, write: Write | None) -> None:
        if write is not None:
            await self.drain()
            self._pending = asyncio.create_task(write())

    async def drain(self) -> None:
        """Wait for the write under way (its error is raised here)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await pending

    async def abandon(self) -> None:
        """The round failed: let the write under way end as it would have (a begun transaction
        commits or rolls back whole); its own error, if any, is logged, not raised."""
        pending, self._pending = self._pending, None
        if pending is not None:
            await asyncio.wait([pending])
            if not pending.cancelled() and pending.exception() is not None:
                log.error("a feed's write failed as its round stopped", exc_info=pending.exception())


@dataclass
class FeedOutcome:
    feed: str
    new: int = 0
    changed: int = 0
    copies: int = 0
    unchanged: int = 0
    not_modified: bool = False
    error: str | None = None
    written: bool = False


@dataclass
class RoundReport:
    feeds: list[FeedOutcome] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(f.new for f in self.feeds)

    @property
    def written(self) -> int:
        return sum(1 for f in self.feeds if f.written)


async def classifier(db: Database) -> Classifier:
    """The classifier of the stored keyword rules (over the built-in ones) and the region tree."""
    stored = [
        KeywordRule(RuleTarget(r["target"]), r["ref"], tuple(r["keywords"]))
        for r in await db.read("open_source/keyword_rules")
    ]
    regions = [(r["id"], r["name"], r["kind"]) for r in await db.read("open_source/regions")]
    return Classifier(effective_rules(DEFAULT_RULES, stored), regions)


def _known(row: Record) -> Known:
    return Known(
        id=row["id"],
        url=row["url"],
        content_hash=row["contentHash"],
        title=row["title"],
        source=row["source"],
        feeds=set(row["feeds"] or []),
        urls=set(row["urls"] or []),
        hashes=set(row["hashes"] or []),
    )


def item_day(entry: Entry, now: datetime) -> str:
    """The day (UTC) an item belongs to: when it was published, or first seen if it does not say
    or says a time still to come."""
    if entry.published_at is not None:
        published = datetime.fromisoformat(entry.published_at)
        if published <= now:
            return published.date().isoformat()
    return now.date().isoformat()


class Poller:
    def __init__(self, db: Database, settings: FeedSettings) -> None:
        self.db = db
        self.settings = settings
        self.client = FeedClient(settings)
        # When each feed was last fetched by this process: the schedule is kept here, not in the
        # graph, so that a feed with nothing new costs no write.
        self._checked: dict[str, float] = {}
        self._pool: ProcessPoolExecutor | None = None

    async def close(self) -> None:
        await self.client.close()
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)

    def _parser_pool(self) -> ProcessPoolExecutor:
        # A fork server, not fork: the worker holds threads (the database driver's) that a
        # forked child must not inherit mid-lock. Started once, kept for the next rounds.
        if self._pool is None:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["graph_api.feeds.parsing"])
            self._pool = ProcessPoolExecutor(self.settings.parse_processes, mp_context=context)
        return self._pool

    def _parsed(self, answers: list[tuple[Record, Any]]) -> list[asyncio.Future[list[Entry]] | None]:
        """Each fetched document's entries, parsed in other processes when the round brought
        enough to be worth it, so that storing one feed overlaps parsing the next."""
        loop = asyncio.get_running_loop()
        bodies = [a.body if isinstance(a, Fetched) else None for _, a in answers]
        size = sum(len(b) for b in bodies if b is not None)
        pool = (
            self._parser_pool()
            if self.settings.parse_processes > 0 and size >= self.settings.parse_pool_min_bytes
            else None
        )
        futures: list[asyncio.Future[list[Entry]] | None] = []
        for (_, answer), body in zip(answers, bodies, strict=True):
            if body is None or pool is None:
                futures.append(None)
            else:
                futures.append(loop.run_in_executor(pool, parse, body, answer.content_type))
        return futures

    async def run(self, stop: asyncio.Event) -> None:
        """Fetch due feeds until `stop` is set."""
        while not stop.is_set():
            try:
                await self.poll()
            except Exception:  # the database may be restarting: say so and try again
                log.exception("a feed round failed; retrying after %ss", self.settings.check_seconds)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.settings.check_seconds)

    async def poll(self, feed_ids: Iterable[str] | None = None, *, force: bool = False) -> RoundReport:
        """Fetch the feeds whose polling interval has run out (`force`: every one named, or all)."""
        wanted = None if feed_ids is None else set(feed_ids)
        everything = [row["feed"] for row in await self.db.read("open_source/feeds", ids=None)]
        feeds = [f for f in everything if wanted is None or f["id"] in wanted]
        hosts = {feed["host"] for feed in everything}
        started = time.monotonic()
        due = [f for f in feeds if force or self._due(f, started)]
        report = RoundReport()
        if not due:
            return report
        now = datetime.now(UTC)
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def fetch(feed: Record) -> tuple[Record, Any]:
            async with gate:
                validators = Validators(feed["etag"], feed["lastModified"])
                try:
                    return feed, await self.client.fetch(feed["url"], validators, hosts)
                except FetchFailed as exc:
                    return feed, exc

        answers = await asyncio.gather(*(fetch(f) for f in due))
        # What deduplication and suggestions need is read only when some feed brought a document.
        dedup, sorter = Deduplicator(), Classifier([])
        if any(isinstance(a, Fetched) and a.body is not None for _, a in answers):
            since = (now - timedelta(days=self.settings.dedup_days)).isoformat()
            recent = await self.db.read("open_source/recent_items", since=since)
            dedup = Deduplicator(_known(r) for r in recent)
            sorter = await classifier(self.db)
        parsing = self._parsed(answers)
        # Fetched together, stored one feed after another in the order given: each feed is
        # deduplicated against everything decided before it, and while one feed is written the
        # next is deduplicated.
        writes = _InOrder()
        try:
            for (feed, answer), parsed in zip(answers, parsing, strict=True):
                self._checked[feed["id"]] = started
                if isinstance(answer, FetchFailed):
                    await writes.drain()
                    outcome = await self._failed(feed, str(answer), now)
                elif answer.body is None:
                    outcome = FeedOutcome(feed["id"], not_modified=True)
                    if feed["lastError"] is not None:
                        await writes.add(
                            await self._store(feed, [], dedup, sorter, answer.validators, now, outcome)
                        )
                else:
                    try:
                        entries = (
                            await parsed if parsed is not None else parse(answer.body, answer.content_type)
                        )
                    except FeedUnreadable as exc:
                        await writes.drain()
                        outcome = await self._failed(feed, str(exc), now)
                    else:
                        outcome = FeedOutcome(feed["id"])
                        await writes.add(
                            await self._store(feed, entries, dedup, sorter, answer.validators, now, outcome)
                        )
                report.feeds.append(outcome)
            await writes.drain()
        except BaseException:
            await writes.abandon()
            raise
        log.info(
            "feeds: %d fetched, %d new item(s), %d written, %d failing",
            len(report.feeds),
            report.new,
            report.written,
            sum(1 for f in report.feeds if f.error),
        )
        return report

    def _due(self, feed: Record, now: float) -> bool:
        last = self._checked.get(feed["id"])
        interval = max(int(feed["pollSeconds"] or 0), self.settings.min_poll_seconds)
        return last is None or now - last >= interval

    async def _failed(self, feed: Record, error: str, now: datetime) -> FeedOutcome:
        error = error[:MAX_ERROR_CHARS]
        outcome = FeedOutcome(feed["id"], error=error)
        log.warning("feed %s (%s): %s", feed["id"], feed["url"], error)
        if error != feed["lastError"]:  # the same error again says nothing new
            await self.db.write("open_source/feed_failed", id=feed["id"], error=error, at=now.isoformat())
            outcome.written = True
        return outcome

    async def _store(
        self,
        feed: Record,
        entries: list[Entry],
        dedup: Deduplicator,
        sorter: Classifier,
        validators: Validators,
        now: datetime,
        outcome: FeedOutcome,
    ) -> Write | None:
        """Decide what `entries` bring; the write that stores it (None: nothing new)."""
        feed_id = feed["id"]
        # Items stored before the deduplication window are found by their address or content.
        keys = [entry_keys(e.link, e.title, e.summary) for e in entries]
        if entries:
            urls, hashes = [url for url, _ in keys], [digest for _, digest in keys]
            older = await self.db.read("open_source/items_by_keys", urls=urls, hashes=hashes)
            for row in older:
                if row["id"] not in dedup.items:
                    dedup.learn(_known(row))
        new: list[Record] = []
        changed: list[Record] = []
        copies: list[Record] = []
        new_copies = 0
        for n, (entry, entry_key) in enumerate(zip(entries, keys, strict=True), 1):
            if n % YIELD_EVERY == 0:
                await asyncio.sleep(0)  # let the write before this feed's go on meanwhile
            decision = dedup.decide(feed_id, entry.link, entry.title, entry.summary, keys=entry_key)
            if decision.verdict == Verdict.UNCHANGED:
                outcome.unchanged += 1
                continue
            if decision.verdict == Verdict.DUPLICATE:
                copies.append(
                    {"id": decision.item, "url": decision.url, "contentHash": decision.content_hash}
                )
                continue
            hint = sorter.suggest(
                f"{entry.title}\n{entry.summary}", feed["sectors"] or [], feed["topics"] or []
            )
            row = {
                "id": decision.item,
                "url": decision.url,
                "link": entry.link,
                "contentHash": decision.content_hash,
                "title": entry.title,
                "summary": entry.summary,
                "publishedAt": entry.published_at,
                "day": item_day(entry, now),
                "sectors": hint.sectors,
                "topics": hint.topics,
                "regions": hint.regions,
            }
            (new if decision.verdict == Verdict.NEW else changed).append(row)
        # A copy counts for the feed once: the first time the item gains it.
        seen_copies: set[str] = set()
        for copy in copies:
            if copy["id"] not in seen_copies:
                seen_copies.add(copy["id"])
                new_copies += 1
        outcome.new, outcome.changed, outcome.copies = len(new), len(changed), len(copies)
        same_validators = validators == Validators(feed["etag"], feed["lastModified"])
        if not (new or changed or copies) and same_validators and feed["lastError"] is None:
            return None  # nothing new: no write

        async def work(tx: Transaction) -> None:
            await tx.run(
                "open_source/store_items",
                feed=feed_id,
                at=now.isoformat(),
                new=new,
                changed=changed,
                copies=copies,
                newCopies=new_copies,
                etag=validators.etag,
                lastModified=validators.last_modified,
            )

        async def write() -> None:
            await self.db.in_write_transaction(work)
            outcome.written = True

        return write

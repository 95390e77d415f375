"""Open-source reporting in GraphQL: feeds (ADMIN), items and keyword rules, the daily report's
draft and publication (ANALYST and ADMIN), and the archive of published reports (everyone)."""

from __future__ import annotations

import dataclasses
from enum import StrEnum

import strawberry

from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.payloads import FieldError
from graph_api.api.permissions import Requires
from graph_api.api.results import DisseminationReport
from graph_api.api.types import (
    Info,
    InformationProduct,
    Region,
    Sector,
    Topic,
    load_many,
    load_one,
)
from graph_api.feeds.classify import RuleTarget
from graph_api.feeds.poller import FeedOutcome, Poller
from graph_api.rules import access, editing, open_source
from graph_api.rules.access import Action
from graph_api.rules.audit import audited
from graph_api.store.database import Record

strawberry.enum(RuleTarget, name="KeywordRuleTarget", description="What a keyword rule suggests.")


@strawberry.enum(description="DRAFT: being curated. PUBLISHED: sent out as a DAILY_REPORT product.")
class OpenSourceReportState(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"


@strawberry.type(description="An open-source feed the worker fetches (RSS 2.0, Atom or JSON Feed).")
class OpenSourceFeed:
    id: strawberry.ID
    name: str
    url: str
    poll_seconds: int = strawberry.field(description="How often it is fetched.")
    item_count: int = strawberry.field(description="Items it has carried, copies of other sources' included.")
    last_error: str | None = strawberry.field(
        description="Why the last fetch failed; null once a fetch succeeds. What the feed brought before "
        "is kept whatever happens to a fetch."
    )
    last_error_at: str | None
    failing_since: str | None = strawberry.field(description="When its current run of failures began.")
    last_success_at: str | None = strawberry.field(
        description="When a fetch last brought something new (an unchanged feed writes nothing)."
    )
    _sectors: strawberry.Private[list[str]]
    _topics: strawberry.Private[list[str]]

    @strawberry.field(description="Sectors every item of this feed is suggested.")
    async def sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._sectors, Sector)

    @strawberry.field(description="Topics every item of this feed is suggested.")
    async def topics(self, info: Info) -> list[Topic]:
        return await load_many(info, "topics", self._topics, Topic)

    @staticmethod
    def of(r: Record) -> OpenSourceFeed:
        return OpenSourceFeed(
            id=strawberry.ID(r["id"]),
            name=r["name"],
            url=r["url"],
            poll_seconds=int(r["pollSeconds"]),
            item_count=int(r["itemCount"] or 0),
            last_error=r["lastError"],
            last_error_at=r["lastErrorAt"],
            failing_since=r["failingSince"],
            last_success_at=r["lastSuccessAt"],
            _sectors=r["sectors"] or [],
            _topics=r["topics"] or [],
        )


@strawberry.type(description="An open-source item, stored once whatever the number of feeds carrying it.")
class OpenSourceItem:
    id: strawberry.ID
    link: str = strawberry.field(description="Its source link, as its first feed gave it.")
    title: str
    summary: str = strawberry.field(description="Its text, plain.")
    published_at: str | None
    first_seen_at: str
    updated_at: str = strawberry.field(description="When its own source last changed it.")
    day: str = strawberry.field(description="The day (UTC) it belongs to: published, or first seen.")
    feeds: list[strawberry.ID] = strawberry.field(description="The feeds that carried it, its source first.")
    _sectors: strawberry.Private[list[str]]
    _topics: strawberry.Private[list[str]]
    _regions: strawberry.Private[list[str]]

    @strawberry.field(description="Suggested by the keyword rules and the feed's defaults.")
    async def suggested_sectors(self, info: Info) -> list[Sector]:
        return await load_many(info, "sectors", self._sectors, Sector)

    @strawberry.field(description="Suggested by the keyword rules and the feed's defaults.")
    async def suggested_topics(self, info: Info) -> list[Topic]:
        return await load_many(info, "topics", self._topics, Topic)

    @strawberry.field(description="Regions whose names appear in its title or text.")
    async def suggested_regions(self, info: Info) -> list[Region]:
        return await load_many(info, "regions", self._regions, Region)

    @staticmethod
    def of(r: Record) -> OpenSourceItem:
        source = r["source"]
        return OpenSourceItem(
            id=strawberry.ID(r["id"]),
            link=r["link"],
            title=r["title"],
            summary=r["summary"],
            published_at=r["publishedAt"],
            first_seen_at=r["firstSeenAt"],
            updated_at=r["updatedAt"],
            day=r["day"],
            feeds=[strawberry.ID(f) for f in [source, *(f for f in r["feeds"] if f != source)]],
            _sectors=r["sectors"] or [],
            _topics=r["topics"] or [],
            _regions=r["regions"] or [],
        )


@strawberry.type(description="The words that suggest a sector or a topic.")
class KeywordRule:
    target: RuleTarget
    ref: strawberry.ID = strawberry.field(description="The sector's or topic's id.")
    keywords: list[str]
    stored: bool = strawberry.field(description="False: the built-in rule, until one is stored.")


@strawberry.type(description="One item of a daily report, as the analyst edited it.")
class OpenSourceReportEntry:
    position: int = strawberry.field(description="Its place in the analyst's order, from 0.")
    title: str
    summary: str = strawberry.field(description="The analyst's summary.")
    link: str = strawberry.field(description="The item's source link.")
    _item: strawberry.Private[str]
    _sector: strawberry.Private[str]

    @strawberry.field
    async def item(self, info: Info) -> OpenSourceItem | None:
        found = await open_source.items(
            info.context.db, info.context.principal, window_of(1, None), ids=[self._item]
        )
        return OpenSourceItem.of(found.items[0]) if found.items else None

    @strawberry.field(description="The section it stands in.")
    async def sector(self, info: Info) -> Sector | None:
        return await load_one(info, "sectors", self._sector, Sector)


@strawberry.type(
    description="The Daily Open Source Infrastructure Report of a day: a draft while analysts "
    "curate it, then a DAILY_REPORT product (TLP:CLEAR) with one section per sector."
)
class OpenSourceReport:
    day: str = strawberry.field(description="YYYY-MM-DD (UTC).")
    state: OpenSourceReportState
    version: int = strawberry.field(description="Bumped by every saved draft and by publication.")
    updated_at: str | None
    updated_by: str | None
    published_at: str | None
    published_by: str | None
    text: str | None = strawberry.field(description="The published text (the product's summary).")
    entries: list[OpenSourceReportEntry] = strawberry.field(description="In the analyst's order.")
    _product: strawberry.Private[str | None]
    _sectors: strawberry.Private[list[str]]

    @strawberry.field(description="Its sections, in order.")
    async def sectors(self, info: Info) -> list[Sector]:
        found = await load_many(info, "sectors", self._sectors, Sector)
        order = {s: i for i, s in enumerate(self._sectors)}
        return sorted(found, key=lambda s: order.get(str(s.id), len(order)))

    @strawberry.field(description="The product it was published as (null while a draft).")
    async def product(self, info: Info) -> InformationProduct | None:
        return await load_one(info, "products", self._product, InformationProduct)

    @staticmethod
    def of(found: Record) -> OpenSourceReport:
        r = found["report"]
        return OpenSourceReport(
            day=r["day"],
            state=OpenSourceReportState(r["state"]),
            version=int(r["version"] or 0),
            updated_at=r["updatedAt"],
            updated_by=r["updatedBy"],
            published_at=r["publishedAt"],
            published_by=r["publishedBy"],
            text=r["text"],
            entries=[
                OpenSourceReportEntry(
                    position=int(e["position"]),
                    title=e["title"],
                    summary=e["summary"] or "",
                    link=e["link"],
                    _item=e["item"],
                    _sector=e["sector"],
                )
                for e in found["entries"]
            ],
            _product=r["product"],
            _sectors=r["sectors"] or [],
        )


@strawberry.input(description="A feed to add, or (with its id) to change.")
class OpenSourceFeedInput:
    name: str
    url: str = strawberry.field(description="http or https; only configured feeds' hosts are fetched.")
    sectors: list[strawberry.ID] = strawberry.field(default_factory=list)
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)
    poll_seconds: int = strawberry.field(default=900, description="At least ISEGRAPH_FEEDS_MIN_POLL_SECONDS.")
    id: strawberry.ID | None = strawberry.field(default=None, description="Default: a new id.")


@strawberry.input(description="One item of a draft; its place in the list is its place in the report.")
class OpenSourceReportEntryInput:
    item: strawberry.ID
    sector: strawberry.ID | None = strawberry.field(
        default=None, description="The section it stands in; default its first suggested sector."
    )
    summary: str | None = strawberry.field(default=None, description="Default: the item's own text.")


@strawberry.input(description="An item seen where no feed reaches, added by hand.")
class OpenSourceItemInput:
    title: str
    link: str = strawberry.field(description="Its source link (http or https).")
    summary: str = ""
    published_at: str | None = strawberry.field(default=None, description="ISO-8601 with a zone.")
    sectors: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Suggested beside what the keyword rules suggest."
    )
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)


@strawberry.type
class OpenSourceItemPayload:
    item: OpenSourceItem | None = strawberry.field(
        description="The item: the new one, or the one already stored at that address or with that text."
    )
    user_errors: list[FieldError]


@strawberry.type
class OpenSourceFeedPayload:
    feed: OpenSourceFeed | None
    user_errors: list[FieldError]


@strawberry.type
class DeleteOpenSourceFeedPayload:
    deleted_id: strawberry.ID | None
    user_errors: list[FieldError]


@strawberry.type
class KeywordRulePayload:
    rule: KeywordRule | None
    user_errors: list[FieldError]


@strawberry.type
class OpenSourceReportPayload:
    report: OpenSourceReport | None
    user_errors: list[FieldError]


@strawberry.type
class PublishOpenSourceReportPayload:
    report: OpenSourceReport | None
    product: InformationProduct | None
    dissemination: DisseminationReport | None = strawberry.field(
        description="Its delivery to the product's recipients."
    )
    user_errors: list[FieldError]


@strawberry.type(description="What one feed's fetch brought.")
class FeedFetch:
    feed: strawberry.ID
    new_items: int
    changed_items: int
    copies: int = strawberry.field(description="Entries that were other sources' stored items.")
    unchanged: int
    not_modified: bool = strawberry.field(description="The server answered 304 Not Modified.")
    error: str | None
    written: bool = strawberry.field(description="False: nothing new, nothing written.")

    @staticmethod
    def of(outcome: FeedOutcome) -> FeedFetch:
        return FeedFetch(
            feed=strawberry.ID(outcome.feed),
            new_items=outcome.new,
            changed_items=outcome.changed,
            copies=outcome.copies,
            unchanged=outcome.unchanged,
            not_modified=outcome.not_modified,
            error=outcome.error,
            written=outcome.written,
        )


def _errors(exc: editing.EditRejected) -> list[FieldError]:
    return [FieldError.of(e) for e in exc.errors]


async def _feed(info: Info, feed_id: str) -> OpenSourceFeed | None:
    found = await open_source.feeds(info.context.db, [feed_id])
    return OpenSourceFeed.of(found[0]) if found else None


async def _report(info: Info, day: str) -> OpenSourceReport | None:
    found = await open_source.report(info.context.db, day)
    return None if found is None else OpenSourceReport.of(found)


@strawberry.type
class OpenSourceQuery:
    @strawberry.field(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="The configured open-source feeds with their status, by name.",
    )
    async def open_source_feeds(self, info: Info) -> list[OpenSourceFeed]:
        return [OpenSourceFeed.of(f) for f in await open_source.feeds(info.context.db)]

    @strawberry.field(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="The stored open-source items, newest first: a day's inbox (day), one sector's "
        "suggestions, one feed's items, or those matching words (search: every word, the last as a "
        "prefix).",
    )
    async def open_source_items(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        day: str | None = None,
        sector: strawberry.ID | None = None,
        feed: strawberry.ID | None = None,
        search: str | None = None,
    ) -> Connection[OpenSourceItem]:
        ctx = info.context
        page = await open_source.items(
            ctx.db, ctx.principal, window_of(first, after), day=day, sector=sector, feed=feed, query=search
        )
        return connection_of([OpenSourceItem.of(r) for r in page.items], page.start, page.total)

    @strawberry.field(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="The keyword rules in force: a stored rule replaces the built-in one of its target.",
    )
    async def open_source_keyword_rules(self, info: Info) -> list[KeywordRule]:
        return [
            KeywordRule(target=r.target, ref=strawberry.ID(r.ref), keywords=list(r.keywords), stored=stored)
            for r, stored in await open_source.keyword_rules(info.context.db)
        ]

    @strawberry.field(
        description="The report of a day: its draft (ANALYST and ADMIN) or, once published, for "
        "everyone; null when there is none you may see."
    )
    async def open_source_report(self, info: Info, day: str) -> OpenSourceReport | None:
        found = await _report(info, open_source.checked_day(day))
        if found is None or (found.state == OpenSourceReportState.DRAFT and not _curator(info)):
            return None
        return found

    @strawberry.field(
        description="The archive of published reports, newest day first: by day range (fromDay, "
        "toDay: YYYY-MM-DD, inclusive), sector, and words of their text."
    )
    async def open_source_reports(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        from_day: str | None = None,
        to_day: str | None = None,
        sector: strawberry.ID | None = None,
        search: str | None = None,
    ) -> Connection[OpenSourceReport]:
        page = await open_source.archive(
            info.context.db,
            window_of(first, after),
            day_from=from_day,
            day_to=to_day,
            sector=sector,
            query=search,
        )
        found = [await _report(info, day) for day in page.items]
        return connection_of([r for r in found if r is not None], page.start, page.total)


def _curator(info: Info) -> bool:
    return info.context.principal.role in access.RULES[Action.CURATE_OPEN_SOURCE]


@strawberry.type
class OpenSourceMutation:
    @strawberry.mutation(
        permission_classes=[Requires(Action.CONFIGURE_FEEDS)],
        description="Add an open-source feed, or change one (ADMIN). What it brought stays.",
    )
    async def configure_open_source_feed(
        self, info: Info, input: OpenSourceFeedInput
    ) -> OpenSourceFeedPayload:
        ctx = info.context
        config = open_source.FeedConfig(
            name=input.name,
            url=input.url,
            sectors=[str(s) for s in input.sectors],
            topics=[str(t) for t in input.topics],
            poll_seconds=input.poll_seconds,
            id=input.id,
        )
        try:
            async with audited(ctx.db, ctx.principal, "configureOpenSourceFeed", dataclasses.asdict(config)):
                feed_id = await open_source.configure_feed(ctx.db, ctx.principal, config, ctx.settings.feeds)
        except editing.EditRejected as exc:
            return OpenSourceFeedPayload(feed=None, user_errors=_errors(exc))
        return OpenSourceFeedPayload(feed=await _feed(info, feed_id), user_errors=[])

    @strawberry.mutation(
        permission_classes=[Requires(Action.CONFIGURE_FEEDS)],
        description="Stop fetching a feed (ADMIN); the items it brought stay.",
    )
    async def delete_open_source_feed(self, info: Info, id: strawberry.ID) -> DeleteOpenSourceFeedPayload:
        ctx = info.context
        try:
            async with audited(ctx.db, ctx.principal, "deleteOpenSourceFeed", {"id": id}):
                await open_source.delete_feed(ctx.db, ctx.principal, id)
        except editing.EditRejected as exc:
            return DeleteOpenSourceFeedPayload(deleted_id=None, user_errors=_errors(exc))
        return DeleteOpenSourceFeedPayload(deleted_id=id, user_errors=[])

    @strawberry.mutation(
        permission_classes=[Requires(Action.CONFIGURE_FEEDS)],
        description="Fetch feeds now (ADMIN), all of them or those named, whatever their polling interval.",
    )
    async def fetch_open_source_feeds(
        self, info: Info, ids: list[strawberry.ID] | None = None
    ) -> list[FeedFetch]:
        ctx = info.context
        poller = Poller(ctx.db, ctx.settings.feeds)
        try:
            async with audited(ctx.db, ctx.principal, "fetchOpenSourceFeeds", {"ids": ids}):
                report = await poller.poll(None if ids is None else [str(i) for i in ids], force=True)
        finally:
            await poller.close()
        return [FeedFetch.of(f) for f in report.feeds]

    @strawberry.mutation(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="Add an item by hand, from a source no feed reaches; stored once like a fetched "
        "one (its feeds: manual), with the same suggestions.",
    )
    async def add_open_source_item(self, info: Info, input: OpenSourceItemInput) -> OpenSourceItemPayload:
        ctx = info.context
        manual = open_source.ManualItem(
            title=input.title,
            link=input.link,
            summary=input.summary,
            published_at=input.published_at,
            sectors=[str(s) for s in input.sectors],
            topics=[str(t) for t in input.topics],
        )
        arguments = {"link": manual.link, "title": manual.title}
        try:
            async with audited(ctx.db, ctx.principal, "addOpenSourceItem", arguments):
                item_id = await open_source.add_item(ctx.db, ctx.principal, manual)
        except editing.EditRejected as exc:
            return OpenSourceItemPayload(item=None, user_errors=_errors(exc))
        found = await open_source.items(ctx.db, ctx.principal, window_of(1, None), ids=[item_id])
        return OpenSourceItemPayload(item=OpenSourceItem.of(found.items[0]), user_errors=[])

    @strawberry.mutation(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="Replace the keywords that suggest a sector or a topic for items fetched from now on "
        "(an empty list: suggest it never). Case and extra spaces do not matter; matching is on whole words.",
    )
    async def set_open_source_keyword_rule(
        self, info: Info, target: RuleTarget, ref: strawberry.ID, keywords: list[str]
    ) -> KeywordRulePayload:
        ctx = info.context
        try:
            async with audited(
                ctx.db,
                ctx.principal,
                "setOpenSourceKeywordRule",
                {"target": target.value, "ref": ref, "keywords": keywords},
            ):
                await open_source.set_keyword_rule(ctx.db, ctx.principal, target, ref, keywords)
        except editing.EditRejected as exc:
            return KeywordRulePayload(rule=None, user_errors=_errors(exc))
        rules = await open_source.keyword_rules(ctx.db)
        rule, stored = next((r, s) for r, s in rules if r.target == target and r.ref == ref)
        return KeywordRulePayload(
            rule=KeywordRule(target=target, ref=ref, keywords=list(rule.keywords), stored=stored),
            user_errors=[],
        )

    @strawberry.mutation(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="Save the draft of a day's report: the items picked, in order, each with its "
        "section (sector) and summary. Replaces the draft saved before; refused once published.",
    )
    async def save_open_source_report_draft(
        self, info: Info, day: str, entries: list[OpenSourceReportEntryInput]
    ) -> OpenSourceReportPayload:
        ctx = info.context
        drafted = [
            open_source.DraftEntry(item=str(e.item), sector=e.sector, summary=e.summary) for e in entries
        ]
        arguments = {"day": day, "entries": [{"item": e.item, "sector": e.sector} for e in drafted]}
        try:
            async with audited(ctx.db, ctx.principal, "saveOpenSourceReportDraft", arguments):
                await open_source.save_draft(ctx.db, ctx.principal, day, drafted)
        except editing.EditRejected as exc:
            return OpenSourceReportPayload(report=None, user_errors=_errors(exc))
        return OpenSourceReportPayload(
            report=await _report(info, open_source.checked_day(day)), user_errors=[]
        )

    @strawberry.mutation(
        permission_classes=[Requires(Action.CURATE_OPEN_SOURCE)],
        description="Publish the draft of a day as the Daily Open Source Infrastructure Report: a "
        "DAILY_REPORT product, TLP:CLEAR, one section per sector, each item with its source link; "
        "disseminated to its recipients at once and listed in the day's digests.",
    )
    async def publish_open_source_report(
        self, info: Info, day: str, issued_by: strawberry.ID | None = None
    ) -> PublishOpenSourceReportPayload:
        ctx = info.context
        try:
            async with audited(
                ctx.db, ctx.principal, "publishOpenSourceReport", {"day": day, "issuedBy": issued_by}
            ):
                product_id, delivered = await open_source.publish(ctx.db, ctx.principal, day, issued_by)
        except editing.EditRejected as exc:
            return PublishOpenSourceReportPayload(
                report=None, product=None, dissemination=None, user_errors=_errors(exc)
            )
        return PublishOpenSourceReportPayload(
            report=await _report(info, open_source.checked_day(day)),
            product=await load_one(info, "products", product_id, InformationProduct),
            dissemination=DisseminationReport.of(delivered),
            user_errors=[],
        )

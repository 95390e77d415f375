"""Who should receive what: from the in-process index of the partnership graph when it is exact,
else in Neo4j (cypher/recipients/resolve.cypher); both give the same rows, which this module
turns into the list."""

from __future__ import annotations

import asyncio
import itertools
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from graph_api import audience, domain
from graph_api.domain.interchange import Record
from graph_api.domain.moments import publication_now
from graph_api.errors import InvalidInput, NotFound
from graph_api.rules.validation import check_records
from graph_api.store.database import Database, Reader
from graph_api.store.records import read_records

T = TypeVar("T")
DRAFT_ID = "draft"
# The resolution sends candidates this many to a record, and the client holds at most this many
# records at a time: a national list streams in bounded memory.
CANDIDATES_PER_RECORD = 1000
CHUNKS_IN_FLIGHT = 2
# A list streamed from the index goes out this many candidates at a time: enough that a chunk
# costs far more than its hop to a thread and its network write, few enough that its text is a
# few hundred kilobytes.
CANDIDATES_PER_CHUNK = 2000
# The order of a contact's values in the rows of cypher/recipients/resolve.cypher.
CONTACT_FIELDS = audience.CONTACT_FIELDS
CandidateRow = audience.CandidateRow


@dataclass(frozen=True)
class Reason:
    source: str
    ref: str | None


@dataclass(frozen=True)
class Recipient:
    partner: Record
    reasons: list[Reason]
    contacts: list[Record]
    channels: list[str]


@dataclass(frozen=True)
class Exclusion:
    partner: Record
    reason: str


@dataclass(frozen=True)
class RecipientList:
    product: Record
    recipients: list[Recipient]
    excluded: list[Exclusion]


async def load_product(db: Reader, product_id: str) -> Record:
    found = await read_records(db, "products", [product_id])
    if not found:
        raise NotFound(f"No information product has the id '{product_id}'.")
    return found[0]


async def recipients_of(db: Reader, product_id: str) -> RecipientList:
    return await resolve(db, await load_product(db, product_id))


# A draft product's fields, as previewRecipients' input names them; the lists default to empty.
DRAFT_FIELDS = (
    "title",
    "kind",
    "level",
    "severity",
    "tlp",
    "pcii",
    "issuedBy",
    "publishedAt",
    "summary",
    "link",
)
DRAFT_LISTS = ("sectors", "topics", "regions", "addressedTo")


def draft_record(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The record of a draft product from previewRecipients' input: enum members as their
    values, publication now unless given, and the id only when one is given."""
    record: dict[str, Any] = {name: _plain(fields.get(name)) for name in DRAFT_FIELDS}
    record["pcii"] = bool(record["pcii"])
    for name in DRAFT_LISTS:
        record[name] = [str(v) for v in fields.get(name) or []]
    record["publishedAt"] = record["publishedAt"] or publication_now()
    if fields.get("id") is not None:
        record["id"] = str(fields["id"])
    return record


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)


async def preview(db: Reader, draft: dict[str, Any]) -> RecipientList:
    """The recipient list a draft product would have, without saving it."""
    return await resolve(db, await draft_product(db, draft))


async def draft_product(db: Reader, draft: dict[str, Any]) -> Record:
    """A draft product checked as an import would check it, as the record a list is resolved for."""
    draft = {"id": DRAFT_ID, **draft}
    problems, records = await check_records(db, {"products": [draft]})
    if problems:
        raise InvalidInput(
            "; ".join(f"{p.path.replace('$.products[0]', 'product')}: {p.message}" for p in problems),
            problems=problems,
        )
    # Version 0: a draft that was never saved.
    return {**records["products"][0], "version": 0}


async def resolve(db: Reader, product: Record, partners: list[str] | None = None) -> RecipientList:
    """The product's list; `partners` (None: everyone) keeps only those candidates."""
    index = await _index(db)
    if index is not None:
        if partners is None:
            return await _in_thread(lambda: _kept(index, product).answer())
        return await _in_thread(lambda: from_index(index, product, partners))
    return _split(product, [entry async for entry in stream(db, product, partners)])


def from_index(
    index: audience.AudienceIndex, product: Record, partners: list[str] | None = None
) -> RecipientList:
    """The product's list as `index` has it; `partners` (None: everyone) keeps only those."""
    return _split(product, _entries(index.candidates(product, partners)))


def _split(product: Record, entries: Iterable[Recipient | Exclusion]) -> RecipientList:
    recipients: list[Recipient] = []
    excluded: list[Exclusion] = []
    for entry in entries:
        if isinstance(entry, Recipient):
            recipients.append(entry)
        else:
            excluded.append(entry)
    return RecipientList(product, recipients, excluded)


async def _in_thread(work: Callable[[], T]) -> T:
    """Work out a list from the index in a thread: a national list is most of a second of pure
    Python, which on the event loop would hold up every other request, and every write
    transaction waiting for its turn to commit with the event log's counter locked. In a thread
    the loop gets the interpreter back every few milliseconds."""
    return await asyncio.to_thread(work)


async def stream(
    db: Reader, product: Record, partners: list[str] | None = None
) -> AsyncIterator[Recipient | Exclusion]:
    """The candidates of a product in the list's order (partner name, then id), each a recipient
    or an exclusion, produced as they are resolved: a national list is never held whole."""
    shaping = Shaping()
    async for chunk in stream_rows(db, product, partners):
        for entry in _entries(chunk, shaping):
            yield entry


async def stream_rows(
    db: Reader, product: Record, partners: list[str] | None = None
) -> AsyncIterator[list[CandidateRow]]:
    """`stream`'s candidates as rows (`entries` makes them entries), a chunk at a time. From the
    index each chunk is worked out in a thread, as a whole list is."""
    index = await _index(db)
    if index is None:
        async for chunk in _cypher_rows(db, product, partners):
            yield chunk
        return
    kept = index.kept.peek(product) if partners is None else None
    if isinstance(kept, _KeptList):
        # Worked out already: the chunks are its rows (a list streams in bounded memory only when
        # no one has asked for it whole since the graph last changed).
        for start in range(0, len(kept.candidates), CANDIDATES_PER_CHUNK):
            yield kept.candidates[start : start + CANDIDATES_PER_CHUNK]
        return
    candidates = index.candidates(product, partners)
    while chunk := await _in_thread(lambda: list(itertools.islice(candidates, CANDIDATES_PER_CHUNK))):
        yield chunk


async def _cypher_rows(
    db: Reader, product: Record, partners: list[str] | None
) -> AsyncIterator[list[audience.CandidateRow]]:
    """The candidate rows of cypher/recipients/resolve.cypher, a record's chunk at a time."""
    rows = db.stream("recipients/resolve", fetch_size=CHUNKS_IN_FLIGHT, **parameters(product, partners))
    async for record in rows:
        yield [
            (
                partner_id,
                name,
                kind,
                [tuple(r) for r in raw_reasons],
                exclusion,
                [dict(zip(CONTACT_FIELDS, c, strict=True)) for c in raw_contacts],
            )
            for partner_id, name, kind, raw_reasons, exclusion, raw_contacts in record["rows"]
        ]


@dataclass(frozen=True)
class ResolvedRows:
    """A product's list as its resolution produced it: the candidate rows of its recipients and of
    its exclusions, each in the list's order. Counting, narrowing and paging work on the rows;
    entries are made only for the rows an answer shows (`entries`)."""

    product: Record
    recipients: list[audience.CandidateRow]
    excluded: list[audience.CandidateRow]
    # The summary, once counted (`summarise_rows`): rows kept with the index are counted once.
    counted: list[Summary] = field(default_factory=list, init=False, repr=False, compare=False)

    @staticmethod
    def of(product: Record, rows: list[audience.CandidateRow]) -> ResolvedRows:
        """The resolved rows of a list's candidate rows, in the list's order."""
        return ResolvedRows(product, [r for r in rows if r[4] is None], [r for r in rows if r[4] is not None])


class _KeptList:
    """A product's list worked out from the index once, kept with the index (`KeptLists`) in the
    forms its callers ask for: the candidate rows in order (a download), the resolved rows (a
    GraphQL answer) and, when first asked for, the entries (a domain call). Shared by every caller
    at the index's version: never to be changed."""

    def __init__(self, product: Record, candidates: list[audience.CandidateRow]) -> None:
        self.candidates = candidates
        self.rows = ResolvedRows.of(product, candidates)
        self._answer: RecipientList | None = None
        self._lock = threading.Lock()

    def answer(self) -> RecipientList:
        with self._lock:
            if self._answer is None:
                rows = self.rows
                self._answer = RecipientList(
                    rows.product,
                    [r for r in _entries(rows.recipients) if isinstance(r, Recipient)],
                    [e for e in _entries(rows.excluded) if isinstance(e, Exclusion)],
                )
            return self._answer


def _kept(index: audience.AudienceIndex, product: Record) -> _KeptList:
    """The product's whole list from the index, worked out once per index (in a thread: seconds
    of pure Python for a national list)."""

    def work() -> tuple[int, _KeptList]:
        candidates = list(index.candidates(product, None))
        return len(candidates), _KeptList(product, candidates)

    return index.kept.get(product, work)


async def rows_of_partners(db: Reader, product: Record, partners: list[str]) -> list[CandidateRow]:
    """The product's candidate rows of these partners, in list order. From the index, they are
    read off the product's whole list, worked out once per graph version and kept (a fusion
    center's onward lists of one product ask for them again and again); else from Cypher."""
    index = await _index(db)
    if index is None:
        return [row async for chunk in _cypher_rows(db, product, partners) for row in chunk]
    wanted = frozenset(partners)
    kept = await _in_thread(lambda: _kept(index, product))
    return await _in_thread(lambda: [row for row in kept.candidates if row[0] in wanted])


async def resolved_rows(db: Reader, product: Record) -> ResolvedRows:
    return await _resolved_rows(db, product, await _index(db))


async def _resolved_rows(db: Reader, product: Record, index: audience.AudienceIndex | None) -> ResolvedRows:
    if index is not None:
        return (await _in_thread(lambda: _kept(index, product))).rows
    return ResolvedRows.of(product, [row async for chunk in _cypher_rows(db, product, None) for row in chunk])


async def rows_of(db: Reader, product_id: str) -> ResolvedRows:
    # The product and the graph's version (which decides the index) are read side by side: a
    # regional list is a few milliseconds of work, and each read is a round trip of its own.
    # Both are waited for, so that neither fails unheard when the other does.
    product, index = await asyncio.gather(load_product(db, product_id), _index(db), return_exceptions=True)
    if isinstance(product, BaseException):
        raise product
    if isinstance(index, BaseException):
        raise index
    return await _resolved_rows(db, product, index)


async def preview_rows(db: Reader, draft: dict[str, Any]) -> ResolvedRows:
    return await resolved_rows(db, await draft_product(db, draft))


def entries(
    rows: Iterable[audience.CandidateRow], shaping: Shaping | None = None
) -> Iterator[Recipient | Exclusion]:
    """The entries of candidate rows, in their order; a stream's chunks share one `shaping`."""
    return _entries(rows, shaping or Shaping())


async def _index(db: Reader) -> audience.AudienceIndex | None:
    """The in-process index to resolve from: only through the database itself (a transaction must
    see its own uncommitted writes, which only Cypher does), and only when it is switched on."""
    if isinstance(db, Database) and db.recipient_index:
        return await audience.current_index(db)
    return None


class Shaping:
    """Many partners share one set of reasons or of contact channels: what each set gives (the
    reasons in order, the channels) is worked out once per set. Equal sets get the very same
    objects for as long as the Shaping lives, so what a caller derives from them can be kept by
    their identity."""

    def __init__(self) -> None:
        self.by_reasons: dict[tuple[Any, ...], tuple[list[Reason], list[str], frozenset[str]]] = {}
        self.by_contact_channels: dict[tuple[Any, ...], list[str]] = {}

    def reasons(self, raw_reasons: list[Any]) -> tuple[list[Reason], list[str], frozenset[str]]:
        """The reasons in order, the channels the requirements among them name, their sources."""
        key = tuple(raw_reasons)
        known = self.by_reasons.get(key)
        if known is None:
            known = self.by_reasons[key] = (
                _ordered_reasons(raw_reasons),
                _requirement_channels(raw_reasons),
                frozenset(source for source, _, _ in raw_reasons),
            )
        return known

    def channels(self, requirement_channels: list[str], contacts: Sequence[Record]) -> list[str]:
        """How a recipient is reached: the channels its requirements name, else its contacts'."""
        if requirement_channels:
            return requirement_channels
        offered = tuple(channel for c in contacts for channel in c["channels"] or ())
        found = self.by_contact_channels.get(offered)
        if found is None:
            found = self.by_contact_channels[offered] = domain.in_enum_order(list(offered), domain.CHANNELS)
        return found

    def recipient(self, raw_reasons: list[Any], contacts: Sequence[Record]) -> tuple[list[Reason], list[str]]:
        """A recipient's reasons in order and the channels it is reached on (shared: not to be
        changed)."""
        ordered, requirement_channels, _ = self.reasons(raw_reasons)
        return ordered, self.channels(requirement_channels, contacts)


def _entries(
    rows: Iterable[audience.CandidateRow], shaping: Shaping | None = None
) -> Iterator[Recipient | Exclusion]:
    """Recipients and exclusions from candidate rows (partner id, name, kind, raw reasons,
    exclusion, contacts), which become the entries' own."""
    shaping = shaping or Shaping()
    for partner_id, name, kind, raw_reasons, exclusion, contacts in rows:
        partner = {"id": partner_id, "name": name, "kind": kind}
        if exclusion is not None:
            yield Exclusion(partner, exclusion)
            continue
        ordered, requirement_channels, _ = shaping.reasons(raw_reasons)
        yield Recipient(
            partner=partner,
            reasons=list(ordered),
            contacts=list(contacts),
            channels=list(shaping.channels(requirement_channels, contacts)),
        )


def parameters(product: Record, partners: list[str] | None = None) -> dict[str, Any]:
    return {
        "chunk": CANDIDATES_PER_RECORD,
        "everyone": partners is None,
        "partners": partners or [],
        "productId": product["id"],
        "sectors": product["sectors"],
        "topics": product["topics"],
        "regions": product["regions"],
        "addressedTo": product["addressedTo"],
        "kind": product["kind"],
        "level": product["level"],
        "severityRank": domain.severity_rank(product["severity"]),
        "tlp": product["tlp"],
        "pcii": product["pcii"],
        "governmentKinds": sorted(domain.GOVERNMENT_KINDS),
    }


def _ordered_reasons(raw: Iterable[Sequence[Any]]) -> list[Reason]:
    unique = {(source, ref) for source, ref, _ in raw}
    # A null ref (a fusion center for a product without regions) sorts before any id.
    ordered = sorted(unique, key=lambda r: (domain.REASON_SOURCES.index(r[0]), r[1] is not None, r[1] or ""))
    return [Reason(source, ref) for source, ref in ordered]


def _requirement_channels(reasons: Iterable[Sequence[Any]]) -> list[str]:
    """The channels the requirements behind a recipient name: they decide how it is reached."""
    return domain.in_enum_order(
        [channel for source, _, channel in reasons if source == "REQUIREMENT"], domain.CHANNELS
    )


# -- summaries and narrowed lists ---------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    """A recipient list at a glance. Every count map has every value of its vocabulary, zeros
    included, in the vocabulary's order."""

    recipients: int
    contacts: int
    excluded: int
    by_reason_source: dict[str, int]  # recipients with at least one reason of the source
    by_partner_kind: dict[str, int]  # recipients of each partner kind
    by_channel: dict[str, int]  # recipients reached on each channel
    by_exclusion_reason: dict[str, int]  # exclusions for each reason


def summarise(answer: RecipientList) -> Summary:
    return _counted(
        (
            (r.partner["kind"], {x.source for x in r.reasons}, r.channels, len(r.contacts))
            for r in answer.recipients
        ),
        (e.reason for e in answer.excluded),
    )


def summarise_rows(rows: ResolvedRows) -> Summary:
    """`summarise` of the list the rows make, counted on the rows themselves (once per rows)."""
    if not rows.counted:
        rows.counted.append(_summarised_rows(rows))
    return rows.counted[0]


def _summarised_rows(rows: ResolvedRows) -> Summary:
    shaping = Shaping()

    def recipient(row: audience.CandidateRow) -> tuple[str, Iterable[str], Iterable[str], int]:
        _, _, kind, raw_reasons, _, contacts = row
        _, requirement_channels, sources = shaping.reasons(raw_reasons)
        return kind, sources, shaping.channels(requirement_channels, contacts), len(contacts)

    return _counted(map(recipient, rows.recipients), (str(row[4]) for row in rows.excluded))


def _counted(
    recipients: Iterable[tuple[str, Iterable[str], Iterable[str], int]], exclusions: Iterable[str]
) -> Summary:
    """The summary of recipients given as (partner kind, reason sources, channels, contacts)."""
    sources = dict.fromkeys(domain.REASON_SOURCES, 0)
    kinds = dict.fromkeys(domain.PARTNER_KINDS, 0)
    channels = dict.fromkeys(domain.CHANNELS, 0)
    reasons = dict.fromkeys(domain.values(domain.ExclusionReason), 0)
    contacts = listed = excluded = 0
    for kind, recipient_sources, recipient_channels, contact_count in recipients:
        listed += 1
        contacts += contact_count
        kinds[kind] += 1
        for source in recipient_sources:
            sources[source] += 1
        for channel in recipient_channels:
            channels[channel] += 1
    for reason in exclusions:
        excluded += 1
        reasons[reason] += 1
    return Summary(
        recipients=listed,
        contacts=contacts,
        excluded=excluded,
        by_reason_source=sources,
        by_partner_kind=kinds,
        by_channel=channels,
        by_exclusion_reason=reasons,
    )


@dataclass(frozen=True)
class Narrowing:
    """Which entries of a recipient list to keep: every condition given must hold; a set means
    "any of these". `reasons` narrows recipients by reason source and exclusions by exclusion
    reason; `channels` applies to recipients only. The name prefix is case-sensitive."""

    reasons: frozenset[str] | None = None
    partner_kinds: frozenset[str] | None = None
    sectors: frozenset[str] | None = None
    channels: frozenset[str] | None = None
    name_prefix: str | None = None

    @property
    def is_empty(self) -> bool:
        return all(v is None for v in (self.reasons, self.partner_kinds, self.sectors, self.channels)) and (
            not self.name_prefix
        )


def _values(values: Iterable[Any] | None) -> frozenset[str] | None:
    return None if values is None else frozenset(str(_plain(v)) for v in values)


def recipient_narrowing(where: Mapping[str, Any] | None) -> Narrowing:
    """The narrowing a page of recipients asks for, from its `where` input by field name."""
    where = where or {}
    return Narrowing(
        reasons=_values(where.get("source_IN")),
        partner_kinds=_values(where.get("partnerKind_IN")),
        sectors=_values(where.get("sector_IN")),
        channels=_values(where.get("channel_IN")),
        name_prefix=where.get("partnerName_STARTS_WITH"),
    )


def exclusion_narrowing(where: Mapping[str, Any] | None) -> Narrowing:
    """The narrowing a page of exclusions asks for, from its `where` input by field name."""
    where = where or {}
    return Narrowing(
        reasons=_values(where.get("reason_IN")),
        partner_kinds=_values(where.get("partnerKind_IN")),
        sectors=_values(where.get("sector_IN")),
        name_prefix=where.get("partnerName_STARTS_WITH"),
    )


async def narrowed_recipients(db: Reader, entries: list[Recipient], where: Narrowing) -> list[Recipient]:
    if where.is_empty:
        return entries
    in_sectors = await _partners_in_sectors(db, where.sectors)
    return [
        r
        for r in entries
        if _partner_matches(r.partner, where, in_sectors)
        and (where.reasons is None or any(x.source in where.reasons for x in r.reasons))
        and (where.channels is None or not where.channels.isdisjoint(r.channels))
    ]


async def narrowed_exclusions(db: Reader, entries: list[Exclusion], where: Narrowing) -> list[Exclusion]:
    if where.is_empty:
        return entries
    in_sectors = await _partners_in_sectors(db, where.sectors)
    return [
        e
        for e in entries
        if _partner_matches(e.partner, where, in_sectors)
        and (where.reasons is None or e.reason in where.reasons)
    ]


async def narrowed_recipient_rows(
    db: Reader, rows: list[audience.CandidateRow], where: Narrowing
) -> list[audience.CandidateRow]:
    """`narrowed_recipients` on candidate rows."""
    if where.is_empty:
        return rows
    in_sectors = await _partners_in_sectors(db, where.sectors)
    shaping = Shaping()
    kept = []
    for row in rows:
        if not _row_matches(row, where, in_sectors):
            continue
        _, requirement_channels, sources = shaping.reasons(row[3])
        if where.reasons is not None and where.reasons.isdisjoint(sources):
            continue
        if where.channels is not None and where.channels.isdisjoint(
            shaping.channels(requirement_channels, row[5])
        ):
            continue
        kept.append(row)
    return kept


async def narrowed_exclusion_rows(
    db: Reader, rows: list[audience.CandidateRow], where: Narrowing
) -> list[audience.CandidateRow]:
    """`narrowed_exclusions` on candidate rows."""
    if where.is_empty:
        return rows
    in_sectors = await _partners_in_sectors(db, where.sectors)
    return [
        row
        for row in rows
        if _row_matches(row, where, in_sectors) and (where.reasons is None or row[4] in where.reasons)
    ]


def _row_matches(row: audience.CandidateRow, where: Narrowing, in_sectors: frozenset[str] | None) -> bool:
    return _partner_matches({"id": row[0], "name": row[1], "kind": row[2]}, where, in_sectors)


def _partner_matches(partner: Record, where: Narrowing, in_sectors: frozenset[str] | None) -> bool:
    return (
        (where.partner_kinds is None or partner["kind"] in where.partner_kinds)
        and (in_sectors is None or partner["id"] in in_sectors)
        and (not where.name_prefix or str(partner["name"]).startswith(where.name_prefix))
    )


async def _partners_in_sectors(db: Reader, sectors: frozenset[str] | None) -> frozenset[str] | None:
    if sectors is None:
        return None
    rows = await db.read("recipients/partners_in_sectors", sectors=sorted(sectors))
    return frozenset(rows[0]["ids"])

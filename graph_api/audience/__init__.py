"""The in-process index of the partnership graph that recipient lists are resolved from, kept
exact by the graph version every committed change of the graph replaces, and brought up to date
from the graph's change log, which names the partners each change touched."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from graph_api.audience.index import (
    CONTACT_FIELDS,
    AudienceIndex,
    CandidateRow,
    PartnersAlone,
    build,
    patched,
    read_graph,
    read_partner_rows,
    read_partners,
    read_partners_alone,
)
from graph_api.store.database import Database
from graph_api.store.tuning import keep_from_collector

__all__ = [
    "CONTACT_FIELDS",
    "AudienceIndex",
    "CandidateRow",
    "PartnersAlone",
    "current_index",
    "read_partner_rows",
    "read_partners_alone",
    "warm",
]

log = logging.getLogger("isegraph.audience")
# A load that a change the log cannot follow partner by partner interleaved with is read again,
# this many times at most; then the caller resolves from Cypher.
LOAD_ATTEMPTS = 3
# An index of this many partners or more is moved out of the garbage collector's sight once
# loaded (`keep_from_collector`); walking a smaller one costs little, and the test suite loads
# thousands of small ones.
KEPT_FROM_COLLECTOR_FROM = 10_000
# How long to wait, one pause after another, for the change log to show every entry up to the
# version it shows (a commit's parts show one after another, within microseconds).
LOG_SETTLING_PAUSES = (0.0, 0.002, 0.01, 0.05)
# Beyond this many changed partners, reading the graph whole again is the cheaper way.
MOST_PARTNERS_PATCHED = 5_000


@dataclass
class _Holder:
    """One process's index of one database, and the lock that lets one load run at a time."""

    index: AudienceIndex | None = None
    loads: int = 0
    patches: int = 0
    # When the index held began loading or being brought up to date (time.monotonic()): it is at
    # least as new as any graph version read before that moment.
    index_began: float = float("-inf")
    # When the last whole load was tried, whether or not it gave an index.
    last_attempt: float = float("-inf")
    # The change log showed a change the index cannot follow partner by partner (a council, a
    # requirement, an import): only a whole load brings it up to date.
    needs_load: bool = False
    _lock: asyncio.Lock | None = None
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)

    def lock(self) -> asyncio.Lock:
        # An asyncio lock belongs to one event loop; a process may run several in turn (tests).
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock


class _Unfollowable(Exception):
    """The change log cannot bring this index up to date: a change named no partners, or the log
    no longer reaches back to the index's version (trimmed, or the database was restored)."""


# How long a starting service waits for its first index before it takes requests regardless.
WARM_SECONDS = 120.0


async def warm(db: Database) -> None:
    """Load the index before the service takes requests. A first load under traffic decodes its
    bulk reads on the event loop for seconds, and every transaction in flight meanwhile holds its
    locks that much longer (the soak's first minute: edits waiting 30 s on the event log's head).
    A database that cannot answer yet leaves the index to the first list, as before."""
    try:
        await asyncio.wait_for(current_index(db), WARM_SECONDS)
    except Exception as exc:  # the service starts all the same; lists fall back to Cypher
        log.warning("recipient index not loaded at start-up: %s", exc or type(exc).__name__)


def _holder(db: Database) -> _Holder:
    holder = db.derived.get("audience")
    if not isinstance(holder, _Holder):
        holder = db.derived["audience"] = _Holder()
    return holder


async def current_index(db: Database) -> AudienceIndex | None:
    """The index of the graph as it is now, or None when the caller should resolve from Cypher.

    One read of the graph version decides: an index at that version is used as it is. Otherwise
    it is brought up to date, one process-wide step at a time: from the change log when the
    changes since were confined to some partners (those are read again, a few milliseconds), else
    by loading it whole. A resolution that finds such a step running waits for it, and then uses
    the index only if it is at the version this resolution read or began after that read.
    """
    token = await db.graph_version()
    asked = time.monotonic()
    if token is None:
        return None
    holder = _holder(db)
    index = holder.index
    if index is not None and index.is_at(token):
        return index
    async with holder.lock():
        index = holder.index
        # A step that began after this resolution read the version is at least as new as it asked
        # for (a write since then only makes the list newer than the read, never older).
        if index is not None and (index.is_at(token) or holder.index_began > asked):
            return index
        began = time.monotonic()
        if index is not None and not holder.needs_load:
            try:
                advanced = await _advance(db, index)
            except _Unfollowable as why:
                log.info("recipient index to be loaded whole: %s", why)
                holder.needs_load = True
            else:
                if advanced is not None:
                    holder.index, holder.index_began = advanced, began
                    holder.patches += 1
                return advanced
        # A whole load costs seconds, and the memory of a second index while it is built. While
        # the graph keeps changing in ways the log cannot follow, loading again for every list
        # would spend the service on loads: a stale index is loaded again at most every
        # `recipient_index_reload_seconds`, and the lists in between come from Cypher.
        if index is not None and began - holder.last_attempt < db.recipient_index_reload_seconds:
            return None
        holder.last_attempt = began
        loaded = await _load(db)
        if loaded is not None:
            holder.index, holder.index_began, holder.needs_load = loaded, began, False
            holder.loads += 1
        return loaded


async def _advance(db: Database, index: AudienceIndex) -> AudienceIndex | None:
    """`index` brought up to the graph version the change log shows now, by reading again the
    partners the log names since the index's version; None when the newest entries did not show
    in time (the caller resolves from Cypher). Raises _Unfollowable when the log cannot do it.

    A commit does not show all at once: the version node can show a change whose log entry (found
    through an index) does not show yet, so the log is read again, briefly, until it has every
    entry up to the version. And what is read of a partner may show a change committed in the
    meantime, or miss part of the newest one still being applied: the index is marked unsettled
    with those partners, and the next list reads them once more before it trusts the index."""
    for pause in LOG_SETTLING_PAUSES:
        await asyncio.sleep(pause)
        changes = await db.graph_changes(index.seq)
        if changes is None:
            raise _Unfollowable("the database has no change log")
        entries = changes.entries
        if not entries or (entries[0].seq, entries[0].token) != (index.seq, index.token):
            raise _Unfollowable(f"the change log no longer reaches back to entry {index.seq}")
        if [e.seq for e in entries] == list(range(index.seq, changes.seq + 1)):
            break
    else:
        return None
    if changes.token == index.token and not index.unsettled:
        return index
    changed: set[str] = set()
    for entry in entries[1:]:
        if entry.partners is None:
            raise _Unfollowable(f"change {entry.seq} was not confined to partners")
        changed |= entry.partners
    if len(changed) > MOST_PARTNERS_PATCHED:
        raise _Unfollowable(f"{len(changed)} partners changed")
    rows = await read_partners(db, changed | index.unsettled)
    return patched(index, changes.token, changes.seq, rows, unsettled=frozenset(changed))


async def _load(db: Database) -> AudienceIndex | None:
    """The index of the graph as it is now, read whole. The version is read before the data; the
    statements run one after another, so changes committed meanwhile may show in some of them and
    not in others: the change log names the partners they touched, and reading those again
    (`_advance`) makes the index that of one graph. A change it cannot follow partner by partner
    throws the load away."""
    for _ in range(LOAD_ATTEMPTS):
        started = time.perf_counter()
        state = await db.graph_state()
        if state is None:
            return None
        rows = await read_graph(db)
        # Seconds of pure Python: in a thread, so that the event loop keeps answering meanwhile.
        built = await asyncio.to_thread(build, *state, rows)
        try:
            index = await _advance(db, built)
        except _Unfollowable as why:
            log.info("recipient index load thrown away: %s", why)
            continue
        if index is None:
            continue
        index.load_seconds = time.perf_counter() - started
        if index.partner_count >= KEPT_FROM_COLLECTOR_FROM:
            keep_from_collector()
        log.info(
            "recipient index loaded: %d partners at graph version %s in %.2f s",
            index.partner_count,
            index.token,
            index.load_seconds,
        )
        return index
    log.warning("recipient index not loaded: the graph changed during each of %d loads", LOAD_ATTEMPTS)
    return None

"""The in-process index of the partnership graph that recipient lists are resolved from, kept
exact by the graph version every committed change of the graph replaces."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field

from graph_api.audience.index import CONTACT_FIELDS, AudienceIndex, CandidateRow, build, read_graph
from graph_api.store.database import Database

__all__ = ["CONTACT_FIELDS", "AudienceIndex", "CandidateRow", "current_index"]

log = logging.getLogger("isegraph.audience")
# A load that a write interleaved with is read again, this many times at most; then the caller
# resolves from Cypher (writes that fast would make any index stale before it was used).
LOAD_ATTEMPTS = 3


@dataclass
class _Holder:
    """One process's index of one database, and the lock that lets one load run at a time."""

    index: AudienceIndex | None = None
    loads: int = 0
    # When the index held began loading (time.monotonic()): it is at least as new as any graph
    # version read before that moment.
    index_began: float = float("-inf")
    # When the last load was tried, whether or not it gave an index.
    last_attempt: float = float("-inf")
    _lock: asyncio.Lock | None = None
    _loop: asyncio.AbstractEventLoop | None = field(default=None, repr=False)

    def lock(self) -> asyncio.Lock:
        # An asyncio lock belongs to one event loop; a process may run several in turn (tests).
        loop = asyncio.get_running_loop()
        if self._lock is None or self._loop is not loop:
            self._lock, self._loop = asyncio.Lock(), loop
        return self._lock


def _holder(db: Database) -> _Holder:
    holder = db.derived.get("audience")
    if not isinstance(holder, _Holder):
        holder = db.derived["audience"] = _Holder()
    return holder


async def current_index(db: Database) -> AudienceIndex | None:
    """The index of the graph as it is now, or None when the caller should resolve from Cypher.

    One read of the graph version decides: an index loaded at that version is used as it is.
    Otherwise the index is loaded again, one load at a time; a resolution that finds a load
    running waits for it rather than falling back to Cypher, because at national scale a load
    costs a fraction of one resolution in Cypher. After the wait it uses the index only if it was
    loaded at the version this resolution read or began loading after that read.
    """
    token = await db.graph_version()
    asked = time.monotonic()
    if token is None:
        return None
    holder = _holder(db)
    index = holder.index
    if index is not None and index.token == token:
        return index
    # A load costs seconds, and the memory of a second index while it is built. While the graph
    # keeps changing (edits every few seconds), loading again for every list would spend the
    # service on loads: a stale index is loaded again at most every `recipient_index_reload_seconds`,
    # and the lists in between come from Cypher, which is always exact.
    if index is not None and asked - holder.last_attempt < db.recipient_index_reload_seconds:
        return None
    async with holder.lock():
        index = holder.index
        # A load that began after this resolution read the version is at least as new as it asked
        # for (a write since then only makes the list newer than the read, never older).
        if index is not None and (index.token == token or holder.index_began > asked):
            return index
        began = holder.last_attempt = time.monotonic()
        loaded = await _load(db)
        if loaded is not None:
            holder.index, holder.index_began = loaded, began
            holder.loads += 1
        return loaded


async def _load(db: Database) -> AudienceIndex | None:
    """The index at one graph version. The version is read before the data and again after it:
    a write committed in between (its bump is in the same transaction as its change) shows as a
    changed version, and that load is thrown away, so an index is never a mix of two graphs."""
    for _ in range(LOAD_ATTEMPTS):
        started = time.perf_counter()
        before = await db.graph_version()
        rows = await read_graph(db)
        after = await db.graph_version()
        if before is None or before != after:
            continue
        index = build(before, rows)
        index.load_seconds = time.perf_counter() - started
        log.info(
            "recipient index loaded: %d partners at graph version %s in %.2f s",
            index.partner_count,
            before,
            index.load_seconds,
        )
        return index
    log.warning("recipient index not loaded: the graph changed during each of %d loads", LOAD_ATTEMPTS)
    return None

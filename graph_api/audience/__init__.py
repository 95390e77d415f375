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
    costs a fraction of one resolution in Cypher. After the wait it uses that load only if it was
    made at the version this resolution read (a load begun before a later write would be older).
    """
    token = await db.graph_version()
    if token is None:
        return None
    holder = _holder(db)
    index = holder.index
    if index is not None and index.token == token:
        return index
    async with holder.lock():
        index = holder.index
        if index is not None and index.token == token:
            return index
        loaded = await _load(db)
        if loaded is not None:
            holder.index = loaded
            holder.loads += 1
        # A load made after this resolution read the version is at least as new as it asked.
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

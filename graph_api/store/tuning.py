"""Process-wide tuning that every entry point (service, command line, benchmarks) applies."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Decoding a large answer (a national recipient list is ~100,000 rows) allocates millions of
# small objects while they all stay alive; with CPython's default threshold (700) the collector
# then re-walks that whole live heap again and again: 4 of 10 seconds in our measurement.
BULK_YOUNG_THRESHOLD = 100_000
# A service answering small requests wants the opposite: each young collection walks what the
# requests since the last one left behind, and at 100,000 objects that walk took 20-70 ms, a stall
# every ~750 requests (the p99 outliers of the benchmark). At 2,000 the walks take a few ms.
SERVICE_YOUNG_THRESHOLD = 2_000
_bulk_depth = 0
_frozen = False
_before_bulk: tuple[int, int, int] = gc.get_threshold()


def tune_garbage_collector() -> None:
    """Batch work (imports, exports, recipient lists on the command line): collect rarely."""
    gc.set_threshold(BULK_YOUNG_THRESHOLD, 50, 100)


def tune_for_service() -> None:
    """A long-running service: short, frequent young collections; what start-up built (schema,
    statements, caches) is moved out of the collector's sight for good."""
    global _frozen
    gc.set_threshold(SERVICE_YOUNG_THRESHOLD, 20, 100)
    if not _frozen:  # once per process: a test run builds many apps
        _frozen = True
        gc.collect()
        gc.freeze()


def keep_from_collector() -> None:
    """Everything alive now is moved out of the collector's sight for good: called once a
    structure of millions of objects that lives until it is replaced (the recipient index of a
    large network) has been built. Left in sight, it is walked whole by each of the collector's
    older passes: on the 100,000-partner network a pass of 1.1 s in the middle of a list, and
    every few national lists, as their objects age into the oldest generation, a full one. Its
    objects are still freed when their last reference goes (none of them is in a reference
    cycle); only cyclic garbage that happens to be alive at that moment stays, a few requests'
    worth at each whole load of the index."""
    gc.freeze()


@contextlib.contextmanager
def bulk_allocations() -> Iterator[None]:
    """While a large answer is decoded, collect as batch work does; the previous setting returns
    when the last such answer in the process is done."""
    global _bulk_depth, _before_bulk
    if _bulk_depth == 0:
        _before_bulk = gc.get_threshold()
        gc.set_threshold(BULK_YOUNG_THRESHOLD, 50, 100)
    _bulk_depth += 1
    try:
        yield
    finally:
        _bulk_depth -= 1
        if _bulk_depth == 0:
            gc.set_threshold(*_before_bulk)


_paused_depth = 0


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic collection while a document of millions of objects (an import's body) is
    decoded, checked and compared with the graph: the collector's older passes would walk it
    whole, holding the interpreter lock (and every other request) for hundreds of milliseconds
    each. Such a document holds no reference cycle, so it is freed when its last reference goes;
    only the cyclic garbage other requests leave meanwhile waits for the next collection after
    the last such document is done."""
    global _paused_depth
    if _paused_depth == 0:
        gc.disable()
    _paused_depth += 1
    try:
        yield
    finally:
        _paused_depth -= 1
        if _paused_depth == 0:
            gc.enable()

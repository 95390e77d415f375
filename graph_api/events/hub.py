"""One tailer per process: reads the event log with one indexed query per interval, whatever the
number of subscribers, and fans each batch out to them.

A subscriber that names `after` first reads the events it missed from the log, then continues
with the live stream, so it receives every later event once, in order. A PARTNER's subscriber
names its organisation as `viewer`: events about products it may not see never reach it. A
subscriber whose buffer fills (a consumer slower than the log) is dropped, never grown.

A subscriber may also hand the live stream a `direct` taker: once it has caught up, the tailer
offers it each of its live events first, and queues only those it declines. Many subscribers that
share their payloads are then served from the tailer's turn of the loop, with no task woken for
each of them (`api/fanout.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

from graph_api.errors import InvalidInput, ServiceError
from graph_api.events.kinds import EventKind
from graph_api.events.log import Event, first_sequence, last_sequence, prune, read_after
from graph_api.settings import EventSettings
from graph_api.store.database import Database

log = logging.getLogger("isegraph.events")

# Which of the products each partner may see: (partner ids, product ids) -> partner -> visible ids.
Visibility = Callable[[list[str], list[str]], Awaitable[dict[str, frozenset[str]]]]
Match = Callable[[Event], bool]
# Takes a live event for its subscriber (True), or declines it: the event is then queued.
Direct = Callable[[Event], bool]
# Makes a subscriber's taker, given the way to queue an event it took and must give back.
DirectTaker = Callable[[Callable[[Event], None]], Direct]


class SubscriptionLimit(ServiceError):
    code = "SUBSCRIPTION_LIMIT"


class EventsPruned(ServiceError):
    code = "EVENTS_PRUNED"


class SubscriberTooSlow(ServiceError):
    code = "SUBSCRIBER_TOO_SLOW"


@dataclass(eq=False)
class Listener:
    """One subscriber's place in the fan-out: what it wants and the events waiting for it."""

    match: Match
    viewer: str | None  # a partner id: only events about products it may see
    start: int  # live events numbered above this reach the queue; the log supplies the rest
    queue: asyncio.Queue[Event]
    on_overflow: Callable[[], None] | None = None
    overflowed: asyncio.Event = field(default_factory=asyncio.Event)
    direct: Direct | None = None  # set once the subscriber has caught up

    def offer(self, event: Event) -> None:
        if self.direct is not None and self.direct(event):
            return
        self.enqueue(event)

    def enqueue(self, event: Event) -> None:
        if self.overflowed.is_set():
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed.set()
            if self.on_overflow is not None:
                self.on_overflow()


class Hub:
    def __init__(self, db: Database, settings: EventSettings, visibility: Visibility) -> None:
        self.db = db
        self.settings = settings
        self.visibility = visibility
        self.listeners: set[Listener] = set()
        self.position = 0  # the last event read from the log
        self.polls = 0
        self._task: asyncio.Task[None] | None = None
        self._started: asyncio.Future[None] | None = None

    @property
    def subscriber_count(self) -> int:
        return len(self.listeners)

    async def start(self) -> None:
        """Start tailing (once); the first subscriber waits for it."""
        if self._started is None:
            self._started = asyncio.get_running_loop().create_future()
            try:
                self.position = await last_sequence(self.db)
            except BaseException as exc:
                self._started.set_exception(exc)
                self._started.exception()  # retrieved: a later caller sees it through await
                self._started = None
                raise
            self._task = asyncio.create_task(self._run(), name="isegraph-event-tailer")
            self._started.set_result(None)
        await self._started

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        self._task, self._started = None, None

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                read = await self.poll()
                failures = 0
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the database may be restarting: wait longer each time, up to 5 s
                failures += 1
                log.warning("reading the event log failed (%s); retrying", exc)
                await asyncio.sleep(min(5.0, self.settings.poll_seconds * 2**failures))
                continue
            if read < self.settings.batch_size:
                await asyncio.sleep(self.settings.poll_seconds)

    async def poll(self) -> int:
        """Read the next batch, fan it out; the number of events read."""
        self.polls += 1
        batch = await read_after(self.db, self.position, self.settings.batch_size)
        if not batch:
            return 0
        # Listeners that join from here on start after this batch: the log serves them the rest.
        self.position = batch[-1].sequence
        listeners = list(self.listeners)
        visible = await self._visible_to([lst.viewer for lst in listeners if lst.viewer], batch)
        for event in batch:
            for listener in listeners:
                if event.sequence > listener.start and self._wants(listener, event, visible):
                    listener.offer(event)
        return len(batch)

    async def _visible_to(self, viewers: list[str], events: list[Event]) -> dict[str, frozenset[str]]:
        products = sorted({e.product for e in events if e.product})
        if not viewers or not products:
            return {}
        return await self.visibility(sorted(set(viewers)), products)

    @staticmethod
    def _wants(listener: Listener, event: Event, visible: dict[str, frozenset[str]]) -> bool:
        # A partner hears of a new report only when it was routed to it and it may see it.
        if listener.viewer is not None and event.kind == EventKind.REPORT_SUBMITTED:
            return listener.viewer in event.detail.get("audience", ()) and listener.match(event)
        # A partner hears only about products it may see, and of nothing that names none.
        if listener.viewer is not None and (
            event.product is None or event.product not in visible.get(listener.viewer, frozenset())
        ):
            return False
        return listener.match(event)

    def _register(
        self, match: Match, viewer: str | None, start: int, on_overflow: Callable[[], None] | None
    ) -> Listener:
        if len(self.listeners) >= self.settings.per_process:
            raise SubscriptionLimit(
                f"This server process already serves {self.settings.per_process} subscriptions, its "
                "limit; try again later or connect to another process."
            )
        listener = Listener(match, viewer, start, asyncio.Queue(self.settings.buffer), on_overflow)
        self.listeners.add(listener)
        return listener

    async def _check_after(self, after: int, last: int) -> None:
        if after < 0:
            raise InvalidInput(f"'after' is an event sequence number, 0 or more; got {after}.")
        if after > last:
            raise InvalidInput(f"There is no event {after} yet: the latest event is {last}.")
        if after == last:
            return
        first = await first_sequence(self.db)
        if first is None or first > after + 1:
            raise EventsPruned(
                f"The events after {after} are no longer kept (the log keeps "
                f"{self.settings.retention_seconds / 86400:g} days). Reload what you show, then "
                "subscribe again without 'after'."
            )

    async def stream(
        self,
        match: Match,
        viewer: str | None,
        after: int | None,
        on_overflow: Callable[[], None] | None = None,
        direct: DirectTaker | None = None,
    ) -> AsyncIterator[Event]:
        """The events `match` accepts (and `viewer` may see): those after `after`, then live ones.
        `on_overflow` is called once if the subscriber falls a whole buffer behind (it may be
        blocked sending, so it cannot notice by itself); the stream then ends with an error.
        `direct`, when given, makes the taker offered each live event once everything before it
        was yielded; the stream yields only the events it declines or gives back."""
        await self.start()
        # "Now" is the log's latest event, which the tailer may not have read yet.
        latest = await last_sequence(self.db)
        if after is not None:
            await self._check_after(after, latest)
        listener = self._register(match, viewer, max(latest, self.position), on_overflow)
        try:
            last = listener.start if after is None else after
            while last < listener.start:
                batch = await read_after(self.db, last, self.settings.batch_size)
                missed = [e for e in batch if e.sequence <= listener.start]
                if not missed:
                    break
                visible = await self._visible_to([viewer] if viewer else [], missed)
                for event in missed:
                    last = event.sequence
                    if self._wants(listener, event, visible):
                        yield event
            if direct is not None:
                # What arrived while catching up goes first; with the queue empty and no turn of
                # the loop in between, every later event reaches `direct` in order.
                while not listener.queue.empty():
                    event = listener.queue.get_nowait()
                    if event.sequence > last:
                        last = event.sequence
                        yield event
                listener.direct = direct(listener.enqueue)
            while True:
                event = await self._next(listener)
                if event.sequence > last:
                    last = event.sequence
                    yield event
        finally:
            self.listeners.discard(listener)

    async def _next(self, listener: Listener) -> Event:
        # A full buffer is what overflows, so a consumer waiting on an empty one is never dropped.
        if listener.overflowed.is_set():
            raise SubscriberTooSlow(
                f"More than {self.settings.buffer} events waited for this subscriber; it was "
                "dropped. Resubscribe with 'after' set to the last sequence received."
            )
        return await listener.queue.get()


async def prune_periodically(db: Database, settings: EventSettings) -> None:
    """Remove events older than the retention now, then every `prune_interval_seconds`."""
    while True:
        try:
            pruned = await prune(db, settings.retention_seconds)
            if pruned:
                log.info("pruned %d events older than %g days", pruned, settings.retention_seconds / 86400)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            log.warning("pruning the event log failed (%s); retrying later", exc)
        await asyncio.sleep(settings.prune_interval_seconds)

"""The query layer: the one place that talks to Neo4j. Knows nothing of GraphQL or HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, LiteralString, Protocol, TypeVar

from neo4j import (
    READ_ACCESS,
    WRITE_ACCESS,
    AsyncDriver,
    AsyncGraphDatabase,
    AsyncManagedTransaction,
    AsyncSession,
    AsyncTransaction,
    Bookmarks,
    NotificationMinimumSeverity,
    Query,
    RoutingControl,
    unit_of_work,
)
from neo4j.api import AsyncBookmarkManager
from neo4j.exceptions import ClientError, ConstraintError, DriverError, Neo4jError

from graph_api.errors import InvalidInput, QueryTimeout
from graph_api.neo4j_server.process import local_password
from graph_api.observability.metrics import CYPHER_ROUND_TRIPS, NEO4J_ERRORS
from graph_api.settings import Settings
from graph_api.store.statements import changes_graph, migration_names, script, statement
from graph_api.store.tuning import bulk_allocations

log = logging.getLogger("isegraph.database")
T = TypeVar("T")
Record = dict[str, Any]
# Records fetched per round of a streamed read: enough to keep the server busy, few enough that
# the client holds a bounded amount whatever the length of the answer.
STREAM_FETCH_SIZE = 2000
# The graph version: a token every committed change of the partnership graph replaces, in the
# change's own transaction, so that a process holding something derived from the graph (the
# recipient index) can tell with one read whether it is still exact. A token, not a counter:
# `isegraph restore` brings back an older database, whose token is that of its own contents.
# The bump and the transaction's events are its last statement (see the file).
FINISH_WRITE = "commit/finish"
# How many entries of the graph's change log are kept: a process whose index is older than the
# oldest entry loads it whole again.
GRAPH_CHANGES_KEPT = 10_000


def touches_graph(statement_name: str) -> bool:
    """Whether a statement may change a recipient list's partnership graph: its file's header
    says (cypher/*.cypher, `// Changes the partnership graph: yes|no`)."""
    return changes_graph(statement_name)


# What the server says of a transaction stopped at its timeout: while running, or while it waited
# for a lock another transaction held (LockClientStopped: "terminated, so no more locks can be
# acquired").
TIMED_OUT_CODES = (
    "Transaction.TransactionTimedOut",
    "Transaction.TransactionTimedOutClientConfiguration",
    "Transaction.LockClientStopped",
)
# A write stopped at its timeout while it waited for a lock spent its time behind another
# transaction, not on its own work (a burst of writers on a cold server queues on the shared
# counters of `commit/finish`): it is tried once more, in a new transaction, before the caller
# hears of it. One stopped while running is not: it would only run as long again.
WAITED_FOR_A_LOCK_CODE = "Transaction.LockClientStopped"
WRITE_ATTEMPTS = 2
# The server cannot read a bookmark it was given (InvalidBookmark, InvalidBookmarkMixture).
BOOKMARK_REFUSED_CODE = "Neo.ClientError.Transaction.InvalidBookmark"
# A read the server could not answer for a passing reason (a dropped connection) is tried again.
READ_ATTEMPTS = 3
READ_RETRY_SECONDS = 0.2
NARROW_IT = "narrow it (smaller pages, tighter filters)"


@dataclass(frozen=True)
class GraphChange:
    """One entry of the graph's change log: the version a committed change made, and the
    partners it changed (None: it may have changed anything in the graph)."""

    seq: int
    token: str
    partners: frozenset[str] | None


@dataclass(frozen=True)
class GraphChanges:
    """The graph version now (`token`, `seq`) and the log entries read with it, oldest first."""

    token: str
    seq: int
    entries: list[GraphChange]


class KeyTaken(Exception):
    """A write met a uniqueness constraint: the key it claimed is already in use."""


class DatabaseNotConfigured(RuntimeError):
    pass


@dataclass
class RequestBookmarks:
    """Read-your-writes across the service's processes, for one request. On a cluster a read may
    go to a member that has not yet applied a write another process committed: a write's
    bookmark names it, and a transaction given the bookmark waits until its member has it.
    `since`: the bookmarks the request's client sent (those an earlier answer handed back), which
    every transaction of the request waits for; `after_writes`: the bookmarks of the last write
    the request committed, which its answer hands back."""

    since: tuple[str, ...] = ()
    after_writes: tuple[str, ...] = ()


class Reader(Protocol):
    """Runs a named read statement: the database itself, or an open transaction (which then sees
    its own uncommitted writes)."""

    async def read(self, statement_name: str, **params: Any) -> list[Record]: ...

    def stream(self, statement_name: str, *, fetch_size: int = ..., **params: Any) -> AsyncIterator[Record]:
        """The records of a read statement, fetched from the server `fetch_size` at a time as
        they are used."""
        ...


def connection_details(settings: Settings) -> tuple[str, str, str]:
    """URI, user and password of the server the service talks to."""
    if settings.neo4j_uri is not None:
        if settings.neo4j_password is None:
            raise DatabaseNotConfigured("NEO4J_URI is set but NEO4J_PASSWORD is not.")
        return settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password
    password = settings.neo4j_password or local_password(settings)
    if password is None:
        raise DatabaseNotConfigured(
            "No local Neo4j has been provisioned yet: run `isegraph neo4j start`, "
            "or set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD."
        )
    return settings.local_bolt_uri, settings.neo4j_user, password


def open_driver(settings: Settings) -> AsyncDriver:
    uri, user, password = connection_details(settings)
    return AsyncGraphDatabase.driver(
        uri,
        auth=(user, password),
        connection_timeout=5,
        connection_acquisition_timeout=10,
        # Schema hints ("label does not exist yet") are noise on an empty database.
        notifications_min_severity=NotificationMinimumSeverity.OFF,
    )


@dataclass
class Database:
    """Runs the named statements of `cypher/` with parameters, and counts round trips."""

    driver: AsyncDriver
    name: str
    timeout_seconds: float
    # The round trips by the access mode of their transaction (READ, WRITE): a cluster routes a
    # READ transaction to a secondary, a WRITE one to the leader, and the server refuses a write
    # statement in a READ transaction.
    round_trips_by_access_mode: dict[str, int] = field(default_factory=dict)
    bookmarks: RequestBookmarks = field(default_factory=RequestBookmarks)
    # Bookmarks make a read see the writes before it on a cluster, where reads may go to another
    # member. One server needs none: a committed write is visible to the next query. Worse, after
    # `isegraph restore` the database is back at an older transaction, and bookmarks from before
    # would make every query wait for a transaction that will never come; so the locally
    # provisioned server runs without them.
    causal_consistency: bool = field(default=True)
    # Resolve recipient lists from the in-process index of the partnership graph.
    recipient_index: bool = field(default=True)
    # A stale index is loaded again at most this often; lists in between come from Cypher.
    recipient_index_reload_seconds: float = field(default=0.0)
    # What this process derives from the graph, by name (the recipient index); shared by every
    # `fresh()` copy, which is what makes it per process.
    derived: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_settings(cls, driver: AsyncDriver, settings: Settings) -> Database:
        return cls(
            driver,
            settings.neo4j_database,
            settings.query_timeout_seconds,
            causal_consistency=settings.external_neo4j,
            recipient_index=settings.recipient_index,
            recipient_index_reload_seconds=settings.recipient_index_reload_seconds,
        )

    def fresh(self, bookmarks: Sequence[str] = ()) -> Database:
        """The same database with its own round-trip counts and bookmarks (one per request):
        `bookmarks` are those the request's client sent, waited for only where bookmarks are
        used at all (see `causal_consistency`)."""
        return replace(
            self,
            round_trips_by_access_mode={},
            bookmarks=RequestBookmarks(since=tuple(bookmarks) if self.causal_consistency else ()),
        )

    async def read(self, statement_name: str, **params: Any) -> list[Record]:
        return await self._read(Query(statement(statement_name), timeout=self.timeout_seconds), params)

    async def write(self, statement_name: str, **params: Any) -> list[Record]:
        # One managed transaction, also for a statement that leaves the graph alone: it is retried
        # on transient errors, and one that may change the graph ends with the graph version's bump.
        async def work(tx: Transaction) -> list[Record]:
            return await tx.run(statement_name, **params)

        return await self.in_write_transaction(work)

    async def read_rows(self, statement_name: str, **params: Any) -> list[list[Any]]:
        """The records of a read statement as lists of values, in column order: bulk reads, where
        building a map per record would cost more than the read."""
        self.count_round_trip(READ_ACCESS)
        query = Query(statement(statement_name), timeout=self.timeout_seconds)
        with self._errors_counted("try again later"):
            async with self._session(READ_ACCESS) as session:
                with bulk_allocations():
                    result = await session.run(query, params)
                    return await result.values()

    async def graph_version(self) -> str | None:
        """The token of the graph's last committed change (None before the migrations ran)."""
        rows = await self.read("graph_version/token")
        return rows[0]["token"] if rows else None

    async def graph_state(self) -> tuple[str, int] | None:
        """The token of the graph's last committed change and its entry in the change log."""
        rows = await self.read("graph_version/token")
        if not rows or rows[0]["seq"] is None:
            return None
        return rows[0]["token"], int(rows[0]["seq"])

    async def graph_changes(self, since: int) -> GraphChanges | None:
        """The graph version now and the change log from entry `since` on (None before the
        migrations ran)."""
        rows = await self.read("graph_version/changes", since=since)
        if not rows or rows[0]["seq"] is None:
            return None
        row = rows[0]
        log_entries = [
            GraphChange(seq, token, None if partners is None else frozenset(partners))
            for seq, token, partners in row["changes"]
        ]
        return GraphChanges(row["token"], row["seq"], log_entries)

    async def stream(
        self, statement_name: str, *, fetch_size: int = STREAM_FETCH_SIZE, **params: Any
    ) -> AsyncIterator[Record]:
        """Records of a read statement as the server sends them, so that a long answer is never
        held whole in memory; the session stays open until the caller stops iterating."""
        self.count_round_trip(READ_ACCESS)
        query = Query(statement(statement_name), timeout=self.timeout_seconds)
        async with self._session(READ_ACCESS, fetch_size=fetch_size) as session:
            try:
                with bulk_allocations():
                    result = await session.run(query, params)
                    async for record in result:
                        yield dict(record)
            except ClientError as exc:
                self._raise_if_timed_out(exc, NARROW_IT)
                _raise_if_bookmark_refused(exc)
                raise

    async def read_text(self, text: LiteralString, **params: Any) -> list[Record]:
        """Run a statement composed from a template (see cypher.composed)."""
        return await self._read(Query(text, timeout=self.timeout_seconds), params)

    async def _read(self, query: Query, params: dict[str, Any]) -> list[Record]:
        """One read statement in an auto-commit transaction: the server gets one message and
        sends the answer, where a managed transaction adds a commit exchange (about 0.4 ms of a
        2 ms read). A read that failed for a reason worth retrying (a connection the server
        dropped, say after a restart) is retried, as a managed transaction would be."""
        self.count_round_trip(READ_ACCESS)
        for attempt in range(1, READ_ATTEMPTS + 1):
            try:
                with self._errors_counted(NARROW_IT):
                    async with self._session(READ_ACCESS) as session:
                        result = await session.run(query, params)
                        # dict(record), not record.data(): data() re-walks every nested value,
                        # seconds on large answers.
                        return [dict(record) async for record in result]
            except (Neo4jError, DriverError) as exc:
                if isinstance(exc, ClientError) or attempt == READ_ATTEMPTS or not exc.is_retryable():
                    raise
                await asyncio.sleep(READ_RETRY_SECONDS * attempt)
        raise AssertionError("unreachable")

    async def in_write_transaction(
        self, work: Callable[[Transaction], Awaitable[T]], timeout_seconds: float | None = None
    ) -> T:
        """Run `work` in one managed write transaction (retried whole on transient errors)."""

        @unit_of_work(timeout=timeout_seconds or self.timeout_seconds)
        async def unit(tx: AsyncManagedTransaction) -> T:
            # A fresh Transaction per attempt: a retried attempt decides afresh whether it bumps.
            transaction = Transaction(tx, self, WRITE_ACCESS)
            answer = await work(transaction)
            await transaction.finish()
            return answer

        for attempt in range(1, WRITE_ATTEMPTS + 1):
            try:
                async with self._session(WRITE_ACCESS) as session:
                    with self._errors_counted("try again, or edit fewer records at once"):
                        answer = await session.execute_write(unit)
                    if self.causal_consistency:
                        self.bookmarks.after_writes = tuple(
                            sorted((await session.last_bookmarks()).raw_values)
                        )
                    return answer
            except QueryTimeout as exc:
                if attempt == WRITE_ATTEMPTS or not _waited_for_a_lock(exc.__cause__):
                    raise
                log.warning(
                    "a write transaction was stopped at its timeout while it waited for a lock; "
                    "trying it once more"
                )
        raise AssertionError("unreachable")

    async def in_rolled_back_transaction(self, work: Callable[[Transaction], Awaitable[T]]) -> T:
        """Run `work` in a write transaction that is always rolled back: what-if questions. A write
        transaction, so a cluster runs it on the leader: it writes, if only to undo it."""
        async with self._session(WRITE_ACCESS) as session:
            tx = await session.begin_transaction(timeout=self.timeout_seconds)
            try:
                return await work(Transaction(tx, self, WRITE_ACCESS))
            except ClientError as exc:
                self._raise_if_timed_out(exc, "ask a narrower question")
                raise
            finally:
                await tx.rollback()

    @contextlib.contextmanager
    def _errors_counted(self, advice: str) -> Iterator[None]:
        """Every driver error is counted; a server-side timeout becomes QUERY_TIMEOUT with `advice`."""
        try:
            yield
        except ClientError as exc:
            count_error(exc)
            self._raise_if_timed_out(exc, advice)
            _raise_if_bookmark_refused(exc)
            raise
        except (Neo4jError, DriverError) as exc:
            count_error(exc)
            raise

    def _raise_if_timed_out(self, exc: ClientError, advice: str) -> None:
        """A server-side timeout becomes an error a user can act on."""
        if exc.code is not None and exc.code.endswith(TIMED_OUT_CODES):
            raise QueryTimeout(
                f"The query ran longer than {self.timeout_seconds:g} s and was stopped; "
                f"{advice}, then try again."
            ) from exc

    def _session(self, access_mode: str, **config: Any) -> AsyncSession:
        """Every session of the service opens here, with the access mode of its transactions, and
        with the bookmarks they wait for: the process's own (its earlier writes) and those the
        request's client sent (writes committed through other processes)."""
        return self.driver.session(
            database=self.name,
            default_access_mode=access_mode,
            bookmarks=Bookmarks.from_raw_values(self.bookmarks.since) if self.bookmarks.since else None,
            bookmark_manager=self._bookmarks(),
            **config,
        )

    def _bookmarks(self) -> AsyncBookmarkManager | None:
        return self.driver.execute_query_bookmark_manager if self.causal_consistency else None

    @property
    def round_trips(self) -> int:
        """The statements this request sent, in transactions of either access mode."""
        return sum(self.round_trips_by_access_mode.values())

    def count_round_trip(self, access_mode: str) -> None:
        self.round_trips_by_access_mode[access_mode] = self.round_trips_by_access_mode.get(access_mode, 0) + 1
        CYPHER_ROUND_TRIPS.inc()

    async def ping(self, timeout: float = 3.0) -> None:
        """Raise when the server does not answer within `timeout` seconds."""
        await asyncio.wait_for(self.driver.verify_connectivity(), timeout)

    async def server_version(self) -> str:
        rows = await self.read("server_version")
        return str(rows[0]["version"])

    async def migrate(self) -> list[str]:
        """Apply the migrations in `cypher/migrations/` that this database has not seen yet."""
        applied = {row["version"] for row in await self.read("migrations/applied")}
        newly: list[str] = []
        for name in migration_names():
            version = int(name.split("_", 1)[0])
            if version in applied:
                continue
            for part in script(f"migrations/{name}"):
                # Schema statements cannot share a transaction with data writes.
                self.count_round_trip(WRITE_ACCESS)
                await self.driver.execute_query(
                    part,
                    database_=self.name,
                    routing_=RoutingControl.WRITE,
                    bookmark_manager_=self._bookmarks(),
                )
            await self.write("migrations/record", version=version, name=name)
            newly.append(name)
            log.info("applied migration %s", name)
        return newly


def _raise_if_bookmark_refused(exc: ClientError) -> None:
    """A bookmark the server cannot read came from the request's client: its error, not ours."""
    if (exc.code or "").startswith(BOOKMARK_REFUSED_CODE):
        raise InvalidInput(
            "A bookmark the request carried is not one this database issued: send back only the "
            "bookmarks an answer of the service handed out."
        ) from exc


def _waited_for_a_lock(cause: BaseException | None) -> bool:
    return isinstance(cause, ClientError) and (cause.code or "").endswith(WAITED_FOR_A_LOCK_CODE)


def count_error(exc: Exception) -> None:
    NEO4J_ERRORS.labels(type(exc).__name__).inc()


@dataclass
class Transaction:
    """A statement runner bound to one open transaction."""

    tx: AsyncManagedTransaction | AsyncTransaction
    database: Database
    # READ or WRITE: the access mode of the session the transaction was begun in.
    access_mode: str
    # Whether a statement that may change the partnership graph ran: the commit then bumps the
    # graph version (a rolled-back transaction never commits, so never bumps).
    touched_graph: bool = False
    # The partners the transaction's changes are confined to, when the code that made them says so
    # (None: they may have changed anything).
    _partners_changed: set[str] | None = None
    # Events for the log, appended by the transaction's last statement (`finish`).
    _events: list[Record] = field(default_factory=list)

    def changes_confined_to(self, partners: set[str]) -> None:
        """Declare that this transaction's changes of the graph touch only these partners'
        records, links and contacts: the change log names them, and the recipient index of every
        process reads only them again."""
        self._partners_changed = (self._partners_changed or set()) | partners

    def changed_partners(self) -> list[str] | None:
        return None if self._partners_changed is None else sorted(self._partners_changed)

    def append_events(self, events: list[Record]) -> None:
        """Events for the log, numbered and written when the transaction finishes: the log's
        counter is locked from then until the commit, so it is taken as late as it can be."""
        self._events.extend(events)

    async def finish(self) -> None:
        """The statement a committing transaction ends with: its events, and a new graph version
        when it may have changed the partnership graph (nothing to send: no statement)."""
        if not self._events and not self.touched_graph:
            return
        await self._run(
            statement(FINISH_WRITE),
            False,
            {
                "events": self._events,
                "bump": self.touched_graph,
                "partners": self.changed_partners(),
                "kept": GRAPH_CHANGES_KEPT,
            },
        )

    async def run(self, statement_name: str, **params: Any) -> list[Record]:
        return await self._run(statement(statement_name), touches_graph(statement_name), params)

    async def run_text(
        self, text: LiteralString, *, changes_graph: bool = True, **params: Any
    ) -> list[Record]:
        """Run a statement composed from a template (see statements.composed); such statements
        are taken to touch the graph unless the caller says it reads only (`changes_graph=False`)."""
        return await self._run(text, changes_graph, params)

    async def _run(self, text: LiteralString, may_touch_graph: bool, params: dict[str, Any]) -> list[Record]:
        self.touched_graph = self.touched_graph or may_touch_graph
        self.database.count_round_trip(self.access_mode)
        try:
            result = await self.tx.run(text, params)
            return [dict(record) async for record in result]
        except ConstraintError as exc:
            raise KeyTaken(str(exc)) from exc

    async def read(self, statement_name: str, **params: Any) -> list[Record]:
        return await self.run(statement_name, **params)

    async def stream(
        self, statement_name: str, *, fetch_size: int = STREAM_FETCH_SIZE, **params: Any
    ) -> AsyncIterator[Record]:
        """The records of a statement in this transaction, as the server sends them (an open
        transaction fetches with its session's batch size; `fetch_size` is the database's)."""
        self.database.count_round_trip(self.access_mode)
        self.touched_graph = self.touched_graph or touches_graph(statement_name)
        result = await self.tx.run(statement(statement_name), params)
        async for record in result:
            yield dict(record)

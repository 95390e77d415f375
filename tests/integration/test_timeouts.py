"""A statement stopped at the transaction timeout is a QUERY_TIMEOUT a user can act on, whether it
was running or waiting for a lock another transaction held."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from neo4j import AsyncTransaction

from graph_api.errors import QueryTimeout
from graph_api.store.database import Database, Transaction
from tests.helpers import unique_prefix


@contextlib.asynccontextmanager
async def held_probe(db: Database, name: str) -> AsyncIterator[tuple[str, AsyncTransaction]]:
    """A probe node whose write lock an open transaction holds; the probe goes afterwards."""
    probe = unique_prefix(name)
    await db.driver.execute_query("CREATE (:LockProbe {id: $id})", id=probe, database_=db.name)
    try:
        async with db.driver.session(database=db.name) as session:
            holder = await session.begin_transaction()
            await holder.run("MATCH (n:LockProbe {id: $id}) SET n.held = true", id=probe)
            yield probe, holder
    finally:
        await db.driver.execute_query("MATCH (n:LockProbe {id: $id}) DELETE n", id=probe, database_=db.name)


def waiting_for(probe: str) -> Callable[[Transaction], Awaitable[None]]:
    async def wait_for_the_lock(tx: Transaction) -> None:
        await tx.run_text("MATCH (n:LockProbe {id: $id}) SET n.waited = true", id=probe)

    return wait_for_the_lock


async def test_a_write_stopped_while_waiting_for_a_lock_is_a_query_timeout(db: Database) -> None:
    async with held_probe(db, "lockwait") as (probe, holder):
        with pytest.raises(QueryTimeout, match="ran longer than"):
            await db.in_write_transaction(waiting_for(probe), timeout_seconds=1)
        await holder.rollback()
        records, _, _ = await db.driver.execute_query(
            "MATCH (n:LockProbe {id: $id}) RETURN n.waited AS waited", id=probe, database_=db.name
        )
        assert records[0]["waited"] is None  # the stopped write changed nothing


async def test_a_write_that_waited_out_its_timeout_behind_a_lock_is_tried_once_more(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with held_probe(db, "lockretry") as (probe, holder):
        caplog.set_level(logging.WARNING, logger="isegraph.database")
        write = asyncio.create_task(db.in_write_transaction(waiting_for(probe), timeout_seconds=1))
        # The first attempt is stopped while the lock is held; once it is, the lock goes free.
        for _ in range(200):
            if "trying it once more" in caplog.text or write.done():
                break
            await asyncio.sleep(0.1)  # bounded poll (200 turns): until the first attempt is stopped
        assert "trying it once more" in caplog.text and not write.done()
        await holder.rollback()
        await write  # the second attempt finds the lock free
        records, _, _ = await db.driver.execute_query(
            "MATCH (n:LockProbe {id: $id}) RETURN n.waited AS waited, n.held AS held",
            id=probe,
            database_=db.name,
        )
        assert (records[0]["waited"], records[0]["held"]) == (True, None)  # written once, by the retry

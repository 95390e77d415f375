"""A statement stopped at the transaction timeout is a QUERY_TIMEOUT a user can act on, whether it
was running or waiting for a lock another transaction held."""

from __future__ import annotations

import pytest

from graph_api.errors import QueryTimeout
from graph_api.store.database import Database, Transaction
from tests.helpers import unique_prefix


async def test_a_write_stopped_while_waiting_for_a_lock_is_a_query_timeout(db: Database) -> None:
    probe = unique_prefix("lockwait")
    await db.driver.execute_query("CREATE (:LockProbe {id: $id})", id=probe, database_=db.name)
    try:
        async with db.driver.session(database=db.name) as session:
            holder = await session.begin_transaction()
            await holder.run("MATCH (n:LockProbe {id: $id}) SET n.held = true", id=probe)

            async def wait_for_the_lock(tx: Transaction) -> None:
                await tx.run_text("MATCH (n:LockProbe {id: $id}) SET n.waited = true", id=probe)

            with pytest.raises(QueryTimeout, match="ran longer than"):
                await db.in_write_transaction(wait_for_the_lock, timeout_seconds=1)
            await holder.rollback()
        records, _, _ = await db.driver.execute_query(
            "MATCH (n:LockProbe {id: $id}) RETURN n.waited AS waited", id=probe, database_=db.name
        )
        assert records[0]["waited"] is None  # the stopped write changed nothing
    finally:
        await db.driver.execute_query("MATCH (n:LockProbe {id: $id}) DELETE n", id=probe, database_=db.name)

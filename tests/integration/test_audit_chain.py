"""The audit trail is a hash chain: `isegraph audit verify` passes on an untouched trail and names
the exact record a direct database edit altered; concurrent appends keep the chain whole."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from starlette.testclient import TestClient

from graph_api.identity import Principal, Role
from graph_api.rules.audit import audited, verify_chain
from graph_api.store.database import Database
from tests.helpers import data, gql, token

ADMIN = Principal(subject="chain-test", role=Role.ADMIN, partner=None)


def _verify_command() -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph_api", "audit", "verify"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )


async def _append(db: Database, n: int) -> None:
    async with audited(db, ADMIN, "chainTest", {"n": n}):
        pass


async def test_concurrent_appends_keep_one_unbroken_chain(db: Database) -> None:
    before = await verify_chain(db)
    assert before.intact, before
    await asyncio.gather(*(_append(db, n) for n in range(24)))
    after = await verify_chain(db)
    assert after.intact, after
    assert after.records >= before.records + 24  # others may append meanwhile; none may break it


CHAIN = "{ auditChain { intact records brokenAt reason } }"


async def test_verify_names_the_record_altered_in_the_database(db: Database, client: TestClient) -> None:
    for n in range(3):
        await _append(db, n)
    passed = _verify_command()
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Audit trail intact" in passed.stdout
    rows = await db.driver.execute_query(
        "MATCH (h:AuditHead) MATCH (a:AuditRecord {sequence: h.sequence - 1}) "
        "RETURN a.id AS id, a.sequence AS sequence, a.outcome AS outcome",
        database_=db.name,
    )
    victim = rows.records[0]
    # What an intruder with database access would do: make a record say something else.
    tamper = "MATCH (a:AuditRecord {id: $id}) SET a.outcome = $outcome"
    await db.driver.execute_query(tamper, id=victim["id"], outcome="FORBIDDEN", database_=db.name)
    try:
        failed = _verify_command()
        assert failed.returncode == 1, failed.stdout
        assert f"ALTERED at record {victim['id']} (sequence {victim['sequence']}" in failed.stdout
        assert "its content does not match its hash" in failed.stdout
        report = await verify_chain(db)
        assert report.broken_at is not None and report.broken_at["id"] == victim["id"]
        # The same walk over GraphQL (the console's "Verify the chain"), ADMIN only.
        answer = data(client, CHAIN)["auditChain"]
        assert answer["intact"] is False and answer["brokenAt"] == victim["id"]
        assert answer["reason"] == "its content does not match its hash: it was altered"
        refused = gql(client, CHAIN, as_token=token("ANALYST"))
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    finally:
        await db.driver.execute_query(tamper, id=victim["id"], outcome=victim["outcome"], database_=db.name)
    assert (await verify_chain(db)).intact
    assert data(client, CHAIN)["auditChain"]["intact"] is True


async def test_a_removed_record_is_named_by_the_one_after_it(db: Database) -> None:
    for n in range(3):
        await _append(db, n)
    rows = await db.driver.execute_query(
        "MATCH (h:AuditHead) MATCH (a:AuditRecord {sequence: h.sequence - 1}) "
        "RETURN properties(a) AS record, h.sequence AS last",
        database_=db.name,
    )
    removed, last = rows.records[0]["record"], rows.records[0]["last"]
    await db.driver.execute_query(
        "MATCH (a:AuditRecord {id: $id}) DELETE a", id=removed["id"], database_=db.name
    )
    try:
        report = await verify_chain(db)
        assert report.broken_at is not None and report.broken_at["sequence"] == last
        assert "a record is missing" in report.reason
    finally:
        await db.driver.execute_query(
            "CREATE (a:AuditRecord) SET a = $record", record=removed, database_=db.name
        )
    assert (await verify_chain(db)).intact

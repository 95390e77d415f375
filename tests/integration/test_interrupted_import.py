"""An import killed halfway (SIGKILL of `isegraph seed --synthetic` after its first chunk) and run
again ends in the same graph as an uninterrupted import: the same `isegraph export`, byte for byte.

It runs on a Neo4j of its own (a second server on another port), so the synthetic network never
mixes with the data the other tests share."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from neo4j import GraphDatabase

from graph_api.neo4j_server import process
from graph_api.settings import Settings
from graph_api.store.database import connection_details

PARTNERS = 8_000  # more records than one chunk holds, so the import is written in several


@pytest.fixture(scope="module")
def own_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    if settings.external_neo4j:
        pytest.skip("needs a second local server")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    own = replace(settings, state_dir=tmp_path_factory.mktemp("import-server"), neo4j_bolt_port=port)
    process.start(own, lambda message: None)
    yield own
    process.stop(own, lambda message: None)


def _env(own: Settings) -> dict[str, str]:
    return {
        **os.environ,
        "ISEGRAPH_STATE_DIR": str(own.state_dir),
        "ISEGRAPH_NEO4J_BOLT_PORT": str(own.neo4j_bolt_port),
    }


SEED = [sys.executable, "-m", "graph_api", "seed", "--synthetic", "--partners", str(PARTNERS), "--seed", "3"]


def _export(own: Settings, path: Path) -> str:
    subprocess.run(
        [sys.executable, "-m", "graph_api", "export", str(path)], env=_env(own), check=True, timeout=600
    )
    return path.read_text()


def _wipe(own: Settings) -> None:
    uri, user, password = connection_details(own)
    # CALL ... IN TRANSACTIONS needs an auto-commit transaction: session.run, not execute_query.
    wipe = (
        "MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:AuditHead "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS"
    )
    with GraphDatabase.driver(uri, auth=(user, password)) as driver, driver.session() as session:
        session.run(wipe).consume()


def test_an_import_killed_halfway_and_run_again_equals_an_uninterrupted_one(
    own_server: Settings, tmp_path: Path
) -> None:
    killed = subprocess.Popen(
        SEED, env=_env(own_server), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert killed.stdout is not None
    seen = []
    for line in killed.stdout:
        seen.append(line)
        if "upsert partners: 5000/" in line:  # the first chunk is committed, the rest is not
            killed.send_signal(signal.SIGKILL)
            break
    killed.wait(timeout=60)
    assert killed.returncode == -signal.SIGKILL, "".join(seen)
    rerun = subprocess.run(SEED, env=_env(own_server), capture_output=True, text=True, timeout=1200)
    assert rerun.returncode == 0, rerun.stdout[-2000:]
    resumed = _export(own_server, tmp_path / "resumed.json")

    _wipe(own_server)
    whole = subprocess.run(SEED, env=_env(own_server), capture_output=True, text=True, timeout=1200)
    assert whole.returncode == 0, whole.stdout[-2000:]
    uninterrupted = _export(own_server, tmp_path / "uninterrupted.json")
    assert len(json.loads(uninterrupted)["partners"]) >= PARTNERS * 0.9
    assert resumed == uninterrupted

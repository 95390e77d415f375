"""`isegraph backup` and `isegraph restore`: a backup, an edit, a restore, and the graph is the
backup's again; an external server and an unforced overwrite are refused with a pointer."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.neo4j_server.backup import backup, restore
from graph_api.neo4j_server.process import ServerError
from graph_api.settings import Settings
from tests.helpers import data, unique_prefix


def _export(client: TestClient) -> Any:
    deadline = time.monotonic() + 120
    while client.get("/readyz").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.5)  # bounded poll: until the restarted server is ready, within the deadline
    return data(client, "{ exportNetwork }")["exportNetwork"]


def test_backup_edit_restore_gives_back_the_backed_up_graph(
    client: TestClient, settings: Settings, seeded: None, tmp_path: Path
) -> None:
    if settings.external_neo4j:
        pytest.skip("the tests do not stop an external server")
    before = _export(client)
    progress: list[str] = []
    dump = backup(settings, tmp_path / "network.dump", progress.append)
    assert dump.stat().st_size > 0 and any("Backup written" in line for line in progress)
    partner = unique_prefix("after-backup") + "p"
    created = data(
        client,
        """mutation($input: CreatePartnerInput!) { createPartner(input: $input) { partner { id } } }""",
        input={"id": partner, "name": "Created after the backup", "kind": "PRIVATE"},
    )
    assert created["createPartner"]["partner"] == {"id": partner}
    edited = _export(client)
    assert edited != before
    with pytest.raises(ServerError, match="--force"):
        restore(settings, dump, force=False, say=progress.append)
    assert _export(client) == edited  # the refusal changed nothing
    restore(settings, dump, force=True, say=progress.append)
    assert _export(client) == before
    assert any("Restored" in line for line in progress)


def test_backup_and_restore_point_an_external_server_to_its_own_tooling(
    settings: Settings, tmp_path: Path
) -> None:
    external = dataclasses.replace(settings, neo4j_uri="neo4j://neo4j.example:7687")
    with pytest.raises(ServerError, match="own tooling"):
        backup(external, tmp_path / "x.dump", lambda message: None)
    (tmp_path / "x.dump").write_bytes(b"not a dump")
    with pytest.raises(ServerError, match="own tooling"):
        restore(external, tmp_path / "x.dump", force=True, say=lambda message: None)
    env = {**os.environ, "NEO4J_URI": "neo4j://neo4j.example:7687", "NEO4J_PASSWORD": "irrelevant"}
    result = subprocess.run(
        [sys.executable, "-m", "graph_api", "backup", str(tmp_path / "y.dump")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 1 and "own tooling" in result.stdout and "Traceback" not in result.stderr
    assert not (tmp_path / "y.dump").exists()

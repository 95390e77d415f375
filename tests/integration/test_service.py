"""The foundation: a real Neo4j 5.26 provisioned by the project, and the service in front of it."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from starlette.testclient import TestClient

from graph_api.neo4j_server.provision import ensure_jars
from graph_api.settings import Settings
from graph_api.store.database import Database
from tests.helpers import data


async def test_the_tests_run_against_a_real_neo4j_5_26(db: Database) -> None:
    version = await db.server_version()
    print(f"Neo4j server version: {version}")
    assert version.startswith("5.26.")


def test_graphql_answers_over_http(client: TestClient) -> None:
    assert data(client, "{ __typename }") == {"__typename": "Query"}
    response = client.get("/graphql", params={"query": "{ __typename }"})
    assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


def test_graphiql_is_served_to_browsers_in_development(client: TestClient) -> None:
    # The page carries no data, so it needs no token; its queries do.
    response = client.get("/graphql", headers={"Accept": "text/html", "Authorization": ""})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


def test_health_and_readiness(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_a_second_start_reuses_the_downloaded_jars(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    if settings.external_neo4j:
        pytest.skip("NEO4J_URI points at an external server: nothing is provisioned")
    # With no Maven (or anything else) on PATH, only a cached copy can satisfy the request.
    monkeypatch.setenv("PATH", "")
    messages: list[str] = []
    lib, version = ensure_jars(settings, messages.append)
    assert version.startswith("5.26.") and lib.is_dir()
    assert messages == [f"Using cached Neo4j {version} jars in {lib}"]


def test_status_reports_the_running_server(settings: Settings) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph_api", "neo4j", "status"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    if settings.external_neo4j:
        assert "external" in result.stdout
    else:
        assert "answering on Bolt" in result.stdout and str(settings.neo4j_bolt_port) in result.stdout


def test_the_command_line_teaches_its_use() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph_api", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("neo4j", "serve", "up", "import", "export", "seed", "recipients", "examples:"):
        assert command in result.stdout

"""The service outlives its database: /readyz follows Neo4j going away and coming back."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from graph_api.neo4j_server import process
from graph_api.settings import Settings


def test_readiness_follows_the_database_without_restarting_the_service(
    client: TestClient, settings: Settings
) -> None:
    if settings.external_neo4j:
        pytest.skip("the tests do not stop an external server")
    assert client.get("/readyz").status_code == 200
    process.stop(settings, lambda message: None)
    try:
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable" and "Neo4j does not answer" in down.json()["reason"]
        assert client.get("/healthz").status_code == 200  # the process itself is fine
    finally:
        process.start(settings, lambda message: None)
    assert client.get("/readyz").status_code == 200
    body = client.post("/graphql", json={"query": "{ sectors { id } }"}).json()
    assert "errors" not in body

"""Shared fixtures. Tests that need no database live in tests/unit/ and never start one; tests in
tests/integration/ run against the real Neo4j server the project provisions (see ./dev test)."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import AsyncIterator, Iterator

import pytest
from neo4j import GraphDatabase
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.neo4j_server import process
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, connection_details, open_driver

# The tests run a development service, said so explicitly as the development sign-in requires (the
# services and workers they start as processes inherit it); a test of production says so itself.
os.environ.setdefault("ISEGRAPH_ENV", "development")


def pytest_report_header(config: pytest.Config) -> list[str]:
    """Which Neo4j the integration tests use; unit tests need none, so nothing is started here."""
    settings = load_settings()
    if not settings.external_neo4j and process.running_pid(settings) is None:
        return ["Neo4j server: not running yet (started on first use by an integration test)"]
    uri, user, password = connection_details(settings)
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
        )
    return [f"Neo4j server: {records[0]['v']} {records[0]['e']} at {uri}"]


@pytest.fixture(scope="session")
def settings() -> Settings:
    # The tests serve open-source feeds from loopback, which the service refuses by default.
    loaded = load_settings()
    return dataclasses.replace(loaded, feeds=dataclasses.replace(loaded.feeds, allow_private_addresses=True))


@pytest.fixture(scope="session")
def neo4j_server(settings: Settings) -> None:
    """The project's own Neo4j, started if it is not running (`./dev test` starts it first)."""
    if not settings.external_neo4j:
        process.start(settings, lambda message: None)


@pytest.fixture(scope="session")
async def db(settings: Settings, neo4j_server: None) -> AsyncIterator[Database]:
    driver = open_driver(settings)
    database = Database.for_settings(driver, settings)
    await database.migrate()
    yield database
    await driver.close()


@pytest.fixture(scope="session")
def client(settings: Settings, neo4j_server: None) -> Iterator[TestClient]:
    """The real app; requests carry an ADMIN token unless a test sends another."""
    from graph_api.identity import Role, mint_token

    admin = mint_token(settings, Role.ADMIN)
    with TestClient(create_app(settings), headers={"Authorization": f"Bearer {admin}"}) as test_client:
        yield test_client


@pytest.fixture(scope="session")
async def seeded(db: Database) -> None:
    """The seed network, loaded once (the import is idempotent)."""
    from graph_api.rules.importer import import_network
    from seed.network import build_seed_document

    report = await import_network(db, build_seed_document())
    assert report.ok, report.problems[:5]
    # The illustrative reports `isegraph seed` adds, as it adds them.
    from graph_api.rules.reports import load_seed_reports
    from seed.reports import SEED_REPORTS

    await load_seed_reports(db, list(SEED_REPORTS))

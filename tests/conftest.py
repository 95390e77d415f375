"""Every data test runs against the real Neo4j server the project provisions (see ./dev test)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from neo4j import GraphDatabase
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.neo4j_server import process
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, connection_details, open_driver


def pytest_report_header(config: pytest.Config) -> list[str]:
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, lambda message: None)
    uri, user, password = connection_details(settings)
    with GraphDatabase.driver(uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query(
            "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
        )
    return [f"Neo4j server: {records[0]['v']} {records[0]['e']} at {uri}"]


@pytest.fixture(scope="session")
def settings() -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
async def db(settings: Settings) -> AsyncIterator[Database]:
    driver = open_driver(settings)
    database = Database(driver, settings.neo4j_database, settings.query_timeout_seconds)
    await database.migrate()
    yield database
    await driver.close()


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
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

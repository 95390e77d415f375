"""Shared fixtures. Tests that need no database live in tests/unit/ and never start one; tests in
tests/integration/ run against the real Neo4j server the project provisions (see ./dev test).

Under pytest-xdist (`./dev test` runs `pytest -n`), each worker process has a Neo4j of its own:
its own Bolt port (the configured one plus 1 + the worker's number) and its own state directory
under the configured one, started once when the worker first needs it and stopped when the worker
ends. A worker's tests, and the services and commands they start (which inherit its environment),
share that server; no two workers share anything but the jars."""

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


def _give_this_worker_its_own_neo4j() -> None:
    """Points this process's settings, and those of every process it starts, at the worker's own
    server; the first process of a run without xdist keeps the configured one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... in a worker; unset otherwise
    if worker is None or os.environ.get("NEO4J_URI"):
        return
    configured = load_settings()
    number = int(worker.removeprefix("gw"))
    os.environ["ISEGRAPH_STATE_DIR"] = str(configured.state_dir / "workers" / worker)
    os.environ["ISEGRAPH_NEO4J_BOLT_PORT"] = str(configured.neo4j_bolt_port + 1 + number)


_give_this_worker_its_own_neo4j()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "in_order: the module's tests build on one another, so they run in the order they are "
        "written even when pytest-randomly shuffles the rest",
    )


def _written_order(item: pytest.Item) -> tuple[int, list[int]]:
    """Where a test is written in its module: its line, then its parameters' positions."""
    callspec = getattr(item, "callspec", None)
    return item.reportinfo()[1] or 0, list(callspec.indices.values()) if callspec else []


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """After pytest-randomly's shuffle: the tests of an `in_order` module take the places the
    shuffle gave them, in the order they are written (the same order in every xdist worker)."""
    by_module: dict[str, list[int]] = {}
    for place, item in enumerate(items):
        if item.get_closest_marker("in_order") is not None:
            by_module.setdefault(item.nodeid.split("::")[0], []).append(place)
    for places in by_module.values():
        written = sorted((items[place] for place in places), key=_written_order)
        for place, item in zip(places, written, strict=True):
            items[place] = item


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """The order's seed, also under -q: `-p randomly -p "randomly_seed=N"` replays it."""
    seed = getattr(config.option, "randomly_seed", None)
    if seed is not None and config.pluginmanager.has_plugin("randomly"):
        terminalreporter.write_line(
            f"Tests ran in random order: reproduce it with -p randomly --randomly-seed={seed}"
        )


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
def neo4j_server(settings: Settings) -> Iterator[None]:
    """The project's own Neo4j, started if it is not running; an xdist worker's own server is
    stopped when the worker ends."""
    if settings.external_neo4j:
        yield
        return
    process.start(settings, lambda message: None)
    yield
    if os.environ.get("PYTEST_XDIST_WORKER") is not None:
        process.stop(settings, lambda message: None)


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

"""Every integration test runs against the real Neo4j: it is started before the first of them,
also for those that only start a service or a command that connects to it."""

from __future__ import annotations

import pytest

# The browser tests' fixtures (the console's service, Chromium, watched tabs), for the modules that ask.
from tests.integration.browser import another_tab, browser, live_url, watched  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def _neo4j_running(neo4j_server: None) -> None:
    pass

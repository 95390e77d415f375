"""The browser side of the console tests: the service on a loopback port, Debian's Chromium through
Playwright, a tab that refuses every request off 127.0.0.1 and fails the test on any error the page
logs, axe-core's accessibility check, and the screenshots the docs show."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, Request, Route, expect, sync_playwright

from graph_api.console import DIST
from graph_api.http.app import create_app
from graph_api.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("ISEGRAPH_SCREENSHOTS_DIR") or ROOT / ".isegraph-test" / "screenshots")
LOOPBACK = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def live_url(settings: Settings, seeded: None) -> Iterator[str]:
    """The service on a loopback port of its own, as `isegraph serve` runs it."""
    if not (DIST / "index.html").is_file():
        pytest.fail("The console is not built: run the tests through ./dev test, which builds it.")
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host=LOOPBACK, port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("The service did not start for the browser tests.")
        time.sleep(0.05)  # bounded poll: until uvicorn has bound its socket, within the deadline
    yield f"http://{LOOPBACK}:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(live_url: str) -> Iterator[Browser]:
    """Module-scoped, and started after the asynchronous fixtures: Playwright's synchronous API holds
    an event loop of its own while it runs, during which pytest-asyncio cannot run one."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "Chromium is needed for the browser tests: ./dev test installs it (apt-get install chromium)."
        )
    playwright: Playwright = sync_playwright().start()
    # Root (as in CI) cannot use Chromium's sandbox; the pages are the service's own.
    args = ["--no-sandbox"] if os.geteuid() == 0 else []
    launched = playwright.chromium.launch(executable_path=chromium, headless=True, args=args)
    yield launched
    launched.close()
    playwright.stop()


# Generous waits: a shared, busy machine can take many seconds for one recipient list.
WAIT_MS = 90_000
expect.set_options(timeout=WAIT_MS)


@dataclass
class Watched:
    page: Page
    base: str
    left_the_machine: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def screenshot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def open_tab(browser: Browser, base: str) -> tuple[Watched, Callable[[], None]]:
    """A fresh browser tab that refuses every request off 127.0.0.1 and records page errors; the
    second value closes it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    seen = Watched(page, base)

    def guard(route: Route, request: Request) -> None:
        host = urlsplit(request.url).hostname
        if request.url.startswith(("data:", "blob:")) or host == LOOPBACK:
            route.continue_()
        else:
            seen.left_the_machine.append(request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda message: message.type == "error" and seen.page_errors.append(message.text))
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    # The browser logs every answer of 400 or more as an error ("Failed to load resource").
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and seen.page_errors.append(
                f"HTTP {response.status} for {response.request.method} {response.url}"
            )
        ),
    )
    return seen, context.close


def assert_clean(seen: Watched) -> None:
    assert seen.left_the_machine == [], f"requests left the machine: {seen.left_the_machine}"
    assert seen.page_errors == [], f"the page logged errors: {seen.page_errors}"


@pytest.fixture
def watched(browser: Browser, live_url: str) -> Iterator[Watched]:
    """A fresh tab, checked when the test ends: nothing left the machine, the page logged no error."""
    seen, close = open_tab(browser, live_url)
    yield seen
    close()
    assert_clean(seen)


@pytest.fixture
def another_tab(browser: Browser, live_url: str) -> Iterator[Callable[[], Watched]]:
    """More tabs, each in a browser context of its own (another user), checked like `watched`."""
    opened: list[tuple[Watched, Callable[[], None]]] = []

    def make() -> Watched:
        opened.append(open_tab(browser, live_url))
        return opened[-1][0]

    yield make
    for _, close in opened:
        close()
    for seen, _ in opened:
        assert_clean(seen)


def sign_in(seen: Watched, role: str, partner: str | None = None) -> None:
    """Through the console's development sign-in buttons."""
    page = seen.page
    page.goto(f"{seen.base}/console/")
    if partner:
        page.get_by_label("Partner id").fill(partner)
    page.get_by_role("button", name=f"Sign in as {role}").click()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(role)


AXE = ROOT / "console" / "node_modules" / "axe-core" / "axe.min.js"


def assert_accessible(seen: Watched, view: str) -> None:
    """axe-core over the page as shown: no serious or critical violation. It is evaluated through
    the DevTools protocol, which the page's Content-Security-Policy does not govern."""
    if not AXE.is_file():
        pytest.fail("axe-core is not installed: ./dev test runs npm ci in console/.")
    page = seen.page
    if not page.evaluate("() => 'axe' in window"):
        page.evaluate(AXE.read_text())
    found = page.evaluate(
        """async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
             .filter((v) => v.impact === 'serious' || v.impact === 'critical')
             .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"""
    )
    assert found == [], f"accessibility violations on {view}: {found}"

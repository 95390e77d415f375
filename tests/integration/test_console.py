"""The console and GraphiQL in a real Chromium, against the real service and the seed network.

Every page the browser opens may talk only to 127.0.0.1: any other request is stopped and fails
the test, and so does any error the page logs. Each test leaves a screenshot of its view in
ISEGRAPH_SCREENSHOTS_DIR (default `.isegraph-test/screenshots`; `docs/console` refreshes the
README's pictures).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, Request, Route, expect, sync_playwright
from starlette.testclient import TestClient

from graph_api.console import DIST
from graph_api.http.app import create_app
from graph_api.settings import Settings
from tests.helpers import data, gql, token

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("ISEGRAPH_SCREENSHOTS_DIR") or ROOT / ".isegraph-test" / "screenshots")
LOOPBACK = "127.0.0.1"
PAGE_SIZE = 25  # the planner's page size


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


@pytest.fixture
def watched(browser: Browser, live_url: str) -> Iterator[Watched]:
    """A fresh browser tab that refuses every request off 127.0.0.1 and records page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    seen = Watched(page, live_url)

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
    yield seen
    context.close()
    assert seen.left_the_machine == [], "requests left the machine"
    assert seen.page_errors == [], "the page logged errors"


def sign_in(seen: Watched, role: str, partner: str | None = None) -> None:
    """Through the console's development sign-in buttons."""
    page = seen.page
    page.goto(f"{seen.base}/console/")
    if partner:
        page.get_by_label("Partner id").fill(partner)
    page.get_by_role("button", name=f"Sign in as {role}").click()
    expect(page.get_by_test_id("signed-in-as")).to_contain_text(role)


# -- GraphiQL ---------------------------------------------------------------------------------


def test_graphiql_runs_a_query_from_its_editor_offline(watched: Watched, client: TestClient) -> None:
    page = watched.page
    page.goto(f"{watched.base}/graphql#token={token('ANALYST')}")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    expect(editor).to_be_visible()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.insert_text("{ sectors { name } }")
    page.get_by_role("button", name="Execute query (Ctrl-Enter)").click()
    result = page.locator(".result-window")
    expected = data(client, "{ sectors { name } }")
    expect(result).to_contain_text(f'"name": "{expected["sectors"][0]["name"]}"')
    # The whole answer, as the result editor holds it (it draws only the lines in view).
    shown = page.evaluate("document.querySelector('.result-window .CodeMirror').CodeMirror.getValue()")
    assert json.loads(shown)["data"] == expected
    watched.screenshot("graphiql")


# -- the recipient planner --------------------------------------------------------------------

RECIPIENT_NAMES = (
    "query($id: ID!) { recipients(productId: $id) { recipients { partner { name } } excluded { reason } } }"
)


def test_planner_shows_the_recipients_query_count_and_first_page(
    watched: Watched, client: TestClient
) -> None:
    expected = data(client, RECIPIENT_NAMES, id="prod-001")["recipients"]
    names = [r["partner"]["name"] for r in expected["recipients"]]

    sign_in(watched, "ANALYST")
    page = watched.page
    page.get_by_role("link", name="Recipient planner").click()
    # Every product carries its TLP label, and each PCII product its PCII marking.
    listing = "{ products(first: 100, sort: [{publishedAt: DESC}]) { nodes { tlp pcii } } }"
    products = data(client, listing)["products"]["nodes"]
    listed = page.get_by_test_id("products")
    expect(listed.locator(".tlp")).to_have_count(len(products))
    expect(listed.locator(".pcii-tag")).to_have_count(sum(p["pcii"] for p in products))
    expect(listed.locator(".tlp-red")).to_have_count(sum(p["tlp"] == "RED" for p in products))
    page.get_by_label("Find a product by title or id").fill("prod-001")
    expect(listed.locator("tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Ransomware campaign targeting grid operators").click()
    expect(page.get_by_test_id("recipient-count")).to_have_text(str(len(names)))
    expect(page.get_by_test_id("excluded-count")).to_have_text(str(len(expected["excluded"])))
    expect(page.get_by_test_id("recipient-name")).to_have_text(names[:PAGE_SIZE])
    expect(page.get_by_text("TLP:AMBER").first).to_be_visible()
    watched.screenshot("planner")

    # A filter narrows the table and the CSV.
    page.get_by_label("Filter by name").fill(names[3])
    expect(page.get_by_test_id("recipient-name")).to_have_text(
        [n for n in names if names[3].lower() in n.lower()]
    )
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    csv = Path(download.value.path()).read_text()
    assert csv.splitlines()[0].startswith("partner_id,partner_name")
    assert names[3] in csv and names[0] not in csv.replace(names[3], "")

    # Disseminating asks first, and says how many recipients it reaches.
    page.get_by_label("Filter by name").fill("")
    page.get_by_role("button", name="Disseminate…").click()
    expect(page.get_by_test_id("confirm-count")).to_have_text(
        f"This delivers the product to {len(names)} recipients."
    )
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("confirm-count")).to_be_hidden()


# -- editing as ADMIN -------------------------------------------------------------------------

MEMBERSHIPS = "query($id: ID!) { partner(id: $id) { memberships { council { id } role version } } }"
IMPACT = """query($edit: ProposedEdit!, $publishedAfter: DateTime, $publishedBefore: DateTime) {
  impactOf(edit: $edit, publishedAfter: $publishedAfter, publishedBefore: $publishedBefore) {
  considered products { product { id } gained { partner { id } } lost { partner { id } } } } }"""
REMOVE = """mutation($input: RemoveMembershipInput!) {
  removeMembership(input: $input) { userErrors { code } } }"""
UPDATE = """mutation($input: UpdateMembershipInput!) {
  updateMembership(input: $input) { userErrors { code } membership { version } } }"""


# A seed partner in California, not on the energy sector coordinating council, that joining it would
# bring prod-001 (published on 2 November 2026); the preview looks at the products of that window.
JOINER, COUNCIL = "golden-valley-produce", "energy-scc"
WINDOW = {"publishedAfter": "2026-11-02T00:00:00Z", "publishedBefore": "2026-11-03T00:00:00Z"}


def show_impact_window(page: Page) -> None:
    page.get_by_label("from", exact=True).fill("2026-11-02")
    page.get_by_label("until (not including)").fill("2026-11-03")


def test_admin_adds_a_membership_after_seeing_its_impact(watched: Watched, client: TestClient) -> None:
    council, partner = COUNCIL, JOINER
    edit = {"addMembership": {"partner": partner, "council": council, "role": "OBSERVER"}}
    impact = data(client, IMPACT, edit=edit, **WINDOW)["impactOf"]
    assert [p["product"]["id"] for p in impact["products"]] == ["prod-001"]
    before = data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]

    sign_in(watched, "ADMIN")
    page = watched.page
    page.goto(f"{watched.base}/console/#/partner/{partner}")
    page.get_by_role("link", name="Edit memberships").click()
    show_impact_window(page)
    # The council is found by its name, among however many councils the network holds.
    name = data(client, "query($id: ID!) { council(id: $id) { name } }", id=council)["council"]["name"]
    page.get_by_label("Find a council").fill(name)
    page.get_by_label("Council", exact=True).select_option(council)
    page.get_by_label("Role", exact=True).select_option("OBSERVER")
    page.get_by_role("button", name="Preview impact").click()
    preview = page.get_by_test_id("impact")
    expect(page.get_by_test_id("impact-summary")).to_have_text(
        f"{len(impact['products'])} of {impact['considered']} products considered would change recipients."
    )
    expect(preview.locator("tr[data-product]")).to_have_count(1)
    expect(preview.locator('tr[data-product="prod-001"]')).to_contain_text("Golden Valley")
    # Nothing is written before the user saves.
    assert data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"] == before
    watched.screenshot("edit-impact")

    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: add")
    expect(page.locator(f'[data-testid="memberships"] tr[data-council="{council}"]')).to_contain_text(
        "OBSERVER"
    )
    try:
        after = data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]
        added = [m for m in after if m["council"]["id"] == council]
        # As the addMembership mutation would: the one new membership, with the chosen role.
        assert [m["role"] for m in added] == ["OBSERVER"]
        assert [m for m in after if m["council"]["id"] != council] == before
    finally:
        version = data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]
        for m in version:
            if m["council"]["id"] == council:
                data(client, REMOVE, input={"partner": partner, "council": council, "version": m["version"]})


def test_a_stale_version_is_shown_with_the_current_state_and_can_be_reapplied(
    watched: Watched, client: TestClient
) -> None:
    council = COUNCIL
    members = data(
        client, "query($id: ID!) { council(id: $id) { members { partner { id } role version } } }", id=council
    )
    partner = members["council"]["members"][-1]["partner"]["id"]
    role = members["council"]["members"][-1]["role"]
    sign_in(watched, "ADMIN")
    page = watched.page
    page.goto(f"{watched.base}/console/#/edit/{partner}")
    show_impact_window(page)
    row = page.locator(f'[data-testid="memberships"] tr[data-council="{council}"]')
    row.get_by_role("button", name="Remove…").click()
    expect(page.get_by_test_id("impact")).to_be_visible()
    # Someone else changes the membership meanwhile.
    other_role = "CHAIR" if role != "CHAIR" else "MEMBER"
    current = next(
        m
        for m in data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]
        if m["council"]["id"] == council
    )
    changed = data(
        client,
        UPDATE,
        input={"partner": partner, "council": council, "role": other_role, "version": current["version"]},
    )["updateMembership"]
    assert changed["userErrors"] == []
    try:
        page.get_by_role("button", name="Save change").click()
        expect(page.get_by_test_id("stale")).to_contain_text(f"It is now {other_role}")
        # Re-applying does nothing until the user has seen the impact again and saved.
        page.get_by_role("button", name="Re-apply on the current version").click()
        expect(page.get_by_test_id("impact")).to_be_visible()
        page.get_by_role("button", name="Cancel").click()
        still = [
            m
            for m in data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]
            if m["council"]["id"] == council
        ]
        assert [m["role"] for m in still] == [other_role]
    finally:
        now = next(
            m
            for m in data(client, MEMBERSHIPS, id=partner)["partner"]["memberships"]
            if m["council"]["id"] == council
        )
        data(
            client,
            UPDATE,
            input={"partner": partner, "council": council, "role": role, "version": now["version"]},
        )


# -- a partner's view -------------------------------------------------------------------------

INBOX = "query($p: ID!) { inbox(partnerId: $p, first: 50) { nodes { product { id title } } } }"


def test_a_partner_sees_only_its_own_inbox_and_no_other_contacts(
    watched: Watched, client: TestClient
) -> None:
    partner = "fc-ca"
    recipients = data(client, RECIPIENT_NAMES.replace("name", "id"), id="prod-001")["recipients"][
        "recipients"
    ]
    assert partner in [r["partner"]["id"] for r in recipients]
    data(client, 'mutation { disseminate(productId: "prod-001") { newlyDelivered } }')
    own = data(client, INBOX, as_token=token("PARTNER", partner), p=partner)["inbox"]["nodes"]
    assert own, "the partner should have received prod-001"
    other = "fc-ny" if partner != "fc-ny" else "fc-tx"
    others_contacts = data(client, "query($id: ID!) { partner(id: $id) { contacts { email } } }", id=other)
    other_emails = [c["email"] for c in others_contacts["partner"]["contacts"]]
    assert other_emails, f"{other} should have contacts in the seed"

    sign_in(watched, "PARTNER", partner)
    page = watched.page
    expect(page.get_by_role("heading", name=f"Inbox of {partner}")).to_be_visible()
    expect(page.locator("[data-testid=inbox] li")).to_have_count(len(own))
    expect(page.locator("[data-testid=inbox] li strong")).to_have_text([i["product"]["title"] for i in own])
    watched.screenshot("inbox")

    # Asking for another organisation's inbox still shows its own.
    page.goto(f"{watched.base}/console/#/inbox/{other}")
    expect(page.get_by_role("heading", name=f"Inbox of {partner}")).to_be_visible()
    # Another organisation's page: no contacts; its own page: its contacts.
    page.goto(f"{watched.base}/console/#/partner/{other}")
    expect(page.get_by_test_id("no-contacts")).to_be_visible()
    content = page.content()
    assert not [email for email in other_emails if email in content]
    page.goto(f"{watched.base}/console/#/partner/{partner}")
    expect(page.get_by_test_id("contacts")).to_be_visible()


# -- directory and network picture ------------------------------------------------------------

NEIGHBORHOOD = "query($id: ID!) { neighborhood(partner: $id, depth: 1) { id } }"


def test_the_network_picture_of_fc_ca_draws_its_neighbourhood(watched: Watched, client: TestClient) -> None:
    expected = sorted(n["id"] for n in data(client, NEIGHBORHOOD, id="fc-ca")["neighborhood"])
    sign_in(watched, "ANALYST")
    page = watched.page
    search = page.get_by_label("Search partners, councils and products")
    search.fill("California State Threat Assessment Center")
    # Import tests load copies of the seed under other id prefixes, so several results carry this
    # name; the analyst picks fc-ca's own entry (results of equal score are ordered by id).
    page.get_by_test_id("search-results").locator('a[href="#/partner/fc-ca"]').click()
    expect(page.get_by_role("heading", name="California State Threat Assessment Center")).to_be_visible()
    watched.screenshot("partner")
    page.get_by_role("link", name="Network picture").click()

    graph = page.get_by_test_id("network-graph")
    expect(graph).to_have_attribute("data-drawn", ",".join(expected))
    watched.screenshot("network")

    # Clicking a drawn vertex centres the picture on it.
    positions: dict[str, list[float]] = page.evaluate(
        "JSON.parse(document.querySelector('[data-testid=network-graph]').dataset.positions)"
    )
    target = next(v for v in expected if v != "fc-ca")
    box = graph.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + positions[target][0], box["y"] + positions[target][1])
    expect(page).to_have_url(f"{watched.base}/console/#/network/{target}")
    around = sorted(n["id"] for n in data(client, NEIGHBORHOOD, id=target)["neighborhood"])
    expect(graph).to_have_attribute("data-drawn", ",".join(around))


# -- production -------------------------------------------------------------------------------


def test_production_has_no_development_sign_in_and_no_graphiql(settings: Settings) -> None:
    production = replace(settings, environment="production", jwt_secret="p" * 32)
    with TestClient(create_app(production)) as web:
        refused = web.post("/console/dev/sign-in", json={"role": "ADMIN"})
        assert refused.status_code == 404
        assert "token" not in refused.text
        ide = web.get("/graphql", headers={"Accept": "text/html"})
        assert ide.status_code == 401 and "graphiql" not in ide.text.lower()
        page = web.get("/console/")
        assert page.status_code == 200  # the console itself is a product page
        assert "data-dev-sign-in" not in page.text  # and it offers no development sign-in


def _post_json(url: str, body: bytes, content_type: str = "application/json") -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(  # noqa: S310 (the loopback URL of the test server)
        url, data=body, headers={"Content-Type": content_type}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_development_sign_in_mints_a_working_token_and_refuses_bad_requests(
    live_url: str, client: TestClient
) -> None:
    url = f"{live_url}/console/dev/sign-in"
    status, minted = _post_json(url, b'{"role": "PARTNER", "partner": "fc-ca"}')
    assert status == 200
    answer = gql(client, '{ inbox(partnerId: "fc-ny") { totalCount } }', as_token=minted["token"])
    assert answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    for body in (b'{"role": "ROOT"}', b'{"role": "PARTNER"}', b'{"role": "ADMIN", "partner": 3}', b"{"):
        status, refused = _post_json(url, body)
        assert status == 400 and refused["error"]
    status, refused = _post_json(url, b"role=ADMIN", "application/x-www-form-urlencoded")
    assert status == 415 and "JSON" in refused["error"]
    # Only from this machine: the test client presents itself as another host.
    assert client.post("/console/dev/sign-in", json={"role": "ADMIN"}).status_code == 403


# -- reports ----------------------------------------------------------------------------------

REPORT_IDS = "{ reports(first: 100) { nodes { id title } } }"


def test_the_console_shows_reports_only_to_those_who_may_see_them(
    watched: Watched, client: TestClient
) -> None:
    routed = "fc-tx"  # the Texas fusion center: the seed's tank-farm report names Texas
    seen = data(client, REPORT_IDS, as_token=token("PARTNER", routed))["reports"]["nodes"]
    assert "rpt-seed-drone-over-tank-farm" in {r["id"] for r in seen}
    sign_in(watched, "PARTNER", routed)
    page = watched.page
    page.goto(f"{watched.base}/console/#/reports")
    expect(page.get_by_role("heading", name="Reports")).to_be_visible()
    expect(page.locator("[data-testid=reports] li strong")).to_have_text([r["title"] for r in seen])
    watched.screenshot("reports")

    # A partner the reports were neither submitted by nor routed to sees none of them.
    page.get_by_role("button", name="Sign out").click()
    sign_in(watched, "PARTNER", "keystone-polymers")
    page.goto(f"{watched.base}/console/#/reports")
    expect(page.get_by_text("0 reports, newest first.")).to_be_visible()
    assert "tank farm" not in page.content()

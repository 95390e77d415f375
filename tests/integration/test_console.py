"""The console and GraphiQL in a real Chromium, against the real service and the seed network.

Every page the browser opens may talk only to 127.0.0.1: any other request is stopped and fails
the test, and so does any error the page logs. Each test leaves a screenshot of its view in
ISEGRAPH_SCREENSHOTS_DIR (default `.isegraph-test/screenshots`; `docs/console` refreshes the
README's pictures).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.settings import Settings
from tests.helpers import data, gql, token
from tests.integration.browser import Watched, assert_accessible, sign_in

PAGE_SIZE = 25  # the planner's page size


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
    assert_accessible(watched, "planner")

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
    assert_accessible(watched, "edit-impact")

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
    assert_accessible(watched, "inbox")

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
    assert_accessible(watched, "partner")
    page.get_by_role("link", name="Network picture").click()

    graph = page.get_by_test_id("network-graph")
    expect(graph).to_have_attribute("data-drawn", ",".join(expected))
    watched.screenshot("network")
    assert_accessible(watched, "network")

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
    assert_accessible(watched, "reports")

    # A partner the reports were neither submitted by nor routed to sees none of them.
    page.get_by_role("button", name="Sign out").click()
    sign_in(watched, "PARTNER", "keystone-polymers")
    page.goto(f"{watched.base}/console/#/reports")
    expect(page.get_by_text("0 reports, newest first.")).to_be_visible()
    assert "tank farm" not in page.content()


# -- requests ---------------------------------------------------------------------------------


def test_the_console_sends_each_document_once_then_its_hash_and_logs_nothing_before_sign_in(
    watched: Watched,
) -> None:
    page = watched.page
    sent: list[dict[str, Any]] = []
    page.on(
        "request",
        lambda request: (
            request.url.endswith("/graphql")
            and request.method == "POST"
            and sent.append(json.loads(request.post_data or "{}"))
        ),
    )
    page.goto(f"{watched.base}/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert sent == [] and watched.page_errors == [], "the sign-in page asks for nothing and logs nothing"

    sign_in(watched, "ANALYST")
    page.get_by_role("link", name="Recipient planner").click()
    expect(page.get_by_test_id("products")).to_be_visible()
    page.get_by_role("link", name="Directory").click()
    page.get_by_role("link", name="Recipient planner").click()
    expect(page.get_by_test_id("products")).to_be_visible()
    page.wait_for_load_state("networkidle")
    products = [body for body in sent if body["operationName"] == "ConsoleProducts"]
    assert len(products) >= 2
    # Automatic persisted queries: the document travels once, with its hash; then the hash alone.
    assert all("sha256Hash" in body["extensions"]["persistedQuery"] for body in products)
    assert "query" in products[0]
    assert all("query" not in body for body in products[1:])


# -- the keyboard alone -----------------------------------------------------------------------


def focus_by_tab(page: Page, text: str, presses: int = 40) -> None:
    """Presses Tab until the focused element reads `text` (its label or content), as a keyboard
    user moves through the page; fails when it is not reached."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement; if (!e) return '';
                 const name = e.labels?.[0]?.textContent ?? e.getAttribute('aria-label') ?? e.textContent;
                 return (name ?? '').trim(); }"""
        )
        if focused == text:
            return
    pytest.fail(f"Tab never reached {text!r}")


def test_the_keyboard_alone_signs_in_opens_a_view_and_filters_it(watched: Watched) -> None:
    page = watched.page
    page.goto(f"{watched.base}/console/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    focus_by_tab(page, "Skip to content", presses=1)
    focus_by_tab(page, "Sign in as ANALYST")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("signed-in-as")).to_contain_text("ANALYST")
    focus_by_tab(page, "Products")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Products")).to_be_visible()
    focus_by_tab(page, "Title or id")
    page.keyboard.type("prod-001")
    expect(page.get_by_test_id("product-list").locator("tbody tr")).to_have_count(1)
    # Focus is drawn: the focused field has a visible outline.
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")


# -- every view, checked by axe-core ----------------------------------------------------------

VIEWS = [
    ("products", "Products"),
    ("watch", "Watch floor"),
    ("inbox/fc-ca", "Inbox of fc-ca"),
    ("reports", "Reports"),
    ("can-share?product=prod-001&from=fc-ca&to=fc-ny", "May a partner pass a product on?"),
    ("daily?sector=energy&date=2026-11-02", "Daily Report"),
    ("open-source", "Open-source report"),
    ("admin/partners", "Partners"),
    ("admin/contacts", "Contacts"),
    ("admin/councils", "Councils"),
    ("admin/requirements", "Requirements"),
    ("admin/subscriptions", "Subscriptions"),
    ("admin/regions", "Regions"),
    ("admin/topics", "Topics"),
    ("sectors", "Sectors"),
    ("peers", "Peer nodes"),
    ("proposals", "Requirement proposals"),
    ("import", "Import and export"),
    ("audit", "Audit log"),
    ("product/prod-001", "Ransomware campaign targeting grid operators"),
    ("planner/prod-001", "Ransomware campaign targeting grid operators"),
    ("directory", "Directory"),
]


def test_every_view_has_no_serious_accessibility_violation(watched: Watched, client: TestClient) -> None:
    sign_in(watched, "ADMIN")
    page = watched.page
    for path, heading in VIEWS:
        page.goto(f"{watched.base}/console/#/{path}")
        expect(page.get_by_role("heading", name=heading).first).to_be_visible()
        page.wait_for_load_state("networkidle")
        assert_accessible(watched, path)
        if path == "open-source":
            watched.screenshot("open-source")
    # The onward list of a product for a fusion center, as the API gives it. The fusion center
    # may plan only a product it may see: one delivered to it (whatever ran before this test).
    data(client, 'mutation { disseminate(productId: "prod-001") { newlyDelivered } }')
    onward = data(
        client,
        """query($p: ID!, $f: ID) {
             onwardRecipients(productId: $p, fusionCenter: $f) { recipients { partner { id } } } }""",
        p="prod-001",
        f="fc-ca",
    )["onwardRecipients"]["recipients"]
    page.goto(f"{watched.base}/console/#/product/prod-001")
    page.get_by_label("Fusion center id").fill("fc-ca")
    page.get_by_role("button", name="Show onward recipients").click()
    expect(page.get_by_test_id("onward").locator("tbody tr")).to_have_count(len(onward))
    assert_accessible(watched, "onward")

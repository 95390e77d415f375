"""Each role's whole job in the console, from sign-in to done, in a real Chromium against the real
service and Neo4j; mail goes to a real SMTP server on loopback, sent by a real delivery worker.

Each journey checks what the user sees, that nothing left the machine and that the page logged no
error (the `watched` and `another_tab` fixtures), and axe-core on each view it passes through.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from starlette.testclient import TestClient

from tests.helpers import data, unique_prefix
from tests.integration.browser import Watched, assert_accessible, sign_in
from tests.integration.peers import MailServer
from tests.integration.test_delivery import network
from tests.integration.test_stewardship import stewarded_network

MESSAGES = """query($p: ID!) { deliveries(productId: $p, first: 100) { nodes {
  partner { id } acknowledgedAt messages { id channel status attempts completedBy } } } }"""


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.stop()


def start_worker(mail: MailServer, max_attempts: int = 1) -> subprocess.Popen[bytes]:
    """`isegraph worker` as it runs in production, sending to the loopback SMTP server."""
    env = {
        **os.environ,
        "ISEGRAPH_SMTP_HOST": "127.0.0.1",
        "ISEGRAPH_SMTP_PORT": str(mail.port),
        "ISEGRAPH_SMTP_TLS": "none",
        "ISEGRAPH_DELIVERY_MAX_ATTEMPTS": str(max_attempts),
        "ISEGRAPH_DELIVERY_POLL_SECONDS": "0.1",
        "ISEGRAPH_DELIVERY_LEASE_SECONDS": "10",
    }
    command = [sys.executable, "-m", "graph_api", "worker"]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=30)


def own_network(client: TestClient, prefix: str, contacts: list[tuple[str, list[str]]]) -> str:
    """A partner of its own with the given contacts, in a region of its own (so that no other
    test's partners are recipients of what is addressed to it); returns the partner's id."""
    imported = data(
        client,
        "mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path message } } }",
        d=network(prefix, contacts, []),
    )
    assert imported["importNetwork"]["ok"], imported
    return f"{prefix}org"


# -- products: authored (ADMIN), planned, disseminated and followed live (ANALYST) ---------------


def test_a_product_is_authored_planned_disseminated_and_followed_live_to_a_retried_dead_letter(
    watched: Watched, another_tab: Callable[[], Watched], client: TestClient, mail: MailServer
) -> None:
    prefix = unique_prefix("journey")
    partner = own_network(client, prefix, [("ana", ["EMAIL"]), ("ben", ["EMAIL"])])
    product = f"{prefix}p"

    # Editing the network (products included) is an ADMIN's; the analyst then takes it on.
    sign_in(watched, "ADMIN")
    page = watched.page
    page.get_by_role("link", name="Products", exact=True).click()
    expect(page.get_by_test_id("product-list")).to_be_visible()
    assert_accessible(watched, "products")
    watched.screenshot("products")
    page.get_by_role("link", name="New product").click()
    page.get_by_label("Id", exact=True).fill(product)
    page.get_by_label("Title", exact=True).fill("Pump station controller exposed")
    page.get_by_label("TLP", exact=True).select_option("AMBER_STRICT")
    page.get_by_label("PCII", exact=True).check()
    # The markings as they will be printed, before anything is saved.
    preview = page.get_by_test_id("marking-preview")
    expect(preview.locator(".tlp")).to_have_text("TLP:AMBER+STRICT")
    expect(preview.get_by_role("note", name="PCII")).to_contain_text(
        "PROTECTED CRITICAL INFRASTRUCTURE INFORMATION"
    )
    page.get_by_label("Regions").select_option(f"{prefix}region")
    page.get_by_label("Addressed to (partner ids, comma-separated)").fill(partner)
    assert_accessible(watched, "product-new")
    watched.screenshot("product-new")
    page.get_by_role("button", name="Create product").click()
    expect(page.get_by_role("heading", name="Pump station controller exposed")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Saved (version")
    made = data(client, "query($id: ID!) { product(id: $id) { tlp pcii regions { id } } }", id=product)[
        "product"
    ]
    assert made == {"tlp": "AMBER_STRICT", "pcii": True, "regions": [{"id": f"{prefix}region"}]}

    # Edit: the severity changes, and the page says which version it saved.
    page.get_by_role("button", name="Edit product").click()
    page.get_by_label("Severity").select_option("CRITICAL")
    page.get_by_role("button", name="Save product").click()
    expect(page.get_by_text("severity CRITICAL")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    sign_in(watched, "ANALYST")
    page.goto(f"{watched.base}/console/#/product/{product}")
    expect(page.get_by_role("heading", name="Pump station controller exposed")).to_be_visible()
    expect(page.get_by_role("button", name="Edit product")).to_have_count(0)

    # Plan: the planner names the one recipient.
    page.get_by_role("link", name="Plan recipients").click()
    expect(page.get_by_test_id("recipient-count")).to_have_text("1")
    expect(page.get_by_test_id("recipient-name")).to_have_text([f"{prefix} Utility"])
    page.go_back()

    # Disseminate while the mail server is down: the messages wait, QUEUED.
    page.get_by_role("button", name="Disseminate…").click()
    page.get_by_role("button", name="Disseminate now").click()
    expect(page.get_by_role("status")).to_contain_text("1 new deliveries, 2 messages queued")
    cells = page.get_by_test_id("message-status")
    expect(cells).to_have_text(["QUEUED", "QUEUED"])
    # A worker with one attempt per message: each fails and is dead, and the page shows it live.
    worker = start_worker(mail, max_attempts=1)
    try:
        expect(cells).to_have_text(["DEAD", "DEAD"])
        # Each with the error the mail server's absence caused.
        expect(page.get_by_test_id("last-error")).to_have_text([re.compile(r"\S"), re.compile(r"\S")])
        assert_accessible(watched, "product-delivery")
        # The mail server comes back; the analyst retries the dead letters, which turn SENT live.
        mail.start()
        for name in ("Person ana", "Person ben"):
            page.get_by_role("button", name=f"Retry EMAIL to {name}").click()
        expect(cells).to_have_text(["SENT", "SENT"])
    finally:
        stop(worker)
    mail.wait_for(2, product)
    assert {m["To"] for m in mail.received(product)} == {
        f"{n}@{prefix.rstrip('-')}.example.org" for n in ("ana", "ben")
    }
    watched.screenshot("product-delivery")

    # The partner acknowledges in its inbox; the analyst's page shows it without a reload.
    expect(page.get_by_test_id("acknowledged")).to_have_text(["not yet", ""])
    partner_tab = another_tab()
    sign_in(partner_tab, "PARTNER", partner)
    inbox = partner_tab.page.locator(f'[data-testid=inbox] li[data-product="{product}"]')
    expect(inbox.get_by_role("note", name="PCII")).to_be_visible()
    expect(inbox.locator(".tlp")).to_have_text("TLP:AMBER+STRICT")
    inbox.get_by_role("button", name="Acknowledge Pump station controller exposed").click()
    expect(inbox.get_by_test_id("acknowledgement")).to_contain_text("Acknowledged")
    expect(page.get_by_test_id("acknowledged").first).to_contain_text("(USER)")
    expect(page.get_by_test_id("delivery-summary")).to_contain_text("0 not acknowledged yet")
    delivered = data(client, MESSAGES, p=product)["deliveries"]["nodes"]
    assert [d["acknowledgedAt"] is not None for d in delivered] == [True]


# -- a partner reports; the fusion center it is routed to triages and publishes ------------------


def test_a_partner_reports_and_the_fusion_center_triages_and_publishes_it(
    watched: Watched, another_tab: Callable[[], Watched], client: TestClient
) -> None:
    submitter, fusion_center = "gulfside-chemical", "fc-tx"
    title = f"Fence cut at the loading dock {unique_prefix('report')}"

    # The fusion center's users have their reports open: the new one appears there live.
    center = another_tab()
    sign_in(center, "PARTNER", fusion_center)
    center.page.get_by_role("link", name="Reports").click()
    expect(center.page.get_by_test_id("reports")).to_be_visible()

    sign_in(watched, "PARTNER", submitter)
    page = watched.page
    page.get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Submit a report").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("What happened").fill("The perimeter fence was cut overnight; nothing was taken.")
    page.get_by_label("Regions").select_option("tx")
    assert_accessible(watched, "report-new")
    watched.screenshot("report-new")
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_test_id("report-state")).to_have_text("SUBMITTED")
    expect(page.get_by_role("definition").filter(has_text="Texas")).to_have_count(2)  # routed to, regions

    center.page.get_by_role("link", name=f"Open {title}").click()
    expect(center.page.get_by_test_id("report-state")).to_have_text("SUBMITTED")
    center.page.get_by_role("button", name="Take into review").click()
    expect(center.page.get_by_test_id("report-state")).to_have_text("IN_REVIEW")
    assert_accessible(center, "report-triage")
    center.screenshot("report-triage")
    center.page.get_by_label("Severity").select_option("MODERATE")
    center.page.get_by_role("button", name="Publish as a product").click()
    expect(center.page.get_by_test_id("report-state")).to_have_text("PUBLISHED")
    expect(center.page.get_by_test_id("report-product")).to_be_visible()
    expect(center.page.get_by_test_id("report-history")).to_contain_text("IN_REVIEW")

    # The submitter follows its report: it reads PUBLISHED, with the product made from it.
    page.reload()
    expect(page.get_by_test_id("report-state")).to_have_text("PUBLISHED")
    expect(page.get_by_test_id("report-history")).to_contain_text("PUBLISHED")
    reports = data(client, "{ reports(first: 100) { nodes { title state product { id } } } }")["reports"][
        "nodes"
    ]
    [made] = [r for r in reports if r["title"] == title]
    assert made["state"] == "PUBLISHED" and made["product"] is not None


# -- the watch floor: the queue of calls and notices, completed by phone -------------------------


def test_the_watch_officer_completes_a_phone_delivery_from_the_live_queue(
    watched: Watched, client: TestClient
) -> None:
    prefix = unique_prefix("phone")
    partner = own_network(client, prefix, [("caller", ["PHONE"])])
    product = f"{prefix}p"
    created = data(
        client,
        """mutation($i: CreateProductInput!) { createProduct(input: $i) { userErrors { code } } }""",
        i={
            "id": product,
            "title": f"Call the plant about the outage {prefix}",
            "kind": "WARNING",
            "level": "OPERATIONAL",
            "severity": "CRITICAL",
            "tlp": "AMBER",
            "regions": [f"{prefix}region"],
            "addressedTo": [partner],
        },
    )
    assert created["createProduct"]["userErrors"] == []

    sign_in(watched, "ANALYST")
    page = watched.page
    page.get_by_role("link", name="Watch floor").click()
    expect(page.get_by_test_id("queue-count")).to_be_visible()
    # The call is queued while the page is open: the queue and the feed show it without a reload.
    data(client, "mutation($p: ID!) { disseminate(productId: $p) { newlyDelivered } }", p=product)
    page.get_by_label("Channel").select_option("PHONE")
    row = page.get_by_test_id("watch-queue").locator(
        "tr", has_text=f"Call the plant about the outage {prefix}"
    )
    # Oldest first: other tests' calls may wait on other pages (some made with other clocks), so
    # the officer pages through the queue until the call shows; every page is the API's order.
    waiting = data(client, "{ watchQueue(channel: PHONE, first: 1) { totalCount } }")["watchQueue"][
        "totalCount"
    ]
    expect(page.get_by_test_id("queue-count")).to_have_text(f"{waiting} waiting, oldest first.")
    next_page = page.get_by_role("button", name="Next page")
    for number in range(2, (waiting + 24) // 25 + 1):
        if row.count() > 0:
            break
        expect(next_page).to_be_enabled()
        next_page.click()
        expect(page.get_by_text(f"Page {number}", exact=True)).to_be_visible()
        expect(page.get_by_test_id("watch-queue").locator("tbody tr").first).to_be_visible()
    expect(row).to_contain_text("Person caller")
    expect(
        page.get_by_test_id("watch-feed").locator("tr[data-kind=DISSEMINATED]", has_text=product)
    ).to_be_visible()
    assert_accessible(watched, "watch")
    watched.screenshot("watch")
    row.get_by_label("Note for Person caller").fill("spoke to the shift lead")
    row.get_by_role("button", name="Completed by phone: Person caller").click()
    expect(page.get_by_role("status")).to_contain_text("Completed by phone")
    expect(row).to_have_count(0)
    [delivery] = data(client, MESSAGES, p=product)["deliveries"]["nodes"]
    [message] = delivery["messages"]
    assert message["channel"] == "PHONE" and message["status"] == "SENT" and message["completedBy"]


# -- sharing and the Daily Report ---------------------------------------------------------------


def test_may_x_pass_this_to_y_names_the_rule_and_the_daily_report_lists_the_day(
    watched: Watched, client: TestClient
) -> None:
    ask = "query($p: ID!, $f: ID!, $t: ID!) { canShare(productId: $p, from: $f, to: $t) { allowed reason } }"
    decision = data(client, ask, p="prod-001", f="fc-ca", t="fc-ny")["canShare"]
    sign_in(watched, "ANALYST")
    page = watched.page
    page.get_by_role("link", name="May I share?").click()
    page.get_by_label("Product id").fill("prod-001")
    page.get_by_label("From partner id").fill("fc-ca")
    page.get_by_label("To partner id").fill("fc-ny")
    page.get_by_role("button", name="Ask").click()
    shown = page.get_by_test_id("share-decision")
    expect(shown).to_contain_text(f"{'Yes' if decision['allowed'] else 'No'}:")
    expect(shown).to_contain_text(f"Rule: {decision['reason'] or 'none named'}")
    assert_accessible(watched, "can-share")
    watched.screenshot("can-share")

    day = data(client, '{ product(id: "prod-001") { publishedAt sectors { id } } }')["product"]
    sector, date = day["sectors"][0]["id"], day["publishedAt"][:10]
    report = data(
        client,
        "query($s: ID!, $d: String!) { dailyReport(sector: $s, date: $d) { products { id } } }",
        s=sector,
        d=date,
    )["dailyReport"]["products"]
    page.get_by_role("link", name="Daily Report").click()
    page.get_by_label("Sector").select_option(sector)
    page.get_by_label("Day (UTC)").fill(date)
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("daily-count")).to_have_text(f"{len(report)} products.")
    expect(page.get_by_test_id("daily-report").locator("tbody tr")).to_have_count(len(report))
    for product in report:
        expect(page.locator(f'[data-testid=daily-report] tr[data-product="{product["id"]}"]')).to_be_visible()
    assert_accessible(watched, "daily-report")
    watched.screenshot("daily-report")


# -- the administrator --------------------------------------------------------------------------

PARTNER_NOW = (
    "query($id: ID!) { partner(id: $id) { name version contacts { id } memberships { council { id } } } }"
)


def test_an_admin_creates_a_partner_with_a_contact_and_a_membership_and_resolves_a_stale_edit(
    watched: Watched, client: TestClient
) -> None:
    prefix = unique_prefix("admin")
    partner, council = f"{prefix}utility", "energy-scc"
    sign_in(watched, "ADMIN")
    page = watched.page
    page.get_by_role("link", name="Administration").click()
    expect(page.get_by_test_id("collection")).to_be_visible()
    assert_accessible(watched, "admin")

    # The partner: the impact preview first (a new partner is a new recipient), then saved.
    page.get_by_role("button", name="New partner").click()
    page.get_by_label("Id", exact=True).fill(partner)
    page.get_by_label("Name", exact=True).fill(f"{prefix} Water Utility")
    page.get_by_label("Kind", exact=True).select_option("LOCAL")
    page.get_by_label("Region ids").fill("ca")
    page.get_by_label("Sector ids").fill("energy")
    page.get_by_role("button", name="Preview and create").click()
    expect(page.get_by_test_id("impact-summary")).to_contain_text(
        "products considered would change recipients"
    )
    assert data(client, PARTNER_NOW, id=partner)["partner"] is None  # nothing written before saving
    watched.screenshot("admin-impact")
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_role("status")).to_have_text("Saved: create partners.")

    # Its contact.
    page.get_by_role("link", name="Contacts").click()
    page.get_by_role("button", name="New contact").click()
    page.get_by_label("Id", exact=True).fill(f"{prefix}duty")
    page.get_by_label("Partner id").fill(partner)
    page.get_by_label("Name", exact=True).fill("Duty Officer")
    page.get_by_label("Email").fill(f"duty@{prefix.rstrip('-')}.example.org")
    page.get_by_label("Channels").select_option("EMAIL")
    page.get_by_role("button", name="Preview and create").click()
    expect(page.get_by_role("status")).to_have_text("Saved: create contacts.")

    # Its membership, from the partner's page, after the impact preview.
    page.goto(f"{watched.base}/console/#/edit/{partner}")
    name = data(client, "query($id: ID!) { council(id: $id) { name } }", id=council)["council"]["name"]
    page.get_by_label("Find a council").fill(name)
    page.get_by_label("Council", exact=True).select_option(council)
    page.get_by_label("Role", exact=True).select_option("MEMBER")
    page.get_by_role("button", name="Preview impact").click()
    expect(page.get_by_test_id("impact-summary")).to_be_visible()
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: add")
    now = data(client, PARTNER_NOW, id=partner)["partner"]
    assert now["contacts"] == [{"id": f"{prefix}duty"}]
    assert now["memberships"] == [{"council": {"id": council}}]

    # A stale edit: someone renames the partner while the admin edits it.
    page.goto(f"{watched.base}/console/#/admin/partners?q={partner}")
    page.get_by_role("button", name=f"Edit {partner}").click()
    page.get_by_label("Name", exact=True).fill(f"{prefix} Water Authority")
    renamed = data(
        client,
        "mutation($i: UpdatePartnerInput!) { updatePartner(input: $i) { userErrors { code } } }",
        i={"id": partner, "version": now["version"], "name": f"{prefix} Water Board"},
    )
    assert renamed["updatePartner"]["userErrors"] == []
    page.get_by_role("button", name="Preview and save").click()
    expect(page.get_by_test_id("stale")).to_be_visible()
    expect(page.get_by_test_id("user-errors")).to_contain_text("STALE_VERSION")
    # The list shows the partner as it is now; editing that version goes through.
    row = page.get_by_test_id("collection").locator(f'tr[data-row="{partner}"]')
    expect(row).to_contain_text(f"{prefix} Water Board")
    row.get_by_role("button", name=f"Edit {partner}").click()
    page.get_by_label("Name", exact=True).fill(f"{prefix} Water Authority")
    page.get_by_role("button", name="Preview and save").click()
    page.get_by_role("button", name="Save change").click()
    expect(page.get_by_role("status")).to_have_text("Saved: update partners.")
    expect(row).to_contain_text(f"{prefix} Water Authority")
    assert data(client, PARTNER_NOW, id=partner)["partner"]["name"] == f"{prefix} Water Authority"

    # The audit log, filtered by operation, names the edit.
    page.get_by_role("link", name="Administration").click()
    page.get_by_role("link", name="Audit log").click()
    page.get_by_label("Operation").fill("updatePartner")
    expect(page.get_by_test_id("audit-log")).to_contain_text(partner)
    page.get_by_role("button", name="Verify the chain").click()
    expect(page.get_by_test_id("chain")).to_contain_text("The chain is intact")
    assert_accessible(watched, "audit")
    watched.screenshot("audit")


def test_an_import_dry_run_lists_each_problem_at_its_json_path(watched: Watched, client: TestClient) -> None:
    prefix = unique_prefix("dry")
    document = {
        "partners": [
            {"id": f"{prefix}p", "name": "Dry Run Utility", "kind": "STATE", "sectors": ["no-such-sector"]}
        ],
        "contacts": [
            {
                "id": f"{prefix}c",
                "partner": f"{prefix}p",
                "name": "C",
                "email": "not-an-email",
                "channels": ["PIGEON"],
            }
        ],
    }
    expected = data(
        client,
        "mutation($d: JSON!) { importNetwork(document: $d, dryRun: true) { errors { path code } } }",
        d=document,
    )["importNetwork"]["errors"]
    assert len(expected) >= 3
    sign_in(watched, "ADMIN")
    page = watched.page
    page.goto(f"{watched.base}/console/#/import")
    page.get_by_label("Interchange document (JSON)").fill(json.dumps(document, indent=2))
    page.get_by_role("button", name="Dry run").click()
    problems = page.get_by_test_id("import-problems").locator("tbody tr")
    expect(problems).to_have_count(len(expected))
    for problem in expected:
        expect(problems.filter(has_text=problem["path"]).filter(has_text=problem["code"])).to_have_count(1)
    expect(page.get_by_role("button", name="Import for real")).to_be_disabled()
    assert data(client, PARTNER_NOW, id=f"{prefix}p")["partner"] is None
    assert_accessible(watched, "import")
    watched.screenshot("import")

    # Export hands over the whole network as a file.
    with page.expect_download() as download:
        page.get_by_role("button", name="Export the whole network").click()
    exported = json.loads(Path(download.value.path()).read_text())
    assert {"partners", "councils", "contacts"} <= set(exported)


# -- requirement proposals: a member proposes, the council's steward (here ADMIN) decides -------


def test_a_member_proposes_a_requirement_and_the_admin_accepts_it(
    watched: Watched, another_tab: Callable[[], Watched], client: TestClient
) -> None:
    prefix = unique_prefix("jprop")
    imported = data(
        client,
        "mutation($d: JSON!) { importNetwork(document: $d) { ok } }",
        d=stewarded_network(prefix),
    )
    assert imported["importNetwork"]["ok"]
    requirement = f"{prefix}proposed-req"

    sign_in(watched, "PARTNER", f"{prefix}member")
    page = watched.page
    page.get_by_role("link", name="Proposals").click()
    expect(page.get_by_role("heading", name="Requirement proposals")).to_be_visible()
    page.get_by_label("Requirement id").fill(requirement)
    page.get_by_label("Council id (its members receive)").fill(f"{prefix}scc")
    page.get_by_label("Sector id").fill(f"{prefix}energy")
    page.get_by_label("Why").fill("Members want the alerts by email")
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Proposed")
    page.get_by_label("Council id", exact=True).fill(f"{prefix}scc")
    rows = page.get_by_test_id("proposals").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("PROPOSED")
    assert_accessible(watched, "proposals")

    admin = another_tab()
    sign_in(admin, "ADMIN")
    page = admin.page
    page.goto(f"{admin.base}/console/#/proposals")
    page.get_by_label("Council id", exact=True).fill(f"{prefix}scc")
    page.get_by_label("Reason for a decision").fill("Agreed at the council's meeting")
    [proposal] = data(
        client,
        "query($c: ID) { requirementProposals(council: $c) { nodes { id } } }",
        c=f"{prefix}scc",
    )["requirementProposals"]["nodes"]
    page.get_by_role("button", name=f"Accept {proposal['id']}").click()
    expect(page.get_by_role("status")).to_contain_text(f"Accepted {proposal['id']}")
    found = data(client, "query($id: ID!) { requirement(id: $id) { id channel } }", id=requirement)
    assert found["requirement"] == {"id": requirement, "channel": "EMAIL"}

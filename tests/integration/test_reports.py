"""Reports upward through the GraphQL API: submission, who may see a report on every path, each
triage transition and each refused one, publication, and PCII review.

One network is imported for the module. Its fusion center `fc-state` serves the state the
submitter's urban area lies in; `fc-far` serves an unrelated region; `intake` is a national
intake point, `intake-ngo` a non-government one; `peer` shares the submitter's sector and
region (its community) and `outsider` shares nothing.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import data, gql, token, unique_prefix

P = unique_prefix("rpt")
TITLE_WORD = f"zebracorn{P.replace('-', '')}"


def _id(short: str) -> str:
    return P + short


def _partner(short: str, name: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"id": _id(short), "name": f"{name} {P}", "kind": kind, **extra}


def _contact(short: str, partner: str, *, pcii: bool = False) -> dict[str, Any]:
    return {
        "id": _id(short),
        "partner": _id(partner),
        "name": f"Person {short}",
        "email": f"{short}@{P.rstrip('-')}.example.org",
        "channels": ["EMAIL"],
        "pciiAuthorized": pcii,
    }


NETWORK: dict[str, Any] = {
    "sectors": [{"id": _id("water"), "name": f"Water {P}"}],
    "regions": [
        {"id": _id("nation"), "name": "Nation", "kind": "NATION"},
        {"id": _id("state"), "name": "State", "kind": "STATE", "parent": _id("nation")},
        {"id": _id("city"), "name": "City", "kind": "URBAN_AREA", "parent": _id("state")},
        {"id": _id("island"), "name": "Island", "kind": "OTHER"},
    ],
    "partners": [
        _partner("org", "Riverside Water Utility", "PRIVATE", sectors=[_id("water")], regions=[_id("city")]),
        _partner("peer", "Upstream Water Co", "PRIVATE", sectors=[_id("water")], regions=[_id("city")]),
        _partner("outsider", "Unrelated Bakery", "PRIVATE", regions=[_id("island")]),
        _partner(
            "fc-state",
            "State Fusion Center",
            "STATE",
            regions=[_id("state")],
            fusionCenter={"type": "PRIMARY", "serves": [_id("state")]},
        ),
        _partner(
            "fc-far",
            "Island Fusion Center",
            "STATE",
            regions=[_id("island")],
            fusionCenter={"type": "PRIMARY", "serves": [_id("island")]},
        ),
        _partner("intake", "National Intake", "FEDERAL", intake=True),
        _partner("intake-ngo", "Nonprofit Intake", "NONPROFIT", intake=True),
    ],
    "contacts": [
        _contact("org-analyst", "org"),
        _contact("fc-officer", "fc-state", pcii=True),
        _contact("fc-clerk", "fc-state"),
        _contact("intake-officer", "intake", pcii=True),
        _contact("ngo-officer", "intake-ngo", pcii=True),
        _contact("far-officer", "fc-far", pcii=True),
        _contact("peer-analyst", "peer"),
    ],
    "subscriptions": [{"partner": _id("peer"), "sector": _id("water")}],
}

REPORT_FIELDS = """id title summary kind tlp state pciiStatus observedAt submittedBy version
  submitter { id } sectors { id } regions { id } product { id pcii tlp }
  routedTo { partner { id } reasons { source ref } } history { state by note }"""
SUBMIT = f"""mutation($input: SubmitReportInput!) {{ submitReport(input: $input) {{
  report {{ {REPORT_FIELDS} }} userErrors {{ field code message }} }} }}"""
STEP = """mutation($id: ID!) { %s(id: $id) { report { id state pciiStatus }
  userErrors { field code message } } }"""
PUBLISH = """mutation($id: ID!, $input: PublishReportInput!) { publishReport(id: $id, input: $input) {
  report { id state product { id } }
  product { id title summary kind tlp pcii sectors { id } regions { id } addressedTo { id }
            issuedBy { id } reportedBy { id } sourceReport { id } }
  dissemination { newlyDelivered recipients { recipients { partner { id } } } }
  userErrors { field code message } } }"""
REPORT = f"query($id: ID!) {{ report(id: $id) {{ {REPORT_FIELDS} }} }}"
REPORTS = "query { reports(first: 100) { totalCount nodes { id } } }"


def user(short: str) -> str:
    return token("PARTNER", _id(short))


ANALYST = token("ANALYST")
ADMIN = token("ADMIN")


@pytest.fixture(scope="module")
async def network(db: Database) -> None:
    report = await import_network(db, NETWORK)
    assert report.ok, report.problems


def submit(client: TestClient, who: str = "org", **fields: Any) -> dict[str, Any]:
    report_input = {
        "title": f"Unknown person photographing the intake {TITLE_WORD}",
        "summary": f"A person photographed the raw-water intake from the fence line {TITLE_WORD}.",
        "kind": "SUSPICIOUS_ACTIVITY",
        "sectors": [_id("water")],
        # A region of the network's own: a product published from the report reaches only this
        # network's fusion centers, not every fusion center in the shared database.
        "regions": [_id("city")],
        "observedAt": "2026-11-20T08:00:00Z",
        **fields,
    }
    answer = data(client, SUBMIT, as_token=user(who), input=report_input)["submitReport"]
    assert answer["userErrors"] == [], answer
    report: dict[str, Any] = answer["report"]
    return report


def step(client: TestClient, mutation: str, report_id: str, as_token: str) -> dict[str, Any]:
    answer: dict[str, Any] = data(client, STEP % mutation, as_token=as_token, id=report_id)[mutation]
    return answer


def ours(routes: list[dict[str, Any]]) -> dict[str, list[tuple[str, str | None]]]:
    return {
        r["partner"]["id"].removeprefix(P): [(x["source"], x["ref"]) for x in r["reasons"]]
        for r in routes
        if r["partner"]["id"].startswith(P)
    }


# -- submission and routing -------------------------------------------------------------------


def test_a_report_is_routed_to_the_fusion_centers_of_its_regions_and_the_intake_points(
    client: TestClient, network: None
) -> None:
    by_own_region = submit(client, regions=[])
    assert by_own_region["state"] == "SUBMITTED" and by_own_region["tlp"] == "AMBER"
    assert by_own_region["submitter"]["id"] == _id("org")
    # No regions named: the submitter's own urban area lies in the state fusion center's state.
    assert ours(by_own_region["routedTo"]) == {
        "fc-state": [("FUSION_CENTER", _id("state"))],
        "intake": [("INTAKE_POINT", None)],
        "intake-ngo": [("INTAKE_POINT", None)],
    }
    elsewhere = submit(client, regions=[_id("island")])
    assert ours(elsewhere["routedTo"]) == {
        "fc-far": [("FUSION_CENTER", _id("island"))],
        "intake": [("INTAKE_POINT", None)],
        "intake-ngo": [("INTAKE_POINT", None)],
    }
    expected = reference.report_routes(NETWORK, _id("org"), [_id("nation")])
    nationwide = submit(client, regions=[_id("nation")])
    assert ours(nationwide["routedTo"]) == {k.removeprefix(P): v for k, v in expected.items()}
    assert nationwide["history"][0]["state"] == "SUBMITTED"


def test_a_bad_submission_answers_user_errors_and_writes_nothing(client: TestClient, network: None) -> None:
    before = data(client, REPORTS, as_token=user("org"))["reports"]["totalCount"]
    answer = data(
        client,
        SUBMIT,
        as_token=user("org"),
        input={
            "title": " ",
            "summary": "x" * 10_001,
            "kind": "INCIDENT",
            "tlp": "CLEAR",
            "sectors": ["no-such-sector"],
            "regions": [_id("city"), "no-such-region"],
            "observedAt": "yesterday",
        },
    )["submitReport"]
    assert answer["report"] is None
    codes = {(".".join(e["field"]), e["code"]) for e in answer["userErrors"]}
    assert codes == {
        ("input.title", "EMPTY"),
        ("input.summary", "TOO_LONG"),
        ("input.tlp", "BAD_TLP"),
        ("input.sectors.0", "UNKNOWN_REFERENCE"),
        ("input.regions.1", "UNKNOWN_REFERENCE"),
        ("input.observedAt", "BAD_DATETIME"),
    }
    assert data(client, REPORTS, as_token=user("org"))["reports"]["totalCount"] == before


def test_only_partner_users_submit_reports(client: TestClient, network: None) -> None:
    answer = gql(client, SUBMIT, as_token=ANALYST, input={"title": "t", "summary": "s", "kind": "INCIDENT"})
    assert answer["data"] is None and answer["errors"][0]["extensions"]["code"] == "FORBIDDEN"


# -- who may see a report ---------------------------------------------------------------------


def test_a_report_is_visible_to_its_submitter_the_routed_partners_and_staff_only(
    client: TestClient, network: None
) -> None:
    report = submit(client)
    for who in ("org", "fc-state", "intake", "intake-ngo"):
        assert data(client, REPORT, as_token=user(who), id=report["id"])["report"]["id"] == report["id"], who
        listed = data(client, REPORTS, as_token=user(who))["reports"]["nodes"]
        assert report["id"] in {n["id"] for n in listed}, who
    for staff in (ANALYST, ADMIN):
        assert data(client, REPORT, as_token=staff, id=report["id"])["report"]["id"] == report["id"]
    for who in ("peer", "outsider", "fc-far"):
        assert data(client, REPORT, as_token=user(who), id=report["id"])["report"] is None, who
        listed = data(client, REPORTS, as_token=user(who))["reports"]
        assert report["id"] not in {n["id"] for n in listed["nodes"]}, who
        # The list's total counts only what the user may see.
        assert listed["totalCount"] == len(listed["nodes"])


def test_another_partner_finds_no_trace_of_a_report_on_any_path(client: TestClient, network: None) -> None:
    report = submit(client, tlp="GREEN")
    peer = user("peer")
    assert data(client, REPORT, as_token=peer, id=report["id"])["report"] is None
    hits = data(
        client,
        "query($t: String!) { search(text: $t, first: 50) { totalCount nodes { __typename "
        "... on InformationProduct { id title } ... on Partner { id } ... on Council { id } } } }",
        as_token=peer,
        t=TITLE_WORD,
    )["search"]
    assert hits["totalCount"] == 0 and hits["nodes"] == []
    inbox = data(
        client,
        "query($p: ID!) { inbox(partnerId: $p, first: 100) { nodes { product { id title summary } } } }",
        as_token=peer,
        p=_id("peer"),
    )["inbox"]
    assert TITLE_WORD not in json.dumps(inbox)
    nested = data(
        client,
        """query($p: ID!, $s: ID!) { partner(id: $p) { id name contacts { id } }
             products(first: 100, where: {sectors_SOME: {id: $s}}) {
               nodes { id title sourceReport { id } } } }""",
        as_token=peer,
        p=_id("org"),
        s=_id("water"),
    )
    assert TITLE_WORD not in json.dumps(nested) and report["id"] not in json.dumps(nested)
    # Asking to triage it answers as if it did not exist.
    refused = step(client, "reviewReport", report["id"], peer)
    assert refused["report"] is None and refused["userErrors"][0]["code"] == "NOT_FOUND"


def test_a_published_products_source_report_stays_hidden_from_those_who_may_not_see_the_report(
    client: TestClient, network: None
) -> None:
    report = submit(client, tlp="GREEN")
    step(client, "reviewReport", report["id"], user("fc-state"))
    published = data(
        client,
        PUBLISH,
        as_token=user("fc-state"),
        id=report["id"],
        input={"severity": "HIGH", "tlp": "GREEN"},
    )["publishReport"]
    product = published["product"]["id"]
    asked = f'query {{ product(id: "{product}") {{ id sourceReport {{ id }} reportedBy {{ id }} }} }}'
    # The peer shares the product's sector: it sees the TLP:GREEN product, never the report behind it.
    assert data(client, asked, as_token=user("peer"))["product"] == {
        "id": product,
        "sourceReport": None,
        "reportedBy": None,
    }
    assert data(client, asked, as_token=user("org"))["product"]["sourceReport"] == {"id": report["id"]}
    assert data(client, asked, as_token=ANALYST)["product"]["sourceReport"] == {"id": report["id"]}


# -- triage -----------------------------------------------------------------------------------


def _refusal(answer: dict[str, Any]) -> tuple[str, str]:
    assert answer["report"] is None, answer
    (error,) = answer["userErrors"]
    return error["code"], error["message"]


def test_each_transition_and_each_refused_one(client: TestClient, network: None) -> None:
    report = submit(client)["id"]
    officer = user("fc-state")
    # Not yet in review: closing and publishing are refused, naming the current state.
    code, message = _refusal(step(client, "closeReport", report, officer))
    assert code == "INVALID_TRANSITION" and "is SUBMITTED" in message
    code, message = _refusal(
        data(client, PUBLISH, as_token=officer, id=report, input={"severity": "LOW"})["publishReport"]
    )
    assert code == "INVALID_TRANSITION" and "is SUBMITTED" in message
    code, message = _refusal(step(client, "validatePcii", report, ADMIN))
    assert code == "INVALID_TRANSITION" and "is SUBMITTED" in message
    # The submitter sees its report but does not triage it; only an ADMIN decides PCII.
    assert _refusal(step(client, "reviewReport", report, user("org")))[0] == "FORBIDDEN"
    assert _refusal(step(client, "validatePcii", report, ANALYST))[0] == "FORBIDDEN"

    reviewed = step(client, "reviewReport", report, officer)
    assert reviewed["userErrors"] == [] and reviewed["report"]["state"] == "IN_REVIEW"
    code, message = _refusal(step(client, "reviewReport", report, ANALYST))
    assert code == "INVALID_TRANSITION" and "is IN_REVIEW" in message
    closed = step(client, "closeReport", report, ANALYST)
    assert closed["report"]["state"] == "CLOSED"
    for mutation in ("reviewReport", "closeReport"):
        code, message = _refusal(step(client, mutation, report, ADMIN))
        assert code == "INVALID_TRANSITION" and "is CLOSED" in message

    history = data(client, REPORT, as_token=ANALYST, id=report)["report"]["history"]
    assert [h["state"] for h in history] == ["SUBMITTED", "IN_REVIEW", "CLOSED"]

    audit = data(
        client,
        "query { auditLog(first: 200) { nodes { operation arguments outcome } } }",
        as_token=ADMIN,
    )["auditLog"]["nodes"]
    mine = [(a["operation"], a["outcome"]) for a in audit if report in a["arguments"]]
    assert ("reviewReport", "OK") in mine and ("closeReport", "OK") in mine
    assert ("closeReport", "EDIT_REJECTED") in mine and ("publishReport", "EDIT_REJECTED") in mine


def test_publishing_makes_a_product_for_its_recipients_without_a_trace_of_the_submitter(
    client: TestClient, network: None
) -> None:
    report = submit(client, kind="INCIDENT", tlp="GREEN", regions=[_id("state")])["id"]
    officer = user("fc-state")
    step(client, "reviewReport", report, officer)
    published = data(
        client, PUBLISH, as_token=officer, id=report, input={"severity": "HIGH", "level": "OPERATIONAL"}
    )["publishReport"]
    assert published["userErrors"] == []
    assert published["report"]["state"] == "PUBLISHED"
    product = published["product"]
    assert product["kind"] == "INCIDENT_ANALYSIS" and product["tlp"] == "GREEN" and not product["pcii"]
    assert product["sourceReport"] == {"id": report}
    assert product["issuedBy"] == {"id": _id("fc-state")}
    assert product["reportedBy"] is None and product["addressedTo"] == []
    everything = json.dumps(product)
    for trace in (_id("org"), "Riverside Water Utility", _id("org-analyst"), "Person org-analyst"):
        assert trace not in everything, trace

    # Its recipients are exactly the recipient list of the product, by the rule of recipients.
    resolved = data(
        client,
        "query($p: ID!) { recipients(productId: $p) { recipients { partner { id } } } }",
        as_token=ANALYST,
        p=product["id"],
    )["recipients"]["recipients"]
    deliveries = data(
        client,
        "query($p: ID!) { deliveries(productId: $p, first: 500) { nodes { partner { id } } } }",
        as_token=ANALYST,
        p=product["id"],
    )["deliveries"]["nodes"]
    assert {d["partner"]["id"] for d in deliveries} == {r["partner"]["id"] for r in resolved}
    record = {
        **product,
        "sectors": [s["id"] for s in product["sectors"]],
        "regions": [r["id"] for r in product["regions"]],
        "topics": [],
        "addressedTo": [],
        "severity": "HIGH",
        "level": "OPERATIONAL",
    }
    expected = reference.resolve_recipients(NETWORK, record)["recipients"]
    assert {r["partner"]["id"] for r in resolved if r["partner"]["id"].startswith(P)} == {
        r["partner"] for r in expected
    }
    assert _id("peer") in {r["partner"] for r in expected}, "the example should reach the subscriber"

    code, message = _refusal(
        data(client, PUBLISH, as_token=officer, id=report, input={"severity": "HIGH"})["publishReport"]
    )
    assert code == "INVALID_TRANSITION" and "is PUBLISHED" in message
    code, message = _refusal(step(client, "closeReport", report, officer))
    assert code == "INVALID_TRANSITION" and "is PUBLISHED" in message


def test_a_reviewer_keeps_or_raises_a_reports_tlp_and_a_lowering_changes_nothing(
    client: TestClient, network: None
) -> None:
    report = submit(client, tlp="RED", regions=[_id("state")])["id"]
    officer = user("fc-state")
    step(client, "reviewReport", report, officer)
    # Neither a routed fusion center nor staff may lower what the source marked.
    for who in (officer, ANALYST, ADMIN):
        for lower in ("CLEAR", "GREEN", "AMBER", "AMBER_STRICT"):
            answer = data(client, PUBLISH, as_token=who, id=report, input={"severity": "HIGH", "tlp": lower})
            published = answer["publishReport"]
            assert published["product"] is None and published["report"] is None, published
            [error] = published["userErrors"]
            assert (error["field"], error["code"]) == (["input", "tlp"], "TLP_LOWERED")
            assert "TLP:RED" in error["message"] and f"TLP:{lower}" in error["message"]
    unchanged = data(client, REPORT, as_token=ANALYST, id=report)["report"]
    assert unchanged["state"] == "IN_REVIEW" and unchanged["product"] is None and unchanged["tlp"] == "RED"
    assert [h["state"] for h in unchanged["history"]] == ["SUBMITTED", "IN_REVIEW"]
    products = data(
        client, "query($id: ID!) { product(id: $id) { id } }", as_token=ANALYST, id=f"prod-{report}"
    )
    assert products["product"] is None

    kept = data(client, PUBLISH, as_token=officer, id=report, input={"severity": "HIGH"})["publishReport"]
    assert kept["userErrors"] == [] and kept["report"]["state"] == "PUBLISHED"
    # A TLP:RED product is for those it is addressed to: staff read what it became.
    assert data(client, REPORT, as_token=ANALYST, id=report)["report"]["product"]["tlp"] == "RED"

    # Raising is anyone's to do.
    amber = submit(client, tlp="AMBER", regions=[_id("state")])["id"]
    step(client, "reviewReport", amber, officer)
    raised = data(
        client, PUBLISH, as_token=officer, id=amber, input={"severity": "HIGH", "tlp": "AMBER_STRICT"}
    )["publishReport"]
    assert raised["userErrors"] == [] and raised["product"]["tlp"] == "AMBER_STRICT"


def test_the_reviewer_may_name_the_submitter(client: TestClient, network: None) -> None:
    report = submit(client)["id"]
    step(client, "reviewReport", report, ANALYST)
    product = data(
        client, PUBLISH, as_token=ANALYST, id=report, input={"severity": "LOW", "revealSubmitter": True}
    )["publishReport"]["product"]
    assert product["reportedBy"] == {"id": _id("org")} and product["kind"] == "SUSPICIOUS_ACTIVITY"
    assert product["issuedBy"] is None


# -- PCII -------------------------------------------------------------------------------------


def test_a_pcii_report_waits_for_an_admin_and_is_hidden_from_non_government_partners(
    client: TestClient, network: None
) -> None:
    report = submit(client, pciiRequested=True)
    assert report["state"] == "PCII_PENDING" and report["pciiStatus"] == "PENDING"
    rid = report["id"]
    # Routed to the nonprofit intake point, yet hidden from it while PCII protection stands.
    assert "intake-ngo" in ours(report["routedTo"])
    assert data(client, REPORT, as_token=user("intake-ngo"), id=rid)["report"] is None
    for who in ("org", "fc-state", "intake"):
        assert data(client, REPORT, as_token=user(who), id=rid)["report"]["state"] == "PCII_PENDING", who
    code, message = _refusal(step(client, "reviewReport", rid, user("fc-state")))
    assert code == "INVALID_TRANSITION" and "is PCII_PENDING" in message
    assert _refusal(step(client, "validatePcii", rid, user("fc-state")))[0] == "FORBIDDEN"

    validated = step(client, "validatePcii", rid, ADMIN)
    assert validated["report"] == {"id": rid, "state": "SUBMITTED", "pciiStatus": "VALIDATED"}
    assert data(client, REPORT, as_token=user("intake-ngo"), id=rid)["report"] is None
    code, message = _refusal(step(client, "declinePcii", rid, ADMIN))
    assert code == "INVALID_TRANSITION" and "is SUBMITTED" in message

    step(client, "reviewReport", rid, user("intake"))
    published = data(
        client, PUBLISH, as_token=user("intake"), id=rid, input={"severity": "MODERATE", "tlp": "AMBER"}
    )["publishReport"]
    assert published["userErrors"] == [] and published["report"]["state"] == "PUBLISHED"
    product = data(client, REPORT, as_token=ANALYST, id=rid)["report"]["product"]
    assert product["pcii"] is True, "a validated report publishes only as PCII"
    recipients = data(
        client,
        "query($p: ID!) { recipients(productId: $p) { recipients { partner { id kind } } } }",
        as_token=ANALYST,
        p=product["id"],
    )["recipients"]["recipients"]
    government = {"FEDERAL", "STATE", "LOCAL", "TRIBAL", "TERRITORIAL"}
    assert recipients and all(r["partner"]["kind"] in government for r in recipients)


def test_a_declined_pcii_report_is_an_ordinary_report(client: TestClient, network: None) -> None:
    rid = submit(client, pciiRequested=True)["id"]
    declined = step(client, "declinePcii", rid, ADMIN)
    assert declined["report"] == {"id": rid, "state": "SUBMITTED", "pciiStatus": "DECLINED"}
    assert data(client, REPORT, as_token=user("intake-ngo"), id=rid)["report"]["id"] == rid
    step(client, "reviewReport", rid, ADMIN)
    product = data(client, PUBLISH, as_token=ADMIN, id=rid, input={"severity": "LOW"})["publishReport"][
        "product"
    ]
    assert product["pcii"] is False


# -- compiled reads ----------------------------------------------------------------------------

COMPILED_REPORT = f"""query($id: ID!) {{ report(id: $id) {{ __typename {REPORT_FIELDS} submittedAt
  routedTo {{ __typename partner {{ id name intake }} reasons {{ __typename source ref }} }}
  history {{ __typename at by state note }} product {{ id title sourceReport {{ id }} }} }} }}"""
COMPILED_PRODUCTS = """query($s: ID!) { products(first: 50, where: {sectors_SOME: {id: $s}}) {
  nodes { id pcii reportedBy { id name } sourceReport { id state submitter { id } sectors { id }
          regions { id } routedTo { partner { id } } history { state } } } } }"""


async def test_report_reads_compile_to_one_statement_with_the_visibility_rule_folded_in(
    client: TestClient, db: Database, settings: Any, network: None
) -> None:
    from graph_api.identity import Principal, Role
    from tests.integration.test_compiled_reads import COMPILED, REFERENCE, execute

    published = submit(client, tlp="GREEN", regions=[_id("state"), _id("city")])["id"]
    step(client, "reviewReport", published, ADMIN)
    data(client, PUBLISH, as_token=ADMIN, id=published, input={"severity": "LOW", "revealSubmitter": True})
    pending = submit(client, pciiRequested=True)["id"]
    principals = [Principal("compiled-admin", Role.ADMIN, None)] + [
        Principal(f"compiled-{who}", Role.PARTNER, _id(who))
        for who in ("org", "peer", "fc-state", "fc-far", "intake", "intake-ngo")
    ]
    seen = 0
    for principal in principals:
        for query, variables in (
            (COMPILED_REPORT, {"id": published}),
            (COMPILED_REPORT, {"id": pending}),
            (COMPILED_PRODUCTS, {"s": _id("water")}),
        ):
            ours = await execute(COMPILED, db, settings, principal, query, variables)
            theirs = await execute(REFERENCE, db, settings, principal, query, variables)
            assert ours[:2] == theirs[:2], (principal.partner, query)
            assert not ours[1] and ours[2] == 1, (principal.partner, query, ours[1], ours[2])
            seen += json.dumps(ours[0]).count(published)
    assert seen > 0
    # The list of reports is answered by the resolvers, under the same rule.
    peer = Principal("compiled-peer", Role.PARTNER, _id("peer"))
    for principal in (peer, principals[1]):
        query = "{ reports(first: 100) { totalCount nodes { id made: product { id } } } }"
        listed = await execute(COMPILED, db, settings, principal, query, {})
        assert listed[:2] == (await execute(REFERENCE, db, settings, principal, query, {}))[:2]
        assert (published in json.dumps(listed[0])) == (principal is not peer)


# -- refusals never reveal what the caller may not see -----------------------------------------

HIDDEN_PRODUCT = {
    "id": _id("hidden-red"),
    "title": "Addressed to the intake point only",
    "kind": "ALERT",
    "level": "OPERATIONAL",
    "severity": "HIGH",
    "tlp": "RED",
    "pcii": False,
    "sectors": [_id("water")],
    "addressedTo": [_id("intake")],
    "publishedAt": "2026-11-20T08:00:00Z",
}
IMPORT = "mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path code } } }"
SEEN = "query($id: ID!) { product(id: $id) { id title tlp } }"


def test_a_partner_choosing_a_product_id_learns_nothing_of_a_product_it_may_not_see(
    client: TestClient, network: None
) -> None:
    assert data(client, IMPORT, d={"products": [HIDDEN_PRODUCT]})["importNetwork"]["ok"]
    officer = user("fc-state")
    assert data(client, SEEN, as_token=officer, id=HIDDEN_PRODUCT["id"])["product"] is None
    answers = []
    for chosen in (HIDDEN_PRODUCT["id"], _id("never-used-id")):
        report = submit(client)["id"]
        step(client, "reviewReport", report, officer)
        answer = data(
            client, PUBLISH, as_token=officer, id=report, input={"severity": "LOW", "productId": chosen}
        )["publishReport"]
        answers.append((answer["report"], answer["product"], answer["userErrors"]))
        assert data(client, REPORT, as_token=officer, id=report)["report"]["state"] == "IN_REVIEW"
    # A taken id it may not see and a free one: the same refusal, word for word.
    assert answers[0] == answers[1], answers
    (error,) = answers[0][2]
    assert (error["field"], error["code"]) == (["input", "productId"], "FORBIDDEN")
    assert (
        data(client, SEEN, as_token=ADMIN, id=HIDDEN_PRODUCT["id"])["product"]["title"]
        == (HIDDEN_PRODUCT["title"])
    )
    assert data(client, SEEN, as_token=ADMIN, id=_id("never-used-id"))["product"] is None

    # Staff see every product, so they choose ids, and a taken one is named as taken.
    report = submit(client)["id"]
    step(client, "reviewReport", report, ANALYST)
    taken = data(
        client,
        PUBLISH,
        as_token=ANALYST,
        id=report,
        input={"severity": "LOW", "productId": HIDDEN_PRODUCT["id"]},
    )["publishReport"]
    assert [e["code"] for e in taken["userErrors"]] == ["DUPLICATE_ID"]
    chosen = data(
        client, PUBLISH, as_token=ANALYST, id=report, input={"severity": "LOW", "productId": _id("chosen")}
    )["publishReport"]
    assert chosen["userErrors"] == [] and chosen["product"]["id"] == _id("chosen")


SHARE = "query($p: ID!, $f: ID!, $t: ID!) { canShare(productId: $p, from: $f, to: $t) { allowed reason } }"


def test_can_share_tells_a_partner_no_pcii_facts_of_another_organisation(
    client: TestClient, network: None
) -> None:
    document = {
        "partners": [_partner("gov-noauth", "County Emergency Office", "LOCAL", regions=[_id("city")])],
        "contacts": [_contact("gov-noauth-clerk", "gov-noauth")],
        "products": [
            {
                "id": _id("pcii-clear"),
                "title": "Chlorine storage survey",
                "kind": "RISK_ANALYSIS",
                "level": "STRATEGIC",
                "severity": "MODERATE",
                "tlp": "CLEAR",
                "pcii": True,
                "sectors": [_id("water")],
                "publishedAt": "2026-11-20T08:00:00Z",
            }
        ],
    }
    assert data(client, IMPORT, d=document)["importNetwork"]["ok"]

    def share(as_token: str, to: str) -> tuple[bool, str | None]:
        answer = data(client, SHARE, as_token=as_token, p=_id("pcii-clear"), f=_id("fc-state"), t=_id(to))
        return answer["canShare"]["allowed"], answer["canShare"]["reason"]

    officer = user("fc-state")
    # Whether the intake point (it has a PCII-authorized contact) or the county office (it has
    # none) may receive PCII: the same answer to a PARTNER, disclosing neither.
    assert (
        share(officer, "intake") == share(officer, "gov-noauth") == (False, "PCII_AUTHORIZATION_UNCONFIRMED")
    )
    # The directory's facts (kind) and its own organisation's contacts it may still be told.
    assert share(officer, "peer") == (False, "PCII_NOT_GOVERNMENT")
    assert share(officer, "fc-state") == (True, None)
    # Staff see the PCII facts of every organisation.
    for staff in (ANALYST, ADMIN):
        assert share(staff, "intake") == (True, None)
        assert share(staff, "gov-noauth") == (False, "PCII_NO_AUTHORIZED_CONTACT")

"""Access rules on every path: who may call what, and what a PARTNER can never see."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.domain.messages import message_id
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests.helpers import counts, data, gql, token, unique_prefix

P = unique_prefix("sec")
OWN, OTHER, GOV = f"{P}own", f"{P}other", f"{P}gov"
FUSION_CENTER = f"{P}fc"

NETWORK: dict[str, Any] = {
    "sectors": [{"id": f"{P}water", "name": "Water"}, {"id": f"{P}dams", "name": "Dams"}],
    "topics": [{"id": f"{P}cyber", "name": "Cyber"}],
    "partners": [
        {"id": OWN, "name": "Own Utility", "kind": "PRIVATE", "sectors": [f"{P}water"]},
        {"id": OTHER, "name": "Other Utility", "kind": "PRIVATE", "sectors": [f"{P}dams"]},
        {"id": GOV, "name": "State Water Agency", "kind": "STATE", "sectors": [f"{P}water"]},
        {
            "id": FUSION_CENTER,
            "name": "State Fusion Center",
            "kind": "STATE",
            "regions": [f"{P}state"],
            "fusionCenter": {"type": "PRIMARY", "serves": [f"{P}state"]},
        },
    ],
    "regions": [{"id": f"{P}state", "name": "Security State", "kind": "STATE"}],
    "contacts": [
        {
            "id": f"{P}c-own",
            "partner": OWN,
            "name": "Own Person",
            "email": "own@example.org",
            "channels": ["EMAIL", "PHONE"],
            "pciiAuthorized": True,
        },
        {
            "id": f"{P}c-other",
            "partner": OTHER,
            "name": "Other Person",
            "email": "other@example.org",
            "channels": ["EMAIL"],
        },
        {
            "id": f"{P}c-gov",
            "partner": GOV,
            "name": "Gov Person",
            "email": "gov@example.org",
            "channels": ["HSIN"],
            "pciiAuthorized": True,
        },
    ],
    "products": [
        # What a PARTNER may see, and what it may not, each with a unique word in its title.
        {"id": f"{P}clear", "title": f"{P} zebraclear notice", "tlp": "CLEAR"},
        {"id": f"{P}green-in", "title": f"{P} zebragreenin notice", "tlp": "GREEN", "sectors": [f"{P}water"]},
        {
            "id": f"{P}green-out",
            "title": f"{P} zebragreenout notice",
            "tlp": "GREEN",
            "sectors": [f"{P}dams"],
        },
        {"id": f"{P}amber", "title": f"{P} zebraamber notice", "tlp": "AMBER", "sectors": [f"{P}water"]},
        {"id": f"{P}red-other", "title": f"{P} zebraredother notice", "tlp": "RED", "addressedTo": [OTHER]},
        {"id": f"{P}red-own", "title": f"{P} zebraredown notice", "tlp": "RED", "addressedTo": [OWN]},
        {
            "id": f"{P}pcii",
            "title": f"{P} zebrapcii notice",
            "tlp": "CLEAR",
            "pcii": True,
            "addressedTo": [OWN],
        },
    ],
}
for product in NETWORK["products"]:
    product.update(
        {"kind": "ALERT", "level": "OPERATIONAL", "severity": "HIGH", "publishedAt": "2026-11-25T10:00:00Z"}
    )

VISIBLE_TO_OWN = {f"{P}clear", f"{P}green-in", f"{P}red-own"}  # red-own once delivered
HIDDEN_FROM_OWN = {f"{P}green-out", f"{P}amber", f"{P}red-other", f"{P}pcii"}


@pytest.fixture(scope="module")
async def network(db: Database, client: TestClient) -> None:
    report = await import_network(db, NETWORK)
    assert report.ok, report.problems
    for product in (f"{P}red-own", f"{P}pcii"):  # delivered: visible only where the rules allow
        data(client, "mutation($p: ID!) { disseminate(productId: $p) { newlyDelivered } }", p=product)


def own() -> str:
    return token("PARTNER", OWN)


def _code(body: dict[str, Any]) -> str | None:
    errors = body.get("errors") or []
    return errors[0]["extensions"]["code"] if errors else None


# -- the matrix: every root operation by role ------------------------------------------------------

STAFF, EVERYONE, ADMIN_ONLY = {"ANALYST", "ADMIN"}, {"PARTNER", "ANALYST", "ADMIN"}, {"ADMIN"}
OPERATIONS: list[tuple[str, str, set[str]]] = [
    ("sectors", "{ sectors { id } }", EVERYONE),
    ("_service", "{ _service { sdl } }", EVERYONE),
    (
        "_entities",
        f'{{ _entities(representations: [{{__typename: "Partner", id: "{OWN}"}}]) {{ __typename }} }}',
        EVERYONE,
    ),
    ("sectorsConnection", "{ sectorsConnection(first: 1) { totalCount } }", EVERYONE),
    ("regionsConnection", "{ regionsConnection(first: 1) { totalCount } }", EVERYONE),
    ("topicsConnection", "{ topicsConnection(first: 1) { totalCount } }", EVERYONE),
    ("topic", f'{{ topic(id: "{P}cyber") {{ id }} }}', EVERYONE),
    ("requirements", "{ requirements(first: 1) { totalCount } }", EVERYONE),
    ("requirement", '{ requirement(id: "nothing") { id } }', EVERYONE),
    ("contacts", "{ contacts(first: 1) { totalCount } }", EVERYONE),
    ("memberships", "{ memberships(first: 1) { totalCount } }", EVERYONE),
    ("subscriptions", "{ subscriptions(first: 1) { totalCount } }", EVERYONE),
    ("contact", f'{{ contact(id: "{P}c-own") {{ id }} }}', EVERYONE),
    ("regions", "{ regions { id } }", EVERYONE),
    ("topics", "{ topics { id } }", EVERYONE),
    ("sector", f'{{ sector(id: "{P}water") {{ id }} }}', EVERYONE),
    ("region", '{ region(id: "ca") { id } }', EVERYONE),
    ("partner", f'{{ partner(id: "{OWN}") {{ id }} }}', EVERYONE),
    ("council", '{ council(id: "energy-scc") { id } }', EVERYONE),
    ("product", f'{{ product(id: "{P}clear") {{ id }} }}', EVERYONE),
    ("partners", "{ partners(first: 1) { totalCount } }", EVERYONE),
    ("councils", "{ councils(first: 1) { totalCount } }", EVERYONE),
    ("products", "{ products(first: 1) { totalCount } }", EVERYONE),
    ("search", '{ search(text: "water") { totalCount } }', EVERYONE),
    ("connection", f'{{ connection(from: "{OWN}", to: "{GOV}") {{ length }} }}', EVERYONE),
    ("neighborhood", f'{{ neighborhood(partner: "{OWN}") {{ id }} }}', EVERYONE),
    (
        "sharedMemberships",
        f'{{ sharedMemberships(a: "{OWN}", b: "{GOV}") {{ sectors {{ id }} }} }}',
        EVERYONE,
    ),
    (
        "canShare",
        f'{{ canShare(productId: "{P}clear", from: "{OWN}", to: "{GOV}") {{ allowed }} }}',
        EVERYONE,
    ),
    ("inbox (own)", f'{{ inbox(partnerId: "{OWN}") {{ totalCount }} }}', EVERYONE),
    ("inbox (another's)", f'{{ inbox(partnerId: "{OTHER}") {{ totalCount }} }}', STAFF),
    ("recipients", f'{{ recipients(productId: "{P}clear") {{ excluded {{ reason }} }} }}', STAFF),
    (
        "onwardRecipients",
        f'{{ onwardRecipients(productId: "{P}clear", fusionCenter: "{FUSION_CENTER}") '
        "{ excluded { reason } } }",
        STAFF,
    ),
    ("requirementProposals", "{ requirementProposals(first: 1) { totalCount } }", EVERYONE),
    (
        "proposeRequirement",
        'mutation { proposeRequirement(input: {create: {id: "m-x", council: "nothing", sector: "nothing", '
        'channel: HSIN, audience: {council: "nothing"}}}) { userErrors { code } } }',
        {"PARTNER"},
    ),
    (
        "acceptProposal",
        'mutation { acceptProposal(id: "nothing", reason: "r") { userErrors { code } } }',
        ADMIN_ONLY,
    ),
    (
        "declineProposal",
        'mutation { declineProposal(id: "nothing", reason: "r") { userErrors { code } } }',
        ADMIN_ONLY,
    ),
    ("withdrawProposal", 'mutation { withdrawProposal(id: "nothing") { userErrors { code } } }', {"PARTNER"}),
    (
        "previewRecipients",
        '{ previewRecipients(product: {title: "t", kind: ALERT, level: STRATEGIC, '
        "severity: LOW, tlp: CLEAR}) { excluded { reason } } }",
        STAFF,
    ),
    ("deliveries", f'{{ deliveries(productId: "{P}red-own") {{ totalCount }} }}', STAFF),
    ("exportNetwork", "{ exportNetwork }", STAFF),
    ("watchQueue", "{ watchQueue(first: 5) { totalCount nodes { id status } } }", STAFF),
    ("unacknowledged", f'{{ unacknowledged(productId: "{P}red-own") {{ totalCount }} }}', STAFF),
    (
        "acknowledge",
        f'mutation {{ acknowledge(productId: "{P}red-own", partnerId: "{OWN}") {{ acknowledgedAt }} }}',
        EVERYONE,
    ),
    (
        "retryDelivery",
        f'mutation {{ retryDelivery(messageId: "{message_id(f"{P}red-own", f"{P}c-own", "EMAIL")}") '
        "{ status } }",
        STAFF,
    ),
    (
        "completeManualDelivery",
        f'mutation {{ completeManualDelivery(messageId: "{message_id(f"{P}red-own", f"{P}c-own", "PHONE")}") '
        "{ status } }",
        STAFF,
    ),
    ("auditLog", "{ auditLog(first: 1) { totalCount } }", ADMIN_ONLY),
    ("auditChain", "{ auditChain { intact } }", ADMIN_ONLY),
    (
        "importNetwork",
        'mutation { importNetwork(dryRun: true, document: {topics: [{id: "t-x", name: "X"}]}) { ok } }',
        ADMIN_ONLY,
    ),
    ("disseminate", f'mutation {{ disseminate(productId: "{P}clear") {{ newlyDelivered }} }}', STAFF),
    (
        "impactOf",
        '{ impactOf(edit: {addMembership: {partner: "nothing", council: "nothing"}}, '
        'publishedAfter: "2001-01-01T00:00:00Z", publishedBefore: "2001-01-02T00:00:00Z") { considered } }',
        ADMIN_ONLY,
    ),
    # Reports: each user sees only the reports it may (tests/integration/test_reports.py); the
    # triage mutations answer userErrors (FORBIDDEN, NOT_FOUND) rather than GraphQL errors.
    ("report", '{ report(id: "nothing") { id } }', EVERYONE),
    ("reports", "{ reports(first: 1) { totalCount } }", EVERYONE),
    ("dailyReport", f'{{ dailyReport(sector: "{P}water", date: "2026-11-25") {{ date }} }}', EVERYONE),
    (
        "submitReport",
        'mutation { submitReport(input: {title: "", summary: "s", kind: INCIDENT, tlp: CLEAR}) '
        "{ userErrors { code } } }",
        {"PARTNER"},
    ),
    *(
        (name, f'mutation {{ {name}(id: "nothing") {{ userErrors {{ code }} }} }}', EVERYONE)
        for name in ("reviewReport", "closeReport", "validatePcii", "declinePcii")
    ),
    (
        "publishReport",
        'mutation { publishReport(id: "nothing", input: {severity: LOW}) { userErrors { code } } }',
        EVERYONE,
    ),
    # Open-source reporting: feeds are an ADMIN's, the inbox and curation staff's, the archive
    # everyone's. Each mutation is given input it refuses, so nothing changes.
    ("openSourceFeeds", "{ openSourceFeeds { id } }", STAFF),
    ("openSourceItems", "{ openSourceItems(first: 1) { totalCount } }", STAFF),
    ("openSourceKeywordRules", "{ openSourceKeywordRules { ref } }", STAFF),
    ("openSourceReport", '{ openSourceReport(day: "1900-01-01") { day } }', EVERYONE),
    ("openSourceReports", "{ openSourceReports(first: 1) { totalCount } }", EVERYONE),
    (
        "configureOpenSourceFeed",
        'mutation { configureOpenSourceFeed(input: {name: "", url: "x"}) { userErrors { code } } }',
        ADMIN_ONLY,
    ),
    (
        "deleteOpenSourceFeed",
        'mutation { deleteOpenSourceFeed(id: "nothing") { userErrors { code } } }',
        ADMIN_ONLY,
    ),
    ("fetchOpenSourceFeeds", 'mutation { fetchOpenSourceFeeds(ids: ["nothing"]) { feed } }', ADMIN_ONLY),
    # Peer nodes: an ADMIN's configuration. Each mutation is given input it refuses.
    ("peers", "{ peers(first: 1) { totalCount } }", ADMIN_ONLY),
    (
        "setPeer",
        'mutation { setPeer(input: {nodeId: "Bad Id", url: "x", publicKey: "x"}) { userErrors { code } } }',
        ADMIN_ONLY,
    ),
    ("removePeer", 'mutation { removePeer(nodeId: "nothing") { userErrors { code } } }', ADMIN_ONLY),
    (
        "addOpenSourceItem",
        'mutation { addOpenSourceItem(input: {title: "", link: "x"}) { userErrors { code } } }',
        STAFF,
    ),
    (
        "setOpenSourceKeywordRule",
        'mutation { setOpenSourceKeywordRule(target: SECTOR, ref: "nothing", keywords: []) '
        "{ userErrors { code } } }",
        STAFF,
    ),
    (
        "saveOpenSourceReportDraft",
        'mutation { saveOpenSourceReportDraft(day: "1900-01-01", entries: [{item: "nothing"}]) '
        "{ userErrors { code } } }",
        STAFF,
    ),
    (
        "publishOpenSourceReport",
        'mutation { publishOpenSourceReport(day: "1900-01-01") { userErrors { code } } }',
        STAFF,
    ),
]
# The edit mutations, each with an input it refuses (userErrors), so that no role changes anything.
NOTHING = '{id: "nothing", version: 1}'
ERRORS = "{ userErrors { code } }"
EDIT_INPUTS = {
    "createPartner": '{id: "m-x", name: "", kind: PRIVATE}',
    "mergePartners": '{keep: "nothing", keepVersion: 1, duplicate: "nothing-2", duplicateVersion: 1}',
    "createCouncil": '{id: "m-x", name: "", kind: SCC}',
    "addMembership": '{partner: "nothing", council: "nothing"}',
    "updateMembership": '{partner: "nothing", council: "nothing", version: 1, role: CHAIR}',
    "removeMembership": '{partner: "nothing", council: "nothing", version: 1}',
    "createContact": '{id: "m-x", partner: "nothing", name: "N", email: "n@example.org"}',
    "createRequirement": '{id: "m-x", council: "nothing", sector: "nothing", channel: HSIN, '
    'audience: {council: "nothing"}}',
    "createSubscription": '{partner: "nothing", topic: "nothing"}',
    "updateSubscription": '{partner: "nothing", topic: "nothing", version: 1, minSeverity: null}',
    "deleteSubscription": '{partner: "nothing", topic: "nothing", version: 1}',
    "createRegion": '{id: "m-x", name: "", kind: STATE}',
    "createTopic": '{id: "m-x", name: ""}',
    "createProduct": '{id: "m-x", title: "", kind: ALERT, level: STRATEGIC, severity: LOW, tlp: CLEAR}',
}


def _edit_operations() -> list[tuple[str, str, set[str]]]:
    from graph_api.api.admin import EDITS

    return [
        (
            spec.name,
            f"mutation {{ {spec.name}(input: {EDIT_INPUTS.get(spec.name, NOTHING)}) {ERRORS} }}",
            ADMIN_ONLY,
        )
        for spec in EDITS
    ]


OPERATIONS += _edit_operations()


@pytest.mark.parametrize(("name", "query", "allowed"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
@pytest.mark.parametrize("role", ["none", "PARTNER", "ANALYST", "ADMIN"])
def test_every_operation_for_every_role(
    client: TestClient, network: None, name: str, query: str, allowed: set[str], role: str
) -> None:
    if role == "none":
        response = client.post("/graphql", json={"query": query}, headers={"Authorization": ""})
        assert response.status_code == 401
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        return
    body = gql(client, query, as_token=token(role, OWN if role == "PARTNER" else None))
    if role in allowed:
        assert _code(body) is None, body
    else:
        assert _code(body) == "FORBIDDEN", body
        assert role in body["errors"][0]["message"]


# -- leaks: what a PARTNER can never see, through any door ----------------------------------------


def test_by_id(client: TestClient, network: None) -> None:
    for product in VISIBLE_TO_OWN:
        assert data(client, "query($id: ID!) { product(id: $id) { id } }", id=product, as_token=own())[
            "product"
        ]
    for product in HIDDEN_FROM_OWN:
        assert data(client, "query($id: ID!) { product(id: $id) { id } }", id=product, as_token=own()) == {
            "product": None
        }


def test_through_federation_entities(client: TestClient, network: None) -> None:
    query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on InformationProduct { id } } }"
    reps = [{"__typename": "InformationProduct", "id": p} for p in sorted(VISIBLE_TO_OWN | HIDDEN_FROM_OWN)]
    found = data(client, query, r=reps, as_token=own())["_entities"]
    seen = {e["id"] for e in found if e}
    assert seen == VISIBLE_TO_OWN


def test_in_lists_and_search(client: TestClient, network: None) -> None:
    listed = data(client, "{ products(first: 500) { nodes { id } } }", as_token=own())["products"]["nodes"]
    ids = {n["id"] for n in listed}
    assert ids >= VISIBLE_TO_OWN and not ids & HIDDEN_FROM_OWN
    found = data(
        client,
        "query($t: String!) { search(text: $t, first: 50) { nodes { ... on InformationProduct { id } } } }",
        t=P.rstrip("-"),
        as_token=own(),
    )["search"]["nodes"]
    found_ids = {n["id"] for n in found if n}
    assert found_ids >= VISIBLE_TO_OWN and not found_ids & HIDDEN_FROM_OWN
    # Staff see them all.
    staff = data(client, "{ products(first: 500) { nodes { id } } }", as_token=token("ANALYST"))["products"][
        "nodes"
    ]
    assert {n["id"] for n in staff} >= HIDDEN_FROM_OWN


def test_nested_in_the_inbox_and_in_share_questions(client: TestClient, network: None) -> None:
    inbox = data(
        client, "query($p: ID!) { inbox(partnerId: $p) { nodes { product { id } } } }", p=OWN, as_token=own()
    )["inbox"]["nodes"]
    # The PCII product was delivered too, but a private partner may never see PCII.
    assert [n["product"]["id"] for n in inbox if n["product"]] == [f"{P}red-own"]
    for hidden in HIDDEN_FROM_OWN:
        body = gql(
            client,
            "query($p: ID!, $a: ID!) { canShare(productId: $p, from: $a, to: $a) { allowed } }",
            p=hidden,
            a=OWN,
            as_token=own(),
        )
        assert _code(body) == "NOT_FOUND"


def test_contact_details_only_of_its_own_organisation(client: TestClient, network: None) -> None:
    query = "query($id: ID!) { partner(id: $id) { contacts { email } } }"
    assert data(client, query, id=OWN, as_token=own())["partner"]["contacts"] == [
        {"email": "own@example.org"}
    ]
    assert data(client, query, id=OTHER, as_token=own())["partner"]["contacts"] == []
    assert data(client, query, id=OTHER, as_token=token("ANALYST"))["partner"]["contacts"]


def test_contact_lists_and_ids_hold_only_its_own_organisation(client: TestClient, network: None) -> None:
    listed = data(client, "{ contacts(first: 500) { totalCount nodes { id } } }", as_token=own())["contacts"]
    assert [n["id"] for n in listed["nodes"]] == [f"{P}c-own"] and listed["totalCount"] == 1
    query = "query($id: ID!) { contact(id: $id) { email } }"
    assert data(client, query, id=f"{P}c-other", as_token=own()) == {"contact": None}
    assert data(client, query, id=f"{P}c-own", as_token=own()) == {"contact": {"email": "own@example.org"}}
    assert data(client, query, id=f"{P}c-other", as_token=token("ANALYST"))["contact"]


def test_export_is_not_a_side_door(client: TestClient, network: None) -> None:
    assert _code(gql(client, "{ exportNetwork }", as_token=own())) == "FORBIDDEN"


# -- tokens over HTTP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer not.a.token", "Bearer eyJhbGciOiJub25lIn0.e30."],
)
def test_requests_without_a_valid_token_get_401(client: TestClient, header: str) -> None:
    response = client.post(
        "/graphql", json={"query": "{ sectors { id } }"}, headers={"Authorization": header}
    )
    assert response.status_code == 401
    body = response.json()
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED" and body["errors"][0]["message"]
    assert "data" not in body


def test_health_checks_need_no_token(client: TestClient) -> None:
    for path in ("/healthz", "/readyz"):
        assert client.get(path, headers={"Authorization": ""}).status_code == 200


# -- audit ----------------------------------------------------------------------------------------


async def test_mutations_and_resolutions_are_audited_and_cannot_be_edited(
    client: TestClient, db: Database, network: None
) -> None:
    analyst = token("ANALYST")
    gql(client, f'{{ recipients(productId: "{P}clear") {{ excluded {{ reason }} }} }}', as_token=analyst)
    gql(client, '{ recipients(productId: "no-such-product") { excluded { reason } } }', as_token=analyst)
    log = data(
        client,
        '{ auditLog(first: 5, operation: "recipients") { nodes { actor role operation '
        "arguments outcome at } } }",
    )["auditLog"]["nodes"]
    assert log[0]["outcome"] == "NOT_FOUND" and "no-such-product" in log[0]["arguments"]
    assert log[1]["outcome"] == "OK" and log[1]["role"] == "ANALYST" and f"{P}clear" in log[1]["arguments"]
    before = await counts(db)
    for attempt in ('mutation { deleteAuditRecord(id: "x") }', "mutation { auditLog { id } }"):
        assert _code(gql(client, attempt)) == "GRAPHQL_VALIDATION_FAILED"
    assert await counts(db) == before


def test_the_matrix_covers_every_root_operation() -> None:
    from graph_api.api import schema

    covered = {name.split(" ")[0] for name, _, _ in OPERATIONS}
    graphql = schema._schema
    roots = set(graphql.query_type.fields) | set(graphql.mutation_type.fields)  # type: ignore[union-attr]
    assert roots == covered, roots ^ covered


def test_products_hang_under_no_directory_type() -> None:
    """The directory is open to every partner: no product may be reachable through it."""
    from graphql import get_named_type

    from graph_api.api import schema

    graphql = schema._schema
    for type_name in ("Sector", "Region", "Council", "Partner", "Topic", "Membership", "FusionCenter"):
        fields = graphql.type_map[type_name].fields  # type: ignore[union-attr]
        for field_name, field in fields.items():
            named = get_named_type(field.type).name
            assert "InformationProduct" not in named and "Delivery" not in named, f"{type_name}.{field_name}"

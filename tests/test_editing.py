"""Administrative edits (issue 7): validation, optimistic concurrency, impactOf, merging, audit."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from graph_api.app import create_app
from graph_api.database import Database
from graph_api.exporter import read_records
from graph_api.importer import import_network
from graph_api.interchange import without_version
from graph_api.settings import Settings
from tests.helpers import counts, data, gql, token, unique_prefix

P = unique_prefix("ed")
WINDOW = {"publishedAfter": "2020-03-01T00:00:00Z", "publishedBefore": "2020-03-02T00:00:00Z"}


def _product(suffix: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": f"{P}{suffix}",
        "title": f"{P} {suffix}",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "HIGH",
        "tlp": "AMBER",
        "sectors": [f"{P}energy"],
        "publishedAt": "2020-03-01T12:00:00Z",
        **fields,
    }


NETWORK: dict[str, Any] = {
    "sectors": [{"id": f"{P}energy", "name": "Energy"}, {"id": f"{P}water", "name": "Water"}],
    "regions": [
        {"id": f"{P}fema", "name": "FEMA X", "kind": "FEMA_REGION"},
        {"id": f"{P}state", "name": "State", "kind": "STATE", "parent": f"{P}fema"},
    ],
    "topics": [{"id": f"{P}cyber", "name": "Cyber"}],
    "partners": [
        {"id": f"{P}grid", "name": "Grid Co", "kind": "PRIVATE", "sectors": [f"{P}energy"]},
        {"id": f"{P}utility", "name": "Utility", "kind": "PRIVATE", "sectors": [f"{P}water"]},
        {"id": f"{P}agency", "name": "Agency", "kind": "FEDERAL"},
        {"id": f"{P}lonely", "name": "Lonely", "kind": "LOCAL"},
    ],
    "councils": [
        {
            "id": f"{P}scc",
            "name": "Energy SCC",
            "kind": "SCC",
            "sectors": [f"{P}energy"],
            "members": [{"partner": f"{P}grid", "role": "CHAIR"}],
        },
        {
            "id": f"{P}iswg",
            "name": "Energy ISWG",
            "kind": "ISWG",
            "sectors": [f"{P}energy"],
            "parent": f"{P}scc",
        },
    ],
    "contacts": [
        {
            "id": f"{P}c-grid",
            "partner": f"{P}grid",
            "name": "G",
            "email": "g@example.org",
            "channels": ["EMAIL"],
        },
        {
            "id": f"{P}c-util",
            "partner": f"{P}utility",
            "name": "U",
            "email": "u@example.org",
            "channels": ["HSIN"],
        },
    ],
    "requirements": [
        {
            "id": f"{P}req",
            "council": f"{P}iswg",
            "sector": f"{P}energy",
            "minSeverity": "HIGH",
            "audience": {"council": f"{P}scc"},
            "channel": "HSIN",
        }
    ],
    "subscriptions": [{"partner": f"{P}utility", "topic": f"{P}cyber", "minSeverity": "LOW"}],
    "products": [
        _product("matches"),
        _product("too-low", severity="MODERATE"),
        _product("other-sector", sectors=[f"{P}water"]),
        _product("addressed", severity="MODERATE", addressedTo=[f"{P}utility"]),
        _product("cyber", sectors=[], topics=[f"{P}cyber"]),
    ],
}


@pytest.fixture(scope="module")
async def network(db: Database) -> None:
    report = await import_network(db, NETWORK)
    assert report.ok, report.problems


async def _state(db: Database, collection: str, record_id: str) -> list[dict[str, Any]]:
    return await read_records(db, collection, [record_id])


def _version(client: TestClient, kind: str, record_id: str) -> int:
    return int(data(client, f'{{ {kind}(id: "{record_id}") {{ version }} }}')[kind]["version"])


def _errors(payload: dict[str, Any]) -> list[tuple[list[str], str]]:
    return [(e["field"], e["code"]) for e in payload["userErrors"]]


# -- validation: each error names its field and code, and nothing changes ---------------------

CREATE_PARTNER = "mutation($input: CreatePartnerInput!) { createPartner(input: $input) { partner { id } userErrors { field code message } } }"
UPDATE_PARTNER = "mutation($input: UpdatePartnerInput!) { updatePartner(input: $input) { partner { id name version } userErrors { field code message } } }"
UPDATE_COUNCIL = "mutation($input: UpdateCouncilInput!) { updateCouncil(input: $input) { council { id } userErrors { field code message } } }"
UPDATE_REGION = "mutation($input: UpdateRegionInput!) { updateRegion(input: $input) { region { id } userErrors { field code message } } }"
CREATE_CONTACT = "mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } userErrors { field code message } } }"
CREATE_COUNCIL = "mutation($input: CreateCouncilInput!) { createCouncil(input: $input) { council { id } userErrors { field code message } } }"
ADD_MEMBERSHIP = "mutation($input: AddMembershipInput!) { addMembership(input: $input) { membership { role version } userErrors { field code message } } }"
CREATE_REQUIREMENT = "mutation($input: CreateRequirementInput!) { createRequirement(input: $input) { requirement { id } userErrors { field code message } } }"
CREATE_SUBSCRIPTION = "mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { subscription { version } userErrors { field code message } } }"
DELETE_PARTNER = "mutation($input: RecordVersionInput!) { deletePartner(input: $input) { deletedId userErrors { field code message } } }"


def _refused(
    client: TestClient, mutation: str, name: str, variables: dict[str, Any], field: list[str], code: str
) -> str:
    payload = data(client, mutation, **variables)[name]
    assert payload["userErrors"], payload
    assert (payload["userErrors"][0]["field"], payload["userErrors"][0]["code"]) == (field, code), payload
    assert payload["userErrors"][0]["message"]
    assert all(v is None for k, v in payload.items() if k != "userErrors")
    return str(payload["userErrors"][0]["message"])


CASES = [
    pytest.param(
        CREATE_PARTNER,
        "createPartner",
        {
            "input": {
                "id": f"{P}new",
                "name": "New",
                "kind": "PRIVATE",
                "sectors": [f"{P}energy", "no-such-sector"],
            }
        },
        ["input", "sectors", "1"],
        "UNKNOWN_REFERENCE",
        id="unknown reference",
    ),
    pytest.param(
        CREATE_PARTNER,
        "createPartner",
        {"input": {"id": f"{P}grid", "name": "Another Grid", "kind": "PRIVATE"}},
        ["input", "id"],
        "DUPLICATE_ID",
        id="duplicate id",
    ),
    pytest.param(
        CREATE_COUNCIL,
        "createCouncil",
        {"input": {"id": f"{P}grid", "name": "Clash", "kind": "SCC"}},
        ["input", "id"],
        "DUPLICATE_ID",
        id="duplicate id across partners and councils",
    ),
    pytest.param(
        UPDATE_COUNCIL,
        "updateCouncil",
        {"input": {"id": f"{P}scc", "version": 1, "parent": f"{P}iswg"}},
        ["input", "parent"],
        "CYCLE",
        id="council cycle",
    ),
    pytest.param(
        UPDATE_REGION,
        "updateRegion",
        {"input": {"id": f"{P}fema", "version": 1, "parent": f"{P}state"}},
        ["input", "parent"],
        "CYCLE",
        id="region cycle",
    ),
    pytest.param(
        CREATE_CONTACT,
        "createContact",
        {"input": {"id": f"{P}c-new", "partner": f"{P}grid", "name": "N", "email": "not-an-email"}},
        ["input", "email"],
        "BAD_EMAIL",
        id="bad email",
    ),
    pytest.param(
        UPDATE_PARTNER,
        "updatePartner",
        {"input": {"id": f"{P}grid", "version": 1, "name": "   "}},
        ["input", "name"],
        "EMPTY",
        id="empty name",
    ),
    pytest.param(
        UPDATE_PARTNER,
        "updatePartner",
        {"input": {"id": f"{P}grid", "version": 1, "name": None}},
        ["input", "name"],
        "MISSING_FIELD",
        id="required field cleared",
    ),
    pytest.param(
        UPDATE_PARTNER,
        "updatePartner",
        {"input": {"id": f"{P}nobody", "version": 1, "name": "X"}},
        ["input", "id"],
        "NOT_FOUND",
        id="unknown record",
    ),
    pytest.param(
        UPDATE_PARTNER,
        "updatePartner",
        {"input": {"id": f"{P}grid", "version": 99, "name": "X"}},
        ["input", "version"],
        "STALE_VERSION",
        id="stale version",
    ),
    pytest.param(
        ADD_MEMBERSHIP,
        "addMembership",
        {"input": {"partner": f"{P}grid", "council": f"{P}scc"}},
        ["input", "partner"],
        "DUPLICATE_MEMBER",
        id="already a member",
    ),
    pytest.param(
        ADD_MEMBERSHIP,
        "addMembership",
        {"input": {"partner": f"{P}grid", "council": "no-such-council"}},
        ["input", "council"],
        "UNKNOWN_REFERENCE",
        id="membership of an unknown council",
    ),
    pytest.param(
        CREATE_REQUIREMENT,
        "createRequirement",
        {
            "input": {
                "id": f"{P}req-bad",
                "council": f"{P}scc",
                "sector": f"{P}energy",
                "channel": "HSIN",
                "audience": {"council": f"{P}scc", "sector": f"{P}energy"},
            }
        },
        ["input", "audience"],
        "BAD_AUDIENCE",
        id="audience naming both",
    ),
    pytest.param(
        CREATE_SUBSCRIPTION,
        "createSubscription",
        {"input": {"partner": f"{P}grid", "topic": f"{P}cyber", "sector": f"{P}energy"}},
        ["input"],
        "BAD_SUBSCRIPTION",
        id="subscription to both",
    ),
    pytest.param(
        DELETE_PARTNER,
        "deletePartner",
        {"input": {"id": f"{P}grid", "version": 1}},
        ["input", "id"],
        "HAS_DEPENDENTS",
        id="delete with dependents",
    ),
]


@pytest.mark.parametrize(("mutation", "name", "variables", "field", "code"), CASES)
async def test_each_validation_error_names_field_and_code_and_changes_nothing(
    client: TestClient,
    db: Database,
    network: None,
    mutation: str,
    name: str,
    variables: dict[str, Any],
    field: list[str],
    code: str,
) -> None:
    before = (
        await counts(db),
        await _state(db, "partners", f"{P}grid"),
        await _state(db, "councils", f"{P}scc"),
    )
    _refused(client, mutation, name, variables, field, code)
    after = (
        await counts(db),
        await _state(db, "partners", f"{P}grid"),
        await _state(db, "councils", f"{P}scc"),
    )
    assert before == after


async def test_a_wrong_enum_is_refused_by_the_schema_with_its_field(client: TestClient, db: Database) -> None:
    before = await counts(db)
    body = gql(client, CREATE_PARTNER, input={"id": f"{P}enum", "name": "E", "kind": "PIRATE"})
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["field"] == ["input", "kind"]
    assert "PIRATE" in error["message"] and "PartnerKind" in error["message"]
    assert await counts(db) == before


async def test_one_edit_with_several_problems_lists_them_all(client: TestClient, network: None) -> None:
    variables = {
        "input": {
            "id": f"{P}multi",
            "name": "",
            "kind": "STATE",
            "regions": ["nowhere"],
            "clientOf": ["nobody"],
        }
    }
    errors = _errors(data(client, CREATE_PARTNER, **variables)["createPartner"])
    assert sorted(errors) == sorted(
        [
            (["input", "name"], "EMPTY"),
            (["input", "regions", "0"], "UNKNOWN_REFERENCE"),
            (["input", "clientOf", "0"], "UNKNOWN_REFERENCE"),
        ]
    )


# -- create, update, deactivate, delete ----------------------------------------------------------


async def test_create_update_deactivate_delete_a_contact(
    client: TestClient, db: Database, network: None
) -> None:
    contact = {
        "id": f"{P}c-life",
        "partner": f"{P}agency",
        "name": "Life",
        "email": "l@example.org",
        "channels": ["PHONE"],
    }
    created = data(
        client,
        CREATE_CONTACT.replace("contact { id }", "contact { id version active partner { id } }"),
        input=contact,
    )
    assert created["createContact"]["contact"] == {
        "id": contact["id"],
        "version": 1,
        "active": True,
        "partner": {"id": f"{P}agency"},
    }
    updated = data(
        client,
        "mutation($input: UpdateContactInput!) { updateContact(input: $input) { contact { email channels version } userErrors { code } } }",
        input={"id": contact["id"], "version": 1, "email": "life@example.org"},
    )["updateContact"]
    assert updated == {
        "contact": {"email": "life@example.org", "channels": ["PHONE"], "version": 2},
        "userErrors": [],
    }
    deactivated = data(
        client,
        "mutation($input: RecordVersionInput!) { deactivateContact(input: $input) { contact { active version } } }",
        input={"id": contact["id"], "version": 2},
    )["deactivateContact"]
    assert deactivated["contact"] == {"active": False, "version": 3}
    deleted = data(
        client,
        "mutation($input: RecordVersionInput!) { deleteContact(input: $input) { deletedId userErrors { code } } }",
        input={"id": contact["id"], "version": 3},
    )["deleteContact"]
    assert deleted == {"deletedId": contact["id"], "userErrors": []}
    assert await _state(db, "contacts", contact["id"]) == []


async def test_a_partner_deactivated_drops_off_recipient_lists(client: TestClient, network: None) -> None:
    query = (
        '{ recipients(productId: "%s") { recipients { partner { id } } excluded { partner { id } reason } } }'
        % f"{P}addressed"
    )
    assert f"{P}utility" in [r["partner"]["id"] for r in data(client, query)["recipients"]["recipients"]]
    version = _version(client, "partner", f"{P}utility")
    data(
        client,
        "mutation($input: RecordVersionInput!) { deactivatePartner(input: $input) { partner { active } } }",
        input={"id": f"{P}utility", "version": version},
    )
    answer = data(client, query)["recipients"]
    assert {"partner": {"id": f"{P}utility"}, "reason": "INACTIVE"} in answer["excluded"]
    data(client, UPDATE_PARTNER, input={"id": f"{P}utility", "version": version + 1, "active": True})


async def test_update_leaves_out_fields_it_does_not_name(
    client: TestClient, db: Database, network: None
) -> None:
    [before] = await _state(db, "partners", f"{P}agency")
    payload = data(
        client,
        UPDATE_PARTNER,
        input={"id": f"{P}agency", "version": before["version"], "regions": [f"{P}state"]},
    )["updatePartner"]
    [after] = await _state(db, "partners", f"{P}agency")
    assert payload["partner"]["version"] == before["version"] + 1
    assert without_version(after) == {**without_version(before), "regions": [f"{P}state"]}


async def test_delete_when_nothing_depends_and_the_created_record_is_gone(
    client: TestClient, db: Database, network: None
) -> None:
    data(client, 'mutation { createTopic(input: {id: "%s", name: "Brief"}) { topic { id } } }' % f"{P}brief")
    answer = data(
        client,
        'mutation { deleteTopic(input: {id: "%s", version: 1}) { deletedId userErrors { code } } }'
        % f"{P}brief",
    )
    assert answer["deleteTopic"] == {"deletedId": f"{P}brief", "userErrors": []}
    assert await _state(db, "topics", f"{P}brief") == []
    # A topic a product is about is not deleted.
    refused = data(
        client,
        'mutation { deleteTopic(input: {id: "%s", version: 1}) { userErrors { field code message } } }'
        % f"{P}cyber",
    )
    assert _errors(refused["deleteTopic"]) == [(["input", "id"], "HAS_DEPENDENTS")]
    assert "InformationProduct" in refused["deleteTopic"]["userErrors"][0]["message"]


async def test_memberships_and_subscriptions_carry_versions(client: TestClient, network: None) -> None:
    added = data(
        client, ADD_MEMBERSHIP, input={"partner": f"{P}agency", "council": f"{P}iswg", "role": "OBSERVER"}
    )["addMembership"]
    assert added == {"membership": {"role": "OBSERVER", "version": 1}, "userErrors": []}
    stale = data(
        client,
        "mutation($input: UpdateMembershipInput!) { updateMembership(input: $input) { membership { role } userErrors { field code } } }",
        input={"partner": f"{P}agency", "council": f"{P}iswg", "version": 7, "role": "CHAIR"},
    )["updateMembership"]
    assert stale == {
        "membership": None,
        "userErrors": [{"field": ["input", "version"], "code": "STALE_VERSION"}],
    }
    changed = data(
        client,
        "mutation($input: UpdateMembershipInput!) { updateMembership(input: $input) { membership { role version partner { id } council { id } } } }",
        input={"partner": f"{P}agency", "council": f"{P}iswg", "version": 1, "role": "CHAIR"},
    )["updateMembership"]
    assert changed["membership"] == {
        "role": "CHAIR",
        "version": 2,
        "partner": {"id": f"{P}agency"},
        "council": {"id": f"{P}iswg"},
    }
    removed = data(
        client,
        "mutation($input: RemoveMembershipInput!) { removeMembership(input: $input) { deletedId } }",
        input={"partner": f"{P}agency", "council": f"{P}iswg", "version": 2},
    )["removeMembership"]
    assert removed == {"deletedId": f"{P}agency|{P}iswg"}
    subscribed = data(
        client,
        CREATE_SUBSCRIPTION,
        input={"partner": f"{P}agency", "sector": f"{P}water", "minSeverity": "HIGH"},
    )
    assert subscribed["createSubscription"] == {"subscription": {"version": 1}, "userErrors": []}
    again = data(client, CREATE_SUBSCRIPTION, input={"partner": f"{P}agency", "sector": f"{P}water"})
    assert _errors(again["createSubscription"]) == [(["input", "sector"], "DUPLICATE_ID")]
    updated = data(
        client,
        "mutation($input: UpdateSubscriptionInput!) { updateSubscription(input: $input) { subscription { minSeverity version } } }",
        input={"partner": f"{P}agency", "sector": f"{P}water", "version": 1, "minSeverity": None},
    )["updateSubscription"]
    assert updated["subscription"] == {"minSeverity": None, "version": 2}
    gone = data(
        client,
        "mutation($input: DeleteSubscriptionInput!) { deleteSubscription(input: $input) { deletedId } }",
        input={"partner": f"{P}agency", "sector": f"{P}water", "version": 2},
    )["deleteSubscription"]
    assert gone == {"deletedId": f"{P}agency|sector|{P}water"}


# -- optimistic concurrency ------------------------------------------------------------------------


async def test_concurrent_updates_with_the_same_version_one_wins(
    client: TestClient, db: Database, settings: Settings, network: None
) -> None:
    # An app of this test's own event loop (the TestClient runs its app on another one).
    app = create_app(settings)
    app.state.database = db
    headers = {"Authorization": f"Bearer {token('ADMIN')}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=headers
    ) as http:
        for attempt in range(3):
            version = _version(client, "council", f"{P}iswg")
            names = [f"ISWG {attempt}-{n}" for n in range(4)]

            async def rename(name: str) -> dict[str, Any]:
                response = await http.post(
                    "/graphql",
                    json={
                        "query": UPDATE_COUNCIL.replace("council { id }", "council { name version }"),
                        "variables": {"input": {"id": f"{P}iswg", "version": version, "name": name}},
                    },
                )
                result: dict[str, Any] = response.json()["data"]["updateCouncil"]
                return result

            answers = await asyncio.gather(*(rename(n) for n in names))
            winners = [a for a in answers if not a["userErrors"]]
            losers = [a for a in answers if a["userErrors"]]
            assert len(winners) == 1, answers
            assert all(_errors(a) == [(["input", "version"], "STALE_VERSION")] for a in losers)
            [stored] = await _state(db, "councils", f"{P}iswg")
            assert stored["name"] == winners[0]["council"]["name"] and stored["version"] == version + 1


# -- impactOf ----------------------------------------------------------------------------------

IMPACT = """query($edit: ProposedEdit!, $publishedAfter: DateTime, $publishedBefore: DateTime) {
  impactOf(edit: $edit, publishedAfter: $publishedAfter, publishedBefore: $publishedBefore) {
    considered
    products { product { id } gained { partner { id } reasons { source ref } } lost { partner { id } } }
    userErrors { field code }
  } }"""


def _recipients(client: TestClient, product_ids: list[str]) -> dict[str, set[str]]:
    query = '{ recipients(productId: "%s") { recipients { partner { id } } } }'
    return {
        p: {r["partner"]["id"] for r in data(client, query % p)["recipients"]["recipients"]}
        for p in product_ids
    }


async def test_impact_of_joining_a_council_matches_recipients_before_and_after(
    client: TestClient, db: Database, network: None
) -> None:
    products = [p["id"] for p in NETWORK["products"]]
    edit = {"partner": f"{P}lonely", "council": f"{P}scc", "role": "MEMBER"}
    graph_before = await counts(db)
    report = data(client, IMPACT, edit={"addMembership": edit}, **WINDOW)["impactOf"]
    assert await counts(db) == graph_before  # impactOf wrote nothing
    assert report["userErrors"] == [] and report["considered"] >= len(products)
    predicted = {p["product"]["id"]: {g["partner"]["id"] for g in p["gained"]} for p in report["products"]}
    assert all(not p["lost"] for p in report["products"])

    before = _recipients(client, products)
    data(client, ADD_MEMBERSHIP, input=edit)
    after = _recipients(client, products)
    actual = {p: after[p] - before[p] for p in products if after[p] != before[p]}
    assert predicted == actual == {f"{P}matches": {f"{P}lonely"}}
    gained = report["products"][0]["gained"][0]
    assert gained["reasons"] == [{"source": "REQUIREMENT", "ref": f"{P}req"}]


async def test_impact_of_a_subscription_removed_lists_the_lost_recipient(
    client: TestClient, network: None
) -> None:
    version = data(client, '{ partner(id: "%s") { subscriptions { version } } }' % f"{P}utility")["partner"][
        "subscriptions"
    ][0]["version"]
    edit = {"deleteSubscription": {"partner": f"{P}utility", "topic": f"{P}cyber", "version": version}}
    report = data(client, IMPACT, edit=edit, **WINDOW)["impactOf"]
    assert [(p["product"]["id"], p["lost"]) for p in report["products"]] == [
        (f"{P}cyber", [{"partner": {"id": f"{P}utility"}}])
    ]
    # Still subscribed: nothing was written.
    assert data(client, '{ partner(id: "%s") { subscriptions { version } } }' % f"{P}utility")["partner"][
        "subscriptions"
    ] == [{"version": version}]


async def test_impact_of_a_refused_edit_names_the_field(client: TestClient, network: None) -> None:
    report = data(
        client, IMPACT, edit={"addMembership": {"partner": "nobody", "council": f"{P}scc"}}, **WINDOW
    )["impactOf"]
    assert report["userErrors"] == [
        {"field": ["edit", "addMembership", "partner"], "code": "UNKNOWN_REFERENCE"}
    ]


def test_impact_of_takes_exactly_one_edit(client: TestClient) -> None:
    body = gql(client, IMPACT, edit={})
    assert body["errors"][0]["extensions"]["code"] in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")


# -- merging duplicates ---------------------------------------------------------------------------


async def test_merge_keeps_every_membership_delivery_and_contact_of_both(
    client: TestClient, db: Database
) -> None:
    m = unique_prefix("merge")
    councils = [{"id": f"{m}k{i}", "name": f"K{i}", "kind": "CROSS_SECTOR"} for i in range(4)]
    councils[0]["members"] = [{"partner": f"{m}a", "role": "CHAIR"}]
    councils[1]["members"] = [{"partner": f"{m}a", "role": "MEMBER"}, {"partner": f"{m}b", "role": "MEMBER"}]
    councils[2]["members"] = [{"partner": f"{m}b", "role": "OBSERVER"}]
    councils[3]["members"] = [{"partner": f"{m}b", "role": "MEMBER"}]
    document = {
        "partners": [
            {"id": f"{m}a", "name": "Acme", "kind": "PRIVATE"},
            {"id": f"{m}b", "name": "ACME Inc", "kind": "PRIVATE"},
        ],
        "councils": councils,
        "contacts": [
            {
                "id": f"{m}c{i}",
                "partner": f"{m}{side}",
                "name": f"C{i}",
                "email": f"c{i}@example.org",
                "channels": ["EMAIL"],
            }
            for i, side in enumerate("aabbb")
        ],
        "products": [
            {
                "id": f"{m}p{i}",
                "title": "T",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "LOW",
                "tlp": "RED",
                "addressedTo": to,
                "publishedAt": "2020-01-01T00:00:00Z",
            }
            for i, to in enumerate([[f"{m}a"], [f"{m}b"], [f"{m}a", f"{m}b"]])
        ],
    }
    assert (await import_network(db, document)).ok
    for i in range(3):
        data(client, 'mutation { disseminate(productId: "%s") { newlyDelivered } }' % f"{m}p{i}")

    def tally(partner: str) -> tuple[int, int, int]:
        found = data(
            client,
            '{ partner(id: "%s") { id memberships { council { id } } contacts { id } } inbox(partnerId: "%s", first: 100) { totalCount } }'
            % (partner, partner),
        )
        return (
            len(found["partner"]["memberships"]),
            len(found["partner"]["contacts"]),
            found["inbox"]["totalCount"],
        )

    assert tally(f"{m}a") == (2, 2, 2) and tally(f"{m}b") == (3, 3, 2)
    merge = "mutation($input: MergePartnersInput!) { mergePartners(input: $input) { partner { id name version } userErrors { field code } } }"
    stale = data(
        client, merge, input={"keep": f"{m}a", "keepVersion": 1, "duplicate": f"{m}b", "duplicateVersion": 5}
    )
    assert _errors(stale["mergePartners"]) == [(["input", "duplicateVersion"], "STALE_VERSION")]
    merged = data(
        client, merge, input={"keep": f"{m}a", "keepVersion": 1, "duplicate": f"{m}b", "duplicateVersion": 1}
    )
    assert merged["mergePartners"] == {
        "partner": {"id": f"{m}a", "name": "Acme", "version": 2},
        "userErrors": [],
    }
    # Four councils (k1 was shared), all five contacts, four deliveries (p2 reached both).
    assert tally(f"{m}a") == (4, 5, 4)
    roles = data(client, '{ partner(id: "%s") { memberships { council { id } role } } }' % f"{m}a")[
        "partner"
    ]["memberships"]
    assert {r["council"]["id"]: r["role"] for r in roles}[f"{m}k1"] == "MEMBER"
    # The old id answers as an alias; the duplicate record itself is gone.
    assert data(client, '{ partner(id: "%s") { id } }' % f"{m}b")["partner"] == {"id": f"{m}a"}
    assert await _state(db, "partners", f"{m}b") == []
    taken = data(client, CREATE_PARTNER, input={"id": f"{m}b", "name": "Reuse", "kind": "PRIVATE"})
    assert _errors(taken["createPartner"]) == [(["input", "id"], "DUPLICATE_ID")]
    # Disseminating again records nothing new for the merged partner.
    again = data(client, 'mutation { disseminate(productId: "%s") { newlyDelivered } }' % f"{m}p1")
    assert again["disseminate"]["newlyDelivered"] == 0


# -- audit and access ---------------------------------------------------------------------------------


async def test_every_edit_is_audited_with_before_and_after(client: TestClient, network: None) -> None:
    version = _version(client, "partner", f"{P}lonely")
    data(client, UPDATE_PARTNER, input={"id": f"{P}lonely", "version": version, "name": "Not So Lonely"})
    _refused(
        client,
        UPDATE_PARTNER,
        "updatePartner",
        {"input": {"id": f"{P}lonely", "version": version, "name": "Late"}},
        ["input", "version"],
        "STALE_VERSION",
    )
    log = data(
        client, '{ auditLog(first: 2, operation: "updatePartner") { nodes { outcome changes arguments } } }'
    )["auditLog"]["nodes"]
    refused, made = log
    assert refused["outcome"] == "EDIT_REJECTED" and refused["changes"] is None
    assert made["outcome"] == "OK"
    [change] = made["changes"]
    assert change["collection"] == "partners" and change["key"] == f"{P}lonely"
    assert change["before"]["name"] == "Lonely" and change["after"]["name"] == "Not So Lonely"
    assert change["after"]["version"] == change["before"]["version"] + 1


@pytest.mark.parametrize("role", ["PARTNER", "ANALYST"])
async def test_only_an_admin_edits(client: TestClient, db: Database, network: None, role: str) -> None:
    before = await _state(db, "partners", f"{P}grid")
    body = gql(
        client,
        UPDATE_PARTNER,
        as_token=token(role, f"{P}grid" if role == "PARTNER" else None),
        input={"id": f"{P}grid", "version": before[0]["version"], "name": "Mine"},
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await _state(db, "partners", f"{P}grid") == before

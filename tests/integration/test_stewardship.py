"""A council's steward governs its requirements, working groups and memberships, and nothing of
any other council; the audit names the scope used."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import data, gql, token, unique_prefix


def _network(p: str) -> dict[str, Any]:
    def partner(pid: str) -> dict[str, Any]:
        return {
            "id": p + pid,
            "name": f"{p}{pid}",
            "kind": "PRIVATE",
            "sectors": [p + "energy"],
            "regions": [],
        }

    def requirement(rid: str, council: str) -> dict[str, Any]:
        return {
            "id": p + rid,
            "council": p + council,
            "sector": p + "energy",
            "kinds": ["ALERT"],
            "levels": [],
            "topics": [],
            "minSeverity": None,
            "audience": {"council": p + council},
            "channel": "EMAIL",
        }

    return {
        "sectors": [{"id": p + "energy", "name": "Energy"}],
        "partners": [partner("chair"), partner("member"), partner("other-chair"), partner("newcomer")],
        "councils": [
            {
                "id": p + "scc",
                "name": "Council",
                "kind": "SCC",
                "sectors": [p + "energy"],
                "members": [
                    {"partner": p + "chair", "role": "CHAIR"},
                    {"partner": p + "member", "role": "MEMBER"},
                ],
            },
            {
                "id": p + "wg",
                "name": "Working group",
                "kind": "ISWG",
                "sectors": [p + "energy"],
                "parent": p + "scc",
                "members": [{"partner": p + "member", "role": "MEMBER"}],
            },
            {
                "id": p + "other",
                "name": "Other council",
                "kind": "GCC",
                "sectors": [p + "energy"],
                "members": [
                    {"partner": p + "other-chair", "role": "CHAIR"},
                    {"partner": p + "chair", "role": "MEMBER"},
                ],
            },
        ],
        "requirements": [
            requirement("r-scc", "scc"),
            requirement("r-wg", "wg"),
            requirement("r-other", "other"),
        ],
    }


@pytest.fixture
def council(client: TestClient) -> str:
    prefix = unique_prefix("stew")
    result = data(client, "mutation ($d: JSON!) { importNetwork(document: $d) { ok } }", d=_network(prefix))
    assert result["importNetwork"]["ok"]
    return prefix


def _steward(p: str) -> str:
    return token("PARTNER", p + "chair", (f"STEWARD:{p}scc",))


def _edit(client: TestClient, who: str, mutation: str, result: str) -> dict[str, Any]:
    body = gql(
        client, "mutation { " + mutation + " { " + result + " userErrors { code message } } }", as_token=who
    )
    return body


def _refused(body: dict[str, Any], council: str) -> None:
    assert body["data"] is None or all(v is None for v in body["data"].values()), body
    error = body["errors"][0]
    assert error["extensions"]["code"] == "FORBIDDEN"
    assert (
        f"steward of council '{council}'" in error["message"] or "working groups only" in error["message"]
    ), error


def _version(client: TestClient, rid: str) -> int:
    found = data(client, "query ($id: ID!) { requirement(id: $id) { version } }", id=rid)["requirement"]
    assert found is not None
    return int(found["version"])


def test_a_steward_edits_its_council_and_its_working_groups(client: TestClient, council: str) -> None:
    p, who = council, _steward(council)
    wg, scc = _version(client, p + "r-wg"), _version(client, p + "r-scc")
    made = [
        (
            f'createRequirement(input: {{id: "{p}new", council: "{p}scc", sector: "{p}energy", '
            f"channel: HSIN, "
            f'audience: {{council: "{p}scc"}}}})',
            "requirement { id }",
        ),
        (
            f'updateRequirement(input: {{id: "{p}r-wg", version: {wg}, channel: PHONE}})',
            "requirement { channel }",
        ),
        (
            f'deleteRequirement(input: {{id: "{p}r-scc", version: {scc}}})',
            "deletedId",
        ),
        (
            f'createCouncil(input: {{id: "{p}wg2", name: "Second group", kind: ISWG, parent: "{p}scc"}})',
            "council { id }",
        ),
        (
            f'addMembership(input: {{partner: "{p}newcomer", council: "{p}wg2"}})',
            "membership { role }",
        ),
        (
            f'updateMembership(input: {{partner: "{p}member", council: "{p}wg", version: 1, '
            "role: OBSERVER})",
            "membership { role }",
        ),
        (
            f'removeMembership(input: {{partner: "{p}member", council: "{p}scc", version: 1}})',
            "deletedId",
        ),
    ]
    for mutation, result in made:
        body = _edit(client, who, mutation, result)
        assert "errors" not in body, (mutation, body)
        answer = next(iter(body["data"].values()))
        assert answer["userErrors"] == [], (mutation, answer)
    assert _version(client, p + "r-wg") == 2
    assert (
        data(client, "query ($id: ID!) { requirement(id: $id) { id } }", id=p + "r-scc")["requirement"]
        is None
    )
    records = data(
        client, '{ auditLog(first: 50, operation: "createCouncil") { nodes { arguments outcome } } }'
    )
    assert any(
        p + "wg2" in r["arguments"] and f'"scope": "STEWARD:{p}scc"' in r["arguments"]
        for r in records["auditLog"]["nodes"]
    )


def test_a_steward_may_not_touch_another_council(client: TestClient, council: str) -> None:
    p, who = council, _steward(council)
    before, wg = _version(client, p + "r-other"), _version(client, p + "r-wg")
    refused = [
        (
            f'updateRequirement(input: {{id: "{p}r-other", version: {before}, channel: PHONE}})',
            "requirement { id }",
            p + "other",
        ),
        (f'deleteRequirement(input: {{id: "{p}r-other", version: {before}}})', "deletedId", p + "other"),
        (
            f'createRequirement(input: {{id: "{p}x", council: "{p}other", sector: "{p}energy", '
            f"channel: HSIN, "
            f'audience: {{council: "{p}other"}}}})',
            "requirement { id }",
            p + "other",
        ),
        # Moving its own requirement to another council is a change of that council too.
        (
            f'updateRequirement(input: {{id: "{p}r-wg", version: {wg}, council: "{p}other"}})',
            "requirement { id }",
            p + "other",
        ),
        (
            f'addMembership(input: {{partner: "{p}newcomer", council: "{p}other"}})',
            "membership { role }",
            p + "other",
        ),
        (
            f'createCouncil(input: {{id: "{p}x-scc", name: "Not a group", kind: SCC, parent: "{p}scc"}})',
            "council { id }",
            p + "scc",
        ),
        (
            f'createCouncil(input: {{id: "{p}x-wg", name: "Elsewhere", kind: ISWG, parent: "{p}other"}})',
            "council { id }",
            p + "other",
        ),
    ]
    for mutation, result, named in refused:
        _refused(_edit(client, who, mutation, result), named)
    assert _version(client, p + "r-other") == before
    # Edits no steward makes stay ADMIN's.
    body = _edit(
        client, who, f'createPartner(input: {{id: "{p}y", name: "Y", kind: PRIVATE}})', "partner { id }"
    )
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"


def test_the_scope_steers_only_in_the_hands_of_the_chair(client: TestClient, council: str) -> None:
    p = council
    version = _version(client, p + "r-scc")
    mutation = f'updateRequirement(input: {{id: "{p}r-scc", version: {version}, channel: PHONE}})'
    # A member organisation holding the claim is no steward; nor is the chair without it.
    for who in (token("PARTNER", p + "member", (f"STEWARD:{p}scc",)), token("PARTNER", p + "chair")):
        body = _edit(client, who, mutation, "requirement { id }")
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # The chair of the other council holds no power here with its own claim.
    other = token("PARTNER", p + "other-chair", (f"STEWARD:{p}other",))
    _refused(_edit(client, other, mutation, "requirement { id }"), p + "scc")

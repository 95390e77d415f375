"""Requirement proposals: a member organisation proposes, a steward (or ADMIN) accepts with the
change applied in the same transaction, or declines; the proposer may withdraw; state and history
are kept and listed."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import data, gql, token, unique_prefix
from tests.integration.test_stewardship import stewarded_network

PROPOSAL = (
    "proposal { id council requirement baseVersion change state proposer reason decisionReason "
    "history { state by reason } } userErrors { field code message }"
)


@pytest.fixture
def council(client: TestClient) -> str:
    prefix = unique_prefix("prop")
    result = data(
        client, "mutation ($d: JSON!) { importNetwork(document: $d) { ok } }", d=stewarded_network(prefix)
    )
    assert result["importNetwork"]["ok"]
    return prefix


def _member(p: str) -> str:
    return token("PARTNER", p + "member")


def _steward(p: str) -> str:
    return token("PARTNER", p + "chair", (f"STEWARD:{p}scc",))


def _version(client: TestClient, rid: str) -> int | None:
    found = data(client, "query ($id: ID!) { requirement(id: $id) { version } }", id=rid)["requirement"]
    return None if found is None else int(found["version"])


def _channel(client: TestClient, rid: str) -> str:
    return str(
        data(client, "query ($id: ID!) { requirement(id: $id) { channel } }", id=rid)["requirement"][
            "channel"
        ]
    )


def _propose_change(client: TestClient, p: str, who: str, version: int) -> dict[str, Any]:
    return gql(
        client,
        "mutation ($v: Int!, $id: ID!) { proposeRequirement(input: "
        "{update: {id: $id, version: $v, channel: PHONE}, "
        'reason: "Our responders are reached by phone."}) { ' + PROPOSAL + " } }",
        as_token=who,
        v=version,
        id=p + "r-scc",
    )


def _decide(
    client: TestClient, who: str, verb: str, pid: str, reason: str | None = "Agreed by the council."
) -> Any:
    args = "id: $id" + ("" if reason is None else ", reason: $reason")
    declared = "$id: ID!" + ("" if reason is None else ", $reason: String!")
    return gql(
        client,
        f"mutation ({declared}) {{ {verb}({args}) {{ {PROPOSAL} }} }}",
        as_token=who,
        id=pid,
        reason=reason,
    )


def _code(body: dict[str, Any]) -> str:
    """The refusal's code: FORBIDDEN as the operation's error, any other as the payload's."""
    if body.get("errors"):
        return str(body["errors"][0]["extensions"]["code"])
    (payload,) = body["data"].values()
    return str(payload["userErrors"][0]["code"])


def _message(body: dict[str, Any]) -> str:
    (payload,) = body["data"].values()
    return str(payload["userErrors"][0]["message"])


def test_a_member_proposes_and_the_steward_accepts_the_change(client: TestClient, council: str) -> None:
    p = council
    version = _version(client, p + "r-scc")
    assert version is not None
    made = _propose_change(client, p, _member(p), version)["data"]["proposeRequirement"]["proposal"]
    assert (made["state"], made["council"], made["requirement"], made["baseVersion"]) == (
        "PROPOSED",
        p + "scc",
        p + "r-scc",
        version,
    )
    assert made["change"] == {"channel": "PHONE"} and made["proposer"] == p + "member"
    listed = data(
        client,
        "query ($c: ID!) { requirementProposals(council: $c, state: PROPOSED) { totalCount nodes { id } } }",
        as_token=_steward(p),
        c=p + "scc",
    )["requirementProposals"]
    assert listed["totalCount"] == 1 and listed["nodes"][0]["id"] == made["id"]
    accepted = _decide(client, _steward(p), "acceptProposal", made["id"])["data"]["acceptProposal"][
        "proposal"
    ]
    assert accepted["state"] == "ACCEPTED" and accepted["decisionReason"] == "Agreed by the council."
    assert [s["state"] for s in accepted["history"]] == ["PROPOSED", "ACCEPTED"]
    assert _version(client, p + "r-scc") == version + 1 and _channel(client, p + "r-scc") == "PHONE"
    # Decided once: a second decision names the state it is in.
    again = _decide(client, _steward(p), "declineProposal", made["id"])
    assert _code(again) == "INVALID_TRANSITION" and "ACCEPTED" in _message(again)
    records = data(client, '{ auditLog(first: 20, operation: "acceptProposal") { nodes { arguments } } }')
    assert any(
        made["id"] in r["arguments"] and f'"scope": "STEWARD:{p}scc"' in r["arguments"]
        for r in records["auditLog"]["nodes"]
    )


def test_a_stale_proposal_is_refused_and_stays_proposed(client: TestClient, council: str) -> None:
    p = council
    version = _version(client, p + "r-scc")
    assert version is not None
    made = _propose_change(client, p, _member(p), version)["data"]["proposeRequirement"]["proposal"]
    changed = data(
        client,
        "mutation ($id: ID!, $v: Int!) { updateRequirement(input: {id: $id, version: $v, channel: HSIN}) "
        "{ userErrors { code } } }",
        id=p + "r-scc",
        v=version,
    )
    assert changed["updateRequirement"]["userErrors"] == []
    refused = _decide(client, _steward(p), "acceptProposal", made["id"])
    assert _code(refused) == "STALE_VERSION"
    assert _channel(client, p + "r-scc") == "HSIN" and _version(client, p + "r-scc") == version + 1
    still = data(client, "{ requirementProposals(state: PROPOSED, first: 100) { nodes { id } } }")
    assert made["id"] in {n["id"] for n in still["requirementProposals"]["nodes"]}
    # Proposing on a version already gone is refused at once.
    assert _code(_propose_change(client, p, _member(p), version)) == "STALE_VERSION"


def test_a_new_requirement_declined_withdrawn_and_refused(client: TestClient, council: str) -> None:
    p = council
    new = (
        "mutation ($id: ID!, $c: ID!, $s: ID!) { proposeRequirement(input: {create: {id: $id, council: $c, "
        "sector: $s, channel: EMAIL, kinds: [WARNING], audience: {council: $c}}}) { " + PROPOSAL + " } }"
    )
    made = data(client, new, as_token=_member(p), id=p + "r-new", c=p + "wg", s=p + "energy")[
        "proposeRequirement"
    ]["proposal"]
    assert made["requirement"] is None and made["council"] == p + "wg"
    # Neither a member without the scope nor another council's steward decides it; a reason is needed.
    assert _code(_decide(client, _member(p), "acceptProposal", made["id"])) == "FORBIDDEN"
    other = token("PARTNER", p + "other-chair", (f"STEWARD:{p}other",))
    assert _code(_decide(client, other, "acceptProposal", made["id"])) == "FORBIDDEN"
    assert _code(_decide(client, _steward(p), "declineProposal", made["id"], reason=" ")) == "BAD_USER_INPUT"
    # The working group's parent's steward declines it; nothing is created.
    declined = _decide(client, _steward(p), "declineProposal", made["id"], "Covered by r-wg.")
    assert declined["data"]["declineProposal"]["proposal"]["state"] == "DECLINED"
    assert _version(client, p + "r-new") is None
    # A second proposal, withdrawn by its proposer only.
    second = data(client, new, as_token=_member(p), id=p + "r-new", c=p + "wg", s=p + "energy")[
        "proposeRequirement"
    ]["proposal"]
    assert _code(_decide(client, _steward(p), "withdrawProposal", second["id"], None)) == "FORBIDDEN"
    withdrawn = _decide(client, _member(p), "withdrawProposal", second["id"], None)["data"][
        "withdrawProposal"
    ]["proposal"]
    assert withdrawn["state"] == "WITHDRAWN"
    # An organisation that is no member of the council may not propose, nor see its proposals.
    outsider = token("PARTNER", p + "newcomer")
    assert _code(gql(client, new, as_token=outsider, id=p + "r-x", c=p + "wg", s=p + "energy")) == "FORBIDDEN"
    seen = data(
        client,
        "query ($c: ID!) { requirementProposals(council: $c) { totalCount } }",
        as_token=outsider,
        c=p + "wg",
    )
    assert seen["requirementProposals"]["totalCount"] == 0
    # The list pages, newest first, with its total.
    page = data(
        client,
        "query ($c: ID!) { requirementProposals(council: $c, first: 1) { totalCount pageInfo { hasNextPage } "
        "nodes { id state } } }",
        as_token=_member(p),
        c=p + "wg",
    )["requirementProposals"]
    assert page["totalCount"] == 2 and page["pageInfo"]["hasNextPage"]
    assert page["nodes"] == [{"id": second["id"], "state": "WITHDRAWN"}]

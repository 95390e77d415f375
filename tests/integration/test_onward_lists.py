"""A fusion center's onward lists against the pure-Python statement of the rule, and over
GraphQL and the downloads as a fusion-center analyst, a partner without the scope and staff see
them."""

from __future__ import annotations

import csv
import io
import itertools
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from starlette.testclient import TestClient

from graph_api.errors import NotFound
from graph_api.rules import onward
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import data, gql, token, unique_prefix
from tests.strategies import add_prefix, networks

_examples = itertools.count()


def _answer(answer: Any) -> dict[str, Any]:
    return {
        "recipients": [
            {
                "partner": r.partner["id"],
                "reasons": [{"source": x.source, "ref": x.ref} for x in r.reasons],
                "contacts": [c["id"] for c in r.contacts],
                "channels": r.channels,
            }
            for r in answer.recipients
        ],
        "excluded": [{"partner": e.partner["id"], "reason": e.reason} for e in answer.excluded],
    }


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(doc=networks(prefix="o-"))
async def test_onward_lists_match_the_reference(db: Database, doc: dict[str, Any]) -> None:
    """Every fusion center of a generated network, every product: the same list as the
    reference, or, for a product it may not see, the answer for a missing product."""
    db = replace(db, recipient_index_reload_seconds=0.0)
    prefix = unique_prefix(f"onw{next(_examples)}x")
    doc = add_prefix(doc, prefix)
    report = await import_network(db, doc)
    assert report.ok, report.problems
    centers = [p["id"] for p in doc["partners"] if p.get("fusionCenter")]
    for center, product in itertools.product(centers, doc["products"]):
        expected = reference.resolve_onward(doc, product, center)
        if expected is None:
            with pytest.raises(NotFound) as refused:
                await onward.onward_list(db, product["id"], center)
            assert refused.value.message == f"No information product has the id '{product['id']}'."
            continue
        assert _answer(await onward.onward_list(db, product["id"], center)) == expected


def _network(prefix: str) -> dict[str, Any]:
    def partner(pid: str, kind: str, sectors: list[str], regions: list[str], **more: Any) -> dict[str, Any]:
        return {
            "id": prefix + pid,
            "name": f"{prefix}{pid.title()}",
            "kind": kind,
            "sectors": sectors,
            "regions": [prefix + r for r in regions],
            **more,
        }

    def contact(cid: str, pid: str, channels: list[str]) -> dict[str, Any]:
        return {
            "id": prefix + cid,
            "partner": prefix + pid,
            "name": f"Contact {cid}",
            "email": f"{cid}@example.org",
            "pciiAuthorized": False,
            "channels": channels,
            "active": True,
        }

    energy, water = prefix + "energy", prefix + "water"
    return {
        "sectors": [{"id": energy, "name": "Energy"}, {"id": water, "name": "Water"}],
        "regions": [
            {"id": prefix + "st", "name": "State", "kind": "STATE"},
            {"id": prefix + "city", "name": "City", "kind": "URBAN_AREA", "parent": prefix + "st"},
            {"id": prefix + "far", "name": "Far State", "kind": "STATE"},
        ],
        "partners": [
            partner(
                "fc", "STATE", [energy], ["st"], fusionCenter={"type": "PRIMARY", "serves": [prefix + "st"]}
            ),
            partner("a", "PRIVATE", [energy], ["city"]),  # in the area, in the community
            partner("b", "PRIVATE", [water], ["st"]),  # in the area, outside the community
            partner("c", "LOCAL", [energy], ["far"], clientOf=[prefix + "fc"]),  # a client elsewhere
            partner("d", "PRIVATE", [energy], ["far"]),  # neither
        ],
        "contacts": [
            contact("ca", "a", ["EMAIL"]),
            contact("cb", "b", ["EMAIL"]),
            contact("cc", "c", ["PHONE"]),
            contact("cd", "d", ["EMAIL"]),
        ],
        "subscriptions": [
            {"partner": prefix + p, "sector": energy, "topic": None, "minSeverity": None}
            for p in ("a", "b", "d")
        ],
        "products": [
            {
                "id": prefix + "green",
                "title": "Green",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "GREEN",
                "pcii": False,
                "sectors": [energy],
                "topics": [],
                "regions": [prefix + "st"],
                "addressedTo": [],
                "issuedBy": None,
                "publishedAt": "2026-11-25T12:00:00Z",
            },
            {
                "id": prefix + "red",
                "title": "Red",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "RED",
                "pcii": False,
                "sectors": [energy],
                "topics": [],
                "regions": [],
                "addressedTo": [prefix + "a"],
                "issuedBy": None,
                "publishedAt": "2026-11-25T12:00:00Z",
            },
        ],
    }


LIST = """query ($p: ID!, $f: ID) { onwardRecipients(productId: $p, fusionCenter: $f) {
  product { id }
  recipients { partner { id } reasons { source ref } channels contacts { id } }
  excluded { partner { id } reason }
  recipientsConnection(first: 1) { totalCount edges { node { partner { id } } } }
  summary { recipients excluded byReasonSource { source count } } } }"""


@pytest.fixture
def fusion_center(client: TestClient) -> str:
    prefix = unique_prefix("onwq")
    result = data(client, "mutation ($d: JSON!) { importNetwork(document: $d) { ok } }", d=_network(prefix))
    assert result["importNetwork"]["ok"]
    return prefix


def test_an_analyst_of_the_fusion_center_plans_its_onward_list(
    client: TestClient, fusion_center: str
) -> None:
    p = fusion_center
    analyst = token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",))
    answer = data(client, LIST, as_token=analyst, p=p + "green")["onwardRecipients"]
    assert answer["recipients"] == [
        {
            "partner": {"id": p + "a"},
            "reasons": [{"source": "SUBSCRIPTION", "ref": p + "energy"}, {"source": "AREA", "ref": p + "st"}],
            "channels": ["EMAIL"],
            "contacts": [{"id": p + "ca"}],
        },
        {
            "partner": {"id": p + "c"},
            "reasons": [{"source": "CLIENT", "ref": p + "fc"}],
            "channels": ["PHONE"],
            "contacts": [{"id": p + "cc"}],
        },
    ]
    assert answer["excluded"] == [{"partner": {"id": p + "b"}, "reason": "TLP_GREEN_OUTSIDE_COMMUNITY"}]
    assert answer["recipientsConnection"] == {
        "totalCount": 2,
        "edges": [{"node": {"partner": {"id": p + "a"}}}],
    }
    counts = {c["source"]: c["count"] for c in answer["summary"]["byReasonSource"]}
    assert (counts["AREA"], counts["CLIENT"], counts["SUBSCRIPTION"]) == (1, 1, 1)
    # The same answer through the resolvers (a list beside another root field) and for staff.
    beside = LIST.rstrip()[:-1] + ' sector(id: "energy") { id } }'
    assert data(client, beside, as_token=analyst, p=p + "green")["onwardRecipients"] == answer
    assert (
        data(client, LIST, as_token=token("ANALYST"), p=p + "green", f=p + "fc")["onwardRecipients"] == answer
    )


def test_without_the_scope_the_list_is_refused_in_words(client: TestClient, fusion_center: str) -> None:
    p = fusion_center
    for who, asked in (
        (token("PARTNER", p + "fc"), None),  # a user of the fusion center, no scope
        (token("PARTNER", p + "a"), p + "fc"),  # a partner in its area
        (token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",)), p + "c"),  # another partner's
    ):
        body = gql(client, LIST, as_token=who, p=p + "green", f=asked)
        error = body["errors"][0]
        assert error["extensions"]["code"] == "FORBIDDEN"
        assert "fusion-center analyst of" in error["message"] and "may resolve the onward" in error["message"]


def test_a_product_the_fusion_center_may_not_see_is_answered_as_a_missing_one(
    client: TestClient, fusion_center: str
) -> None:
    p = fusion_center
    analyst = token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",))
    unseen = gql(client, LIST, as_token=analyst, p=p + "red")["errors"][0]
    missing = gql(client, LIST, as_token=analyst, p=p + "nothing")["errors"][0]
    assert unseen["extensions"]["code"] == missing["extensions"]["code"] == "NOT_FOUND"
    assert unseen["message"] == missing["message"].replace(p + "nothing", p + "red")
    # Staff asking for that fusion center get the same answer: it has nothing to pass on.
    staff = gql(client, LIST, as_token=token("ADMIN"), p=p + "red", f=p + "fc")["errors"][0]
    assert staff["message"] == unseen["message"]


def test_the_onward_list_downloads_as_csv_for_the_analyst_only(
    client: TestClient, fusion_center: str
) -> None:
    p = fusion_center
    analyst = token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",))
    got = client.get(f"/onward/{p}fc/{p}green.csv", headers={"Authorization": f"Bearer {analyst}"})
    assert got.status_code == 200, got.text
    rows = list(csv.DictReader(io.StringIO(got.text)))
    assert {row["partner_id"] for row in rows} == {p + "a", p + "c"}  # the recipients
    refused = client.get(
        f"/onward/{p}fc/{p}green.csv", headers={"Authorization": f"Bearer {token('PARTNER', p + 'fc')}"}
    )
    assert refused.status_code == 403 and refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    unseen = client.get(f"/onward/{p}fc/{p}red.ndjson", headers={"Authorization": f"Bearer {analyst}"})
    assert unseen.status_code == 404


def test_the_audit_record_names_the_scope_used(client: TestClient, fusion_center: str) -> None:
    p = fusion_center
    analyst = token("PARTNER", p + "fc", (f"FUSION_CENTER_ANALYST:{p}fc",))
    data(client, LIST, as_token=analyst, p=p + "green")
    records = data(client, '{ auditLog(first: 20, operation: "onwardRecipients") { nodes { arguments } } }')[
        "auditLog"
    ]["nodes"]
    assert any(f'"scope": "FUSION_CENTER_ANALYST:{p}fc"' in r["arguments"] for r in records)

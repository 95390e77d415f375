"""Fast pure-Python checks of the test oracle (tests/reference.py) and the generator.

No database: these show that the oracle itself follows DESIGN §3/§4/§5 on obvious
cases, and that ``networks()`` produces self-contained valid documents.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings

from tests.reference import can_share, neighborhood, resolve_recipients, shortest_path_length
from tests.strategies import add_prefix, document_errors, networks


def _partner(pid: str, name: str, kind: str, **kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": pid,
        "name": name,
        "kind": kind,
        "active": True,
        "sectors": ["energy"],
        "regions": [],
        "partnersWith": [],
        "clientOf": [],
        "fusionCenter": None,
        "illustrative": True,
    }
    rec.update(kw)
    return rec


def _contact(cid: str, partner: str, name: str, channels: list[str], **kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": cid,
        "partner": partner,
        "name": name,
        "email": f"{cid}@example.org",
        "pciiAuthorized": False,
        "channels": channels,
        "active": True,
        "illustrative": True,
    }
    rec.update(kw)
    return rec


def _doc() -> dict[str, Any]:
    return {
        "sectors": [
            {"id": "energy", "name": "Energy", "sectorSpecificAgency": None},
            {"id": "water", "name": "Water", "sectorSpecificAgency": None},
        ],
        "regions": [
            {"id": "us", "name": "United States", "kind": "NATION", "parent": None},
            {"id": "fema9", "name": "FEMA IX", "kind": "FEMA_REGION", "parent": "us"},
            {"id": "ca", "name": "California", "kind": "STATE", "parent": "fema9"},
            {"id": "la", "name": "Los Angeles", "kind": "URBAN_AREA", "parent": "ca"},
            {"id": "fema2", "name": "FEMA II", "kind": "FEMA_REGION", "parent": "us"},
            {"id": "ny", "name": "New York", "kind": "STATE", "parent": "fema2"},
        ],
        "topics": [{"id": "cyber", "name": "Cyber"}, {"id": "physical", "name": "Physical"}],
        "partners": [
            _partner("p-grid", "Grid Co", "PRIVATE", regions=["la"], clientOf=["p-fed"]),
            _partner("p-ny", "NY Power", "PRIVATE", regions=["ny"]),
            _partner("p-nat", "National Energy Assoc", "NONPROFIT"),
            _partner("p-fed", "Federal Energy Office", "FEDERAL"),
            _partner("p-old", "Old Utility", "PRIVATE", active=False, regions=["ca"]),
            _partner(
                "fc-ca",
                "Cal Fusion Center",
                "STATE",
                sectors=[],
                regions=["ca"],
                fusionCenter={"type": "PRIMARY", "serves": ["ca"]},
            ),
            _partner(
                "fc-ny",
                "NY Fusion Center",
                "STATE",
                sectors=[],
                regions=["ny"],
                fusionCenter={"type": "RECOGNIZED", "serves": ["ny"]},
            ),
            _partner("p-water", "Water Co", "PRIVATE", sectors=["water"]),
        ],
        "councils": [
            {
                "id": "energy-scc",
                "name": "Energy SCC",
                "kind": "SCC",
                "sectors": ["energy"],
                "parent": None,
                "members": [
                    {"partner": "p-grid", "role": "CHAIR"},
                    {"partner": "p-ny", "role": "MEMBER"},
                    {"partner": "p-nat", "role": "OBSERVER"},
                    {"partner": "p-old", "role": "MEMBER"},
                ],
                "illustrative": True,
            },
            {
                "id": "energy-iswg",
                "name": "Energy ISWG",
                "kind": "ISWG",
                "sectors": ["energy"],
                "parent": "energy-scc",
                "members": [],
                "illustrative": True,
            },
            {
                "id": "water-council",
                "name": "Water Council",
                "kind": "CROSS_SECTOR",
                "sectors": ["water"],
                "parent": None,
                "members": [
                    {"partner": "p-water", "role": "MEMBER"},
                    {"partner": "p-fed", "role": "MEMBER"},
                ],
                "illustrative": True,
            },
        ],
        "contacts": [
            _contact("c2", "p-grid", "Bea", ["EMAIL"]),
            _contact("c1", "p-grid", "Bea", ["PHONE"]),
            _contact("c3", "p-grid", "Al", ["HSIN"], active=False),
            _contact("cf1", "p-fed", "Zed", ["WATCH_CENTER"], pciiAuthorized=True),
            _contact("cfc", "fc-ca", "Ann", ["WATCH_CENTER", "EMAIL"]),
            _contact("cn1", "p-nat", "Ann", ["EMAIL"]),
        ],
        "requirements": [
            {
                "id": "r1",
                "council": "energy-iswg",
                "sector": "energy",
                "kinds": ["ALERT"],
                "levels": [],
                "topics": ["cyber"],
                "minSeverity": "HIGH",
                "audience": {"council": "energy-scc"},
                "channel": "HSIN",
                "illustrative": True,
            },
            {
                "id": "r2",
                "council": "energy-scc",
                "sector": "energy",
                "kinds": [],
                "levels": [],
                "topics": [],
                "minSeverity": None,
                "audience": {"sector": "energy", "partnerKinds": ["FEDERAL"]},
                "channel": "EMAIL",
                "illustrative": True,
            },
            {
                "id": "r3",
                "council": "water-council",
                "sector": "water",
                "kinds": [],
                "levels": [],
                "topics": [],
                "minSeverity": None,
                "audience": {"sector": "water", "partnerKinds": []},
                "channel": "PHONE",
                "illustrative": True,
            },
        ],
        "subscriptions": [
            {"partner": "p-grid", "topic": "cyber", "sector": None, "minSeverity": "MODERATE"},
            {"partner": "p-fed", "topic": None, "sector": "energy", "minSeverity": "CRITICAL"},
        ],
        "products": [],
    }


def _product(**kw: Any) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "id": "prod",
        "title": "Grid ransomware",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "HIGH",
        "tlp": "AMBER",
        "pcii": False,
        "sectors": ["energy"],
        "topics": ["cyber"],
        "regions": ["ca"],
        "addressedTo": [],
        "issuedBy": "p-fed",
        "publishedAt": "2026-11-20T08:00:00Z",
        "illustrative": True,
    }
    rec.update(kw)
    return rec


def _by_partner(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["partner"]: r for r in result["recipients"]}


def _reasons(rec: dict[str, Any]) -> list[tuple[str, str | None]]:
    return [(r["source"], r["ref"]) for r in rec["reasons"]]


# --------------------------------------------------------------------------- §3


def test_base_case_full_answer() -> None:
    result = resolve_recipients(_doc(), _product())
    assert result == {
        "recipients": [
            {
                "partner": "fc-ca",
                "reasons": [{"source": "FUSION_CENTER", "ref": "ca"}],
                "contacts": ["cfc"],
                "channels": ["EMAIL", "WATCH_CENTER"],
            },
            {
                "partner": "p-fed",
                "reasons": [{"source": "REQUIREMENT", "ref": "r2"}],
                "contacts": ["cf1"],
                "channels": ["EMAIL"],
            },
            {
                "partner": "p-grid",
                "reasons": [
                    {"source": "REQUIREMENT", "ref": "r1"},
                    {"source": "SUBSCRIPTION", "ref": "cyber"},
                ],
                "contacts": ["c1", "c2"],  # name tie "Bea": ordered by id; c3 inactive
                "channels": ["HSIN"],  # from the requirement, not the contacts
            },
            {
                "partner": "p-nat",
                "reasons": [{"source": "REQUIREMENT", "ref": "r1"}],
                "contacts": ["cn1"],
                "channels": ["HSIN"],
            },
        ],
        "excluded": [{"partner": "p-old", "reason": "INACTIVE"}],
    }


def test_region_rule_excludes_unrelated_partner_and_includes_related_one() -> None:
    doc = _doc()
    in_ca = _by_partner(resolve_recipients(doc, _product(regions=["ca"])))
    assert "p-ny" not in in_ca  # ny is unrelated to ca
    assert "p-grid" in in_ca  # la lies in ca (product region contains partner region)
    in_ny = _by_partner(resolve_recipients(doc, _product(regions=["fema2"])))
    assert "p-ny" in in_ny  # ny lies in fema2
    assert "p-grid" not in in_ny
    assert "p-nat" in in_ny  # no regions: a national body
    assert "fc-ny" in in_ny and _reasons(in_ny["fc-ny"]) == [("FUSION_CENTER", "ny")]
    assert "fc-ca" not in in_ny


def test_region_rule_partner_region_contains_product_region() -> None:
    result = resolve_recipients(_doc(), _product(regions=["la"]))
    # p-old's region ca contains la: it is a candidate (then excluded as inactive)
    assert {"partner": "p-old", "reason": "INACTIVE"} in result["excluded"]
    fc = _by_partner(result)["fc-ca"]
    assert _reasons(fc) == [("FUSION_CENTER", "ca")]  # served ca contains la


def test_no_product_regions_every_fusion_center_with_null_ref() -> None:
    rec = _by_partner(resolve_recipients(_doc(), _product(regions=[])))
    assert _reasons(rec["fc-ca"]) == [("FUSION_CENTER", None)]
    assert _reasons(rec["fc-ny"]) == [("FUSION_CENTER", None)]
    assert "p-ny" in rec  # no region rule when the product has no regions


def test_region_rule_ignored_for_addressed() -> None:
    rec = _by_partner(resolve_recipients(_doc(), _product(regions=["ca"], addressedTo=["p-ny"])))
    assert _reasons(rec["p-ny"]) == [("ADDRESSED", "prod")]


def test_requirement_filters() -> None:
    doc = _doc()
    # wrong kind: r1 does not match, r2 still does
    rec = _by_partner(resolve_recipients(doc, _product(kind="WARNING")))
    assert "p-nat" not in rec and _reasons(rec["p-grid"]) == [("SUBSCRIPTION", "cyber")]
    # severity below r1's HIGH, below the subscription's MODERATE
    rec = _by_partner(resolve_recipients(doc, _product(severity="LOW")))
    assert "p-grid" not in rec and "p-fed" in rec
    # no topic overlap
    rec = _by_partner(resolve_recipients(doc, _product(topics=["physical"])))
    assert "p-nat" not in rec
    # sector not among product sectors: no requirement of that sector matches
    rec = _by_partner(resolve_recipients(doc, _product(sectors=["water"], regions=[])))
    assert _reasons(rec["p-water"]) == [("REQUIREMENT", "r3")]
    assert "p-fed" not in rec and "p-nat" not in rec
    # CRITICAL meets the p-fed sector subscription
    rec = _by_partner(resolve_recipients(doc, _product(severity="CRITICAL")))
    assert _reasons(rec["p-fed"]) == [("REQUIREMENT", "r2"), ("SUBSCRIPTION", "energy")]


def test_reason_order_and_dedup() -> None:
    rec = _by_partner(resolve_recipients(_doc(), _product(addressedTo=["p-grid", "p-grid"])))
    assert _reasons(rec["p-grid"]) == [
        ("REQUIREMENT", "r1"),
        ("SUBSCRIPTION", "cyber"),
        ("ADDRESSED", "prod"),
    ]


def test_tlp_red_exclusion_and_inactive_first() -> None:
    result = resolve_recipients(_doc(), _product(tlp="RED", addressedTo=["p-nat", "p-old"]))
    assert [r["partner"] for r in result["recipients"]] == ["p-nat"]
    assert result["excluded"] == [
        {"partner": "fc-ca", "reason": "TLP_RED_NOT_ADDRESSED"},
        {"partner": "p-fed", "reason": "TLP_RED_NOT_ADDRESSED"},
        {"partner": "p-grid", "reason": "TLP_RED_NOT_ADDRESSED"},
        {"partner": "p-old", "reason": "INACTIVE"},
    ]


def test_pcii_exclusions_and_contacts() -> None:
    doc = _doc()
    doc["contacts"].append(_contact("cf0", "p-fed", "Zed", ["PHONE"]))  # not authorized
    result = resolve_recipients(doc, _product(pcii=True))
    assert result["excluded"] == [
        {"partner": "fc-ca", "reason": "PCII_NO_AUTHORIZED_CONTACT"},
        {"partner": "p-grid", "reason": "PCII_NOT_GOVERNMENT"},
        {"partner": "p-nat", "reason": "PCII_NOT_GOVERNMENT"},
        {"partner": "p-old", "reason": "INACTIVE"},
    ]
    assert result["recipients"] == [
        {
            "partner": "p-fed",
            "reasons": [{"source": "REQUIREMENT", "ref": "r2"}],
            "contacts": ["cf1"],
            "channels": ["EMAIL"],
        }
    ]


def test_pcii_inactive_authorized_contact_does_not_count() -> None:
    doc = _doc()
    doc["contacts"].append(_contact("cx", "fc-ca", "Ann", ["HSIN"], pciiAuthorized=True))
    assert {"partner": "fc-ca", "reason": "PCII_NO_AUTHORIZED_CONTACT"} not in resolve_recipients(
        doc, _product(pcii=True)
    )["excluded"]
    doc["contacts"][-1]["active"] = False
    assert {"partner": "fc-ca", "reason": "PCII_NO_AUTHORIZED_CONTACT"} in resolve_recipients(
        doc, _product(pcii=True)
    )["excluded"]


def test_channel_fallback_uses_listed_contacts_only() -> None:
    doc = _doc()
    doc["contacts"].append(_contact("cx", "fc-ca", "Bob", ["HSIN", "PHONE"], pciiAuthorized=True))
    rec = _by_partner(resolve_recipients(doc, _product()))["fc-ca"]
    assert rec["contacts"] == ["cfc", "cx"]
    assert rec["channels"] == ["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"]
    rec = _by_partner(resolve_recipients(doc, _product(pcii=True)))["fc-ca"]
    assert rec["contacts"] == ["cx"] and rec["channels"] == ["HSIN", "PHONE"]


def test_recipients_ordered_by_name_then_id() -> None:
    doc = _doc()
    for p in doc["partners"]:
        if p["id"] in ("p-nat", "p-grid"):
            p["name"] = "Same Name"
    names = [r["partner"] for r in resolve_recipients(doc, _product())["recipients"]]
    assert names == ["fc-ca", "p-fed", "p-grid", "p-nat"]
    doc["partners"][0]["name"] = "Zz"  # p-grid
    names = [r["partner"] for r in resolve_recipients(doc, _product())["recipients"]]
    assert names == ["fc-ca", "p-fed", "p-nat", "p-grid"]


# --------------------------------------------------------------------------- §4


def test_can_share_tlp() -> None:
    doc = _doc()
    assert can_share(doc, _product(tlp="CLEAR"), "p-grid", "p-water") == (True, None)
    green = _product(tlp="GREEN")
    assert can_share(doc, green, "p-grid", "p-ny") == (True, None)  # shared sector
    assert can_share(doc, green, "p-water", "p-fed") == (True, None)  # shared council
    assert can_share(doc, green, "p-water", "p-water") == (True, None)
    assert can_share(doc, green, "p-grid", "p-water") == (False, "TLP_GREEN_OUTSIDE_COMMUNITY")
    amber = _product(tlp="AMBER")
    assert can_share(doc, amber, "p-fed", "p-grid") == (True, None)  # p-grid is fed's client
    assert can_share(doc, amber, "p-grid", "p-fed") == (False, "TLP_AMBER_NOT_CLIENT")
    assert can_share(doc, amber, "p-grid", "p-grid") == (True, None)
    strict = _product(tlp="AMBER_STRICT")
    assert can_share(doc, strict, "p-grid", "p-grid") == (True, None)
    assert can_share(doc, strict, "p-fed", "p-grid") == (False, "TLP_AMBER_STRICT_OTHER_ORG")
    red = _product(tlp="RED", addressedTo=["p-ny"])
    assert can_share(doc, red, "p-grid", "p-ny") == (True, None)
    assert can_share(doc, red, "p-ny", "p-ny") == (True, None)
    assert can_share(doc, red, "p-grid", "p-grid") == (False, "TLP_RED_NOT_ADDRESSED")


def test_can_share_pcii() -> None:
    doc = _doc()
    clear = _product(tlp="CLEAR", pcii=True)
    assert can_share(doc, clear, "p-fed", "p-grid") == (False, "PCII_NOT_GOVERNMENT")
    assert can_share(doc, clear, "p-fed", "fc-ca") == (False, "PCII_NO_AUTHORIZED_CONTACT")
    assert can_share(doc, clear, "p-grid", "p-fed") == (True, None)
    # TLP before PCII
    amber = _product(tlp="AMBER", pcii=True)
    assert can_share(doc, amber, "p-grid", "fc-ca") == (False, "TLP_AMBER_NOT_CLIENT")


# --------------------------------------------------------------------------- §5


def test_paths_and_neighborhood() -> None:
    doc = _doc()
    assert shortest_path_length(doc, "p-grid", "p-grid") == 0
    assert shortest_path_length(doc, "p-grid", "p-fed") == 1  # CLIENT_OF, undirected
    assert shortest_path_length(doc, "p-fed", "p-grid") == 1
    assert shortest_path_length(doc, "p-grid", "p-ny") == 2  # via energy-scc
    assert shortest_path_length(doc, "p-grid", "energy-iswg") == 2  # council parent
    assert shortest_path_length(doc, "p-grid", "p-water") == 3  # fed - water-council
    assert shortest_path_length(doc, "p-grid", "fc-ny") is None
    assert shortest_path_length(doc, "p-grid", "nobody") is None
    assert neighborhood(doc, "p-grid", 0) == {"p-grid"}
    assert neighborhood(doc, "p-grid", 1) == {"p-grid", "p-fed", "energy-scc"}
    assert neighborhood(doc, "fc-ny", 3) == {"fc-ny"}


# --------------------------------------------------------------------------- generator


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(networks(prefix="t1-"))
def test_networks_are_valid(doc: dict[str, Any]) -> None:
    assert document_errors(doc) == []
    for key in (
        "sectors",
        "regions",
        "topics",
        "partners",
        "councils",
        "contacts",
        "requirements",
        "products",
    ):
        assert all(r["id"].startswith("t1-") for r in doc[key])
    assert 3 <= len(doc["partners"]) <= 12 and 1 <= len(doc["products"]) <= 3
    assert all(c["channels"] for c in doc["contacts"])
    moved = add_prefix(doc, "x-")
    assert document_errors(moved) == []
    assert all(p["id"].startswith("x-t1-") for p in moved["partners"])
    # the oracle runs on every product, and partitions the candidates
    before = copy.deepcopy(doc)
    for product in doc["products"]:
        result = resolve_recipients(doc, product)
        kept = [r["partner"] for r in result["recipients"]]
        dropped = [e["partner"] for e in result["excluded"]]
        assert len(set(kept + dropped)) == len(kept) + len(dropped)
        owners = {c["id"]: c["partner"] for c in doc["contacts"]}
        for r in result["recipients"]:
            assert r["reasons"] and all(owners[c] == r["partner"] for c in r["contacts"])
    assert doc == before  # the oracle does not mutate its input

"""Recipient resolution and onward sharing (§4), rule by rule, through the GraphQL API.

One hand-built network is imported once for the module. Every id in it carries this module's unique
prefix ``P``; the tests strip it again (``_short``) so that the expectations read like the network
below. Products that have regions use either the California tree (``us > fema9 > ca > la``, with
``fema2 > ny > nyc`` beside it) or ``isle``, a region no fusion center serves, so that each answer
holds only the partners the test is about. Only ``p-noreg`` has no regions; it makes every fusion
center in the shared database a candidate, so answers are always filtered to ``P`` before asserting.
"""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests.helpers import data, unique_prefix

P = unique_prefix("rules")
PUBLISHED = "2026-11-25T12:00:00Z"


def _id(short: str) -> str:
    return P + short


def _ids(shorts: list[str]) -> list[str]:
    return [_id(s) for s in shorts]


def _short(full: str | None) -> str | None:
    if full is None:
        return None
    assert full.startswith(P), full
    return full.removeprefix(P)


# --------------------------------------------------------------------------- the network


def _partner(
    pid: str,
    name: str,
    kind: str,
    *,
    active: bool = True,
    sectors: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    client_of: tuple[str, ...] = (),
    serves: tuple[str, ...] | None = None,
) -> dict[str, Any]:
    return {
        "id": _id(pid),
        "name": name,
        "kind": kind,
        "active": active,
        "sectors": _ids(list(sectors)),
        "regions": _ids(list(regions)),
        "partnersWith": [],
        "clientOf": _ids(list(client_of)),
        "fusionCenter": None if serves is None else {"type": "PRIMARY", "serves": _ids(list(serves))},
    }


def _council(
    cid: str, name: str, kind: str, sectors: tuple[str, ...], members: tuple[str, ...]
) -> dict[str, Any]:
    return {
        "id": _id(cid),
        "name": name,
        "kind": kind,
        "sectors": _ids(list(sectors)),
        "parent": None,
        "members": [{"partner": _id(m), "role": "MEMBER"} for m in members],
    }


def _contact(
    cid: str,
    partner: str,
    name: str,
    channels: list[str],
    *,
    pcii: bool = False,
    active: bool = True,
) -> dict[str, Any]:
    return {
        "id": _id(cid),
        "partner": _id(partner),
        "name": name,
        "email": f"{cid}@example.org",
        "pciiAuthorized": pcii,
        "channels": channels,
        "active": active,
    }


def _requirement(
    rid: str,
    council: str,
    sector: str,
    channel: str,
    *,
    kinds: list[str] | None = None,
    levels: list[str] | None = None,
    topics: tuple[str, ...] = (),
    min_severity: str | None = None,
    audience_council: str | None = None,
    audience_sector: str | None = None,
    partner_kinds: list[str] | None = None,
) -> dict[str, Any]:
    audience: dict[str, Any] = (
        {"council": _id(audience_council)}
        if audience_council is not None
        else {"sector": _id(audience_sector or ""), "partnerKinds": partner_kinds or []}
    )
    return {
        "id": _id(rid),
        "council": _id(council),
        "sector": _id(sector),
        "kinds": kinds or [],
        "levels": levels or [],
        "topics": _ids(list(topics)),
        "minSeverity": min_severity,
        "audience": audience,
        "channel": channel,
    }


def _subscription(
    partner: str, *, topic: str | None = None, sector: str | None = None, min_severity: str | None = None
) -> dict[str, Any]:
    return {
        "partner": _id(partner),
        "topic": None if topic is None else _id(topic),
        "sector": None if sector is None else _id(sector),
        "minSeverity": min_severity,
    }


def _product(
    pid: str,
    *,
    kind: str = "ALERT",
    level: str = "OPERATIONAL",
    severity: str = "HIGH",
    tlp: str = "CLEAR",
    pcii: bool = False,
    sectors: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    addressed_to: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "id": _id(pid),
        "title": f"Product {pid}",
        "kind": kind,
        "level": level,
        "severity": severity,
        "tlp": tlp,
        "pcii": pcii,
        "sectors": _ids(list(sectors)),
        "topics": _ids(list(topics)),
        "regions": _ids(list(regions)),
        "addressedTo": _ids(list(addressed_to)),
        "issuedBy": _id("fed"),
        "publishedAt": PUBLISHED,
    }


def _region(rid: str, name: str, kind: str, parent: str | None) -> dict[str, Any]:
    return {"id": _id(rid), "name": name, "kind": kind, "parent": None if parent is None else _id(parent)}


# Products with their attributes, kept separately so previewRecipients can send the same draft.
P_SRC = _product(
    "p-src",
    kind="ALERT",
    level="OPERATIONAL",
    severity="HIGH",
    tlp="GREEN",
    sectors=("energy",),
    topics=("cyber",),
    regions=("ca",),
    addressed_to=("addr-far", "hub"),
)


def _document() -> dict[str, Any]:
    sectors = ["energy", "filt", "filt-other", "excl", "chan", "shs1", "shs2", "shs3"]
    return {
        "sectors": [{"id": _id(s), "name": f"Sector {s}"} for s in sectors],
        "regions": [
            _region("us", "Nation", "NATION", None),
            _region("fema9", "FEMA Region IX", "FEMA_REGION", "us"),
            _region("ca", "California", "STATE", "fema9"),
            _region("la", "Los Angeles", "URBAN_AREA", "ca"),
            _region("fema2", "FEMA Region II", "FEMA_REGION", "us"),
            _region("ny", "New York", "STATE", "fema2"),
            _region("nyc", "New York City", "URBAN_AREA", "ny"),
            _region("isle", "Isolated Island", "OTHER", None),
        ],
        "topics": [{"id": _id("cyber"), "name": "Cyber"}, {"id": _id("phys"), "name": "Physical"}],
        "partners": [
            # Candidate sources and the region rule (product p-src, region ca).
            _partner("fed", "Federal Energy Office", "FEDERAL", sectors=("energy",)),
            _partner("utility", "Golden State Utility", "PRIVATE", sectors=("energy",), regions=("ca",)),
            _partner("m-scc", "Canyon Power", "PRIVATE", regions=("la",)),
            _partner("m-scc-ny", "Empire Power", "PRIVATE", regions=("ny",)),
            _partner("sub-t", "National Cyber Alliance", "NONPROFIT"),
            _partner("sub-s", "Continental Energy Association", "NONPROFIT", regions=("us",)),
            _partner("sub-crit", "Critical Only Co", "PRIVATE"),
            _partner("sub-ny", "Hudson Grid", "PRIVATE", regions=("ny",)),
            _partner("addr-far", "Brooklyn Transit", "PRIVATE", regions=("nyc",)),
            _partner(
                "hub",
                "Bay Area Fusion Hub",
                "STATE",
                sectors=("energy",),
                regions=("ca",),
                serves=("la", "fema9", "ny"),
            ),
            _partner("fc-fema9", "Region Nine Fusion Center", "STATE", regions=("fema9",), serves=("fema9",)),
            _partner("fc-la", "Los Angeles Fusion Center", "LOCAL", regions=("la",), serves=("la",)),
            _partner("fc-ny", "New York Fusion Center", "STATE", regions=("ny",), serves=("ny",)),
            # Its own region is unrelated to ca, but it serves ca: the region rule must not apply.
            _partner("fc-multi", "Northeast Watch Center", "STATE", regions=("nyc",), serves=("nyc", "ca")),
            # Requirement filters (products p-filt and p-filt-low, sector filt).
            _partner("f-any-priv", "Any Private Lab", "PRIVATE", sectors=("filt",)),
            _partner("f-any-intl", "Any International Bank", "INTERNATIONAL", sectors=("filt",)),
            _partner("f-match", "Matching Water Authority", "LOCAL"),
            _partner("f-kind", "Wrong Kind Authority", "LOCAL"),
            _partner("f-level", "Wrong Level Authority", "LOCAL"),
            _partner("f-topic", "Wrong Topic Authority", "LOCAL"),
            _partner("f-sev", "Wrong Severity Authority", "LOCAL"),
            _partner("f-sector", "Wrong Sector Authority", "LOCAL"),
            # Channels (product p-chan, sector chan).
            _partner("ch-multi", "Channel Multi Utility", "PRIVATE"),
            _partner("ch-sub", "Channel Subscriber", "PRIVATE"),
            _partner("ch-none", "Channel Silent", "PRIVATE"),
            # Exclusions and contacts (products p-plain, p-pcii, p-red, p-red-plain; sector excl).
            _partner("x-old-priv", "Old Private Co", "PRIVATE", active=False),
            _partner("x-old-gov", "Old County Office", "LOCAL", active=False),
            # Two partners with the same name; the id decides, against document order.
            _partner("x-delta-b", "Delta Partners", "PRIVATE"),
            _partner("x-delta-a", "Delta Partners", "FEDERAL"),
            _partner("x-addr-priv", "Addressed Private Co", "PRIVATE"),
            _partner("x-noauth", "Tribal Office Without Clearance", "TRIBAL"),
            _partner("x-ok", "Municipal Office", "LOCAL"),
            # Onward sharing.
            _partner("s-a", "Share Origin Co", "PRIVATE", sectors=("shs1",)),
            _partner("s-sector-mate", "Share Sector Mate", "PRIVATE", sectors=("shs1",)),
            _partner("s-council-mate", "Share Council Mate", "PRIVATE", sectors=("shs2",)),
            _partner("s-outsider", "Share Outsider", "PRIVATE", sectors=("shs3",)),
            _partner("s-client", "Share Client", "PRIVATE", sectors=("shs3",), client_of=("s-a",)),
            _partner("s-gov-auth", "Share State Office", "STATE", sectors=("shs1",), client_of=("s-a",)),
            _partner(
                "s-gov-noauth", "Share Federal Office", "FEDERAL", sectors=("shs1",), client_of=("s-a",)
            ),
            _partner(
                "s-priv-auth", "Share Private Cleared", "PRIVATE", sectors=("shs1",), client_of=("s-a",)
            ),
        ],
        "councils": [
            _council(
                "energy-scc", "Energy SCC", "SCC", ("energy",), ("m-scc", "m-scc-ny", "addr-far", "hub")
            ),
            _council("energy-gcc", "Energy GCC", "GCC", ("energy",), ()),
            _council("filt-gcc", "Filter GCC", "GCC", ("filt",), ()),
            _council("c-match", "Match Group", "CROSS_SECTOR", (), ("f-match",)),
            _council("c-kind", "Kind Group", "CROSS_SECTOR", (), ("f-kind",)),
            _council("c-level", "Level Group", "CROSS_SECTOR", (), ("f-level",)),
            _council("c-topic", "Topic Group", "CROSS_SECTOR", (), ("f-topic",)),
            _council("c-sev", "Severity Group", "CROSS_SECTOR", (), ("f-sev",)),
            _council("c-sector", "Sector Group", "CROSS_SECTOR", (), ("f-sector",)),
            _council("c-chan", "Channel Group", "CROSS_SECTOR", ("chan",), ("ch-multi",)),
            _council("s-council", "Share Council", "CROSS_SECTOR", (), ("s-a", "s-council-mate")),
        ],
        "contacts": [
            _contact("ct-far", "addr-far", "Fay Far", ["PHONE"]),
            _contact("ct-ch-multi", "ch-multi", "Mo Multi", ["PHONE"]),
            _contact("ct-ch-sub-1", "ch-sub", "Sue Sub", ["WATCH_CENTER", "EMAIL"]),
            _contact("ct-ch-sub-2", "ch-sub", "Sam Sub", ["PHONE", "EMAIL"]),
            _contact("ct-ch-sub-3", "ch-sub", "Sid Sub", ["HSIN"], active=False),
            _contact("ct-x-old", "x-old-gov", "Olga Old", ["EMAIL"], pcii=True),
            _contact("ct-x-delta-b", "x-delta-b", "Dee Bee", ["EMAIL"], pcii=True),
            _contact("ct-x-delta-a", "x-delta-a", "Dee Ay", ["HSIN"], pcii=True),
            _contact("ct-noauth-1", "x-noauth", "Nia Inactive", ["EMAIL"], pcii=True, active=False),
            _contact("ct-noauth-2", "x-noauth", "Ned Uncleared", ["EMAIL"]),
            # Same name twice, listed against id order; one inactive; two not PCII-authorized.
            _contact("ct-bea-2", "x-ok", "Bea Brown", ["PHONE"], pcii=True),
            _contact("ct-zoe", "x-ok", "Zoe Zimmer", ["EMAIL"], pcii=True, active=False),
            _contact("ct-bea-1", "x-ok", "Bea Brown", ["EMAIL"]),
            _contact("ct-cy", "x-ok", "Cy Cole", ["HSIN"]),
            _contact("ct-al", "x-ok", "Al Adams", ["WATCH_CENTER", "HSIN"], pcii=True),
            _contact("ct-s-gov", "s-gov-auth", "Gil Gov", ["EMAIL"], pcii=True),
            _contact("ct-s-noauth-1", "s-gov-noauth", "Nan Gone", ["EMAIL"], pcii=True, active=False),
            _contact("ct-s-noauth-2", "s-gov-noauth", "Nat Uncleared", ["EMAIL"]),
            _contact("ct-s-priv", "s-priv-auth", "Pat Private", ["EMAIL"], pcii=True),
        ],
        "requirements": [
            # Listed council-first; ordered by ref, r1-kinds comes first.
            _requirement("r2-council", "energy-scc", "energy", "HSIN", audience_council="energy-scc"),
            _requirement(
                "r1-kinds",
                "energy-gcc",
                "energy",
                "EMAIL",
                audience_sector="energy",
                partner_kinds=["FEDERAL", "STATE"],
            ),
            # Empty kinds/levels/topics, null minSeverity and empty partnerKinds: any.
            _requirement("rf-any", "filt-gcc", "filt", "EMAIL", audience_sector="filt"),
            *_filter_requirements(),
            _requirement("rc-watch", "c-chan", "chan", "WATCH_CENTER", audience_council="c-chan"),
            _requirement("rc-email", "c-chan", "chan", "EMAIL", audience_council="c-chan"),
            _requirement("rc-hsin", "c-chan", "chan", "HSIN", audience_council="c-chan"),
            _requirement("rc-email2", "c-chan", "chan", "EMAIL", audience_council="c-chan"),
        ],
        "subscriptions": [
            _subscription("sub-t", topic="cyber", min_severity="MODERATE"),
            _subscription("sub-s", sector="energy"),
            _subscription("sub-crit", topic="cyber", min_severity="CRITICAL"),
            _subscription("sub-ny", topic="cyber", min_severity="LOW"),
            _subscription("hub", topic="cyber"),
            _subscription("hub", sector="energy", min_severity="LOW"),
            _subscription("ch-multi", sector="chan"),
            _subscription("ch-sub", sector="chan"),
            _subscription("ch-none", sector="chan"),
            *[
                _subscription(x, sector="excl")
                for x in (
                    "x-old-priv",
                    "x-old-gov",
                    "x-delta-b",
                    "x-delta-a",
                    "x-addr-priv",
                    "x-noauth",
                    "x-ok",
                )
            ],
        ],
        "products": [
            P_SRC,
            _product("p-noreg", kind="DAILY_REPORT", level="STRATEGIC", severity="LOW"),
            _product(
                "p-filt",
                kind="WARNING",
                level="SITUATIONAL",
                severity="MODERATE",
                sectors=("filt",),
                topics=("phys",),
                regions=("isle",),
            ),
            _product(
                "p-filt-low",
                kind="WARNING",
                level="SITUATIONAL",
                severity="LOW",
                sectors=("filt",),
                topics=("phys",),
                regions=("isle",),
            ),
            _product("p-chan", sectors=("chan",), regions=("isle",)),
            _product("p-plain", tlp="GREEN", sectors=("excl",), regions=("isle",)),
            _product("p-pcii", tlp="AMBER", pcii=True, sectors=("excl",), regions=("isle",)),
            _product(
                "p-red",
                tlp="RED",
                pcii=True,
                sectors=("excl",),
                regions=("isle",),
                addressed_to=("x-addr-priv", "x-noauth", "x-ok", "x-old-gov"),
            ),
            _product(
                "p-red-plain", tlp="RED", sectors=("excl",), regions=("isle",), addressed_to=("x-addr-priv",)
            ),
            _product("sh-clear", tlp="CLEAR"),
            _product("sh-green", tlp="GREEN"),
            _product("sh-amber", tlp="AMBER"),
            _product("sh-amber-strict", tlp="AMBER_STRICT"),
            _product("sh-red", tlp="RED", addressed_to=("s-outsider",)),
            _product("sh-pcii-clear", tlp="CLEAR", pcii=True),
            _product("sh-pcii-amber", tlp="AMBER", pcii=True),
            _product("sh-pcii-red", tlp="RED", pcii=True, addressed_to=("s-gov-auth", "s-priv-auth")),
        ],
    }


def _filter_requirements() -> list[dict[str, Any]]:
    """rf-match meets every filter of p-filt; each other one differs from it in exactly one filter."""
    base: dict[str, Any] = {
        "kinds": ["WARNING", "ALERT"],
        "levels": ["SITUATIONAL", "OPERATIONAL"],
        "topics": ("cyber", "phys"),
        "min_severity": "MODERATE",  # equal to p-filt's severity: it counts
    }
    variants: list[tuple[str, str, str, dict[str, Any]]] = [
        ("rf-match", "c-match", "filt", {}),
        ("rf-kind", "c-kind", "filt", {"kinds": ["ALERT", "THREAT_ASSESSMENT"]}),
        ("rf-level", "c-level", "filt", {"levels": ["STRATEGIC"]}),
        ("rf-topic", "c-topic", "filt", {"topics": ("cyber",)}),
        ("rf-sev", "c-sev", "filt", {"min_severity": "HIGH"}),
        ("rf-sector", "c-sector", "filt-other", {}),
    ]
    return [
        _requirement(rid, "filt-gcc", sector, "PHONE", audience_council=council, **{**base, **change})
        for rid, council, sector, change in variants
    ]


@pytest.fixture(scope="module")
async def network(db: Database) -> dict[str, Any]:
    document = _document()
    report = await import_network(db, document)
    assert report.ok, report.problems
    return document


# --------------------------------------------------------------------------- querying

_LIST_FIELDS = """
  recipients {
    partner { id name }
    reasons { source ref }
    contacts { id name }
    channels
  }
  excluded { partner { id name } reason }
"""
RECIPIENTS = f"query($id: ID!) {{ recipients(productId: $id) {{ product {{ id }} {_LIST_FIELDS} }} }}"
PREVIEW = f"query($product: ProductInput!) {{ previewRecipients(product: $product) {{ {_LIST_FIELDS} }} }}"
CAN_SHARE = """
query($p: ID!, $from: ID!, $to: ID!) { canShare(productId: $p, from: $from, to: $to) { allowed reason } }
"""


def _answer(client: TestClient, product: str) -> dict[str, Any]:
    answer: dict[str, Any] = data(client, RECIPIENTS, id=_id(product))["recipients"]
    assert answer["product"]["id"] == _id(product)
    return answer


def _mine(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["partner"]["id"].startswith(P)]


def _recipients(client: TestClient, product: str) -> dict[str, dict[str, Any]]:
    """This module's recipients of a product, in answer order: short id -> what the answer says."""
    return {
        str(_short(r["partner"]["id"])): {
            "reasons": [(x["source"], _short(x["ref"])) for x in r["reasons"]],
            "contacts": [_short(c["id"]) for c in r["contacts"]],
            "channels": r["channels"],
        }
        for r in _mine(_answer(client, product)["recipients"])
    }


def _excluded(client: TestClient, product: str) -> list[tuple[str | None, str]]:
    return [(_short(e["partner"]["id"]), e["reason"]) for e in _mine(_answer(client, product)["excluded"])]


def _everyone(client: TestClient, product: str) -> set[str | None]:
    """Every partner of this module the product's answer names, as recipient or excluded."""
    answer = _answer(client, product)
    return {_short(x["partner"]["id"]) for x in _mine(answer["recipients"]) + _mine(answer["excluded"])}


def _share(client: TestClient, product: str, source: str, target: str) -> tuple[bool, str | None]:
    decision = data(client, CAN_SHARE, p=_id(product), **{"from": _id(source), "to": _id(target)})["canShare"]
    return decision["allowed"], decision["reason"]


# --------------------------------------------------------------------------- the whole answers


def test_the_source_product_has_exactly_the_expected_recipients_in_order(network, client) -> None:
    recipients = _recipients(client, "p-src")
    assert list(recipients.items()) == [
        (
            "hub",
            {
                "reasons": [
                    ("REQUIREMENT", "r1-kinds"),
                    ("REQUIREMENT", "r2-council"),
                    ("SUBSCRIPTION", "cyber"),
                    ("SUBSCRIPTION", "energy"),
                    ("FUSION_CENTER", "fema9"),
                    ("FUSION_CENTER", "la"),
                    ("ADDRESSED", "p-src"),
                ],
                "contacts": [],
                "channels": ["HSIN", "EMAIL"],
            },
        ),
        ("addr-far", {"reasons": [("ADDRESSED", "p-src")], "contacts": ["ct-far"], "channels": ["PHONE"]}),
        ("m-scc", {"reasons": [("REQUIREMENT", "r2-council")], "contacts": [], "channels": ["HSIN"]}),
        ("sub-s", {"reasons": [("SUBSCRIPTION", "energy")], "contacts": [], "channels": []}),
        ("fed", {"reasons": [("REQUIREMENT", "r1-kinds")], "contacts": [], "channels": ["EMAIL"]}),
        ("fc-la", {"reasons": [("FUSION_CENTER", "la")], "contacts": [], "channels": []}),
        ("sub-t", {"reasons": [("SUBSCRIPTION", "cyber")], "contacts": [], "channels": []}),
        ("fc-multi", {"reasons": [("FUSION_CENTER", "ca")], "contacts": [], "channels": []}),
        ("fc-fema9", {"reasons": [("FUSION_CENTER", "fema9")], "contacts": [], "channels": []}),
    ]
    assert _excluded(client, "p-src") == []


# --------------------------------------------------------------------------- candidate sources


def test_requirement_with_a_council_audience_reaches_the_councils_direct_members(network, client) -> None:
    recipients = _recipients(client, "p-src")
    assert recipients["m-scc"]["reasons"] == [("REQUIREMENT", "r2-council")]
    assert ("REQUIREMENT", "r2-council") in recipients["hub"]["reasons"]


def test_requirement_with_a_sector_audience_reaches_partners_of_the_listed_kinds_only(
    network, client
) -> None:
    recipients = _recipients(client, "p-src")
    assert recipients["fed"]["reasons"] == [("REQUIREMENT", "r1-kinds")]  # FEDERAL, in energy
    assert ("REQUIREMENT", "r1-kinds") in recipients["hub"]["reasons"]  # STATE, in energy
    # A PRIVATE partner of the sector, in the product's own region, with no other reason: not a candidate.
    assert "utility" not in _everyone(client, "p-src")


def test_subscription_to_one_of_the_products_topics(network, client) -> None:
    assert _recipients(client, "p-src")["sub-t"]["reasons"] == [("SUBSCRIPTION", "cyber")]


def test_subscription_to_one_of_the_products_sectors(network, client) -> None:
    assert _recipients(client, "p-src")["sub-s"]["reasons"] == [("SUBSCRIPTION", "energy")]


def test_subscription_with_a_minimum_above_the_products_severity_does_not_count(network, client) -> None:
    # sub-crit subscribes to cyber from CRITICAL; p-src is HIGH. sub-t (from MODERATE) does count.
    assert "sub-crit" not in _everyone(client, "p-src")
    assert "sub-t" in _recipients(client, "p-src")


def test_fusion_center_reason_names_the_served_region_that_matched(network, client) -> None:
    recipients = _recipients(client, "p-src")
    # Serving fema9, an ancestor of ca, counts; so does serving la, an urban area inside ca.
    assert recipients["fc-fema9"]["reasons"] == [("FUSION_CENTER", "fema9")]
    assert recipients["fc-la"]["reasons"] == [("FUSION_CENTER", "la")]
    # fc-multi serves nyc and ca: only ca matched. hub serves la, fema9 and ny: ny did not match.
    assert recipients["fc-multi"]["reasons"] == [("FUSION_CENTER", "ca")]
    assert [r for r in recipients["hub"]["reasons"] if r[0] == "FUSION_CENTER"] == [
        ("FUSION_CENTER", "fema9"),
        ("FUSION_CENTER", "la"),
    ]


def test_fusion_center_serving_an_unrelated_state_is_not_a_candidate(network, client) -> None:
    assert "fc-ny" not in _everyone(client, "p-src")


def test_product_without_regions_makes_every_fusion_center_a_candidate_with_a_null_ref(
    network, client
) -> None:
    recipients = _recipients(client, "p-noreg")
    assert list(recipients) == ["hub", "fc-la", "fc-ny", "fc-multi", "fc-fema9"]
    assert all(r["reasons"] == [("FUSION_CENTER", None)] for r in recipients.values())
    assert _excluded(client, "p-noreg") == []
    # Not only this module's: every recipient of the answer is a fusion center with a null ref.
    for recipient in _answer(client, "p-noreg")["recipients"]:
        assert recipient["reasons"] == [{"source": "FUSION_CENTER", "ref": None}]


def test_addressed_partner_has_the_product_id_as_ref(network, client) -> None:
    recipients = _recipients(client, "p-src")
    assert recipients["addr-far"]["reasons"] == [("ADDRESSED", "p-src")]
    assert recipients["hub"]["reasons"][-1] == ("ADDRESSED", "p-src")


# --------------------------------------------------------------------------- requirement filters


def test_requirement_filters_empty_or_null_mean_any(network, client) -> None:
    # rf-any: no kinds, levels, topics, minSeverity, partnerKinds: every partner of sector filt.
    for product in ("p-filt", "p-filt-low"):
        recipients = _recipients(client, product)
        assert recipients["f-any-intl"]["reasons"] == [("REQUIREMENT", "rf-any")]
        assert recipients["f-any-priv"]["reasons"] == [("REQUIREMENT", "rf-any")]


def test_requirement_meeting_every_filter_counts(network, client) -> None:
    recipients = _recipients(client, "p-filt")
    assert list(recipients) == ["f-any-intl", "f-any-priv", "f-match"]
    assert recipients["f-match"] == {
        "reasons": [("REQUIREMENT", "rf-match")],
        "contacts": [],
        "channels": ["PHONE"],
    }
    assert _excluded(client, "p-filt") == []


def test_requirement_filter_kinds_excludes_the_requirement(network, client) -> None:
    assert "f-kind" not in _everyone(client, "p-filt")


def test_requirement_filter_levels_excludes_the_requirement(network, client) -> None:
    assert "f-level" not in _everyone(client, "p-filt")


def test_requirement_filter_topics_excludes_the_requirement(network, client) -> None:
    assert "f-topic" not in _everyone(client, "p-filt")


def test_requirement_filter_min_severity_excludes_the_requirement(network, client) -> None:
    assert "f-sev" not in _everyone(client, "p-filt")
    # rf-match's MODERATE minimum counts for a MODERATE product but not for a LOW one; rf-any's null does.
    assert "f-match" not in _everyone(client, "p-filt-low")
    assert list(_recipients(client, "p-filt-low")) == ["f-any-intl", "f-any-priv"]


def test_requirement_of_another_sector_does_not_count(network, client) -> None:
    assert "f-sector" not in _everyone(client, "p-filt")


# --------------------------------------------------------------------------- the region rule


def test_region_rule_drops_a_requirement_candidate_in_an_unrelated_region(network, client) -> None:
    # m-scc-ny is a member of energy-scc like m-scc, but lies in ny, unrelated to ca.
    assert "m-scc-ny" not in _everyone(client, "p-src")


def test_region_rule_drops_a_subscription_candidate_in_an_unrelated_region(network, client) -> None:
    # sub-ny subscribes to cyber from LOW, like sub-t (national) who is kept, but lies in ny.
    assert "sub-ny" not in _everyone(client, "p-src")


def test_region_rule_keeps_a_partner_without_regions(network, client) -> None:
    recipients = _recipients(client, "p-src")
    assert recipients["fed"]["reasons"] == [("REQUIREMENT", "r1-kinds")]
    assert recipients["sub-t"]["reasons"] == [("SUBSCRIPTION", "cyber")]


def test_region_rule_keeps_partners_in_descendant_and_ancestor_regions(network, client) -> None:
    recipients = _recipients(client, "p-src")
    assert recipients["m-scc"]["reasons"] == [("REQUIREMENT", "r2-council")]  # la, inside ca
    assert recipients["sub-s"]["reasons"] == [("SUBSCRIPTION", "energy")]  # us, two levels above ca


def test_region_rule_does_not_apply_to_fusion_center_and_addressed_reasons(network, client) -> None:
    recipients = _recipients(client, "p-src")
    # fc-multi lies in nyc, unrelated to ca, but serves ca.
    assert recipients["fc-multi"]["reasons"] == [("FUSION_CENTER", "ca")]
    # addr-far lies in nyc and is still a recipient; its energy-scc membership (a requirement
    # reason) does not count there, so it has the ADDRESSED reason only, and its contacts' channels.
    assert recipients["addr-far"] == {
        "reasons": [("ADDRESSED", "p-src")],
        "contacts": ["ct-far"],
        "channels": ["PHONE"],
    }


# --------------------------------------------------------------------------- exclusions


def test_exclusion_inactive(network, client) -> None:
    assert _excluded(client, "p-plain") == [("x-old-gov", "INACTIVE"), ("x-old-priv", "INACTIVE")]
    assert not {"x-old-gov", "x-old-priv"} & set(_recipients(client, "p-plain"))


def test_exclusion_tlp_red_not_addressed(network, client) -> None:
    # RED without PCII: the addressed private partner without contacts is a recipient, the rest are not.
    recipients = _recipients(client, "p-red-plain")
    assert list(recipients) == ["x-addr-priv"]
    assert recipients["x-addr-priv"]["reasons"] == [("SUBSCRIPTION", "excl"), ("ADDRESSED", "p-red-plain")]
    assert _excluded(client, "p-red-plain") == [
        ("x-delta-a", "TLP_RED_NOT_ADDRESSED"),
        ("x-delta-b", "TLP_RED_NOT_ADDRESSED"),
        ("x-ok", "TLP_RED_NOT_ADDRESSED"),
        ("x-old-gov", "INACTIVE"),
        ("x-old-priv", "INACTIVE"),
        ("x-noauth", "TLP_RED_NOT_ADDRESSED"),
    ]


def test_exclusion_pcii_not_government(network, client) -> None:
    excluded = dict(_excluded(client, "p-pcii"))
    assert excluded["x-delta-b"] == "PCII_NOT_GOVERNMENT"  # PRIVATE, with an active authorized contact
    assert excluded["x-addr-priv"] == "PCII_NOT_GOVERNMENT"


def test_exclusion_pcii_no_authorized_contact(network, client) -> None:
    # x-noauth is TRIBAL; its authorized contact is inactive, its active contact is not authorized.
    assert dict(_excluded(client, "p-pcii"))["x-noauth"] == "PCII_NO_AUTHORIZED_CONTACT"


def test_pcii_product_keeps_government_partners_with_an_authorized_contact(network, client) -> None:
    assert list(_recipients(client, "p-pcii")) == ["x-delta-a", "x-ok"]
    assert _excluded(client, "p-pcii") == [
        ("x-addr-priv", "PCII_NOT_GOVERNMENT"),
        ("x-delta-b", "PCII_NOT_GOVERNMENT"),
        ("x-old-gov", "INACTIVE"),
        ("x-old-priv", "INACTIVE"),
        ("x-noauth", "PCII_NO_AUTHORIZED_CONTACT"),
    ]


def test_exclusion_names_the_first_rule_that_fails_in_order(network, client) -> None:
    excluded = dict(_excluded(client, "p-red"))  # RED and PCII
    # Inactive, private, not addressed, no contact: every rule fails; the first is INACTIVE.
    assert excluded["x-old-priv"] == "INACTIVE"
    # Inactive but addressed government partner with an authorized contact: INACTIVE alone.
    assert excluded["x-old-gov"] == "INACTIVE"
    # Active, private, not addressed: TLP_RED_NOT_ADDRESSED before PCII_NOT_GOVERNMENT.
    assert excluded["x-delta-b"] == "TLP_RED_NOT_ADDRESSED"
    # Addressed, private, no authorized contact: PCII_NOT_GOVERNMENT before PCII_NO_AUTHORIZED_CONTACT.
    assert excluded["x-addr-priv"] == "PCII_NOT_GOVERNMENT"
    # Addressed government partner without an active authorized contact.
    assert excluded["x-noauth"] == "PCII_NO_AUTHORIZED_CONTACT"
    recipients = _recipients(client, "p-red")
    assert list(recipients) == ["x-ok"]
    assert recipients["x-ok"]["reasons"] == [("SUBSCRIPTION", "excl"), ("ADDRESSED", "p-red")]


# --------------------------------------------------------------------------- contacts and channels


def test_contacts_are_the_active_ones_ordered_by_name_then_id(network, client) -> None:
    x_ok = _recipients(client, "p-plain")["x-ok"]
    # Zoe is inactive; the two Bea Browns are ordered by id, not by document order.
    assert x_ok["contacts"] == ["ct-al", "ct-bea-1", "ct-bea-2", "ct-cy"]
    answer = _answer(client, "p-plain")
    [full] = [r for r in answer["recipients"] if r["partner"]["id"] == _id("x-ok")]
    assert [c["name"] for c in full["contacts"]] == ["Al Adams", "Bea Brown", "Bea Brown", "Cy Cole"]


def test_contacts_of_a_pcii_product_are_only_the_authorized_active_ones(network, client) -> None:
    recipients = _recipients(client, "p-pcii")
    assert recipients["x-ok"]["contacts"] == ["ct-al", "ct-bea-2"]
    assert recipients["x-delta-a"]["contacts"] == ["ct-x-delta-a"]


def test_channels_without_a_requirement_reason_are_the_listed_contacts_channels(network, client) -> None:
    # All four contacts listed: their channels in HSIN, EMAIL, PHONE, WATCH_CENTER order.
    assert _recipients(client, "p-plain")["x-ok"]["channels"] == ["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"]
    # PCII lists only Al (WATCH_CENTER, HSIN) and one Bea (PHONE): the others' EMAIL is not there.
    assert _recipients(client, "p-pcii")["x-ok"]["channels"] == ["HSIN", "PHONE", "WATCH_CENTER"]
    chan = _recipients(client, "p-chan")
    # ch-sub's inactive contact (HSIN) is not listed, so its channel is not either.
    assert chan["ch-sub"]["contacts"] == ["ct-ch-sub-2", "ct-ch-sub-1"]  # Sam before Sue
    assert chan["ch-sub"]["channels"] == ["EMAIL", "PHONE", "WATCH_CENTER"]
    assert chan["ch-none"]["channels"] == []


def test_channels_are_the_union_of_the_requirement_reasons_channels_in_order(network, client) -> None:
    chan = _recipients(client, "p-chan")
    assert list(chan) == ["ch-multi", "ch-none", "ch-sub"]  # Multi, Silent, Subscriber
    assert chan["ch-multi"] == {
        "reasons": [
            ("REQUIREMENT", "rc-email"),
            ("REQUIREMENT", "rc-email2"),
            ("REQUIREMENT", "rc-hsin"),
            ("REQUIREMENT", "rc-watch"),
            ("SUBSCRIPTION", "chan"),
        ],
        "contacts": ["ct-ch-multi"],
        # Not its contact's PHONE: a recipient with requirement reasons takes their channels only.
        "channels": ["HSIN", "EMAIL", "WATCH_CENTER"],
    }


# --------------------------------------------------------------------------- ordering and stability


def test_reasons_are_ordered_by_source_then_ref(network, client) -> None:
    reasons = _recipients(client, "p-src")["hub"]["reasons"]
    sources = ["REQUIREMENT", "SUBSCRIPTION", "FUSION_CENTER", "ADDRESSED"]
    assert reasons == sorted(reasons, key=lambda r: (sources.index(r[0]), r[1]))
    assert [s for s, _ in reasons] == ["REQUIREMENT"] * 2 + ["SUBSCRIPTION"] * 2 + ["FUSION_CENTER"] * 2 + [
        "ADDRESSED"
    ]
    assert reasons[:2] == [("REQUIREMENT", "r1-kinds"), ("REQUIREMENT", "r2-council")]


def test_recipients_are_ordered_by_partner_name_then_id(network, client) -> None:
    assert list(_recipients(client, "p-plain")) == [
        "x-addr-priv",
        "x-delta-a",
        "x-delta-b",
        "x-ok",
        "x-noauth",
    ]
    names = [r["partner"]["name"] for r in _mine(_answer(client, "p-plain")["recipients"])]
    assert names == [
        "Addressed Private Co",
        "Delta Partners",
        "Delta Partners",
        "Municipal Office",
        "Tribal Office Without Clearance",
    ]


def test_exclusions_are_ordered_by_partner_name_then_id(network, client) -> None:
    assert _excluded(client, "p-red") == [
        ("x-addr-priv", "PCII_NOT_GOVERNMENT"),
        ("x-delta-a", "TLP_RED_NOT_ADDRESSED"),
        ("x-delta-b", "TLP_RED_NOT_ADDRESSED"),
        ("x-old-gov", "INACTIVE"),
        ("x-old-priv", "INACTIVE"),
        ("x-noauth", "PCII_NO_AUTHORIZED_CONTACT"),
    ]


@pytest.mark.parametrize("product", ["p-src", "p-red", "p-chan", "p-noreg"])
def test_the_same_graph_gives_the_same_answer_every_time(network, client, product: str) -> None:
    first = _answer(client, product)
    assert _answer(client, product) == first
    assert _answer(client, product) == first


# --------------------------------------------------------------------------- previewRecipients


def _draft(product: dict[str, Any], draft_id: str) -> dict[str, Any]:
    return {
        "id": draft_id,
        "title": product["title"],
        "kind": product["kind"],
        "level": product["level"],
        "severity": product["severity"],
        "tlp": product["tlp"],
        "pcii": product["pcii"],
        "sectors": product["sectors"],
        "topics": product["topics"],
        "regions": product["regions"],
        "addressedTo": product["addressedTo"],
        "issuedBy": product["issuedBy"],
        "publishedAt": product["publishedAt"],
    }


def _with_addressed_ref(answer: dict[str, Any], ref: str) -> dict[str, Any]:
    recipients = [
        {
            **r,
            "reasons": [
                {**x, "ref": ref} if x["source"] == "ADDRESSED" else x  # the one ref a draft changes
                for x in r["reasons"]
            ],
        }
        for r in answer["recipients"]
    ]
    return {"recipients": recipients, "excluded": answer["excluded"]}


@pytest.mark.parametrize("product_id", ["p-src", "p-red"])
def test_preview_of_a_draft_identical_to_a_saved_product_gives_its_recipients(
    network, client, product_id: str
) -> None:
    [product] = [p for p in network["products"] if p["id"] == _id(product_id)]
    draft_id = _id(f"{product_id}-draft")
    preview = data(client, PREVIEW, product=_draft(product, draft_id))["previewRecipients"]
    saved = _answer(client, product_id)
    addressed = [x["ref"] for r in preview["recipients"] for x in r["reasons"] if x["source"] == "ADDRESSED"]
    assert addressed and set(addressed) == {draft_id}
    assert _with_addressed_ref(preview, _id(product_id)) == {
        "recipients": saved["recipients"],
        "excluded": saved["excluded"],
    }


# --------------------------------------------------------------------------- canShare (§4)


def test_can_share_clear_always(network, client) -> None:
    assert _share(client, "sh-clear", "s-a", "s-outsider") == (True, None)
    assert _share(client, "sh-clear", "s-client", "s-council-mate") == (True, None)


def test_can_share_green_within_the_community(network, client) -> None:
    assert _share(client, "sh-green", "s-a", "s-a") == (True, None)
    assert _share(client, "sh-green", "s-a", "s-sector-mate") == (True, None)  # shared sector
    assert _share(client, "sh-green", "s-a", "s-council-mate") == (True, None)  # shared council only
    assert _share(client, "sh-green", "s-a", "s-outsider") == (False, "TLP_GREEN_OUTSIDE_COMMUNITY")
    # A client outside the community is still outside it.
    assert _share(client, "sh-green", "s-a", "s-client") == (False, "TLP_GREEN_OUTSIDE_COMMUNITY")


def test_can_share_amber_with_a_client(network, client) -> None:
    assert _share(client, "sh-amber", "s-a", "s-a") == (True, None)
    assert _share(client, "sh-amber", "s-a", "s-client") == (True, None)
    # The community is not enough, and CLIENT_OF has a direction.
    assert _share(client, "sh-amber", "s-a", "s-sector-mate") == (False, "TLP_AMBER_NOT_CLIENT")
    assert _share(client, "sh-amber", "s-client", "s-a") == (False, "TLP_AMBER_NOT_CLIENT")


def test_can_share_amber_strict_within_the_organisation(network, client) -> None:
    assert _share(client, "sh-amber-strict", "s-a", "s-a") == (True, None)
    assert _share(client, "sh-amber-strict", "s-a", "s-client") == (False, "TLP_AMBER_STRICT_OTHER_ORG")


def test_can_share_red_with_an_addressee(network, client) -> None:
    assert _share(client, "sh-red", "s-a", "s-outsider") == (True, None)
    assert _share(client, "sh-red", "s-a", "s-client") == (False, "TLP_RED_NOT_ADDRESSED")
    # The table allows RED only towards an addressee, even for the organisation itself.
    assert _share(client, "sh-red", "s-a", "s-a") == (False, "TLP_RED_NOT_ADDRESSED")


def test_can_share_pcii_needs_a_government_recipient(network, client) -> None:
    assert _share(client, "sh-pcii-clear", "s-a", "s-gov-auth") == (True, None)
    assert _share(client, "sh-pcii-clear", "s-a", "s-priv-auth") == (False, "PCII_NOT_GOVERNMENT")


def test_can_share_pcii_needs_an_active_authorized_contact(network, client) -> None:
    # s-gov-noauth's authorized contact is inactive; its active contact is not authorized.
    assert _share(client, "sh-pcii-clear", "s-a", "s-gov-noauth") == (False, "PCII_NO_AUTHORIZED_CONTACT")


def test_can_share_reports_the_tlp_denial_before_the_pcii_one(network, client) -> None:
    # s-outsider is neither a client nor government: the TLP rule is named.
    assert _share(client, "sh-pcii-amber", "s-a", "s-outsider") == (False, "TLP_AMBER_NOT_CLIENT")
    assert _share(client, "sh-pcii-red", "s-a", "s-outsider") == (False, "TLP_RED_NOT_ADDRESSED")
    # Once the TLP rule passes, the PCII rules decide.
    assert _share(client, "sh-pcii-amber", "s-a", "s-priv-auth") == (False, "PCII_NOT_GOVERNMENT")
    assert _share(client, "sh-pcii-amber", "s-a", "s-gov-noauth") == (False, "PCII_NO_AUTHORIZED_CONTACT")
    assert _share(client, "sh-pcii-amber", "s-a", "s-gov-auth") == (True, None)
    assert _share(client, "sh-pcii-red", "s-a", "s-priv-auth") == (False, "PCII_NOT_GOVERNMENT")
    assert _share(client, "sh-pcii-red", "s-a", "s-gov-auth") == (True, None)

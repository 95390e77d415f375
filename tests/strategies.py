"""Hypothesis strategies producing small, valid interchange documents (DESIGN §2).

``networks(prefix=...)`` prefixes every id (sector, region, topic, partner, council,
contact, requirement, product) so documents can be loaded one after another into the
same database. Within one hypothesis test the prefix is fixed; use ``add_prefix`` in the
test body (e.g. with a per-example counter) when every example needs fresh ids.

``document_errors(doc)`` is a standalone validator used to check the generator itself.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

Document = dict[str, Any]

PARTNER_KINDS: tuple[str, ...] = (
    "FEDERAL",
    "STATE",
    "LOCAL",
    "TRIBAL",
    "TERRITORIAL",
    "PRIVATE",
    "INTERNATIONAL",
    "NONPROFIT",
)
REGION_KINDS: tuple[str, ...] = ("NATION", "FEMA_REGION", "STATE", "URBAN_AREA", "OTHER")
COUNCIL_KINDS: tuple[str, ...] = ("SCC", "GCC", "ISWG", "CROSS_SECTOR", "REGIONAL_PARTNERSHIP")
ROLES: tuple[str, ...] = ("CHAIR", "MEMBER", "OBSERVER")
CHANNELS: tuple[str, ...] = ("HSIN", "EMAIL", "PHONE", "WATCH_CENTER")
PRODUCT_KINDS: tuple[str, ...] = (
    "ALERT",
    "WARNING",
    "THREAT_ASSESSMENT",
    "RISK_ANALYSIS",
    "SITUATIONAL_REPORT",
    "INCIDENT_ANALYSIS",
    "PROTECTIVE_MEASURES",
    "DAILY_REPORT",
    "SUSPICIOUS_ACTIVITY",
)
LEVELS: tuple[str, ...] = ("STRATEGIC", "SITUATIONAL", "OPERATIONAL")
SEVERITIES: tuple[str, ...] = ("LOW", "MODERATE", "HIGH", "CRITICAL")
TLPS: tuple[str, ...] = ("CLEAR", "GREEN", "AMBER", "AMBER_STRICT", "RED")
FUSION_TYPES: tuple[str, ...] = ("PRIMARY", "RECOGNIZED")

# Small name pools so that ties in name occur and ordering by id matters.
PARTNER_NAMES: tuple[str, ...] = ("Grid Co", "Harbor Authority", "Metro Water", "Grid Co West")
CONTACT_NAMES: tuple[str, ...] = ("A. Analyst", "B. Officer", "C. Liaison")
SECTOR_NAMES: tuple[str, ...] = ("Energy", "Water", "Transportation Systems", "Communications")
TOPIC_NAMES: tuple[str, ...] = ("Cyber", "Physical", "Severe Weather")

# Parent kind -> child kind in the region tree.
_CHILD_REGION_KIND: dict[str, str] = {
    "NATION": "FEMA_REGION",
    "FEMA_REGION": "STATE",
    "STATE": "URBAN_AREA",
    "OTHER": "OTHER",
}

EMAIL_RE = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")

Draw = Callable[[st.SearchStrategy[Any]], Any]


def _subset(draw: Draw, items: list[str], min_size: int = 0, max_size: int | None = None) -> list[str]:
    if not items:
        return []
    hi = len(items) if max_size is None else min(max_size, len(items))
    return list(draw(st.lists(st.sampled_from(items), unique=True, min_size=min(min_size, hi), max_size=hi)))


def _often_empty(draw: Draw, items: list[str] | tuple[str, ...], max_size: int) -> list[str]:
    if draw(st.integers(0, 2)) > 0:  # two chances in three: empty ("any")
        return []
    return _subset(draw, list(items), min_size=1, max_size=max_size)


def _mostly_true(draw: Draw) -> bool:
    return bool(draw(st.sampled_from((True, True, True, False))))


def _published_at(draw: Draw) -> str:
    month, day = draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hour, minute = draw(st.integers(0, 23)), draw(st.sampled_from((0, 15, 30, 45)))
    return f"2026-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00Z"


def _email_local(contact_id: str) -> str:
    local = re.sub(r"[^A-Za-z0-9._-]", "", contact_id).strip(".") or "x"
    return re.sub(r"\.{2,}", ".", local)


@st.composite
def _network(draw: Draw, prefix: str) -> Document:
    # --- sectors
    n_sectors = draw(st.integers(2, 4))
    sectors: list[dict[str, Any]] = [
        {"id": f"{prefix}sec{i}", "name": SECTOR_NAMES[i], "sectorSpecificAgency": None}
        for i in range(n_sectors)
    ]
    sector_ids: list[str] = [s["id"] for s in sectors]

    # --- regions: a NATION root, then children with consistent kinds (occasionally a
    # second OTHER root so that some regions are unrelated to everything else).
    n_regions = draw(st.integers(1, 8))
    regions: list[dict[str, Any]] = [
        {"id": f"{prefix}rg0", "name": "Region 0", "kind": "NATION", "parent": None}
    ]
    for i in range(1, n_regions):
        rid = f"{prefix}rg{i}"
        if draw(st.integers(0, 7)) == 0:
            regions.append({"id": rid, "name": f"Region {i}", "kind": "OTHER", "parent": None})
            continue
        parents = [r for r in regions if r["kind"] != "URBAN_AREA"]
        parent = draw(st.sampled_from(parents))
        kind = _CHILD_REGION_KIND[parent["kind"]]
        regions.append({"id": rid, "name": f"Region {i}", "kind": kind, "parent": parent["id"]})
    region_ids: list[str] = [r["id"] for r in regions]

    # --- topics
    n_topics = draw(st.integers(1, 3))
    topics = [{"id": f"{prefix}top{i}", "name": TOPIC_NAMES[i]} for i in range(n_topics)]
    topic_ids: list[str] = [t["id"] for t in topics]

    # --- partners
    n_partners = draw(st.integers(3, 12))
    partner_ids = [f"{prefix}p{i}" for i in range(n_partners)]
    partners: list[dict[str, Any]] = []
    for pid in partner_ids:
        others = [o for o in partner_ids if o != pid]
        kind = draw(st.sampled_from(PARTNER_KINDS))
        fusion: dict[str, Any] | None = None
        if draw(st.integers(0, 3)) == 0:
            fusion = {
                "type": draw(st.sampled_from(FUSION_TYPES)),
                "serves": _subset(draw, region_ids, min_size=1, max_size=2),
            }
        partners.append(
            {
                "id": pid,
                "name": draw(st.sampled_from(PARTNER_NAMES)),
                "kind": kind,
                "active": _mostly_true(draw),
                "sectors": _subset(draw, sector_ids, max_size=2),
                "regions": _often_empty(draw, region_ids, 2),
                "partnersWith": _subset(draw, others, max_size=2),
                "clientOf": _subset(draw, others, max_size=2),
                "fusionCenter": fusion,
                "illustrative": True,
            }
        )

    # --- councils (parent always an earlier council: acyclic by construction)
    n_councils = draw(st.integers(1, 4))
    councils: list[dict[str, Any]] = []
    for i in range(n_councils):
        cid = f"{prefix}co{i}"
        parent = None
        if i > 0 and draw(st.booleans()):
            parent = draw(st.sampled_from([c["id"] for c in councils]))
        members = [
            {"partner": m, "role": draw(st.sampled_from(ROLES))}
            for m in _subset(draw, partner_ids, max_size=5)
        ]
        councils.append(
            {
                "id": cid,
                "name": f"Council {i}",
                "kind": draw(st.sampled_from(COUNCIL_KINDS)),
                "sectors": _subset(draw, sector_ids, max_size=2),
                "parent": parent,
                "members": members,
                "illustrative": True,
            }
        )
    council_ids = [c["id"] for c in councils]

    # --- contacts
    contacts: list[dict[str, Any]] = []
    for pid in partner_ids:
        for _ in range(draw(st.integers(0, 3))):
            ctid = f"{prefix}ct{len(contacts)}"
            contacts.append(
                {
                    "id": ctid,
                    "partner": pid,
                    "name": draw(st.sampled_from(CONTACT_NAMES)),
                    "email": f"{_email_local(ctid)}@example.org",
                    "pciiAuthorized": draw(st.booleans()),
                    "channels": _subset(draw, list(CHANNELS), min_size=1),
                    "active": _mostly_true(draw),
                    "illustrative": True,
                }
            )

    # --- requirements
    requirements: list[dict[str, Any]] = []
    for i in range(draw(st.integers(0, 5))):
        audience: dict[str, Any]
        if draw(st.booleans()):
            audience = {"council": draw(st.sampled_from(council_ids))}
        else:
            audience = {
                "sector": draw(st.sampled_from(sector_ids)),
                "partnerKinds": _often_empty(draw, PARTNER_KINDS, 3),
            }
        requirements.append(
            {
                "id": f"{prefix}rq{i}",
                "council": draw(st.sampled_from(council_ids)),
                "sector": draw(st.sampled_from(sector_ids)),
                "kinds": _often_empty(draw, PRODUCT_KINDS, 4),
                "levels": _often_empty(draw, LEVELS, 2),
                "topics": _often_empty(draw, topic_ids, 2),
                "minSeverity": draw(st.one_of(st.none(), st.none(), st.sampled_from(SEVERITIES))),
                "audience": audience,
                "channel": draw(st.sampled_from(CHANNELS)),
                "illustrative": True,
            }
        )

    # --- subscriptions: exactly one of topic/sector, unique per (partner, target)
    keys = [(p, "topic", t) for p in partner_ids for t in topic_ids] + [
        (p, "sector", s) for p in partner_ids for s in sector_ids
    ]
    chosen = draw(st.lists(st.sampled_from(keys), unique=True, max_size=5))
    subscriptions = [
        {
            "partner": p,
            "topic": target if field == "topic" else None,
            "sector": target if field == "sector" else None,
            "minSeverity": draw(st.one_of(st.none(), st.sampled_from(SEVERITIES))),
        }
        for p, field, target in chosen
    ]

    # --- products
    products: list[dict[str, Any]] = []
    for i in range(draw(st.integers(1, 3))):
        addressed = [] if draw(st.booleans()) else _subset(draw, partner_ids, min_size=1, max_size=3)
        products.append(
            {
                "id": f"{prefix}pr{i}",
                "title": f"Product {i}",
                "kind": draw(st.sampled_from(PRODUCT_KINDS)),
                "level": draw(st.sampled_from(LEVELS)),
                "severity": draw(st.sampled_from(SEVERITIES)),
                "tlp": draw(st.sampled_from(TLPS)),
                "pcii": draw(st.sampled_from((False, False, True))),
                "sectors": _subset(draw, sector_ids, max_size=2),
                "topics": _subset(draw, topic_ids, max_size=2),
                "regions": ([] if draw(st.booleans()) else _subset(draw, region_ids, min_size=1, max_size=2)),
                "addressedTo": addressed,
                "issuedBy": draw(st.sampled_from(partner_ids)),
                "publishedAt": _published_at(draw),
                "illustrative": True,
            }
        )

    return {
        "sectors": sectors,
        "regions": regions,
        "topics": topics,
        "partners": partners,
        "councils": councils,
        "contacts": contacts,
        "requirements": requirements,
        "subscriptions": subscriptions,
        "products": products,
    }


def networks(prefix: str = "h-") -> st.SearchStrategy[Document]:
    """Small random valid interchange documents; every id starts with ``prefix``."""
    return _network(prefix)


@st.composite
def _share_case(draw: Draw, prefix: str) -> tuple[Document, str, str, str]:
    doc = draw(networks(prefix))
    product = draw(st.sampled_from([p["id"] for p in doc["products"]]))
    pids = [p["id"] for p in doc["partners"]]
    return doc, product, draw(st.sampled_from(pids)), draw(st.sampled_from(pids))


def share_cases(prefix: str = "h-") -> st.SearchStrategy[tuple[Document, str, str, str]]:
    """(document, product id, from partner id, to partner id), from == to possible."""
    return _share_case(prefix)


@st.composite
def _connection_case(draw: Draw, prefix: str) -> tuple[Document, str, str]:
    doc = draw(networks(prefix))
    pids = [p["id"] for p in doc["partners"]]
    vertices = pids + [c["id"] for c in doc["councils"]]
    return doc, draw(st.sampled_from(pids)), draw(st.sampled_from(vertices))


def connection_cases(prefix: str = "h-") -> st.SearchStrategy[tuple[Document, str, str]]:
    """(document, from partner id, to vertex id — a partner or a council)."""
    return _connection_case(prefix)


@st.composite
def _membership_case(draw: Draw, prefix: str) -> tuple[Document, str, str]:
    doc = draw(networks(prefix))
    partner = draw(st.sampled_from([p["id"] for p in doc["partners"]]))
    return doc, partner, draw(st.sampled_from([c["id"] for c in doc["councils"]]))


def membership_cases(prefix: str = "h-") -> st.SearchStrategy[tuple[Document, str, str]]:
    """(document, partner id, council id): a membership to add, or to remove when the partner
    already is a member."""
    return _membership_case(prefix)


# --------------------------------------------------------------------------- utilities


def add_prefix(doc: Document, extra: str) -> Document:
    """A deep copy of ``doc`` with ``extra`` prepended to every id and every reference."""
    out = copy.deepcopy(doc)

    def p(x: str | None) -> str | None:
        return None if x is None else extra + x

    def pl(xs: list[str] | None) -> list[str]:
        return [extra + x for x in xs or []]

    for s in out.get("sectors", []):
        s["id"] = p(s["id"])
    for t in out.get("topics", []):
        t["id"] = p(t["id"])
    for r in out.get("regions", []):
        r["id"], r["parent"] = p(r["id"]), p(r.get("parent"))
    for pa in out.get("partners", []):
        pa["id"] = p(pa["id"])
        for key in ("sectors", "regions", "partnersWith", "clientOf"):
            pa[key] = pl(pa.get(key))
        if pa.get("fusionCenter") is not None:
            pa["fusionCenter"]["serves"] = pl(pa["fusionCenter"].get("serves"))
    for c in out.get("councils", []):
        c["id"], c["parent"], c["sectors"] = p(c["id"]), p(c.get("parent")), pl(c.get("sectors"))
        for m in c.get("members", []):
            m["partner"] = p(m["partner"])
    for ct in out.get("contacts", []):
        ct["id"], ct["partner"] = p(ct["id"]), p(ct["partner"])
        ct["email"] = f"{_email_local(ct['id'])}@example.org"
    for rq in out.get("requirements", []):
        rq["id"], rq["council"], rq["sector"] = p(rq["id"]), p(rq["council"]), p(rq["sector"])
        rq["topics"] = pl(rq.get("topics"))
        aud = rq["audience"]
        if aud.get("council") is not None:
            aud["council"] = p(aud["council"])
        if aud.get("sector") is not None:
            aud["sector"] = p(aud["sector"])
    for sub in out.get("subscriptions", []):
        sub["partner"], sub["topic"] = p(sub["partner"]), p(sub.get("topic"))
        sub["sector"] = p(sub.get("sector"))
    for pr in out.get("products", []):
        pr["id"], pr["issuedBy"] = p(pr["id"]), p(pr.get("issuedBy"))
        for key in ("sectors", "topics", "regions", "addressedTo"):
            pr[key] = pl(pr.get(key))
    return out


def _acyclic(parents: dict[str, str | None]) -> bool:
    for start in parents:
        seen: set[str] = set()
        cur: str | None = start
        while cur is not None:
            if cur in seen:
                return False
            seen.add(cur)
            cur = parents.get(cur)
    return True


def document_errors(doc: Document) -> list[str]:
    """Every way ``doc`` fails to be a self-contained valid interchange document."""
    errors: list[str] = []

    def ids(key: str) -> list[str]:
        return [r["id"] for r in doc.get(key, [])]

    all_ids: dict[str, list[str]] = {
        k: ids(k)
        for k in (
            "sectors",
            "regions",
            "topics",
            "partners",
            "councils",
            "contacts",
            "requirements",
            "products",
        )
    }
    for key, values in all_ids.items():
        if len(values) != len(set(values)):
            errors.append(f"{key}: duplicate ids")
    flat = [i for values in all_ids.values() for i in values]
    if len(flat) != len(set(flat)):
        errors.append("ids not unique across record types")
    sectors, regions, topics = (set(all_ids[k]) for k in ("sectors", "regions", "topics"))
    partners, councils = set(all_ids["partners"]), set(all_ids["councils"])

    def need(path: str, value: Any, pool: set[str]) -> None:
        if value not in pool:
            errors.append(f"{path}: unresolved reference {value!r}")

    for i, r in enumerate(doc.get("regions", [])):
        if r.get("kind") not in REGION_KINDS:
            errors.append(f"regions[{i}].kind")
        if r.get("parent") is not None:
            need(f"regions[{i}].parent", r["parent"], regions)
    if not _acyclic({r["id"]: r.get("parent") for r in doc.get("regions", [])}):
        errors.append("regions: parent cycle")
    for i, p in enumerate(doc.get("partners", [])):
        if p.get("kind") not in PARTNER_KINDS:
            errors.append(f"partners[{i}].kind")
        for key, pool in (
            ("sectors", sectors),
            ("regions", regions),
            ("partnersWith", partners),
            ("clientOf", partners),
        ):
            for j, v in enumerate(p.get(key, [])):
                need(f"partners[{i}].{key}[{j}]", v, pool)
        fc = p.get("fusionCenter")
        if fc is not None:
            if fc.get("type") not in FUSION_TYPES:
                errors.append(f"partners[{i}].fusionCenter.type")
            for j, v in enumerate(fc.get("serves", [])):
                need(f"partners[{i}].fusionCenter.serves[{j}]", v, regions)
    for i, c in enumerate(doc.get("councils", [])):
        if c.get("kind") not in COUNCIL_KINDS:
            errors.append(f"councils[{i}].kind")
        for j, v in enumerate(c.get("sectors", [])):
            need(f"councils[{i}].sectors[{j}]", v, sectors)
        if c.get("parent") is not None:
            need(f"councils[{i}].parent", c["parent"], councils)
        members = [m["partner"] for m in c.get("members", [])]
        if len(members) != len(set(members)):
            errors.append(f"councils[{i}].members: partner listed twice")
        for j, m in enumerate(c.get("members", [])):
            need(f"councils[{i}].members[{j}].partner", m["partner"], partners)
            if m.get("role") not in ROLES:
                errors.append(f"councils[{i}].members[{j}].role")
    if not _acyclic({c["id"]: c.get("parent") for c in doc.get("councils", [])}):
        errors.append("councils: parent cycle")
    for i, ct in enumerate(doc.get("contacts", [])):
        need(f"contacts[{i}].partner", ct.get("partner"), partners)
        if not EMAIL_RE.match(str(ct.get("email", ""))):
            errors.append(f"contacts[{i}].email")
        chans = ct.get("channels", [])
        if not chans or any(ch not in CHANNELS for ch in chans):
            errors.append(f"contacts[{i}].channels")
    for i, rq in enumerate(doc.get("requirements", [])):
        need(f"requirements[{i}].council", rq.get("council"), councils)
        need(f"requirements[{i}].sector", rq.get("sector"), sectors)
        for j, v in enumerate(rq.get("topics", [])):
            need(f"requirements[{i}].topics[{j}]", v, topics)
        if any(k not in PRODUCT_KINDS for k in rq.get("kinds", [])):
            errors.append(f"requirements[{i}].kinds")
        if any(lv not in LEVELS for lv in rq.get("levels", [])):
            errors.append(f"requirements[{i}].levels")
        if rq.get("minSeverity") not in (None, *SEVERITIES):
            errors.append(f"requirements[{i}].minSeverity")
        if rq.get("channel") not in CHANNELS:
            errors.append(f"requirements[{i}].channel")
        aud = rq.get("audience") or {}
        if "council" in aud:
            need(f"requirements[{i}].audience.council", aud["council"], councils)
        elif "sector" in aud:
            need(f"requirements[{i}].audience.sector", aud["sector"], sectors)
            if any(k not in PARTNER_KINDS for k in aud.get("partnerKinds", [])):
                errors.append(f"requirements[{i}].audience.partnerKinds")
        else:
            errors.append(f"requirements[{i}].audience: neither council nor sector")
    seen_subs: set[tuple[str, str | None, str | None]] = set()
    for i, sub in enumerate(doc.get("subscriptions", [])):
        need(f"subscriptions[{i}].partner", sub.get("partner"), partners)
        topic, sector = sub.get("topic"), sub.get("sector")
        if (topic is None) == (sector is None):
            errors.append(f"subscriptions[{i}]: not exactly one of topic/sector")
        if topic is not None:
            need(f"subscriptions[{i}].topic", topic, topics)
        if sector is not None:
            need(f"subscriptions[{i}].sector", sector, sectors)
        sub_key = (sub.get("partner"), topic, sector)
        if sub_key in seen_subs:
            errors.append(f"subscriptions[{i}]: duplicate")
        seen_subs.add(sub_key)
        if sub.get("minSeverity") not in (None, *SEVERITIES):
            errors.append(f"subscriptions[{i}].minSeverity")
    for i, pr in enumerate(doc.get("products", [])):
        for key, pool in (
            ("sectors", sectors),
            ("topics", topics),
            ("regions", regions),
            ("addressedTo", partners),
        ):
            for j, v in enumerate(pr.get(key, [])):
                need(f"products[{i}].{key}[{j}]", v, pool)
        need(f"products[{i}].issuedBy", pr.get("issuedBy"), partners)
        for key, allowed in (
            ("kind", PRODUCT_KINDS),
            ("level", LEVELS),
            ("severity", SEVERITIES),
            ("tlp", TLPS),
        ):
            if pr.get(key) not in allowed:
                errors.append(f"products[{i}].{key}")
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", str(pr.get("publishedAt"))):
            errors.append(f"products[{i}].publishedAt")
    return errors

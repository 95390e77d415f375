"""Pure-Python reference implementation (test oracle) of DESIGN.md §3, §4, §5 and §11.

The service computes the same answers in Cypher; property-based tests compare the two.
Everything here works on an interchange document (DESIGN §2 shape) held entirely in
memory: the document is taken to be the whole universe (references are assumed to
resolve inside it).

Defaults for absent fields: partner/contact ``active`` is true, ``pciiAuthorized`` and
``pcii`` are false, every list is empty, every optional reference is null.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

Doc = Mapping[str, Any]
Record = Mapping[str, Any]

GOVERNMENT_KINDS: frozenset[str] = frozenset({"FEDERAL", "STATE", "LOCAL", "TRIBAL", "TERRITORIAL"})
SEVERITY_ORDER: tuple[str, ...] = ("LOW", "MODERATE", "HIGH", "CRITICAL")
SEVERITY_RANK: dict[str, int] = {s: i for i, s in enumerate(SEVERITY_ORDER)}
SOURCE_ORDER: tuple[str, ...] = (
    "REQUIREMENT",
    "SUBSCRIPTION",
    "FUSION_CENTER",
    "ADDRESSED",
    "AREA",
    "CLIENT",
)
SOURCE_RANK: dict[str, int] = {s: i for i, s in enumerate(SOURCE_ORDER)}
CHANNEL_ORDER: tuple[str, ...] = ("HSIN", "EMAIL", "PHONE", "WATCH_CENTER")
CHANNEL_RANK: dict[str, int] = {c: i for i, c in enumerate(CHANNEL_ORDER)}


# --------------------------------------------------------------------------- helpers


def _records(doc: Doc, key: str) -> list[Record]:
    return list(doc.get(key) or [])


def _list(record: Record, key: str) -> list[Any]:
    return list(record.get(key) or [])


def _partners_by_id(doc: Doc) -> dict[str, Record]:
    return {p["id"]: p for p in _records(doc, "partners")}


def _is_active(record: Record) -> bool:
    return record.get("active", True) is not False


def _severity_at_least(severity: str | None, minimum: str | None) -> bool:
    """``severity >= minimum``; a null minimum means any."""
    if minimum is None:
        return True
    if severity is None:
        return False
    return SEVERITY_RANK[severity] >= SEVERITY_RANK[minimum]


def _region_ancestors(doc: Doc) -> dict[str, set[str]]:
    """Map each region id to the set of itself and all its ancestors."""
    parent: dict[str, str | None] = {r["id"]: r.get("parent") for r in _records(doc, "regions")}
    out: dict[str, set[str]] = {}
    for rid in parent:
        seen: set[str] = set()
        cur: str | None = rid
        while cur is not None and cur not in seen:
            seen.add(cur)
            cur = parent.get(cur)
        out[rid] = seen
    return out


def regions_related(doc: Doc, a: str, b: str) -> bool:
    """Equal, or one contains the other at any depth through ``parent`` links."""
    return _regions_related(_region_ancestors(doc), a, b)


def _regions_related(ancestors: Mapping[str, set[str]], a: str, b: str) -> bool:
    if a == b:
        return True
    return a in ancestors.get(b, {b}) or b in ancestors.get(a, {a})


def _related_to_any(ancestors: Mapping[str, set[str]], g: str, regions: Iterable[str]) -> bool:
    return any(_regions_related(ancestors, g, r) for r in regions)


def _contacts_of(doc: Doc, partner_id: str) -> list[Record]:
    return [c for c in _records(doc, "contacts") if c.get("partner") == partner_id]


def _has_active_pcii_contact(doc: Doc, partner_id: str) -> bool:
    return any(_is_active(c) and bool(c.get("pciiAuthorized", False)) for c in _contacts_of(doc, partner_id))


def _council_members(doc: Doc, council_id: str) -> list[str]:
    for c in _records(doc, "councils"):
        if c["id"] == council_id:
            return [m["partner"] for m in _list(c, "members")]
    return []


def _requirement_matches(req: Record, product: Record) -> bool:
    if req.get("sector") not in _list(product, "sectors"):
        return False
    kinds = _list(req, "kinds")
    if kinds and product.get("kind") not in kinds:
        return False
    levels = _list(req, "levels")
    if levels and product.get("level") not in levels:
        return False
    topics = _list(req, "topics")
    if topics and not set(topics) & set(_list(product, "topics")):
        return False
    return _severity_at_least(product.get("severity"), req.get("minSeverity"))


def _audience(doc: Doc, req: Record) -> list[str]:
    audience = req.get("audience") or {}
    if audience.get("council") is not None:
        return _council_members(doc, audience["council"])
    sector = audience.get("sector")
    kinds = _list(audience, "partnerKinds")
    return [
        p["id"]
        for p in _records(doc, "partners")
        if sector in _list(p, "sectors") and (not kinds or p.get("kind") in kinds)
    ]


def _ref_key(ref: str | None) -> tuple[bool, str]:
    return (ref is not None, ref or "")


def _reason_key(reason: Mapping[str, Any]) -> tuple[int, tuple[bool, str]]:
    return (SOURCE_RANK[reason["source"]], _ref_key(reason["ref"]))


def _order_channels(channels: Iterable[str]) -> list[str]:
    return sorted(set(channels), key=lambda c: CHANNEL_RANK[c])


# --------------------------------------------------------------------------- §3


def candidate_reasons(doc: Doc, product: Record) -> dict[str, set[tuple[str, str | None]]]:
    """Every candidate partner id with its (deduplicated, unordered) reasons."""
    partners = _partners_by_id(doc)
    ancestors = _region_ancestors(doc)
    p_regions = _list(product, "regions")
    p_sectors = _list(product, "sectors")
    p_topics = _list(product, "topics")
    p_id = product["id"]

    def region_ok(pid: str) -> bool:
        if not p_regions:
            return True
        partner = partners.get(pid)
        x_regions = _list(partner, "regions") if partner is not None else []
        if not x_regions:
            return True
        return any(_related_to_any(ancestors, g, p_regions) for g in x_regions)

    reasons: dict[str, set[tuple[str, str | None]]] = {}

    def add(pid: str, source: str, ref: str | None) -> None:
        reasons.setdefault(pid, set()).add((source, ref))

    # 1. REQUIREMENT
    for req in _records(doc, "requirements"):
        if not _requirement_matches(req, product):
            continue
        for pid in _audience(doc, req):
            if region_ok(pid):
                add(pid, "REQUIREMENT", req["id"])

    # 2. SUBSCRIPTION
    for sub in _records(doc, "subscriptions"):
        topic, sector = sub.get("topic"), sub.get("sector")
        if topic is not None:
            hit, ref = topic in p_topics, topic
        elif sector is not None:
            hit, ref = sector in p_sectors, sector
        else:
            continue
        if not hit or not _severity_at_least(product.get("severity"), sub.get("minSeverity")):
            continue
        if region_ok(sub["partner"]):
            add(sub["partner"], "SUBSCRIPTION", ref)

    # 3. FUSION_CENTER
    for partner in _records(doc, "partners"):
        fc = partner.get("fusionCenter")
        if fc is None:
            continue
        if not p_regions:
            add(partner["id"], "FUSION_CENTER", None)
            continue
        for g in _list(fc, "serves"):
            if _related_to_any(ancestors, g, p_regions):
                add(partner["id"], "FUSION_CENTER", g)

    # 4. ADDRESSED
    for pid in _list(product, "addressedTo"):
        add(pid, "ADDRESSED", p_id)

    return reasons


def exclusion_reason(doc: Doc, product: Record, partner: Record) -> str | None:
    """The first failing exclusion rule of §3 for a candidate, or None if it is kept."""
    pid = partner["id"]
    pcii = bool(product.get("pcii", False))
    if not _is_active(partner):
        return "INACTIVE"
    if product.get("tlp") == "RED" and pid not in _list(product, "addressedTo"):
        return "TLP_RED_NOT_ADDRESSED"
    if pcii and partner.get("kind") not in GOVERNMENT_KINDS:
        return "PCII_NOT_GOVERNMENT"
    if pcii and not _has_active_pcii_contact(doc, pid):
        return "PCII_NO_AUTHORIZED_CONTACT"
    return None


def resolve_recipients(doc: dict[str, Any], product: dict[str, Any]) -> dict[str, Any]:
    """DESIGN §3: the recipient list of ``product`` over the network ``doc``."""
    partners = _partners_by_id(doc)
    requirements = {r["id"]: r for r in _records(doc, "requirements")}
    pcii = bool(product.get("pcii", False))

    def partner_key(pid: str) -> tuple[str, str]:
        return (str(partners[pid].get("name", "")), pid)

    recipients: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    reasons_by_partner = candidate_reasons(doc, product)
    for pid in sorted(reasons_by_partner, key=partner_key):
        partner = partners[pid]
        why = exclusion_reason(doc, product, partner)
        if why is not None:
            excluded.append({"partner": pid, "reason": why})
            continue
        reasons = sorted(({"source": s, "ref": r} for s, r in reasons_by_partner[pid]), key=_reason_key)
        contacts = sorted(
            (
                c
                for c in _contacts_of(doc, pid)
                if _is_active(c) and (not pcii or bool(c.get("pciiAuthorized", False)))
            ),
            key=lambda c: (str(c.get("name", "")), c["id"]),
        )
        req_refs = [r["ref"] for r in reasons if r["source"] == "REQUIREMENT"]
        if req_refs:
            channels = _order_channels(requirements[ref]["channel"] for ref in req_refs)
        else:
            channels = _order_channels(ch for c in contacts for ch in _list(c, "channels"))
        recipients.append(
            {
                "partner": pid,
                "reasons": reasons,
                "contacts": [c["id"] for c in contacts],
                "channels": channels,
            }
        )
    return {"recipients": recipients, "excluded": excluded}


# --------------------------------------------------------------------------- §4


def _share_a_council(doc: Doc, a: str, b: str) -> bool:
    for council in _records(doc, "councils"):
        members = {m["partner"] for m in _list(council, "members")}
        if a in members and b in members:
            return True
    return False


def can_share(
    doc: dict[str, Any], product: dict[str, Any], from_id: str, to_id: str
) -> tuple[bool, str | None]:
    """DESIGN §4: may ``from_id`` pass ``product`` to ``to_id``? (allowed, denial reason)."""
    partners = _partners_by_id(doc)
    tlp = product.get("tlp")
    if tlp == "GREEN":
        if to_id != from_id:
            x, y = partners.get(from_id, {}), partners.get(to_id, {})
            shared_sector = bool(set(_list(x, "sectors")) & set(_list(y, "sectors")))
            if not shared_sector and not _share_a_council(doc, from_id, to_id):
                return (False, "TLP_GREEN_OUTSIDE_COMMUNITY")
    elif tlp == "AMBER":
        if to_id != from_id and from_id not in _list(partners.get(to_id, {}), "clientOf"):
            return (False, "TLP_AMBER_NOT_CLIENT")
    elif tlp == "AMBER_STRICT":
        if to_id != from_id:
            return (False, "TLP_AMBER_STRICT_OTHER_ORG")
    elif tlp == "RED" and to_id not in _list(product, "addressedTo"):
        return (False, "TLP_RED_NOT_ADDRESSED")
    # CLEAR: always allowed as far as TLP goes.
    if product.get("pcii", False):
        if partners.get(to_id, {}).get("kind") not in GOVERNMENT_KINDS:
            return (False, "PCII_NOT_GOVERNMENT")
        if not _has_active_pcii_contact(doc, to_id):
            return (False, "PCII_NO_AUTHORIZED_CONTACT")
    return (True, None)


# --------------------------------------------------------------------------- §11


def partner_may_see(doc: Doc, product: Record, partner_id: str) -> bool:
    """The PARTNER visibility rule for a network without deliveries: never PCII unless government
    with an active PCII-authorized contact; never RED unless addressed; CLEAR, or GREEN about a
    sector of its community (its own sectors and those of the councils it is a member of)."""
    partner = _partners_by_id(doc)[partner_id]
    if product.get("pcii", False) and not (
        partner.get("kind") in GOVERNMENT_KINDS and _has_active_pcii_contact(doc, partner_id)
    ):
        return False
    tlp = product.get("tlp")
    if tlp == "RED" and partner_id not in _list(product, "addressedTo"):
        return False
    community = set(_list(partner, "sectors"))
    for council in _records(doc, "councils"):
        if partner_id in {m["partner"] for m in _list(council, "members")}:
            community |= set(_list(council, "sectors"))
    return tlp == "CLEAR" or (tlp == "GREEN" and bool(community & set(_list(product, "sectors"))))


def onward_scope(doc: Doc, fc_id: str) -> dict[str, list[tuple[str, str | None]]]:
    """§11's scope of fusion center ``fc_id``: partner id -> its onward reasons, AREA with the
    smallest served region related to one of its regions, CLIENT with ``fc_id``."""
    ancestors = _region_ancestors(doc)
    served = _list(_partners_by_id(doc)[fc_id].get("fusionCenter") or {}, "serves")
    scope: dict[str, list[tuple[str, str | None]]] = {}
    for partner in _records(doc, "partners"):
        pid = partner["id"]
        related = [g for g in served if _related_to_any(ancestors, g, _list(partner, "regions"))]
        if pid != fc_id and related:
            scope.setdefault(pid, []).append(("AREA", min(related)))
        if fc_id in _list(partner, "clientOf"):
            scope.setdefault(pid, []).append(("CLIENT", fc_id))
    return scope


def resolve_onward(doc: dict[str, Any], product: dict[str, Any], fc_id: str) -> dict[str, Any] | None:
    """§11: the onward list of ``product`` for fusion center ``fc_id``; None when it may not see
    the product (answered as a missing product)."""
    if not partner_may_see(doc, product, fc_id):
        return None
    partners = _partners_by_id(doc)
    requirements = {r["id"]: r for r in _records(doc, "requirements")}
    pcii = bool(product.get("pcii", False))
    own = candidate_reasons(doc, product)
    scope = onward_scope(doc, fc_id)
    recipients: list[dict[str, Any]] = []
    excluded: list[dict[str, Any]] = []
    for pid in sorted(scope, key=lambda p: (str(partners[p].get("name", "")), p)):
        is_client = any(source == "CLIENT" for source, _ in scope[pid])
        if pid not in own and not is_client:
            continue
        why = exclusion_reason(doc, product, partners[pid])
        if why is None:
            allowed, denial = can_share(doc, product, fc_id, pid)
            why = None if allowed else denial
        if why is not None:
            excluded.append({"partner": pid, "reason": why})
            continue
        reasons = sorted(
            ({"source": s, "ref": r} for s, r in own.get(pid, set()) | set(scope[pid])), key=_reason_key
        )
        contacts = sorted(
            (
                c
                for c in _contacts_of(doc, pid)
                if _is_active(c) and (not pcii or bool(c.get("pciiAuthorized", False)))
            ),
            key=lambda c: (str(c.get("name", "")), c["id"]),
        )
        req_refs = [r["ref"] for r in reasons if r["source"] == "REQUIREMENT"]
        if req_refs:
            channels = _order_channels(requirements[ref]["channel"] for ref in req_refs)
        else:
            channels = _order_channels(ch for c in contacts for ch in _list(c, "channels"))
        recipients.append(
            {
                "partner": pid,
                "reasons": reasons,
                "contacts": [c["id"] for c in contacts],
                "channels": channels,
            }
        )
    return {"recipients": recipients, "excluded": excluded}


# --------------------------------------------------------------------------- §5


def collaboration_graph(doc: dict[str, Any]) -> dict[str, set[str]]:
    """Undirected adjacency over partners and councils (DESIGN §5)."""
    adj: dict[str, set[str]] = {}
    for p in _records(doc, "partners"):
        adj.setdefault(p["id"], set())
    for c in _records(doc, "councils"):
        adj.setdefault(c["id"], set())

    def link(a: str, b: str) -> None:
        if a == b:
            return
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)

    for p in _records(doc, "partners"):
        for other in _list(p, "partnersWith"):
            link(p["id"], other)
        for other in _list(p, "clientOf"):
            link(p["id"], other)
    for c in _records(doc, "councils"):
        for m in _list(c, "members"):
            link(m["partner"], c["id"])
        if c.get("parent") is not None:
            link(c["id"], c["parent"])
    return adj


def _bfs(adj: Mapping[str, set[str]], start: str, limit: int | None) -> dict[str, int]:
    dist = {start: 0}
    queue: deque[str] = deque([start])
    while queue:
        v = queue.popleft()
        if limit is not None and dist[v] >= limit:
            continue
        for w in adj.get(v, ()):
            if w not in dist:
                dist[w] = dist[v] + 1
                queue.append(w)
    return dist


def shortest_path_length(doc: dict[str, Any], from_id: str, to_id: str) -> int | None:
    """Length (edges) of a shortest collaboration path, or None if unreachable/unknown."""
    adj = collaboration_graph(doc)
    if from_id not in adj or to_id not in adj:
        return None
    return _bfs(adj, from_id, None).get(to_id)


def neighborhood(doc: dict[str, Any], partner_id: str, depth: int) -> set[str]:
    """Ids of the vertices within ``depth`` edges of ``partner_id``, the start included."""
    adj = collaboration_graph(doc)
    if partner_id not in adj:
        return set()
    return set(_bfs(adj, partner_id, max(depth, 0)))


def is_valid_path(doc: dict[str, Any], path: list[str]) -> bool:
    """True when consecutive ids in ``path`` are adjacent in the collaboration graph."""
    adj = collaboration_graph(doc)
    if not path or any(v not in adj for v in path):
        return False
    return all(b in adj[a] for a, b in pairwise(path))


# --------------------------------------------------------------------------- §10 report routing


def report_routes(
    doc: dict[str, Any], submitter: str, regions: list[str]
) -> dict[str, list[tuple[str, str | None]]]:
    """§10 literally: a report goes to every fusion center serving a region related (§3) to one of
    its regions, or, when it names none, to one of the submitter's regions; and to every partner
    marked `intake: true`. Partner id -> its reasons, (source, ref), by source then ref."""
    ancestors = _region_ancestors(doc)
    basis = list(regions) or _list(_partners_by_id(doc)[submitter], "regions")
    routes: dict[str, set[tuple[str, str | None]]] = {}
    for partner in _records(doc, "partners"):
        center = partner.get("fusionCenter")
        for served in (center or {}).get("serves") or []:
            if _related_to_any(ancestors, served, basis):
                routes.setdefault(partner["id"], set()).add(("FUSION_CENTER", served))
        if partner.get("intake"):
            routes.setdefault(partner["id"], set()).add(("INTAKE_POINT", None))
    order = ["FUSION_CENTER", "INTAKE_POINT"]
    return {
        pid: sorted(reasons, key=lambda r: (order.index(r[0]), r[1] is not None, r[1] or ""))
        for pid, reasons in routes.items()
    }

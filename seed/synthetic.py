"""Synthetic interchange documents of realistic shape, for load tests and benchmarks.

``generate(n, seed)`` keeps the seed network's sectors, regions, topics, federal bodies and
fusion centers (so every sector-specific agency and every region's fusion center exists) and
adds synthetic partners up to ``n`` in total. Shapes follow real partnership networks: most
partners are small private operators in one sector and one place, a few national hubs
(ISACs, agencies, large operators) sit in many councils and serve many clients, council sizes
are heavy-tailed, and PARTNERS_WITH / CLIENT_OF edges grow by preferential attachment.
Everything comes from one ``random.Random(seed)``, so the same arguments give the same
document; every generated record is marked ``illustrative: true``.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from graph_api import domain
from seed.network import FIRST_NAMES, LAST_NAMES, SECTOR_IDS, build_seed_document

Record = dict[str, Any]

KINDS: tuple[str, ...] = (
    "PRIVATE",
    "LOCAL",
    "STATE",
    "NONPROFIT",
    "FEDERAL",
    "TRIBAL",
    "TERRITORIAL",
    "INTERNATIONAL",
)
KIND_WEIGHTS: tuple[int, ...] = (74, 8, 3, 6, 2, 2, 1, 4)
# The domain's vocabulary, in its documented order (the generator's draws depend on the order).
GOVERNMENT = domain.GOVERNMENT_KINDS
PRODUCT_KINDS = domain.PRODUCT_KINDS
LEVELS = domain.PRODUCT_LEVELS
SEVERITIES = domain.SEVERITIES
TLPS = domain.TLP_LEVELS
TLP_WEIGHTS: tuple[int, ...] = (20, 35, 30, 10, 5)
CHANNEL_SETS: tuple[tuple[str, ...], ...] = (
    ("EMAIL",),
    ("HSIN", "EMAIL"),
    ("EMAIL", "PHONE"),
    ("HSIN", "EMAIL", "PHONE"),
    ("HSIN",),
    ("PHONE",),
    ("EMAIL", "WATCH_CENTER"),
    ("HSIN", "WATCH_CENTER"),
)
CHANNEL_WEIGHTS: tuple[int, ...] = (40, 25, 12, 8, 5, 4, 3, 3)
# Big sectors get more operators (energy, transport, healthcare, finance, food).
SECTOR_WEIGHTS: tuple[int, ...] = (5, 9, 5, 7, 2, 4, 5, 9, 8, 8, 3, 9, 7, 2, 2, 4, 9, 7)
ADJECTIVES: tuple[str, ...] = (
    "Northern",
    "Southern",
    "Eastern",
    "Western",
    "Central",
    "Coastal",
    "Mountain",
    "River",
    "Prairie",
    "Harbor",
    "Summit",
    "Valley",
    "Lakeside",
    "Pioneer",
    "Liberty",
    "Granite",
    "Cedar",
    "Silver",
    "Golden",
    "Evergreen",
    "Redwood",
    "Bluewater",
    "Ironwood",
    "Keystone",
)
SECTOR_NOUNS: dict[str, str] = {
    "chemical": "Chemical",
    "commercial-facilities": "Properties",
    "communications": "Telecom",
    "critical-manufacturing": "Manufacturing",
    "dams": "Hydro",
    "defense-industrial-base": "Defense Systems",
    "emergency-services": "Emergency Services",
    "energy": "Power",
    "financial-services": "Bank",
    "food-agriculture": "Farms",
    "government-facilities": "Facility Services",
    "healthcare": "Health",
    "information-technology": "Data Systems",
    "national-monuments": "Heritage Services",
    "nuclear": "Nuclear",
    "postal-shipping": "Logistics",
    "transportation": "Transit",
    "water": "Water",
}
KIND_SUFFIX: dict[str, tuple[str, ...]] = {
    "PRIVATE": ("Co", "Inc", "LLC", "Group", "Partners", "Corp"),
    "LOCAL": ("County Office", "City Department", "Municipal Authority"),
    "STATE": ("State Office", "State Agency"),
    "FEDERAL": ("Federal Field Office",),
    "TRIBAL": ("Tribal Office", "Tribal Authority"),
    "TERRITORIAL": ("Territorial Office",),
    "NONPROFIT": ("Association", "Alliance", "Forum", "Institute"),
    "INTERNATIONAL": ("International Agency", "Foreign Ministry Office"),
}
BASE_DATE = datetime(2026, 10, 1, tzinfo=UTC)

Progress = Callable[[str], None]


@dataclass
class _Ctx:
    """Working state shared by the generation steps."""

    rng: random.Random
    partners: list[Record]
    by_sector: dict[str, list[str]] = field(default_factory=dict)
    by_fema: dict[str, list[str]] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)
    hubs: list[str] = field(default_factory=list)
    hub_cum: list[float] = field(default_factory=list)

    def pick_hub(self) -> str:
        """A hub, Zipf-weighted so the top hubs collect most memberships."""
        x = self.rng.random() * self.hub_cum[-1]
        return self.hubs[bisect.bisect_right(self.hub_cum, x)]


@dataclass(frozen=True)
class _Geo:
    """Region lookups derived from the seed regions."""

    states: list[str]
    territories: list[str]
    urban: list[str]
    state_of: dict[str, str]
    fema_of: dict[str, str]
    fema: list[str]


# --------------------------------------------------------------------------- base parts


def _geo(regions: list[Record], territories: set[str]) -> _Geo:
    parent = {r["id"]: r["parent"] for r in regions}
    kind = {r["id"]: r["kind"] for r in regions}
    states = [r for r in parent if kind[r] == "STATE" and r not in territories]
    urban = [r for r in parent if kind[r] == "URBAN_AREA"]
    state_of = {r: r for r in parent if kind[r] == "STATE"} | {u: parent[u] for u in urban}
    fema = [r for r in parent if kind[r] == "FEMA_REGION"]
    fema_of = {r: parent[s] for r, s in state_of.items()} | {f: f for f in fema}
    return _Geo(states, sorted(territories), urban, state_of, fema_of, fema)


def _kept_partners(base: Record) -> list[Record]:
    """The seed's federal bodies and fusion centers, detached from seed-only partners."""
    kept = [p for p in base["partners"] if p["kind"] == "FEDERAL" or p["fusionCenter"] is not None]
    return [{**p, "partnersWith": [], "clientOf": []} for p in kept]


# --------------------------------------------------------------------------- partners


def _regions_for(rng: random.Random, kind: str, geo: _Geo) -> list[str]:
    r = rng.random()
    if kind == "INTERNATIONAL" or (kind in ("NONPROFIT", "FEDERAL") and r < 0.5):
        return []  # national bodies (the region rule always lets them through)
    if kind == "FEDERAL":
        return [rng.choice(geo.fema)]  # a regional field office
    if kind == "TERRITORIAL":
        return [rng.choice(geo.territories)]
    if kind == "LOCAL" or (kind == "PRIVATE" and r < 0.35):
        return [rng.choice(geo.urban)]
    if kind == "PRIVATE" and r > 0.97:
        return []
    if kind == "PRIVATE" and r > 0.90:
        return rng.sample(geo.states, 2)
    return [rng.choice(geo.states)]


def _sectors_for(rng: random.Random, kind: str) -> list[str]:
    first = rng.choices(SECTOR_IDS, SECTOR_WEIGHTS)[0]
    if kind in ("INTERNATIONAL", "TRIBAL") and rng.random() < 0.5:
        return []
    if rng.random() < 0.15:
        second = rng.choice(SECTOR_IDS)
        return [first] if second == first else [first, second]
    return [first]


def _name(rng: random.Random, kind: str, sectors: list[str], serial: int) -> str:
    noun = SECTOR_NOUNS[sectors[0]] if sectors else "Resilience"
    suffix = rng.choice(KIND_SUFFIX[kind])
    # The serial keeps names unique, which keeps name-ordered listings unambiguous.
    return f"{rng.choice(ADJECTIVES)} {noun} {suffix} {serial}"


def _synthetic_partners(ctx: _Ctx, count: int, geo: _Geo) -> None:
    rng = ctx.rng
    n_hubs = max(3, count // 400) if count else 0
    kinds = rng.choices(KINDS, KIND_WEIGHTS, k=count)
    for i in range(count):
        hub = i < n_hubs
        kind = ("NONPROFIT", "FEDERAL", "PRIVATE")[i % 3] if hub else kinds[i]
        sectors = rng.sample(SECTOR_IDS, 3) if hub else _sectors_for(rng, kind)
        pid = f"sp-{i + 1:06d}"
        ctx.partners.append(
            {
                "id": pid,
                "name": _name(rng, kind, sectors, i + 1),
                "kind": kind,
                "active": rng.random() >= 0.03,
                "sectors": sectors,
                "regions": [] if hub else _regions_for(rng, kind, geo),
                "partnersWith": [],
                "clientOf": [],
                "fusionCenter": None,
                "illustrative": True,
            }
        )
        if hub:
            ctx.hubs.append(pid)


def _index(ctx: _Ctx, geo: _Geo) -> None:
    for p in ctx.partners:
        ctx.kind_of[p["id"]] = p["kind"]
        for s in p["sectors"]:
            ctx.by_sector.setdefault(s, []).append(p["id"])
        for fema in {geo.fema_of[r] for r in p["regions"] if r in geo.fema_of}:
            ctx.by_fema.setdefault(fema, []).append(p["id"])
    # The seed's national federal bodies (HITRAC, NICC, SSAs...) join the synthetic hubs.
    ctx.hubs += [
        p["id"]
        for p in ctx.partners
        if p["kind"] == "FEDERAL" and not p["regions"] and not p["id"].startswith("sp-")
    ]
    ctx.hub_cum = list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(ctx.hubs))))


# --------------------------------------------------------------------------- edges


def _attach(ctx: _Ctx, first: int, geo: _Geo) -> None:
    """Preferential attachment: each new partner links to partners already well linked."""
    rng, partners = ctx.rng, ctx.partners
    index = {p["id"]: i for i, p in enumerate(partners)}
    hub_idx = [index[h] for h in ctx.hubs]
    peers: list[int] = hub_idx * 5 + list(range(first))
    providers: list[int] = hub_idx * 20
    for i in range(first, len(partners)):
        p = partners[i]
        for _ in range(rng.choices((0, 1, 2), (45, 40, 15))[0]):
            j = peers[int(rng.random() * len(peers))]
            if j != i and partners[j]["id"] not in p["partnersWith"]:
                p["partnersWith"].append(partners[j]["id"])
                peers.append(j)
        for _ in range(rng.choices((0, 1, 2), (45, 45, 10))[0]):
            j = providers[int(rng.random() * len(providers))]
            if j != i and partners[j]["id"] not in p["clientOf"]:
                p["clientOf"].append(partners[j]["id"])
                providers.append(j)
        _client_of_fusion_center(p, geo)
        peers.append(i)
        if p["kind"] in ("NONPROFIT", "PRIVATE") and rng.random() < 0.02:
            providers.append(i)  # a few grow into service providers themselves


def _client_of_fusion_center(p: Record, geo: _Geo) -> None:
    """State and local bodies take products from their own fusion center."""
    if p["kind"] not in ("LOCAL", "STATE", "TRIBAL", "TERRITORIAL") or not p["regions"]:
        return
    region = p["regions"][0]
    fc = f"fc-{region}" if p["kind"] == "LOCAL" else f"fc-{geo.state_of.get(region, region)}"
    if fc not in p["clientOf"]:
        p["clientOf"].append(fc)


# --------------------------------------------------------------------------- councils


def _council_size(rng: random.Random, scale: float) -> int:
    return 3 + int(rng.paretovariate(1.1) * scale)


def _members(ctx: _Ctx, pool: Sequence[str], size: int, chair: bool) -> list[Record]:
    rng = ctx.rng
    chosen = rng.sample(pool, min(size, len(pool)))
    chosen += [ctx.pick_hub() for _ in range(1 + int(rng.random() * 3))]
    seen: set[str] = set()
    out: list[Record] = []
    for pid in chosen:
        if pid in seen:
            continue
        seen.add(pid)
        role = "OBSERVER" if rng.random() < 0.1 else "MEMBER"
        out.append({"partner": pid, "role": "CHAIR" if chair and not out else role})
    for pid in ctx.hubs:  # tiny pools: top up from the hubs
        if len(out) >= 2:
            break
        if pid not in seen:
            seen.add(pid)
            out.append({"partner": pid, "role": "MEMBER"})
    return out


def _council(
    cid: str, name: str, kind: str, sectors: list[str], parent: str | None, members: list[Record]
) -> Record:
    return {
        "id": cid,
        "name": name,
        "kind": kind,
        "sectors": sectors,
        "parent": parent,
        "members": members,
        "illustrative": True,
    }


def _sector_councils(ctx: _Ctx, scale: float) -> list[Record]:
    out: list[Record] = []
    for s in SECTOR_IDS:
        pool = ctx.by_sector.get(s, [])
        gov = [p for p in pool if ctx.kind_of[p] in GOVERNMENT] or pool
        scc, gcc, iswg = (f"sg-{len(out) + k + 1:05d}" for k in range(3))
        noun = SECTOR_NOUNS[s]
        out += [
            _council(
                scc,
                f"Synthetic {noun} Sector Coordinating Council",
                "SCC",
                [s],
                None,
                _members(ctx, pool, _council_size(ctx.rng, scale * 4), True),
            ),
            _council(
                gcc,
                f"Synthetic {noun} Government Coordinating Council",
                "GCC",
                [s],
                None,
                _members(ctx, gov, _council_size(ctx.rng, scale), True),
            ),
            _council(
                iswg,
                f"Synthetic {noun} Information Sharing Working Group",
                "ISWG",
                [s],
                ctx.rng.choice((scc, gcc)),
                _members(ctx, pool, _council_size(ctx.rng, scale / 2), True),
            ),
        ]
    return out


def _extra_council(ctx: _Ctx, serial: int, base: list[Record], geo: _Geo) -> Record:
    rng = ctx.rng
    cid = f"sg-{serial:05d}"
    size = _council_size(rng, 8.0)
    r = rng.random()
    if r < 0.4:  # a working group under one of the sector councils
        parent = rng.choice(base)
        s = parent["sectors"][0]
        return _council(
            cid,
            f"Synthetic {SECTOR_NOUNS[s]} Working Group {serial}",
            "ISWG",
            [s],
            parent["id"],
            _members(ctx, ctx.by_sector.get(s, []), size, True),
        )
    if r < 0.75:  # a regional partnership drawn from one FEMA region
        fema = rng.choice(geo.fema)
        return _council(
            cid,
            f"Synthetic Regional Coalition {serial} ({fema})",
            "REGIONAL_PARTNERSHIP",
            [],
            None,
            _members(ctx, ctx.by_fema.get(fema, []), size, True),
        )
    sectors = rng.sample(SECTOR_IDS, 1 if r < 0.9 else 3)
    kind = "SCC" if r < 0.9 else "CROSS_SECTOR"
    pool = [p for s in sectors for p in ctx.by_sector.get(s, [])[:20000]]
    return _council(
        cid,
        f"Synthetic {kind.title().replace('_', '-')} Council {serial}",
        kind,
        sectors,
        None,
        _members(ctx, pool, size, True),
    )


def _councils(ctx: _Ctx, n: int, geo: _Geo) -> list[Record]:
    base = _sector_councils(ctx, max(2.0, n / 4000))
    parents = [c for c in base if c["kind"] in ("SCC", "GCC")]
    extra = [_extra_council(ctx, len(base) + k + 1, parents, geo) for k in range(max(4, n // 200))]
    return base + extra


# --------------------------------------------------------------------------- the rest


def _contacts(ctx: _Ctx) -> list[Record]:
    rng = ctx.rng
    firsts = [(f, f.lower()) for f in FIRST_NAMES]
    lasts = [(name, name.lower()) for name in LAST_NAMES]
    out: list[Record] = []
    for p in ctx.partners:
        gov = p["kind"] in GOVERNMENT
        tld = "gov" if gov else "org"
        offset = int(rng.random() * len(lasts))
        for j in range(rng.choices((1, 2, 3), (50, 35, 15))[0]):
            first, f_low = firsts[int(rng.random() * len(firsts))]
            last, l_low = lasts[(offset + 7 * j) % len(lasts)]  # distinct within a partner
            out.append(
                {
                    "id": f"sct-{len(out) + 1:07d}",
                    "partner": p["id"],
                    "name": f"{first} {last}",
                    "email": f"{f_low}.{l_low}@{p['id']}.example.{tld}",
                    "pciiAuthorized": gov and rng.random() < 0.4,
                    "channels": list(rng.choices(CHANNEL_SETS, CHANNEL_WEIGHTS)[0]),
                    "active": rng.random() >= 0.05,
                    "illustrative": True,
                }
            )
    return out


def _requirements(ctx: _Ctx, councils: list[Record], topics: list[str]) -> list[Record]:
    rng = ctx.rng
    out: list[Record] = []
    for c in councils:
        sector = c["sectors"][0] if c["sectors"] else rng.choice(SECTOR_IDS)
        if rng.random() < 0.5:
            audience: Record = {"council": c["parent"] or c["id"]}
        else:
            audience = {"sector": sector, "partnerKinds": rng.sample(KINDS, rng.randrange(4))}
        out.append(
            {
                "id": f"srq-{len(out) + 1:06d}",
                "council": c["id"],
                "sector": sector,
                "kinds": rng.sample(PRODUCT_KINDS, rng.randrange(4)),
                "levels": rng.sample(LEVELS, rng.randrange(3)),
                "topics": rng.sample(topics, rng.randrange(3)),
                "minSeverity": rng.choice((None, *SEVERITIES)),
                "audience": audience,
                "channel": rng.choice(("HSIN", "EMAIL", "PHONE", "WATCH_CENTER")),
                "illustrative": True,
            }
        )
    return out


def _subscriptions(ctx: _Ctx, topics: list[str]) -> list[Record]:
    rng = ctx.rng
    chosen = sorted(rng.sample(range(len(ctx.partners)), len(ctx.partners) // 10))
    out: list[Record] = []
    for i in chosen:
        p = ctx.partners[i]
        for topic in rng.sample(topics, 1 + int(rng.random() < 0.3)):
            out.append(
                {"partner": p["id"], "topic": topic, "sector": None, "minSeverity": rng.choice(SEVERITIES)}
            )
        if p["sectors"] and rng.random() < 0.5:
            out.append(
                {
                    "partner": p["id"],
                    "topic": None,
                    "sector": p["sectors"][0],
                    "minSeverity": rng.choice(SEVERITIES),
                }
            )
    return out


def _products(ctx: _Ctx, count: int, topics: list[str], regions: list[str]) -> list[Record]:
    rng = ctx.rng
    issuers = [p["id"] for p in ctx.partners if p["fusionCenter"] is not None or p["kind"] == "FEDERAL"][:500]
    ids = [p["id"] for p in ctx.partners]
    out: list[Record] = []
    for i in range(count):
        tlp = rng.choices(TLPS, TLP_WEIGHTS)[0]
        kind = PRODUCT_KINDS[i % len(PRODUCT_KINDS)]  # cycled so small runs cover every kind
        addressed = rng.sample(ids, 1 + rng.randrange(3)) if tlp == "RED" or rng.random() < 0.05 else []
        published = BASE_DATE + timedelta(minutes=rng.randrange(60 * 24 * 90))
        regions_n = 0 if rng.random() < 0.2 else 1 + int(rng.random() < 0.2)
        out.append(
            {
                "id": f"spd-{i + 1:06d}",
                "title": f"Synthetic {kind.lower().replace('_', ' ')} {i + 1}",
                "kind": kind,
                "level": rng.choice(LEVELS),
                "severity": SEVERITIES[i % len(SEVERITIES)],
                "tlp": tlp,
                "pcii": rng.random() < 0.1,
                "sectors": rng.sample(SECTOR_IDS, 1 + int(rng.random() < 0.3)),
                "topics": rng.sample(topics, 1 + int(rng.random() < 0.4)),
                "regions": rng.sample(regions, regions_n),
                "addressedTo": addressed,
                "issuedBy": rng.choice(issuers),
                "publishedAt": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "illustrative": True,
            }
        )
    return out


def generate(partners: int, seed: int, *, progress: Progress | None = None) -> dict[str, Any]:
    """A synthetic interchange document with about ``partners`` partners (never fewer than the
    seed's federal bodies and fusion centers it keeps)."""
    say: Progress = progress or (lambda _msg: None)
    rng = random.Random(seed)
    base = build_seed_document()
    territories = {
        p["regions"][0]
        for p in base["partners"]
        if p["kind"] == "TERRITORIAL" and p["fusionCenter"] is not None
    }
    geo = _geo(base["regions"], territories)
    ctx = _Ctx(rng=rng, partners=_kept_partners(base))
    first = len(ctx.partners)
    _synthetic_partners(ctx, max(0, partners - first), geo)
    _index(ctx, geo)
    _attach(ctx, first, geo)
    say(f"partners: {len(ctx.partners)}")
    councils = _councils(ctx, partners, geo)
    say(f"councils: {len(councils)}")
    topics = [t["id"] for t in base["topics"]]
    contacts = _contacts(ctx)
    say(f"contacts: {len(contacts)}")
    doc: dict[str, Any] = {
        "sectors": base["sectors"],
        "regions": base["regions"],
        "topics": base["topics"],
        "partners": ctx.partners,
        "councils": councils,
        "contacts": contacts,
        "requirements": _requirements(ctx, councils, topics),
        "subscriptions": _subscriptions(ctx, topics),
        "products": _products(
            ctx, max(len(PRODUCT_KINDS), partners // 100), topics, [r["id"] for r in base["regions"]]
        ),
    }
    say(
        f"requirements: {len(doc['requirements'])}, subscriptions: "
        f"{len(doc['subscriptions'])}, products: {len(doc['products'])}"
    )
    return doc

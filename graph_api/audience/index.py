"""The partnership graph held in memory, in the shape recipient rules walk it.

Partners are numbered by their place in a list's order (name, then id), so a list is a sort of
small ints; every relation is a list or set of those numbers. An index is immutable once built:
a newer graph gets a new index, never an edited one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph_api import domain
from graph_api.store.database import Database
from graph_api.store.tuning import bulk_allocations

# A raw reason: (source, ref, channel); channel only for a requirement.
RawReason = tuple[str, str | None, str | None]
# The fields of a listed contact, in the order cypher/recipients/resolve.cypher and
# cypher/audience/contacts.cypher return them.
CONTACT_FIELDS = ("id", "name", "email", "channels", "pciiAuthorized", "active", "version")
Contact = dict[str, Any]
# One candidate of a list: partner id, name, kind, raw reasons, exclusion (None: a recipient)
# and, for a recipient, its contacts.
CandidateRow = tuple[str, str, str, list[RawReason], str | None, list[Contact]]

GOVERNMENT_KINDS = frozenset(domain.GOVERNMENT_KINDS)


@dataclass(frozen=True)
class Requirement:
    id: str
    # None where the graph holds no list (Cypher's `size(null) = 0` is not true: never met).
    kinds: frozenset[str] | None
    levels: frozenset[str] | None
    min_severity_rank: int | None
    # None: the requirement names no topic, so any product meets it.
    topics: frozenset[str] | None
    # Whom it reaches, as partner numbers, without repeats.
    audience: tuple[int, ...]
    channel: str | None

    def met_by(self, kind: str, level: str, severity_rank: int, topics: frozenset[str]) -> bool:
        return (
            self.kinds is not None
            and (not self.kinds or kind in self.kinds)
            and self.levels is not None
            and (not self.levels or level in self.levels)
            and self.min_severity_rank is not None
            and self.min_severity_rank <= severity_rank
            and (self.topics is None or not self.topics.isdisjoint(topics))
        )


@dataclass
class AudienceIndex:
    """What the recipient rules read of the graph at one graph version (`token`)."""

    token: str
    ids: list[str]
    names: list[str]
    kinds: list[str]
    # Cypher's `NOT x.active` holds only for false; a missing value excludes no one.
    inactive: frozenset[int]
    fusion_centers: list[int]
    number: dict[str, int]
    # The regions a partner is in; a partner absent here is in none (a national body).
    regions_of: dict[int, frozenset[str]]
    partners_in_region: dict[str, list[int]]
    # Fusion centers serving each region.
    serving: dict[str, list[int]]
    # (partner, least severity rank) subscribed to each topic and to each sector.
    topic_subscribers: dict[str, list[tuple[int, int | None]]]
    sector_subscribers: dict[str, list[tuple[int, int | None]]]
    requirements_by_sector: dict[str, list[Requirement]]
    # Each partner's contacts in list order (name, then id); copied into every list.
    contacts: dict[int, list[Contact]]
    # Partners with an active, PCII-authorized contact.
    pcii_ready: frozenset[int]
    parents: dict[str, list[str]]
    children: dict[str, list[str]]
    load_seconds: float = field(default=0.0)

    @property
    def partner_count(self) -> int:
        return len(self.ids)

    def related_regions(self, regions: Iterable[str]) -> set[str]:
        """Each region given that exists, everything above it and everything below it."""
        related: set[str] = set()
        for region in regions:
            if region in self.parents:
                related |= _reachable(region, self.parents)
                related |= _reachable(region, self.children)
        return related

    def candidates(
        self, product: dict[str, Any], partners: Iterable[str] | None = None
    ) -> Iterator[CandidateRow]:
        """The product's candidates in list order, each with its reasons and exclusion, exactly as
        cypher/recipients/resolve.cypher has them; `partners` (None: everyone) keeps only those."""
        severity_rank = domain.severity_rank(product["severity"])
        topics = frozenset(product["topics"])
        sectors = frozenset(product["sectors"])
        regional = bool(product["regions"])
        related = self.related_regions(product["regions"])
        reasons: dict[int, list[RawReason]] = {}
        # The region rule: requirement and subscription reasons count only for national bodies
        # and partners in a related region.
        barred = _Barred(self.regions_of, self._in_regions(related)) if regional else _NO_ONE

        seen: set[str] = set()
        for sector in sectors:
            for requirement in self.requirements_by_sector.get(sector, ()):
                if requirement.id in seen:
                    continue
                seen.add(requirement.id)
                if requirement.met_by(product["kind"], product["level"], severity_rank, topics):
                    _add(
                        reasons,
                        requirement.audience,
                        ("REQUIREMENT", requirement.id, requirement.channel),
                        barred,
                    )
        for subscribed, chosen in ((self.topic_subscribers, topics), (self.sector_subscribers, sectors)):
            for target in chosen:
                reached = [
                    partner
                    for partner, rank in subscribed.get(target, ())
                    if rank is not None and rank <= severity_rank
                ]
                _add(reasons, reached, ("SUBSCRIPTION", target, None), barred)
        if not regional:
            _add(reasons, self.fusion_centers, ("FUSION_CENTER", None, None), frozenset())
        else:
            for region in related:
                _add(reasons, self.serving.get(region, ()), ("FUSION_CENTER", region, None), frozenset())
        addressed = frozenset(product["addressedTo"])
        addressees = [self.number[a] for a in addressed if a in self.number]
        _add(reasons, addressees, ("ADDRESSED", product["id"], None), frozenset())

        chosen_partners = None if partners is None else {self.number[p] for p in partners if p in self.number}
        red = product["tlp"] == "RED"
        pcii = bool(product["pcii"])
        ids, names, kinds, inactive, contacts = self.ids, self.names, self.kinds, self.inactive, self.contacts
        for partner in sorted(reasons):
            if chosen_partners is not None and partner not in chosen_partners:
                continue
            partner_id, kind = ids[partner], kinds[partner]
            exclusion: str | None = None
            if partner in inactive:
                exclusion = "INACTIVE"
            elif red and partner_id not in addressed:
                exclusion = "TLP_RED_NOT_ADDRESSED"
            elif pcii and kind is not None and kind not in GOVERNMENT_KINDS:
                exclusion = "PCII_NOT_GOVERNMENT"
            elif pcii and partner not in self.pcii_ready:
                exclusion = "PCII_NO_AUTHORIZED_CONTACT"
            if exclusion is not None:
                yield partner_id, names[partner], kind, reasons[partner], exclusion, []
                continue
            listed = [
                c.copy()
                for c in contacts.get(partner, ())
                if c["active"] is True and (not pcii or c["pciiAuthorized"] is True)
            ]
            yield partner_id, names[partner], kind, reasons[partner], None, listed

    def _in_regions(self, regions: set[str]) -> set[int]:
        found: set[int] = set()
        for region in regions:
            found.update(self.partners_in_region.get(region, ()))
        return found


@dataclass(frozen=True)
class _Barred:
    """Partners in some region, none of them related: `in` is all a candidate loop asks."""

    regional: dict[int, frozenset[str]]
    in_related: set[int]

    def __contains__(self, partner: int) -> bool:
        return partner in self.regional and partner not in self.in_related


_NO_ONE: frozenset[int] = frozenset()


def _add(
    reasons: dict[int, list[RawReason]],
    partners: Iterable[int],
    reason: RawReason,
    barred: frozenset[int] | _Barred,
) -> None:
    get = reasons.get
    for partner in partners:
        if partner in barred:
            continue
        found = get(partner)
        if found is None:
            reasons[partner] = [reason]
        else:
            found.append(reason)


def _reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen = {start}
    frontier = [start]
    while frontier:
        for step in edges.get(frontier.pop(), ()):
            if step not in seen:
                seen.add(step)
                frontier.append(step)
    return seen


# -- loading ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GraphRows:
    """The raw rows of the bulk statements under cypher/audience/."""

    partners: list[list[Any]]
    links: list[list[Any]]
    requirements: list[list[Any]]
    contacts: list[list[Any]]
    regions: list[list[Any]]


async def read_graph(db: Database) -> GraphRows:
    return GraphRows(
        partners=await _collected(db, "partners"),
        links=await _collected(db, "links"),
        requirements=await _collected(db, "requirements"),
        contacts=await _collected(db, "contacts"),
        regions=await _collected(db, "regions"),
    )


async def _collected(db: Database, name: str) -> list[list[Any]]:
    """The rows of a statement under cypher/audience/, which collects them into a few records."""
    return [row for (rows,) in await db.read_rows(f"audience/{name}") for row in rows]


def build(token: str, rows: GraphRows) -> AudienceIndex:
    """The index of the rows read at graph version `token`."""
    # Hundreds of thousands of small containers, none of them in a cycle.
    with bulk_allocations():
        return _build(token, rows)


def _build(token: str, rows: GraphRows) -> AudienceIndex:
    ids = [r[0] for r in rows.partners]
    number = {partner_id: n for n, partner_id in enumerate(ids)}
    in_sector: dict[str, list[int]] = defaultdict(list)
    members: dict[str, list[int]] = defaultdict(list)
    serves: dict[str, list[int]] = defaultdict(list)
    regions_of: dict[int, set[str]] = defaultdict(set)
    topic_subscribers: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    sector_subscribers: dict[str, list[tuple[int, int | None]]] = defaultdict(list)
    fusion_center = [bool(r[4]) for r in rows.partners]
    for link, partner_id, target, rank in rows.links:
        partner = number[partner_id]
        if link == "IN_SECTOR":
            in_sector[target].append(partner)
        elif link == "MEMBER_OF":
            members[target].append(partner)
        elif link == "SERVES":
            if fusion_center[partner]:
                serves[target].append(partner)
        elif link == "IN_REGION":
            regions_of[partner].add(target)
        elif link == "TOPIC_SUBSCRIPTION":
            topic_subscribers[target].append((partner, rank))
        elif link == "SECTOR_SUBSCRIPTION":
            sector_subscribers[target].append((partner, rank))
        else:
            raise ValueError(f"unknown link {link!r} in cypher/audience/links.cypher")

    kinds = [r[2] for r in rows.partners]
    requirements_by_sector: dict[str, list[Requirement]] = defaultdict(list)
    for (
        requirement_id,
        sectors,
        req_kinds,
        levels,
        min_rank,
        names_topics,
        topics,
        audience_councils,
        audience_sectors,
        partner_kinds,
        channel,
    ) in rows.requirements:
        requirement = Requirement(
            id=requirement_id,
            kinds=None if req_kinds is None else frozenset(req_kinds),
            levels=None if levels is None else frozenset(levels),
            min_severity_rank=min_rank,
            topics=frozenset(topics) if names_topics else None,
            audience=_audience(audience_councils, audience_sectors, partner_kinds, members, in_sector, kinds),
            channel=channel,
        )
        for sector in set(sectors):
            requirements_by_sector[sector].append(requirement)

    contacts: dict[int, list[Contact]] = defaultdict(list)
    pcii_ready: set[int] = set()
    for partner_id, *values in rows.contacts:
        partner = number[partner_id]
        contact = dict(zip(CONTACT_FIELDS, values, strict=True))
        contacts[partner].append(contact)
        if contact["active"] is True and contact["pciiAuthorized"] is True:
            pcii_ready.add(partner)

    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for region, above in rows.regions:
        parents[region] = list(above)
        for parent in above:
            children[parent].append(region)

    return AudienceIndex(
        token=token,
        ids=ids,
        names=[r[1] for r in rows.partners],
        kinds=kinds,
        inactive=frozenset(n for n, r in enumerate(rows.partners) if r[3] is False),
        fusion_centers=[n for n, fc in enumerate(fusion_center) if fc],
        number=number,
        regions_of={p: frozenset(r) for p, r in regions_of.items()},
        partners_in_region=_inverse(regions_of),
        serving=dict(serves),
        topic_subscribers=dict(topic_subscribers),
        sector_subscribers=dict(sector_subscribers),
        requirements_by_sector=dict(requirements_by_sector),
        contacts=dict(contacts),
        pcii_ready=frozenset(pcii_ready),
        parents=parents,
        children=dict(children),
    )


def _inverse(regions_of: dict[int, set[str]]) -> dict[str, list[int]]:
    partners: dict[str, list[int]] = defaultdict(list)
    for partner, regions in regions_of.items():
        for region in regions:
            partners[region].append(partner)
    return dict(partners)


def _audience(
    councils: list[str],
    sectors: list[str],
    partner_kinds: list[str] | None,
    members: dict[str, list[int]],
    in_sector: dict[str, list[int]],
    kinds: list[str],
) -> tuple[int, ...]:
    """Members of the audience councils, and partners of the audience sectors of the kinds asked
    (any kind when none is asked; never, when the graph holds no list of kinds)."""
    reached: set[int] = set()
    for council in councils:
        reached.update(members.get(council, ()))
    if partner_kinds is not None:
        wanted = frozenset(partner_kinds)
        for sector in sectors:
            found = in_sector.get(sector, ())
            reached.update(found if not wanted else (p for p in found if kinds[p] in wanted))
    return tuple(reached)

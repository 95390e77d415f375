"""The partnership graph held in memory, in the shape recipient rules walk it.

Every partner has a slot, a small int; every relation is a list or set of slots, and `position`
gives each slot its place in a list's order (name, then id), so a list is a sort of small ints.
An index is never edited: a newer graph gets a new index, built whole from the graph or patched
from the index before it for the few partners a change touched (`patched`), sharing everything
the change left alone.
"""

from __future__ import annotations

import bisect
import dataclasses
import threading
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from graph_api import domain
from graph_api.domain import eligibility
from graph_api.domain.entities import RelType
from graph_api.store.database import Database, Reader
from graph_api.store.tuning import bulk_allocations

T = TypeVar("T")
# A raw reason: (source, ref, channel); channel only for a requirement.
RawReason = tuple[str, str | None, str | None]
# The fields of a listed contact, in the order cypher/recipients/resolve.cypher and
# cypher/audience/contacts.cypher return them.
CONTACT_FIELDS = ("id", "name", "email", "channels", "pciiAuthorized", "active", "version")
Contact = dict[str, Any]
# One candidate of a list: partner id, name, kind, raw reasons, exclusion (None: a recipient)
# and, for a recipient, its contacts (from the index, the index's own: never to be changed).
CandidateRow = tuple[str, str, str, list[RawReason], str | None, Sequence[Contact]]
# A partner's link as the recipient rules follow it: (what the link is, what it leads to, least
# severity rank for a subscription); the names are those of cypher/audience/links.cypher.
Link = tuple[str, str, int | None]
# Where each kind of link is filed: the relation that lists, for each target, the partners with
# such a link (subscriptions with their least severity rank).
RELATION_OF_LINK = {
    RelType.IN_SECTOR: "in_sector",
    RelType.MEMBER_OF: "members",
    RelType.SERVES: "serving",
    RelType.IN_REGION: "partners_in_region",
    "TOPIC_SUBSCRIPTION": "topic_subscribers",
    "SECTOR_SUBSCRIPTION": "sector_subscribers",
}
RANKED_LINKS = frozenset({"TOPIC_SUBSCRIPTION", "SECTOR_SUBSCRIPTION"})
# The links a requirement's audience is made of.
AUDIENCE_LINKS = frozenset({RelType.IN_SECTOR, RelType.MEMBER_OF})

GOVERNMENT_KINDS = frozenset(domain.GOVERNMENT_KINDS)


def order_key(name: str | None, partner_id: str) -> tuple[bool, str, str]:
    """A partner's place in a list: by name, then id; a partner without a name last (as Cypher
    orders a null)."""
    return (name is None, name or "", partner_id)


@dataclass(frozen=True)
class Requirement:
    id: str
    # None where the graph holds no list (Cypher's `size(null) = 0` is not true: never met).
    kinds: frozenset[str] | None
    levels: frozenset[str] | None
    min_severity_rank: int | None
    # None: the requirement names no topic, so any product meets it.
    topics: frozenset[str] | None
    # Whom it reaches: members of these councils, and partners of these sectors of these kinds
    # (any kind when empty; no one of the sectors when the graph holds no list of kinds).
    audience_councils: tuple[str, ...]
    audience_sectors: tuple[str, ...]
    audience_kinds: frozenset[str] | None
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
    """What the recipient rules read of the graph at one graph version (`token`, the change log's
    entry `seq`)."""

    token: str
    seq: int
    # Per slot. A deleted partner's slot is left behind, in no relation and not in `number`.
    ids: list[str]
    names: list[str]
    kinds: list[str]
    position: list[int]
    # (order_key, slot) of every partner, sorted: where `position` comes from.
    order: list[tuple[tuple[bool, str, str], int]]
    number: dict[str, int]
    # Cypher's `NOT x.active` holds only for false; a missing value excludes no one.
    inactive: frozenset[int]
    fusion_centers: frozenset[int]
    # Each partner's links (SERVES only for a fusion center, the only ones a list follows).
    links_of: dict[int, frozenset[Link]]
    # The regions a partner is in; a partner absent here is in none (a national body).
    regions_of: dict[int, frozenset[str]]
    partners_in_region: dict[str, list[int]]
    # Fusion centers serving each region.
    serving: dict[str, list[int]]
    # (partner, least severity rank) subscribed to each topic and to each sector.
    topic_subscribers: dict[str, list[tuple[int, int | None]]]
    sector_subscribers: dict[str, list[tuple[int, int | None]]]
    members: dict[str, list[int]]
    in_sector: dict[str, list[int]]
    requirements_by_sector: dict[str, list[Requirement]]
    # Each partner's contacts in list order (name, then id).
    contacts: dict[int, list[Contact]]
    # Those a list reaches: (the active ones, the active and PCII-authorized ones). A list's rows
    # get these very tuples and the index's own contact maps, which nothing downstream changes
    # (they are copied when anything is added, as a contact's partner is).
    reachable: dict[int, tuple[tuple[Contact, ...], tuple[Contact, ...]]]
    parents: dict[str, list[str]]
    children: dict[str, list[str]]
    # Requirement audiences as slots, worked out when a list first needs them.
    audiences: dict[str, tuple[int, ...]] = field(default_factory=dict)
    # Lists worked out from this index, kept for the next caller asking for the same product. Not
    # an init field: an index made from this one (`patched`, `dataclasses.replace`) starts empty.
    kept: KeptLists = field(default_factory=lambda: KeptLists(), init=False, repr=False, compare=False)
    # Partners read while a change of them may still have been showing: read again before the
    # index is trusted at its version.
    unsettled: frozenset[str] = field(default=frozenset())
    load_seconds: float = field(default=0.0)

    @property
    def partner_count(self) -> int:
        return len(self.number)

    def is_at(self, token: str) -> bool:
        """Whether this index is exactly the graph at version `token`."""
        return self.token == token and not self.unsettled

    def related_regions(self, regions: Iterable[str]) -> set[str]:
        """Each region given that exists, everything above it and everything below it."""
        related: set[str] = set()
        for region in regions:
            if region in self.parents:
                related |= _reachable(region, self.parents)
                related |= _reachable(region, self.children)
        return related

    def audience_of(self, requirement: Requirement) -> tuple[int, ...]:
        """Members of the audience councils, and partners of the audience sectors of the kinds
        asked, without repeats."""
        found = self.audiences.get(requirement.id)
        if found is None:
            reached: set[int] = set()
            for council in requirement.audience_councils:
                reached.update(self.members.get(council, ()))
            wanted, kinds = requirement.audience_kinds, self.kinds
            if wanted is not None:
                for sector in requirement.audience_sectors:
                    partners = self.in_sector.get(sector, ())
                    reached.update(partners if not wanted else (p for p in partners if kinds[p] in wanted))
            found = self.audiences[requirement.id] = tuple(reached)
        return found

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
        barred = _Barred(self.regions_of, self._in_regions(related)) if regional else None

        seen: set[str] = set()
        for sector in sectors:
            for requirement in self.requirements_by_sector.get(sector, ()):
                if requirement.id in seen:
                    continue
                seen.add(requirement.id)
                if requirement.met_by(product["kind"], product["level"], severity_rank, topics):
                    _add(
                        reasons,
                        self.audience_of(requirement),
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
            _add(reasons, self.fusion_centers, ("FUSION_CENTER", None, None), None)
        else:
            for region in related:
                _add(reasons, self.serving.get(region, ()), ("FUSION_CENTER", region, None), None)
        addressed = frozenset(product["addressedTo"])
        addressees = [self.number[a] for a in addressed if a in self.number]
        _add(reasons, addressees, ("ADDRESSED", product["id"], None), None)

        chosen_partners = None if partners is None else {self.number[p] for p in partners if p in self.number}
        pcii = bool(product["pcii"])
        rule = eligibility.for_product(tlp=product["tlp"], pcii=pcii)
        decided = rule.decided
        _, reads_addressed, reads_government, reads_contact = rule.reads
        ids, names, kinds, inactive, reachable = (
            self.ids,
            self.names,
            self.kinds,
            self.inactive,
            self.reachable,
        )
        for partner in sorted(reasons, key=self.position.__getitem__):
            if chosen_partners is not None and partner not in chosen_partners:
                continue
            partner_id, kind = ids[partner], kinds[partner]
            own = reachable.get(partner, _NO_CONTACTS)
            # The candidate's facts, as the graph's nulls read in Cypher: a missing `active` or
            # `kind` fails no rule.
            exclusion = decided[
                partner not in inactive,
                reads_addressed and partner_id in addressed,
                reads_government and (kind is None or kind in GOVERNMENT_KINDS),
                reads_contact and bool(own[1]),
            ]
            if exclusion is not None:
                yield partner_id, names[partner], kind, reasons[partner], exclusion, []
                continue
            yield partner_id, names[partner], kind, reasons[partner], None, own[1] if pcii else own[0]

    def _in_regions(self, regions: set[str]) -> set[int]:
        found: set[int] = set()
        for region in regions:
            found.update(self.partners_in_region.get(region, ()))
        return found


# How many candidates the lists an index keeps may hold in all: a national list of the 100k
# network is about 94,000 candidates and some 80 MB in all its forms.
KEPT_CANDIDATES = 200_000


class KeptLists:
    """Lists worked out from one index, by the product they are of, the most recently asked last.
    An index is never edited, so a list worked out from it stays exact for as long as the index is
    the graph's: the next request for the same product (same record, so the same version) at the
    same graph version gets it without working it out again. The oldest are let go beyond
    KEPT_CANDIDATES candidates in all. What is kept is shared by every caller: never to be changed."""

    def __init__(self) -> None:
        self._lists: dict[Hashable, tuple[int, Any]] = {}
        self._candidates = 0
        # Lists are worked out in threads.
        self._lock = threading.Lock()

    def peek(self, product: dict[str, Any]) -> Any:
        """The list kept for `product`, or None."""
        key = _frozen(product)
        with self._lock:
            found = self._lists.get(key)
        return None if found is None else found[1]

    def get(self, product: dict[str, Any], work: Callable[[], tuple[int, T]]) -> T:
        """The list kept for `product`, else `work()`'s (its size in candidates, the list), kept."""
        key = _frozen(product)
        with self._lock:
            found = self._lists.pop(key, None)
            if found is not None:
                self._lists[key] = found  # the most recently asked, last
                return cast(T, found[1])
        size, value = work()
        with self._lock:
            if key not in self._lists and size <= KEPT_CANDIDATES:
                self._lists[key] = (size, value)
                self._candidates += size
                while self._candidates > KEPT_CANDIDATES:
                    oldest = next(iter(self._lists))
                    self._candidates -= self._lists.pop(oldest)[0]
        return value


def _frozen(value: Any) -> Hashable:
    """A product record as a key: equal records, equal keys."""
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return cast(Hashable, value)


@dataclass(frozen=True)
class _Barred:
    """Partners in some region, none of them related."""

    regional: dict[int, frozenset[str]]
    in_related: set[int]


def _add(
    reasons: dict[int, list[RawReason]],
    partners: Iterable[int],
    reason: RawReason,
    barred: _Barred | None,
) -> None:
    """The reason for each of the partners, but those barred (None: no one is)."""
    get = reasons.get
    if barred is not None:
        regional, related = barred.regional, barred.in_related
        partners = [p for p in partners if p not in regional or p in related]
    for partner in partners:
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


async def read_partners(db: Database, partners: Iterable[str]) -> list[list[Any]]:
    """The rows of cypher/audience/partners_changed.cypher for these partners: what the index
    holds of each, as the graph has it now (a deleted partner's row says it no longer exists)."""
    ids = sorted(partners)
    if not ids:
        return []
    return [row for (row,) in await db.read_rows("audience/partners_changed", ids=ids)]


async def read_partners_alone(db: Reader) -> PartnersAlone:
    """Every requirement and region, as `db` has them, to make indexes of a few partners from."""
    requirements = await db.read("audience/requirements")
    regions = await db.read("audience/regions")
    return PartnersAlone(
        [row for r in requirements for row in r["rows"]], [row for r in regions for row in r["rows"]]
    )


async def read_partner_rows(db: Reader, partners: Iterable[str]) -> list[list[Any]]:
    """`read_partners` through any reader: a transaction reads its own uncommitted writes."""
    return [r["row"] for r in await db.read("audience/partners_changed", ids=sorted(partners))]


@dataclass(frozen=True)
class PartnersAlone:
    """The rows of every requirement and region (cypher/audience/), to index a few partners with.

    A partner's place on a list depends on its own records and links and on the requirements and
    regions, and on nothing else: a product's candidates in an index of some partners alone are
    exactly those partners' rows of the whole graph's list."""

    requirements: list[list[Any]]
    regions: list[list[Any]]

    def index(self, partner_rows: list[list[Any]]) -> AudienceIndex:
        """The index of a graph of these partners alone (rows of partners_changed.cypher)."""
        empty = GraphRows(
            partners=[], links=[], requirements=self.requirements, contacts=[], regions=self.regions
        )
        return patched(build("", 0, empty), "", 0, partner_rows)


async def _collected(db: Database, name: str) -> list[list[Any]]:
    """The rows of a statement under cypher/audience/, which collects them into a few records."""
    return [row for (rows,) in await db.read_rows(f"audience/{name}") for row in rows]


def build(token: str, seq: int, rows: GraphRows) -> AudienceIndex:
    """The index of the rows read at graph version `token` (change log entry `seq`).

    Links and contacts of a partner the partner rows do not name are left out: the rows are read
    one statement after another, and such a partner was created in between; the caller brings the
    index up to date with the change log, which names it."""
    # Hundreds of thousands of small containers, none of them in a cycle.
    with bulk_allocations():
        return _build(token, seq, rows)


def _build(token: str, seq: int, rows: GraphRows) -> AudienceIndex:
    ids = [r[0] for r in rows.partners]
    names = [r[1] for r in rows.partners]
    number = {partner_id: n for n, partner_id in enumerate(ids)}
    fusion_center = [bool(r[4]) for r in rows.partners]
    links: dict[int, set[Link]] = defaultdict(set)
    for link, partner_id, target, rank in rows.links:
        if link not in RELATION_OF_LINK:
            raise ValueError(f"unknown link {link!r} in cypher/audience/links.cypher")
        partner = number.get(partner_id)
        if partner is not None and (link != RelType.SERVES or fusion_center[partner]):
            links[partner].add((link, target, rank))

    relations: dict[str, dict[str, list[Any]]] = {
        name: defaultdict(list) for name in RELATION_OF_LINK.values()
    }
    links_of = {partner: frozenset(found) for partner, found in links.items()}
    for partner, found in links_of.items():
        for link in found:
            relations[RELATION_OF_LINK[link[0]]][link[1]].append(_entry(partner, link))

    contacts: dict[int, list[Contact]] = defaultdict(list)
    for partner_id, *values in rows.contacts:
        partner = number.get(partner_id)
        if partner is not None:
            contacts[partner].append(dict(zip(CONTACT_FIELDS, values, strict=True)))

    parents: dict[str, list[str]] = {}
    children: dict[str, list[str]] = defaultdict(list)
    for region, above in rows.regions:
        parents[region] = list(above)
        for parent in above:
            children[parent].append(region)

    order = sorted(
        (order_key(name, partner_id), n) for n, (partner_id, name) in enumerate(zip(ids, names, strict=True))
    )
    return AudienceIndex(
        token=token,
        seq=seq,
        ids=ids,
        names=names,
        kinds=[r[2] for r in rows.partners],
        position=_positions(order, len(ids)),
        order=order,
        number=number,
        inactive=frozenset(n for n, r in enumerate(rows.partners) if r[3] is False),
        fusion_centers=frozenset(n for n, fc in enumerate(fusion_center) if fc),
        links_of=links_of,
        regions_of=_regions(links_of),
        requirements_by_sector=_requirements(rows.requirements),
        contacts=dict(contacts),
        reachable={p: _reached_contacts(listed) for p, listed in contacts.items()},
        parents=parents,
        children=dict(children),
        **_relations(relations),
    )


def _relations(relations: dict[str, dict[str, list[Any]]]) -> dict[str, Any]:
    """The relations as AudienceIndex's fields, by name (the names of RELATION_OF_LINK)."""
    return {name: dict(relations.get(name, {})) for name in RELATION_OF_LINK.values()}


def _entry(partner: int, link: Link) -> Any:
    return (partner, link[2]) if link[0] in RANKED_LINKS else partner


# A partner without contacts reaches no one, PCII-authorized or not.
_NO_CONTACTS: tuple[tuple[Contact, ...], tuple[Contact, ...]] = ((), ())


def _reached_contacts(contacts: list[Contact]) -> tuple[tuple[Contact, ...], tuple[Contact, ...]]:
    active = tuple(c for c in contacts if c["active"] is True)
    return active, tuple(c for c in active if c["pciiAuthorized"] is True)


def _positions(order: list[tuple[tuple[bool, str, str], int]], slots: int) -> list[int]:
    position = [0] * slots
    for place, (_, partner) in enumerate(order):
        position[partner] = place
    return position


def _regions(links_of: dict[int, frozenset[Link]]) -> dict[int, frozenset[str]]:
    regions = {}
    for partner, found in links_of.items():
        mine = _regions_in(found)
        if mine:
            regions[partner] = mine
    return regions


def _regions_in(links: frozenset[Link]) -> frozenset[str]:
    return frozenset(target for link, target, _ in links if link == RelType.IN_REGION)


def _requirements(rows: list[list[Any]]) -> dict[str, list[Requirement]]:
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
    ) in rows:
        requirement = Requirement(
            id=requirement_id,
            kinds=None if req_kinds is None else frozenset(req_kinds),
            levels=None if levels is None else frozenset(levels),
            min_severity_rank=min_rank,
            topics=frozenset(topics) if names_topics else None,
            audience_councils=tuple(audience_councils),
            audience_sectors=tuple(audience_sectors),
            audience_kinds=None if partner_kinds is None else frozenset(partner_kinds),
            channel=channel,
        )
        for sector in set(sectors):
            requirements_by_sector[sector].append(requirement)
    return dict(requirements_by_sector)


# -- patching --------------------------------------------------------------------------------------


def patched(
    index: AudienceIndex,
    token: str,
    seq: int,
    partner_rows: list[list[Any]],
    unsettled: frozenset[str] = frozenset(),
) -> AudienceIndex:
    """The index at graph version `token` (entry `seq`), where only the partners of
    `partner_rows` (cypher/audience/partners_changed.cypher) changed since `index`'s version.
    `index` is left as it was: whatever the change touched is copied first."""
    changed = [row for row in partner_rows if not _holds(index, row)]
    if not changed:
        return dataclasses.replace(index, token=token, seq=seq, unsettled=unsettled)
    patch = _Patch(index)
    for row in changed:
        patch.apply(*row)
    return dataclasses.replace(patch.result(token, seq), unsettled=unsettled)


def _holds(index: AudienceIndex, row: list[Any]) -> bool:
    """Whether the index already holds this row of a partner as it is."""
    partner_id, exists, name, kind, active, fusion_center, links, contacts = row
    partner = index.number.get(partner_id)
    if partner is None or not exists:
        return partner is None and not exists
    return (
        index.names[partner] == name
        and index.kinds[partner] == kind
        and (partner in index.inactive) == (active is False)
        and (partner in index.fusion_centers) == bool(fusion_center)
        and index.links_of.get(partner, frozenset()) == _effective_links(links, fusion_center)
        and index.contacts.get(partner, [])
        == [dict(zip(CONTACT_FIELDS, values, strict=True)) for values in contacts]
    )


def _effective_links(links: list[list[Any]], fusion_center: bool) -> frozenset[Link]:
    """A partner's links as the index files them: SERVES only for a fusion center."""
    return frozenset(
        (link, target, rank) for link, target, rank in links if link != RelType.SERVES or fusion_center
    )


class _Patch:
    """A copy-on-write edit of an index: the per-slot tables are copied whole (a few ms for 100k
    partners), a relation's list only when a link is added to it or taken from it."""

    def __init__(self, index: AudienceIndex) -> None:
        self.index = index
        self.ids, self.names, self.kinds = list(index.ids), list(index.names), list(index.kinds)
        self.order = list(index.order)
        self.number = dict(index.number)
        self.inactive, self.fusion_centers = set(index.inactive), set(index.fusion_centers)
        self.links_of, self.contacts = dict(index.links_of), dict(index.contacts)
        self.regions_of = dict(index.regions_of)
        self.reachable = dict(index.reachable)
        self.relations: dict[str, dict[str, list[Any]]] = {
            name: dict(getattr(index, name)) for name in RELATION_OF_LINK.values()
        }
        self._copied: set[tuple[str, str]] = set()
        # The councils and sectors whose audiences the patch changed.
        self.audience_targets: set[str] = set()

    def apply(
        self,
        partner_id: str,
        exists: bool,
        name: str,
        kind: str,
        active: bool | None,
        fusion_center: bool,
        links: list[list[Any]],
        contacts: list[list[Any]],
    ) -> None:
        partner = self.number.get(partner_id)
        old_links = self.links_of.get(partner, frozenset()) if partner is not None else frozenset()
        if not exists:
            if partner is not None:
                self._forget(partner, partner_id, old_links)
            return
        if partner is None:
            partner = self._new_slot(partner_id, name, kind)
        else:
            if self.names[partner] != name:
                self._move(partner, partner_id, name)
            if self.kinds[partner] != kind:
                self.kinds[partner] = kind
                # A kind decides whether a sector's requirement reaches the partner.
                self.audience_targets.update(t for link, t, _ in old_links if link in AUDIENCE_LINKS)
        new_links = _effective_links(links, fusion_center)
        for link in old_links - new_links:
            self._unlink(partner, link)
        for link in new_links - old_links:
            self._link(partner, link)
        self.audience_targets.update(t for link, t, _ in old_links ^ new_links if link in AUDIENCE_LINKS)
        _put(self.links_of, partner, new_links)
        _put(self.regions_of, partner, _regions_in(new_links))
        _toggle(self.inactive, partner, active is False)
        _toggle(self.fusion_centers, partner, fusion_center)
        listed = [dict(zip(CONTACT_FIELDS, values, strict=True)) for values in contacts]
        _put(self.contacts, partner, listed)
        _put(self.reachable, partner, _reached_contacts(listed) if listed else None)

    def result(self, token: str, seq: int) -> AudienceIndex:
        index = self.index
        requirements = {r.id: r for listed in index.requirements_by_sector.values() for r in listed}
        return dataclasses.replace(
            index,
            token=token,
            seq=seq,
            ids=self.ids,
            names=self.names,
            kinds=self.kinds,
            position=_positions(self.order, len(self.ids)),
            order=self.order,
            number=self.number,
            inactive=frozenset(self.inactive),
            fusion_centers=frozenset(self.fusion_centers),
            links_of=self.links_of,
            regions_of=self.regions_of,
            contacts=self.contacts,
            reachable=self.reachable,
            # dict(...) copies in one step: a list being worked out in a thread may add to it.
            audiences={
                requirement_id: audience
                for requirement_id, audience in dict(index.audiences).items()
                if self.audience_targets.isdisjoint(_audience_targets(requirements[requirement_id]))
            },
            **_relations(self.relations),
        )

    def _new_slot(self, partner_id: str, name: str, kind: str) -> int:
        partner = len(self.ids)
        self.ids.append(partner_id)
        self.names.append(name)
        self.kinds.append(kind)
        self.number[partner_id] = partner
        bisect.insort(self.order, (order_key(name, partner_id), partner))
        return partner

    def _move(self, partner: int, partner_id: str, name: str) -> None:
        self._drop_from_order(partner, partner_id)
        self.names[partner] = name
        bisect.insort(self.order, (order_key(name, partner_id), partner))

    def _drop_from_order(self, partner: int, partner_id: str) -> None:
        entry = (order_key(self.names[partner], partner_id), partner)
        place = bisect.bisect_left(self.order, entry)
        if place < len(self.order) and self.order[place] == entry:
            del self.order[place]

    def _forget(self, partner: int, partner_id: str, old_links: frozenset[Link]) -> None:
        """A deleted partner: in no relation and no list any more; its slot stays behind."""
        for link in old_links:
            self._unlink(partner, link)
        self.audience_targets.update(t for link, t, _ in old_links if link in AUDIENCE_LINKS)
        self._drop_from_order(partner, partner_id)
        del self.number[partner_id]
        for per_slot in (self.links_of, self.regions_of, self.contacts, self.reachable):
            per_slot.pop(partner, None)
        for flags in (self.inactive, self.fusion_centers):
            flags.discard(partner)

    def _own(self, link: Link) -> list[Any]:
        """The relation's list for the link's target, copied the first time this patch edits it."""
        name, target = RELATION_OF_LINK[link[0]], link[1]
        relation = self.relations[name]
        if (name, target) not in self._copied:
            self._copied.add((name, target))
            relation[target] = list(relation.get(target, ()))
        return relation[target]

    def _link(self, partner: int, link: Link) -> None:
        self._own(link).append(_entry(partner, link))

    def _unlink(self, partner: int, link: Link) -> None:
        entries = self._own(link)
        entries.remove(_entry(partner, link))


def _audience_targets(requirement: Requirement) -> tuple[str, ...]:
    return (*requirement.audience_councils, *requirement.audience_sectors)


def _put(per_slot: dict[int, Any], partner: int, value: Any) -> None:
    """Per-slot tables hold only what is there: an empty value is no entry."""
    if value:
        per_slot[partner] = value
    else:
        per_slot.pop(partner, None)


def _toggle(flags: set[int], partner: int, on: bool) -> None:
    if on:
        flags.add(partner)
    else:
        flags.discard(partner)

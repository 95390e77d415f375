"""GraphQL types for answers: recipient lists, share decisions, paths, import reports."""

from __future__ import annotations

from enum import Enum

import strawberry
from strawberry.types.nodes import SelectedField

from graph_api.api.enums import Channel, ExclusionReason, PartnerKind, ReasonSource
from graph_api.api.inputs import ExclusionWhere, RecipientWhere
from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.types import Contact, Info, InformationProduct, Partner, load_existing, wrap
from graph_api.domain.interchange import Record
from graph_api.rules import connections, dissemination, importer, sharing
from graph_api.rules import recipients as recipient_rules


@strawberry.type(
    description="Why a partner is on a recipient list: the rule that put it there (source) "
    "and what it matched (ref)."
)
class Reason:
    source: ReasonSource
    ref: strawberry.ID | None


# What a recipient list already knows of each partner on it.
_LISTED_FIELDS = frozenset({"id", "name", "kind", "__typename"})


async def listed_partner(info: Info, listed: Record) -> Partner:
    """The partner of a list entry. A list of a national product names ~90,000 partners; when the
    query asks only for what the list already holds (id, name, kind), that is the answer, rather
    than reading every partner's record again. Anything more is loaded as everywhere else."""
    selections = info.selected_fields[0].selections if info.selected_fields else []
    asks_listed_only = all(
        isinstance(s, SelectedField) and s.name in _LISTED_FIELDS and not s.directives for s in selections
    )
    if not asks_listed_only:
        return await load_existing(info, "partners", listed["id"], Partner)
    # The other fields are never read: the selection names none of them.
    return Partner(
        id=strawberry.ID(listed["id"]),
        name=listed["name"],
        kind=PartnerKind(listed["kind"]),
        active=True,
        illustrative=False,
        fusion_center=None,
        intake=False,
        version=0,
        _record=listed,
    )


@strawberry.type
class Recipient:
    reasons: list[Reason]
    contacts: list[Contact]
    channels: list[Channel]
    _partner: strawberry.Private[Record]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await listed_partner(info, self._partner)

    @staticmethod
    def of(r: recipient_rules.Recipient) -> Recipient:
        return Recipient(
            _partner=r.partner,
            reasons=[
                Reason(source=ReasonSource(x.source), ref=None if x.ref is None else strawberry.ID(x.ref))
                for x in r.reasons
            ],
            contacts=[wrap("contacts", {**c, "partner": r.partner["id"]}) for c in r.contacts],
            channels=[Channel(c) for c in r.channels],
        )


@strawberry.type
class Exclusion:
    reason: ExclusionReason
    _partner: strawberry.Private[Record]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await listed_partner(info, self._partner)


@strawberry.type
class ReasonSourceCount:
    source: ReasonSource
    count: int


@strawberry.type
class PartnerKindCount:
    kind: PartnerKind
    count: int


@strawberry.type
class ChannelCount:
    channel: Channel
    count: int


@strawberry.type
class ExclusionReasonCount:
    reason: ExclusionReason
    count: int


@strawberry.type(
    description="A recipient list at a glance. Each breakdown lists every value, zeros included."
)
class RecipientSummary:
    recipients: int
    contacts: int = strawberry.field(description="Contacts listed, over all recipients.")
    excluded: int
    by_reason_source: list[ReasonSourceCount] = strawberry.field(
        description="Recipients with at least one reason of each source."
    )
    by_partner_kind: list[PartnerKindCount] = strawberry.field(description="Recipients of each partner kind.")
    by_channel: list[ChannelCount] = strawberry.field(description="Recipients reached on each channel.")
    by_exclusion_reason: list[ExclusionReasonCount] = strawberry.field(
        description="Exclusions for each reason."
    )

    @staticmethod
    def of(s: recipient_rules.Summary) -> RecipientSummary:
        return RecipientSummary(
            recipients=s.recipients,
            contacts=s.contacts,
            excluded=s.excluded,
            by_reason_source=[
                ReasonSourceCount(source=ReasonSource(k), count=n) for k, n in s.by_reason_source.items()
            ],
            by_partner_kind=[
                PartnerKindCount(kind=PartnerKind(k), count=n) for k, n in s.by_partner_kind.items()
            ],
            by_channel=[ChannelCount(channel=Channel(k), count=n) for k, n in s.by_channel.items()],
            by_exclusion_reason=[
                ExclusionReasonCount(reason=ExclusionReason(k), count=n)
                for k, n in s.by_exclusion_reason.items()
            ],
        )


def _exclusion(e: recipient_rules.Exclusion) -> Exclusion:
    return Exclusion(_partner=e.partner, reason=ExclusionReason(e.reason))


@strawberry.type(
    description="Who should receive a product, why, and who was left out, in the list's order "
    "(partner name, then id). A national list runs to tens of thousands: read it in pages "
    "(recipientsConnection, excludedConnection), at a glance (summary), or whole as a file "
    "(GET /recipients/{productId}.csv or .ndjson)."
)
class RecipientList:
    product: InformationProduct
    _answer: strawberry.Private[recipient_rules.RecipientList]

    @strawberry.field(description="Every recipient; for long lists prefer recipientsConnection.")
    def recipients(self) -> list[Recipient]:
        return [Recipient.of(r) for r in self._answer.recipients]

    @strawberry.field(description="Every exclusion; for long lists prefer excludedConnection.")
    def excluded(self) -> list[Exclusion]:
        return [_exclusion(e) for e in self._answer.excluded]

    @strawberry.field(description="The recipients as a Relay connection, in the list's order.")
    async def recipients_connection(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        where: RecipientWhere | None = None,
    ) -> Connection[Recipient]:
        offset, size = window_of(first, after).forward()
        narrowing = where.narrowing() if where else recipient_rules.Narrowing()
        entries = await recipient_rules.narrowed_recipients(
            info.context.db, self._answer.recipients, narrowing
        )
        page = entries[offset : None if size is None else offset + size]
        return connection_of([Recipient.of(r) for r in page], offset, len(entries))

    @strawberry.field(description="The exclusions as a Relay connection, in the list's order.")
    async def excluded_connection(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        where: ExclusionWhere | None = None,
    ) -> Connection[Exclusion]:
        offset, size = window_of(first, after).forward()
        narrowing = where.narrowing() if where else recipient_rules.Narrowing()
        entries = await recipient_rules.narrowed_exclusions(info.context.db, self._answer.excluded, narrowing)
        page = entries[offset : None if size is None else offset + size]
        return connection_of([_exclusion(e) for e in page], offset, len(entries))

    @strawberry.field
    def summary(self) -> RecipientSummary:
        return RecipientSummary.of(recipient_rules.summarise(self._answer))

    @staticmethod
    def of(answer: recipient_rules.RecipientList) -> RecipientList:
        return RecipientList(product=wrap("products", answer.product), _answer=answer)


@strawberry.type
class ShareDecision:
    allowed: bool
    reason: str | None = strawberry.field(
        description="The first rule that denies, if any. PCII_AUTHORIZATION_UNCONFIRMED: the product "
        "is PCII and whether `to` has a PCII-authorized contact is shown only to staff and to `to`'s "
        "own users."
    )

    @staticmethod
    def of(decision: sharing.ShareDecision) -> ShareDecision:
        return ShareDecision(allowed=decision.allowed, reason=decision.reason)


@strawberry.enum
class VertexType(Enum):
    PARTNER = "PARTNER"
    COUNCIL = "COUNCIL"


@strawberry.type(description="A partner or council on a path of the collaboration graph.")
class PathStep:
    id: strawberry.ID
    name: str
    type: VertexType


@strawberry.type
class ConnectionPath:
    length: int = strawberry.field(description="Number of edges; 0 when from = to.")
    path: list[PathStep]

    @staticmethod
    def of(answer: connections.ConnectionPath) -> ConnectionPath:
        return ConnectionPath(
            length=answer.length,
            path=[
                PathStep(id=strawberry.ID(s.id), name=s.name, type=VertexType(s.type)) for s in answer.path
            ],
        )


@strawberry.type
class Neighbor:
    id: strawberry.ID
    name: str
    type: VertexType
    distance: int


@strawberry.type
class ImportProblem:
    path: str = strawberry.field(description="JSON path of the offending value, e.g. $.partners[3].kind")
    code: str
    message: str


@strawberry.type
class CollectionCount:
    collection: str
    created: int
    updated: int
    unchanged: int


@strawberry.type(description="What an import did, or would do with dryRun, or why it was refused.")
class ImportReport:
    ok: bool
    dry_run: bool
    errors: list[ImportProblem]
    counts: list[CollectionCount]
    transactions: int

    @staticmethod
    def of(report: importer.ImportReport) -> ImportReport:
        return ImportReport(
            ok=report.ok,
            dry_run=report.dry_run,
            transactions=report.transactions,
            errors=[ImportProblem(path=p.path, code=p.code, message=p.message) for p in report.problems],
            counts=[
                CollectionCount(
                    collection=c.collection, created=c.created, updated=c.updated, unchanged=c.unchanged
                )
                for c in report.counts
            ],
        )


@strawberry.type
class DisseminationReport:
    recipients: RecipientList
    newly_delivered: int
    already_delivered: int
    messages_queued: int = strawberry.field(
        description="Messages queued by this call: one per contact and channel not queued before."
    )

    @staticmethod
    def of(report: dissemination.DisseminationReport) -> DisseminationReport:
        return DisseminationReport(
            recipients=RecipientList.of(report.recipients),
            newly_delivered=report.newly_delivered,
            already_delivered=report.already_delivered,
            messages_queued=report.messages_queued,
        )

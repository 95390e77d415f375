"""GraphQL types for answers: recipient lists, share decisions, paths, import reports."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph_api.api.enums import Channel, ExclusionReason, ReasonSource
from graph_api.api.types import Contact, Info, InformationProduct, Partner, load_existing, wrap
from graph_api.rules import connections, dissemination, importer, sharing
from graph_api.rules import recipients as recipient_rules


@strawberry.type(
    description="Why a partner is on a recipient list: the rule that put it there (source) "
    "and what it matched (ref)."
)
class Reason:
    source: ReasonSource
    ref: strawberry.ID | None


@strawberry.type
class Recipient:
    reasons: list[Reason]
    contacts: list[Contact]
    channels: list[Channel]
    _partner: strawberry.Private[str]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)

    @staticmethod
    def of(r: recipient_rules.Recipient) -> Recipient:
        return Recipient(
            _partner=r.partner["id"],
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
    _partner: strawberry.Private[str]

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)


@strawberry.type(description="Who should receive a product, why, and who was left out.")
class RecipientList:
    product: InformationProduct
    recipients: list[Recipient]
    excluded: list[Exclusion]

    @staticmethod
    def of(answer: recipient_rules.RecipientList) -> RecipientList:
        return RecipientList(
            product=wrap("products", answer.product),
            recipients=[Recipient.of(r) for r in answer.recipients],
            excluded=[
                Exclusion(_partner=e.partner["id"], reason=ExclusionReason(e.reason)) for e in answer.excluded
            ],
        )


@strawberry.type
class ShareDecision:
    allowed: bool
    reason: str | None = strawberry.field(description="The first rule that denies, if any.")

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
class Delivery:
    channels: list[Channel]
    delivered_at: str
    delivered_by: str
    _product: strawberry.Private[str]
    _partner: strawberry.Private[str]

    @strawberry.field
    async def product(self, info: Info) -> InformationProduct:
        return await load_existing(info, "products", self._product, InformationProduct)

    @strawberry.field
    async def partner(self, info: Info) -> Partner:
        return await load_existing(info, "partners", self._partner, Partner)


@strawberry.type
class DisseminationReport:
    recipients: RecipientList
    newly_delivered: int
    already_delivered: int

    @staticmethod
    def of(report: dissemination.DisseminationReport) -> DisseminationReport:
        return DisseminationReport(
            recipients=RecipientList.of(report.recipients),
            newly_delivered=report.newly_delivered,
            already_delivered=report.already_delivered,
        )

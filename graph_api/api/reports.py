"""Reports upward in GraphQL: submitting, reading and triaging reports, and the Daily Report.
The Report type itself is with the other record types (types.py): a product names its report."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import strawberry

from graph_api.api.enums import (
    ProductKind,
    ProductLevel,
    ReportKind,
    ReportState,
    Severity,
    Tlp,
)
from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.payloads import FieldError
from graph_api.api.projected import answer, compiled, exists, projected_one
from graph_api.api.results import DisseminationReport
from graph_api.api.types import (
    Info,
    InformationProduct,
    Report,
    Sector,
    load_existing,
    load_many,
    load_one,
    load_report,
)
from graph_api.compiler.references import Reference
from graph_api.delivery import digest
from graph_api.domain.reports import Transition
from graph_api.errors import InvalidInput
from graph_api.rules import editing, reports
from graph_api.rules.audit import audited


@strawberry.input(description="A report for your own organisation.")
class SubmitReportInput:
    title: str
    summary: str = strawberry.field(description="What was seen, or what is asked; plain text.")
    kind: ReportKind
    sectors: list[strawberry.ID] = strawberry.field(default_factory=list)
    regions: list[strawberry.ID] = strawberry.field(
        default_factory=list,
        description="Where it happened; none: it is routed by your organisation's own regions.",
    )
    observed_at: str | None = strawberry.field(default=None, description="ISO-8601 with a zone; default now.")
    tlp: Tlp = strawberry.field(default=Tlp.AMBER, description="Never CLEAR at submission; default AMBER.")
    pcii_requested: bool = strawberry.field(
        default=False, description="Ask for PCII protection: the report waits for an ADMIN to decide."
    )


@strawberry.input(description="The product a report becomes; fields left out take the report's own.")
class PublishReportInput:
    severity: Severity
    level: ProductLevel = ProductLevel.OPERATIONAL
    kind: ProductKind | None = strawberry.field(
        default=None,
        description="SUSPICIOUS_ACTIVITY or INCIDENT_ANALYSIS; default: INCIDENT_ANALYSIS for an "
        "incident, SUSPICIOUS_ACTIVITY otherwise.",
    )
    title: str | None = None
    summary: str | None = None
    tlp: Tlp | None = None
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)
    issued_by: strawberry.ID | None = strawberry.field(
        default=None, description="The issuing partner; default the reviewer's organisation."
    )
    reveal_submitter: bool = strawberry.field(
        default=False,
        description="Name the submitting organisation on the product (reportedBy); by default the "
        "product carries no trace of it.",
    )
    product_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="Default prod-<report id>. Chosen by ANALYST and ADMIN users only: a PARTNER "
        "user's choice is refused (FORBIDDEN) whether the id is free or taken.",
    )


async def _report_after(info: Info, report_id: str | None) -> Any:
    """The report after the change, read once it has committed (null: none, or refused)."""
    if report_id is None:
        return None
    if compiled(info):
        return await projected_one(info, Reference.of("Report", report_id))
    return await _fresh(info, report_id)


async def _payload_report(self: Any, info: Info) -> Report | None:
    return await _report_after(info, self._report)  # type: ignore[no-any-return]


async def _payload_product(self: Any, info: Info) -> InformationProduct | None:
    if self._product is None:
        return None
    if compiled(info):
        return await projected_one(info, Reference.of("InformationProduct", self._product))  # type: ignore[return-value]
    return await load_one(info, "products", self._product, InformationProduct)


@strawberry.type(description="The result of submitting or triaging a report.")
class ReportPayload:
    report: Report | None = strawberry.field(
        resolver=_payload_report, description="The report after the change; null when refused."
    )
    user_errors: list[FieldError] = strawberry.field(
        description="Empty when the change was made. A refused transition (INVALID_TRANSITION) names "
        "the report's current state."
    )
    _report: strawberry.Private[str | None]


@strawberry.type(description="The result of publishing a report.")
class PublishReportPayload:
    report: Report | None = strawberry.field(resolver=_payload_report)
    product: InformationProduct | None = strawberry.field(
        resolver=_payload_product, description="The product made from the report."
    )
    dissemination: DisseminationReport | None = strawberry.field(
        description="Its delivery to the product's recipients."
    )
    user_errors: list[FieldError]
    _report: strawberry.Private[str | None]
    _product: strawberry.Private[str | None]


@strawberry.type(description="The Daily Report of a sector for a day.")
class DailyReport:
    date: str = strawberry.field(description="The day (UTC), YYYY-MM-DD.")
    products: list[InformationProduct] = strawberry.field(
        description="The products published that day about the sector that are TLP:CLEAR or "
        "TLP:GREEN and not PCII, newest first."
    )
    _sector: strawberry.Private[str]

    @strawberry.field
    async def sector(self, info: Info) -> Sector:
        return await load_existing(info, "sectors", self._sector, Sector)


def _errors(exc: editing.EditRejected) -> list[FieldError]:
    return [FieldError.of(e) for e in exc.errors]


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"'{text}' is not a date: write it as YYYY-MM-DD (UTC).") from None


async def _transition(
    info: Info, operation: str, step: Transition, report_id: str, note: str | None
) -> ReportPayload:
    ctx = info.context
    try:
        async with audited(ctx.db, ctx.principal, operation, {"id": report_id, "note": note}):
            await reports.transition(ctx.db, ctx.principal, report_id, step, note)
    except editing.EditRejected as exc:
        return ReportPayload(user_errors=_errors(exc), _report=None)
    return ReportPayload(user_errors=[], _report=report_id)


async def _fresh(info: Info, report_id: str) -> Report | None:
    found = await reports.report(info.context.db, report_id, info.context.principal)
    return None if found is None else Report.of(found)


Note = strawberry.argument(description="Why, for the report's history.")


@strawberry.type
class ReportQuery:
    @strawberry.field(description="A report by id; null when there is none you may see.")
    async def report(self, info: Info, id: strawberry.ID) -> Report | None:
        return await load_report(info, id)

    @strawberry.field(
        description="The reports you may see, newest first: your organisation's own, those routed "
        "to it, or (ANALYST and ADMIN) all. Filter by state, kind, submitter or routed partner."
    )
    async def reports(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        state: list[ReportState] | None = None,
        kind: list[ReportKind] | None = None,
        submitter: strawberry.ID | None = None,
        routed_to: strawberry.ID | None = None,
        oldest_first: bool = False,
    ) -> Connection[Report]:
        ctx = info.context
        page = await reports.page(
            ctx.db,
            ctx.principal,
            window_of(first, after),
            states=[s.value for s in state] if state else None,
            kinds=[k.value for k in kind] if kind else None,
            submitter=submitter,
            routed_to=routed_to,
            newest_first=not oldest_first,
        )

        async def loaded() -> Connection[Report]:
            found = await info.context.loaders.report.load_many(page.items)
            return connection_of([Report.of(r) for r in found if r is not None], page.start, page.total)

        named = [Reference.of("Report", report_id) for report_id in page.items]
        return await answer(info, connection_of(named, page.start, page.total), loaded)  # type: ignore[arg-type]

    @strawberry.field(
        description="The Daily Report of a sector for a day (UTC): its TLP:CLEAR and TLP:GREEN "
        "products without PCII, newest first."
    )
    async def daily_report(self, info: Info, sector: strawberry.ID, date: str) -> DailyReport:
        day = _day(date)
        if not await exists(info, Reference.of("Sector", sector), "sectors"):
            raise InvalidInput(f"No sector has the id '{sector}'.")
        ids = await digest.daily_report(info.context.db, sector, day)

        async def loaded() -> DailyReport:
            products = await load_many(info, "products", ids, InformationProduct)
            return DailyReport(date=day.isoformat(), products=products, _sector=sector)

        named = [Reference.of("InformationProduct", product_id) for product_id in ids]
        return await answer(info, DailyReport(date=day.isoformat(), products=named, _sector=sector), loaded)  # type: ignore[arg-type]


@strawberry.type
class ReportMutation:
    @strawberry.mutation(
        description="Report suspicious activity, an incident or a request for information for your "
        "own organisation (PARTNER users). It is routed to the fusion centers serving its regions "
        "and to the national intake points, which hear of it at once."
    )
    async def submit_report(self, info: Info, input: SubmitReportInput) -> ReportPayload:
        ctx = info.context
        submission = reports.Submission(
            title=input.title,
            summary=input.summary,
            kind=input.kind.value,
            sectors=[str(s) for s in input.sectors],
            regions=[str(r) for r in input.regions],
            observed_at=input.observed_at,
            tlp=input.tlp.value,
            pcii_requested=input.pcii_requested,
        )
        arguments = {
            "input": {**dataclasses.asdict(submission), "summary": f"{len(input.summary)} characters"}
        }
        try:
            async with audited(ctx.db, ctx.principal, "submitReport", arguments):
                report_id = await reports.submit(ctx.db, ctx.principal, submission)
        except editing.EditRejected as exc:
            return ReportPayload(user_errors=_errors(exc), _report=None)
        return ReportPayload(user_errors=[], _report=report_id)

    @strawberry.mutation(description="Take a SUBMITTED report into review (IN_REVIEW).")
    async def review_report(self, info: Info, id: strawberry.ID, note: str | None = None) -> ReportPayload:
        return await _transition(info, "reviewReport", Transition.REVIEW, id, note)

    @strawberry.mutation(description="Close a report IN_REVIEW without publishing it (CLOSED).")
    async def close_report(self, info: Info, id: strawberry.ID, note: str | None = None) -> ReportPayload:
        return await _transition(info, "closeReport", Transition.CLOSE, id, note)

    @strawberry.mutation(
        description="Validate a report's PCII protection (ADMIN): it leaves PCII_PENDING and will "
        "publish only as a PCII product."
    )
    async def validate_pcii(self, info: Info, id: strawberry.ID, note: str | None = None) -> ReportPayload:
        return await _transition(info, "validatePcii", Transition.VALIDATE_PCII, id, note)

    @strawberry.mutation(
        description="Decline a report's PCII protection (ADMIN): it leaves PCII_PENDING as an "
        "ordinary report."
    )
    async def decline_pcii(self, info: Info, id: strawberry.ID, note: str | None = None) -> ReportPayload:
        return await _transition(info, "declinePcii", Transition.DECLINE_PCII, id, note)

    @strawberry.mutation(
        description="Publish a report IN_REVIEW as an information product (PUBLISHED) and "
        "disseminate it to the product's recipients. The product names the report as its source "
        "and carries no trace of the submitter unless revealSubmitter is true."
    )
    async def publish_report(
        self, info: Info, id: strawberry.ID, input: PublishReportInput
    ) -> PublishReportPayload:
        ctx = info.context
        decision = reports.Publication(
            severity=input.severity.value,
            level=input.level.value,
            kind=input.kind.value if input.kind else None,
            title=input.title,
            summary=input.summary,
            tlp=input.tlp.value if input.tlp else None,
            topics=[str(t) for t in input.topics],
            issued_by=input.issued_by,
            reveal_submitter=input.reveal_submitter,
            product_id=input.product_id,
        )
        try:
            async with audited(
                ctx.db, ctx.principal, "publishReport", {"id": id, "input": dataclasses.asdict(decision)}
            ):
                product_id, delivered = await reports.publish(ctx.db, ctx.principal, id, decision)
        except editing.EditRejected as exc:
            return PublishReportPayload(
                dissemination=None, user_errors=_errors(exc), _report=None, _product=None
            )
        return PublishReportPayload(
            dissemination=DisseminationReport.of(delivered), user_errors=[], _report=id, _product=product_id
        )

"""Root mutations."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graph_api.api.permissions import Requires
from graph_api.api.projected import answer
from graph_api.api.results import DisseminationReport, ImportReport
from graph_api.api.types import Info
from graph_api.rules import dissemination, importer
from graph_api.rules.access import Action
from graph_api.rules.audit import audited


@strawberry.type
class Mutation:
    @strawberry.mutation(
        permission_classes=[Requires(Action.IMPORT)],
        description="Add or update records from an interchange document: every record it names "
        "is added or updated, and nothing it does not mention is deleted. Validates everything "
        "before writing anything; with dryRun, reports without writing.",
    )
    async def import_network(self, info: Info, document: JSON, dry_run: bool | None = False) -> ImportReport:
        ctx = info.context
        sizes = (
            {k: len(v) for k, v in document.items() if isinstance(v, list)}
            if isinstance(document, dict)
            else {}
        )
        async with audited(
            ctx.db, ctx.principal, "importNetwork", {"records": sizes, "dryRun": bool(dry_run)}
        ):
            report = await importer.import_network(ctx.db, document, dry_run=bool(dry_run), actor=ctx.actor)
        return ImportReport.of(report)

    @strawberry.mutation(
        permission_classes=[Requires(Action.DISSEMINATE)],
        description="Record a delivery of the product to each current "
        "recipient; running it again records nothing new.",
    )
    async def disseminate(self, info: Info, product_id: strawberry.ID) -> DisseminationReport:
        ctx = info.context
        async with audited(ctx.db, ctx.principal, "disseminate", {"productId": product_id}):
            report = await dissemination.disseminate(ctx.db, product_id, ctx.actor)
        return await answer(info, DisseminationReport.of(report))

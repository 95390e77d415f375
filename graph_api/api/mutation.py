"""Root mutations."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from graph_api import dissemination, importer
from graph_api.api.results import DisseminationReport, ImportReport
from graph_api.api.types import Info


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Add or update records from an interchange document "
        "(DESIGN.md §2). Validates everything before writing "
        "anything; with dryRun, reports without writing."
    )
    async def import_network(self, info: Info, document: JSON, dry_run: bool | None = False) -> ImportReport:
        report = await importer.import_network(info.context.db, document, dry_run=bool(dry_run))
        return ImportReport.of(report)

    @strawberry.mutation(
        description="Record a delivery of the product to each current "
        "recipient; running it again records nothing new."
    )
    async def disseminate(self, info: Info, product_id: strawberry.ID) -> DisseminationReport:
        report = await dissemination.disseminate(info.context.db, product_id, info.context.actor)
        return DisseminationReport.of(report)

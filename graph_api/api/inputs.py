"""GraphQL input types: the draft product of previewRecipients, and the narrowing of recipient pages."""

from __future__ import annotations

from typing import Any

import strawberry

from graph_api.api.enums import (
    Channel,
    ExclusionReason,
    PartnerKind,
    ProductKind,
    ProductLevel,
    ReasonSource,
    Severity,
    Tlp,
)
from graph_api.rules.recipients import Narrowing, draft_record, exclusion_narrowing, recipient_narrowing


@strawberry.input(description="A draft information product (not saved).")
class ProductInput:
    title: str
    kind: ProductKind
    level: ProductLevel
    severity: Severity
    tlp: Tlp
    pcii: bool = False
    sectors: list[strawberry.ID] = strawberry.field(default_factory=list)
    topics: list[strawberry.ID] = strawberry.field(default_factory=list)
    regions: list[strawberry.ID] = strawberry.field(default_factory=list)
    addressed_to: list[strawberry.ID] = strawberry.field(default_factory=list)
    issued_by: strawberry.ID | None = None
    published_at: str | None = strawberry.field(default=None, description="ISO-8601; defaults to now.")
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The id the product will have; the ADDRESSED reasons name it."
    )
    summary: str | None = None
    link: str | None = None

    def as_record(self) -> dict[str, Any]:
        return draft_record(
            {
                "title": self.title,
                "kind": self.kind,
                "level": self.level,
                "severity": self.severity,
                "tlp": self.tlp,
                "pcii": self.pcii,
                "sectors": self.sectors,
                "topics": self.topics,
                "regions": self.regions,
                "addressedTo": self.addressed_to,
                "issuedBy": self.issued_by,
                "publishedAt": self.published_at,
                "summary": self.summary,
                "link": self.link,
                "id": self.id,
            }
        )


@strawberry.input(description="Narrows a page of recipients; every condition given must hold.")
class RecipientWhere:
    source_IN: list[ReasonSource] | None = strawberry.field(
        default=None, name="source_IN", description="Recipients with at least one reason of these sources."
    )
    partnerKind_IN: list[PartnerKind] | None = strawberry.field(default=None, name="partnerKind_IN")
    sector_IN: list[strawberry.ID] | None = strawberry.field(
        default=None, name="sector_IN", description="Recipients whose partner is in one of these sectors."
    )
    channel_IN: list[Channel] | None = strawberry.field(
        default=None, name="channel_IN", description="Recipients reached on at least one of these channels."
    )
    partnerName_STARTS_WITH: str | None = strawberry.field(
        default=None,
        name="partnerName_STARTS_WITH",
        description="The partner's name begins with this text (case-sensitive).",
    )

    def narrowing(self) -> Narrowing:
        return recipient_narrowing(vars(self))


@strawberry.input(description="Narrows a page of exclusions; every condition given must hold.")
class ExclusionWhere:
    reason_IN: list[ExclusionReason] | None = strawberry.field(default=None, name="reason_IN")
    partnerKind_IN: list[PartnerKind] | None = strawberry.field(default=None, name="partnerKind_IN")
    sector_IN: list[strawberry.ID] | None = strawberry.field(
        default=None, name="sector_IN", description="Exclusions whose partner is in one of these sectors."
    )
    partnerName_STARTS_WITH: str | None = strawberry.field(
        default=None,
        name="partnerName_STARTS_WITH",
        description="The partner's name begins with this text (case-sensitive).",
    )

    def narrowing(self) -> Narrowing:
        return exclusion_narrowing(vars(self))

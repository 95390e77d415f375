"""GraphQL input types: the draft product of previewRecipients."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import strawberry

from graph_api.api.enums import ProductKind, ProductLevel, Severity, Tlp


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

    def as_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {
            "title": self.title,
            "kind": self.kind.value,
            "level": self.level.value,
            "severity": self.severity.value,
            "tlp": self.tlp.value,
            "pcii": self.pcii,
            "sectors": list(self.sectors),
            "topics": list(self.topics),
            "regions": list(self.regions),
            "addressedTo": list(self.addressed_to),
            "issuedBy": self.issued_by,
            "publishedAt": self.published_at or datetime.now(UTC).isoformat(),
        }
        if self.id is not None:
            record["id"] = self.id
        return record

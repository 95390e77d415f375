"""The service's own timestamps."""

from __future__ import annotations

from datetime import UTC, datetime


def publication_now() -> str:
    """Now, in UTC, to the millisecond: the precision STIX timestamps carry, so that a product
    sent out over TAXII and read back is the same product, not an update."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")

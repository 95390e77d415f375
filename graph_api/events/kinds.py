"""What an event says happened."""

from __future__ import annotations

from enum import StrEnum


class EventKind(StrEnum):
    PRODUCT_PUBLISHED = "PRODUCT_PUBLISHED"
    DISSEMINATED = "DISSEMINATED"
    DELIVERED = "DELIVERED"
    MESSAGE_QUEUED = "MESSAGE_QUEUED"
    MESSAGE_SENT = "MESSAGE_SENT"
    MESSAGE_FAILED = "MESSAGE_FAILED"
    MESSAGE_DEAD = "MESSAGE_DEAD"
    MESSAGE_MANUAL = "MESSAGE_MANUAL"
    ACKNOWLEDGED = "ACKNOWLEDGED"
    EDITED = "EDITED"
    NETWORK_IMPORTED = "NETWORK_IMPORTED"
    REPORT_SUBMITTED = "REPORT_SUBMITTED"
    REPORT_STATE_CHANGED = "REPORT_STATE_CHANGED"
    DIGEST_QUEUED = "DIGEST_QUEUED"

    @staticmethod
    def of_message_status(status: str) -> EventKind:
        """A message reaching `status` (QUEUED, SENT, FAILED, DEAD, MANUAL)."""
        return EventKind(f"MESSAGE_{status}")


# What a watch floor follows unless it asks for more: new products, disseminations, delivery
# failures and dead messages, acknowledgements and edits; not each delivery or message sent.
WATCH_FLOOR_KINDS = frozenset(
    {
        EventKind.PRODUCT_PUBLISHED,
        EventKind.DISSEMINATED,
        EventKind.MESSAGE_FAILED,
        EventKind.MESSAGE_DEAD,
        EventKind.ACKNOWLEDGED,
        EventKind.EDITED,
        EventKind.NETWORK_IMPORTED,
        EventKind.REPORT_SUBMITTED,
        EventKind.REPORT_STATE_CHANGED,
    }
)

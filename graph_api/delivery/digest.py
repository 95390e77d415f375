"""The Daily Report and the daily digest.

The Daily Report of a sector for a day (UTC) lists the products published that day about the
sector that may travel with their content (TLP:CLEAR or TLP:GREEN, not PCII), newest first.
A partner subscribing to sectors with DAILY_DIGEST delivery gets, for each of its active
contacts, one message for the day listing those products of all its digest sectors, each
once, that its users may open by the product view rule: a TLP:GREEN product about a sector the
partner subscribes to but does not work in is left out, because TLP:GREEN stays within the
community of a sector and a digest is no dissemination (it records no delivery). Queueing a
day's digests twice queues nothing new: a digest is identified by its day and its contact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from graph_api import events
from graph_api.delivery import outbox
from graph_api.domain.messages import message_id
from graph_api.domain.vocabulary import GOVERNMENT_KINDS, Channel, Tlp
from graph_api.events import changes
from graph_api.store.database import Database, Reader, Transaction
from graph_api.store.statements import composed
from graph_api.store.visibility import product_rule, viewer_per_row

log = logging.getLogger("isegraph.digest")
DIGEST_TLPS = [Tlp.CLEAR.value, Tlp.GREEN.value]


@dataclass(frozen=True)
class DigestReport:
    day: str
    partners: int  # partners with something to read that day
    products: int  # distinct products listed
    messages_queued: int  # new messages (0 when the day's digests were queued before)


def day_bounds(day: date) -> dict[str, str]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return {"from": start.isoformat(), "to": (start + timedelta(days=1)).isoformat()}


def digest_message_id(day: date, contact_id: str) -> str:
    return message_id(f"digest:{day.isoformat()}", contact_id, Channel.EMAIL.value)


async def daily_report(db: Reader, sector_id: str, day: date) -> list[str]:
    """The ids of the Daily Report of a sector for a day, newest first."""
    rows = await db.read("digest/daily_report", sector=sector_id, tlps=DIGEST_TLPS, **day_bounds(day))
    return [str(row["id"]) for row in rows]


async def queue_digests(db: Database, day: date, actor: str | None = None) -> DigestReport:
    """Queue the day's digest messages that are not queued yet."""

    async def write(tx: Transaction) -> DigestReport:
        plan = composed("digest/plan", VIEWER=viewer_per_row(), VISIBLE=product_rule("p"))
        rows = await tx.run_text(
            plan,
            changes_graph=False,
            tlps=DIGEST_TLPS,
            accessGovernmentKinds=sorted(GOVERNMENT_KINDS),
            **day_bounds(day),
        )
        digests = [
            {
                "id": digest_message_id(day, row["contact"]),
                "contact": row["contact"],
                "address": row["email"],
                "products": row["products"],
            }
            for row in rows
        ]
        queued = await outbox.enqueue_digests(tx, day.isoformat(), digests)
        report = DigestReport(
            day.isoformat(),
            partners=len({row["partner"] for row in rows}),
            products=len({p for row in rows for p in row["products"]}),
            messages_queued=queued,
        )
        if queued:
            events.append(tx, [changes.digest_queued(report.day, queued, report.products, actor)])
        return report

    report = await db.in_write_transaction(write)
    log.info(
        "digests of %s: %d new message(s) for %d partner(s), %d product(s)",
        report.day,
        report.messages_queued,
        report.partners,
        report.products,
    )
    return report


def digest_due(now: datetime, hour: int) -> date | None:
    """The day whose digests are due at `now`: the previous day (UTC), once `hour` has passed, so
    that a digest always covers a whole day."""
    utc = now.astimezone(UTC)
    return utc.date() - timedelta(days=1) if utc.hour >= hour else None

"""The audit trail: who did what, when, with which arguments, and how it ended."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.store.database import Database, Record
from graph_api.store.paging import Page, Window

MAX_ARGUMENT_CHARS = 4000


def _summary(arguments: dict[str, Any]) -> str:
    text = json.dumps(arguments, sort_keys=True, default=str)
    return text if len(text) <= MAX_ARGUMENT_CHARS else text[:MAX_ARGUMENT_CHARS] + "…(truncated)"


@dataclass
class AuditEntry:
    """What the audited operation adds to its record: for an edit, each record's state before and
    after ({collection, key, before, after}; null before = created, null after = deleted)."""

    changes: list[dict[str, Any]] = field(default_factory=list)


@asynccontextmanager
async def audited(
    db: Database, principal: Principal, operation: str, arguments: dict[str, Any]
) -> AsyncIterator[AuditEntry]:
    """Append one audit record for the operation run inside, whether it succeeds or fails."""
    outcome = "OK"
    entry = AuditEntry()
    try:
        yield entry
    except ServiceError as exc:
        outcome = exc.code
        raise
    except Exception:
        outcome = "INTERNAL_SERVER_ERROR"
        raise
    finally:
        await db.write(
            "audit/append",
            actor=principal.subject,
            role=principal.role.value,
            partner=principal.partner,
            operation=operation,
            arguments=_summary(arguments),
            outcome=outcome,
            # Kept whole, unlike the arguments: the before and after states are the point.
            changes=json.dumps(entry.changes, sort_keys=True, default=str) if entry.changes else None,
        )


async def audit_page(db: Database, operation: str | None, window: Window) -> Page[Record]:
    offset, limit = window.forward()
    row = (await db.read("audit/page", operation=operation, offset=offset, limit=limit))[0]
    return Page(int(row["total"]), offset, row["items"])

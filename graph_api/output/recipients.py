"""Recipient lists for people at a terminal or in a spreadsheet: table, CSV, NDJSON or JSON.

CSV, NDJSON and the table are written entry by entry as the resolution produces them, so a
national list goes out without ever being held whole; JSON is one document, held whole.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import Any

from graph_api.rules.recipients import Exclusion, Reason, Recipient, RecipientList

CSV_COLUMNS = ["partner_id", "partner", "contact", "email", "channels", "reasons"]
STREAMED_FORMATS = ("table", "csv", "ndjson")
Entries = AsyncIterator[Recipient | Exclusion]


def _reasons(reasons: list[Reason]) -> str:
    return "; ".join(f"{r.source}:{r.ref}" if r.ref else r.source for r in reasons)


def render(answer: RecipientList) -> str:
    """The whole list as one JSON document."""
    return json.dumps(asdict(answer), indent=1) + "\n"


def streamed(product: dict[str, Any], entries: Entries, fmt: str) -> AsyncIterator[str]:
    """The list in `fmt` (one of STREAMED_FORMATS), a piece of text per entry."""
    if fmt == "csv":
        return csv_text(entries)
    if fmt == "ndjson":
        return ndjson_text(entries)
    return table_text(product, entries)


async def csv_text(entries: Entries) -> AsyncIterator[str]:
    """One row per recipient contact; a recipient without contacts still gets one row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    yield _drain(out)
    async for r in entries:
        if isinstance(r, Exclusion):
            continue
        channels, reasons = " ".join(r.channels), _reasons(r.reasons)
        for contact in r.contacts or [{"name": "", "email": ""}]:
            writer.writerow(
                [r.partner["id"], r.partner["name"], contact["name"], contact["email"], channels, reasons]
            )
        yield _drain(out)


async def ndjson_text(entries: Entries) -> AsyncIterator[str]:
    """One JSON object per line: `{"recipient": {...}}` or `{"excluded": {...}}`, in list order."""
    async for entry in entries:
        key = "recipient" if isinstance(entry, Recipient) else "excluded"
        yield json.dumps({key: asdict(entry)}, separators=(",", ":")) + "\n"


async def table_text(product: dict[str, Any], entries: Entries) -> AsyncIterator[str]:
    yield f"{product['id']}: {product['title']} ({product['tlp']}{', PCII' if product['pcii'] else ''})\n\n"
    kept = left_out = 0
    async for entry in entries:
        name = f"{entry.partner['name']} [{entry.partner['id']}]"
        if isinstance(entry, Exclusion):
            left_out += 1
            yield f"  {name}  EXCLUDED: {entry.reason}\n"
            continue
        kept += 1
        lines = [
            f"  {name}  via {', '.join(entry.channels) or '-'}",
            f"      because {_reasons(entry.reasons)}",
        ]
        lines += [f"      {c['name']} <{c['email']}>" for c in entry.contacts]
        yield "\n".join(lines) + "\n"
    yield f"\n{kept} recipient(s), {left_out} excluded\n"


def _drain(out: io.StringIO) -> str:
    text = out.getvalue()
    out.seek(0)
    out.truncate()
    return text

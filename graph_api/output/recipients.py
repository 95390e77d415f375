"""Recipient lists for people at a terminal or in a spreadsheet: table, CSV, NDJSON or JSON.

CSV, NDJSON and the table are written a chunk of candidates at a time as the resolution produces
them, so a national list goes out without ever being held whole; JSON is one document, held whole.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterable, Sequence
from dataclasses import asdict
from typing import Any

from graph_api.rules import recipients
from graph_api.rules.recipients import CandidateRow, Exclusion, Reason, Recipient, RecipientList

CSV_COLUMNS = ["partner_id", "partner", "contact", "email", "channels", "reasons"]
STREAMED_FORMATS = ("table", "csv", "ndjson")
Chunks = AsyncIterator[list[CandidateRow]]
# What makes the csv module's default writer (the "excel" dialect, minimal quoting) quote a field:
# the delimiter, the quote character or a line break.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')
_LINE_END = "\r\n"
# A spreadsheet takes a cell beginning with one of these as a formula (OWASP, CSV injection): such
# a cell is written with a single quote before it, which the spreadsheet shows as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _reasons(reasons: list[Reason]) -> str:
    return "; ".join(f"{r.source}:{r.ref}" if r.ref else r.source for r in reasons)


def render(answer: RecipientList) -> str:
    """The whole list as one JSON document."""
    return json.dumps(asdict(answer), indent=1) + "\n"


def streamed(product: dict[str, Any], chunks: Chunks, fmt: str) -> AsyncIterator[str]:
    """The list in `fmt` (one of STREAMED_FORMATS) from `recipients.stream_rows`, a piece of text
    per chunk of candidates."""
    if fmt == "csv":
        return csv_text(chunks)
    if fmt == "ndjson":
        return ndjson_text(chunks)
    return table_text(product, chunks)


def csv_field(value: object) -> str:
    """A value as csv.writer writes it: nothing for None, and in quotes (a quote in it doubled)
    when it holds the delimiter, a quote or a line break; a value a spreadsheet would take as a
    formula first gets a single quote before it."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.startswith(FORMULA_STARTS):
        text = "'" + text
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def csv_row(values: Iterable[object]) -> str:
    """One line of the CSV, as csv.writer writes a row of more than one value."""
    return ",".join(map(csv_field, values)) + _LINE_END


async def csv_text(chunks: Chunks) -> AsyncIterator[str]:
    """One row per recipient contact; a recipient without contacts still gets one row."""
    yield csv_row(CSV_COLUMNS)
    shaping = recipients.Shaping()
    tails: dict[tuple[int, int], str] = {}
    async for rows in chunks:
        yield _csv_lines(rows, shaping, tails)


def _csv_lines(
    rows: list[CandidateRow], shaping: recipients.Shaping, tails: dict[tuple[int, int], str]
) -> str:
    """The rows of a chunk of candidates, each field as csv_field writes it.

    Almost no value needs quotes, and checking each one costs more than writing it: the four
    leading values of every line (partner id and name, contact name and address) are written as
    they are, and the chunk's leading values are then checked at once, joined by commas. Each line
    holds exactly three commas of its own; a value holding a comma, a quote, a tab or a line break,
    a value a spreadsheet would take as a formula (it follows a comma, or opens the first line), or
    a missing value (written "None"), shows in that check, and the chunk is then written value by
    value. A name that merely holds "None" or ",-" costs that second writing, nothing else."""
    lines: list[str] = []
    add = lines.append
    for partner_id, name, _, raw_reasons, exclusion, contacts in rows:
        if exclusion is not None:
            continue
        tail = _tail(shaping, tails, raw_reasons, contacts)
        if not contacts:
            add(f"{partner_id},{name},,")
            add(tail)
            continue
        for contact in contacts:
            add(f"{partner_id},{name},{contact['name']},{contact['email']}")
            add(tail)
    leading = ",".join(lines[0::2])
    if (
        leading.count(",") != max(0, 4 * (len(lines) // 2) - 1)
        or '"' in leading
        or "\n" in leading
        or "\r" in leading
        or "\t" in leading
        or "None" in leading
        or ",=" in leading
        or ",+" in leading
        or ",-" in leading
        or ",@" in leading
        or leading.startswith(FORMULA_STARTS)
    ):
        return _csv_lines_value_by_value(rows, shaping, tails)
    return "".join(lines)


def _csv_lines_value_by_value(
    rows: list[CandidateRow], shaping: recipients.Shaping, tails: dict[tuple[int, int], str]
) -> str:
    lines: list[str] = []
    for partner_id, name, _, raw_reasons, exclusion, contacts in rows:
        if exclusion is not None:
            continue
        tail = _tail(shaping, tails, raw_reasons, contacts)
        head = f"{csv_field(partner_id)},{csv_field(name)}"
        if not contacts:
            lines.append(f"{head},,{tail}")
        for contact in contacts:
            lines.append(f"{head},{csv_field(contact['name'])},{csv_field(contact['email'])}{tail}")
    return "".join(lines)


def _tail(
    shaping: recipients.Shaping,
    tails: dict[tuple[int, int], str],
    raw_reasons: list[Any],
    contacts: Sequence[dict[str, Any]],
) -> str:
    """A recipient's last two fields and the line end, written once for each distinct pair of
    the shaping's shared reasons and channels: many recipients share them."""
    ordered, channels = shaping.recipient(raw_reasons, contacts)
    tail = tails.get((id(ordered), id(channels)))
    if tail is None:
        tail = tails[id(ordered), id(channels)] = (
            f",{csv_field(' '.join(channels))},{csv_field(_reasons(ordered))}{_LINE_END}"
        )
    return tail


async def ndjson_text(chunks: Chunks) -> AsyncIterator[str]:
    """One JSON object per line: `{"recipient": {...}}` or `{"excluded": {...}}`, in list order."""
    shaping = recipients.Shaping()
    async for rows in chunks:
        lines = []
        for entry in recipients.entries(rows, shaping):
            key = "recipient" if isinstance(entry, Recipient) else "excluded"
            lines.append(json.dumps({key: asdict(entry)}, separators=(",", ":")) + "\n")
        yield "".join(lines)


async def table_text(product: dict[str, Any], chunks: Chunks) -> AsyncIterator[str]:
    yield f"{product['id']}: {product['title']} ({product['tlp']}{', PCII' if product['pcii'] else ''})\n\n"
    kept = left_out = 0
    shaping = recipients.Shaping()
    async for rows in chunks:
        lines = []
        for entry in recipients.entries(rows, shaping):
            name = f"{entry.partner['name']} [{entry.partner['id']}]"
            if isinstance(entry, Exclusion):
                left_out += 1
                lines.append(f"  {name}  EXCLUDED: {entry.reason}")
                continue
            kept += 1
            lines.append(f"  {name}  via {', '.join(entry.channels) or '-'}")
            lines.append(f"      because {_reasons(entry.reasons)}")
            lines += [f"      {c['name']} <{c['email']}>" for c in entry.contacts]
        yield "".join(f"{line}\n" for line in lines)
    yield f"\n{kept} recipient(s), {left_out} excluded\n"

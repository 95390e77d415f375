"""The Daily Open Source Infrastructure Report as a product: its id, title and text.

The report of day D is a DAILY_REPORT product, TLP:CLEAR, whose text has one section per sector
(in the order the analyst first placed an item of that sector), each item in the analyst's order
with its summary and its source link.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain.vocabulary import ProductKind, ProductLevel, Severity, Tlp

KIND = ProductKind.DAILY_REPORT
TLP = Tlp.CLEAR
LEVEL = ProductLevel.SITUATIONAL
SEVERITY = Severity.LOW
MAX_ENTRY_SUMMARY_CHARS = 2_000
MAX_ENTRIES = 200


@dataclass(frozen=True)
class ReportEntry:
    item: str
    title: str
    summary: str
    sector: str
    sector_name: str
    link: str


def product_id(day: str) -> str:
    return f"osr-{day}"


def title(day: str) -> str:
    return f"Daily Open Source Infrastructure Report - {day}"


def sections(entries: list[ReportEntry]) -> list[tuple[str, list[ReportEntry]]]:
    """(sector, its entries): sectors in the order their first entry stands, entries in order."""
    grouped: dict[str, list[ReportEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.sector, []).append(entry)
    return list(grouped.items())


def text(day: str, entries: list[ReportEntry]) -> str:
    """The report as plain text: the product's summary and what a CLEAR email carries."""
    lines = [title(day), ""]
    for _, in_sector in sections(entries):
        lines.append(in_sector[0].sector_name)
        for entry in in_sector:
            lines.append(f"- {entry.title}")
            if entry.summary:
                lines.append(f"  {entry.summary}")
            lines.append(f"  Source: {entry.link}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"

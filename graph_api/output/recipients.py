"""Recipient lists for people at a terminal or in a spreadsheet: table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict

from graph_api.rules.recipients import RecipientList

CSV_COLUMNS = ["partner_id", "partner", "contact", "email", "channels", "reasons"]


def _reasons(reasons: list[object]) -> str:
    return "; ".join(
        f"{r.source}:{r.ref}" if r.ref else r.source  # type: ignore[attr-defined]
        for r in reasons
    )


def render(answer: RecipientList, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(asdict(answer), indent=1) + "\n"
    if fmt == "csv":
        return _csv(answer)
    return _table(answer)


def _csv(answer: RecipientList) -> str:
    """One row per recipient contact; a recipient without contacts still gets one row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in answer.recipients:
        channels, reasons = " ".join(r.channels), _reasons(list(r.reasons))
        for contact in r.contacts or [{"name": "", "email": ""}]:
            writer.writerow(
                [r.partner["id"], r.partner["name"], contact["name"], contact["email"], channels, reasons]
            )
    return out.getvalue()


def _table(answer: RecipientList) -> str:
    lines = [
        f"{answer.product['id']}: {answer.product['title']} "
        f"({answer.product['tlp']}{', PCII' if answer.product['pcii'] else ''})",
        f"{len(answer.recipients)} recipient(s), {len(answer.excluded)} excluded",
        "",
    ]
    for r in answer.recipients:
        lines.append(f"  {r.partner['name']} [{r.partner['id']}]  via {', '.join(r.channels) or '-'}")
        lines.append(f"      because {_reasons(list(r.reasons))}")
        lines += [f"      {c['name']} <{c['email']}>" for c in r.contacts]
    if answer.excluded:
        lines.append("")
        lines.append("Excluded:")
        lines += [f"  {e.partner['name']} [{e.partner['id']}]  {e.reason}" for e in answer.excluded]
    return "\n".join(lines) + "\n"

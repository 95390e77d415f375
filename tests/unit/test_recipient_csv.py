"""The recipient CSV is written without the csv module, and must be exactly what it would write
once formulas are neutralised.

A spreadsheet or a mail merge reads the file with a CSV parser: a partner or contact whose name
holds a comma, a quote or a line break must come out quoted as the csv module quotes it, and
every other value as it is. A value beginning with `=`, `+`, `-`, `@`, a tab or a carriage return
would run as a formula when the file is opened in a spreadsheet: OWASP's advice is a single quote
before it. The reference here is the csv module's writer over the list's entries, each value given
that quote first when it begins so.
"""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import AsyncIterator
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from graph_api import domain
from graph_api.output.recipients import CSV_COLUMNS, csv_field, csv_text
from graph_api.rules.recipients import CONTACT_FIELDS, CandidateRow, Exclusion, entries

# Values a name or an address may hold, the characters that need quotes well represented.
# "None" is what a missing value would read as, were it written as it is.
TEXT = st.text(
    alphabet=st.sampled_from(list("ab ,\"\r\n;:é\x00\t=+-@'")) | st.characters(), max_size=12
) | st.sampled_from(["None", "Nonesuch Co", "a@b", "=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "a,-b"])
MAYBE_TEXT = st.none() | TEXT
CHANNELS = st.lists(st.sampled_from(list(domain.CHANNELS)), max_size=3)


@st.composite
def contacts(draw: st.DrawFn) -> dict[str, Any]:
    values = {
        "id": draw(TEXT),
        "name": draw(MAYBE_TEXT),
        "email": draw(MAYBE_TEXT),
        "channels": draw(CHANNELS),
        "pciiAuthorized": draw(st.booleans()),
        "active": True,
        "version": draw(st.integers(1, 9)),
    }
    return {name: values[name] for name in CONTACT_FIELDS}


@st.composite
def reasons(draw: st.DrawFn) -> tuple[str, str | None, str | None]:
    source = draw(st.sampled_from(list(domain.REASON_SOURCES)))
    channel = draw(st.sampled_from(list(domain.CHANNELS))) if source == "REQUIREMENT" else None
    return source, draw(MAYBE_TEXT), channel


@st.composite
def candidate_rows(draw: st.DrawFn) -> CandidateRow:
    exclusion = draw(st.none() | st.sampled_from(list(domain.values(domain.ExclusionReason))))
    listed = [] if exclusion else draw(st.lists(contacts(), max_size=3))
    return (
        draw(TEXT),
        draw(MAYBE_TEXT),
        draw(st.sampled_from(list(domain.PARTNER_KINDS))),
        draw(st.lists(reasons(), min_size=1, max_size=3)),
        exclusion,
        listed,
    )


def neutralised(value: object) -> object:
    """OWASP's CSV-injection advice, as a reader of the file expects it."""
    if value is None:
        return None
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_module_text(rows: list[CandidateRow]) -> str:
    """The CSV as the csv module writes it, one row per recipient contact."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for entry in entries(rows):
        if isinstance(entry, Exclusion):
            continue
        channels = " ".join(entry.channels)
        reasons = "; ".join(f"{r.source}:{r.ref}" if r.ref else r.source for r in entry.reasons)
        partner = entry.partner
        for contact in entry.contacts or [{"name": "", "email": ""}]:
            row = [partner["id"], partner["name"], contact["name"], contact["email"], channels, reasons]
            writer.writerow([neutralised(value) for value in row])
    return out.getvalue()


def written(rows: list[CandidateRow], chunk_sizes: list[int]) -> str:
    async def chunks() -> AsyncIterator[list[CandidateRow]]:
        start = 0
        for size in [*chunk_sizes, len(rows)]:
            yield rows[start : start + size]
            start += size

    async def text() -> str:
        return "".join([piece async for piece in csv_text(chunks())])

    return asyncio.run(text())


@settings(max_examples=300, deadline=None)
@given(st.lists(candidate_rows(), max_size=12), st.lists(st.integers(0, 5), max_size=4))
def test_the_csv_is_what_the_csv_module_writes(rows: list[CandidateRow], chunk_sizes: list[int]) -> None:
    text = written(rows, chunk_sizes)
    assert text == csv_module_text(rows)
    # And it reads back as one row per recipient contact.
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    expected = sum(max(1, len(row[5])) for row in rows if row[4] is None)
    assert len(parsed) == 1 + expected


@settings(max_examples=500, deadline=None)
@given(st.lists(st.none() | TEXT | st.integers() | st.floats(allow_nan=False), min_size=2, max_size=6))
def test_a_field_is_quoted_exactly_when_the_csv_module_would(values: list[object]) -> None:
    out = io.StringIO()
    csv.writer(out).writerow([neutralised(value) for value in values])
    assert ",".join(csv_field(v) for v in values) + "\r\n" == out.getvalue()


def test_the_common_row_is_written_as_it_is_and_a_name_with_a_comma_in_quotes() -> None:
    plain = ("p-1", "Alpha Utility", "COMPANY", [("SUBSCRIPTION", "energy", None)], None, [])
    quoted = (
        "p-2",
        'Beta, "the grid" Co',
        "COMPANY",
        [("FUSION_CENTER", None, None)],
        None,
        [{"id": "c", "name": "Ann\nLee", "email": "a@b", "channels": ["EMAIL"]}],
    )
    assert written([plain, quoted], []).splitlines()[1:] == [
        "p-1,Alpha Utility,,,,SUBSCRIPTION:energy",
        'p-2,"Beta, ""the grid"" Co","Ann',
        'Lee",a@b,EMAIL,FUSION_CENTER',
    ]


def test_a_value_a_spreadsheet_would_run_as_a_formula_is_written_after_a_single_quote() -> None:
    contacts = [
        {"id": f"c{i}", "name": name, "email": f"{name}@b", "channels": ["EMAIL"]}
        for i, name in enumerate(["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain"])
    ]
    rows: list[CandidateRow] = [
        ("p-1", "=cmd|' /C calc'!A0", "COMPANY", [("SUBSCRIPTION", "energy", None)], None, contacts),
        ("-p2", "Ok", "COMPANY", [("SUBSCRIPTION", "energy", None)], None, []),
    ]
    parsed = list(csv.reader(io.StringIO(written(rows, []), newline="")))[1:]
    assert {row[1] for row in parsed[:-1]} == {"'=cmd|' /C calc'!A0"}
    assert sorted(row[2] for row in parsed[:-1]) == sorted(
        ["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "'\tx", "'\rx", "plain"]
    )
    assert parsed[-1][:2] == ["'-p2", "Ok"]
    # The fast path alone: a chunk whose only risky value follows a comma, or opens the chunk.
    for risky in ("=1", "+1", "-1", "@1", "\t1"):
        plain = ("p-3", "Plain", "COMPANY", [("SUBSCRIPTION", "energy", None)], None, [])
        after = ("p-4", risky, "COMPANY", [("SUBSCRIPTION", "energy", None)], None, [])
        opening = (risky, "Plain", "COMPANY", [("SUBSCRIPTION", "energy", None)], None, [])
        assert f",'{risky}," in written([plain, after], []), risky
        assert f"\r\n'{risky},Plain," in written([opening], []), risky

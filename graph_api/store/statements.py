"""Loads the named Cypher statements kept in the repository's `cypher/` folder."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import LiteralString, cast

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"
# Every file's header says whether running it may change the partnership graph (partners and
# their links, contacts, councils, sectors, topics, regions, requirements, subscriptions): what a
# recipient list is worked out from; not products, which a list reads afresh every time. A write
# that may bumps the graph version, so that whatever was derived from the graph (the recipient
# index) knows it is out of date.
GRAPH_HEADER = re.compile(r"^// Changes the partnership graph: (yes|no)$", re.MULTILINE)


@cache
def statement(name: str) -> LiteralString:
    """The statement in `cypher/<name>.cypher`.

    The driver types queries as LiteralString to keep input out of Cypher text. These files are
    part of the code base, never built from input, so this is the one place that vouches for them.
    """
    return cast(LiteralString, (CYPHER_DIR / f"{name}.cypher").read_text().strip())  # type: ignore[redundant-cast]


@cache
def changes_graph(name: str) -> bool:
    """Whether `cypher/<name>.cypher` may change the partnership graph, as its header says. A file
    that does not say is taken to (tests/unit/test_cypher_headers.py fails on one)."""
    said = header_says(name)
    return True if said is None else said


def header_says(name: str) -> bool | None:
    """What the header of `cypher/<name>.cypher` says of the partnership graph; None: nothing."""
    header = "".join(_header_lines((CYPHER_DIR / f"{name}.cypher").read_text()))
    found = GRAPH_HEADER.findall(header)
    return found[0] == "yes" if len(found) == 1 else None


def _header_lines(text: str) -> list[str]:
    header: list[str] = []
    for line in text.splitlines(keepends=True):
        if not line.startswith("//"):
            break
        header.append(line)
    return header


def statement_names() -> list[str]:
    """Every statement under cypher/, by name (its path there, without `.cypher`)."""
    return sorted(str(p.relative_to(CYPHER_DIR).with_suffix("")) for p in CYPHER_DIR.rglob("*.cypher"))


def script(name: str) -> list[LiteralString]:
    """The `;`-separated statements of a migration script, comments dropped."""
    text = (CYPHER_DIR / f"{name}.cypher").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("//")]
    parts = "\n".join(lines).split(";\n")
    return [cast(LiteralString, p.strip().rstrip(";")) for p in parts if p.strip()]  # type: ignore[redundant-cast]


def migration_names() -> list[str]:
    folder = CYPHER_DIR / "migrations"
    return sorted(p.stem for p in folder.glob("[0-9][0-9][0-9]_*.cypher"))


def composed(name: str, **fragments: str) -> LiteralString:
    """A template statement with its `/*NAME*/` slots filled.

    The fragments are built by graph_api/store/filters.py from fixed allow-lists (labels, property
    names, operators, generated parameter names) and never contain input; values stay parameters.
    """
    text: str = statement(name)
    for slot, fragment in fragments.items():
        text = text.replace(f"/*{slot}*/", fragment)
    return cast(LiteralString, text)  # type: ignore[redundant-cast]

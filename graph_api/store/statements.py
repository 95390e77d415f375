"""Loads the named Cypher statements kept in the repository's `cypher/` folder."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import LiteralString, cast

CYPHER_DIR = Path(__file__).resolve().parents[2] / "cypher"


@cache
def statement(name: str) -> LiteralString:
    """The statement in `cypher/<name>.cypher`.

    The driver types queries as LiteralString to keep input out of Cypher text. These files are
    part of the code base, never built from input, so this is the one place that vouches for them.
    """
    return cast(LiteralString, (CYPHER_DIR / f"{name}.cypher").read_text().strip())  # type: ignore[redundant-cast]


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

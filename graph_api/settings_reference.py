"""The configuration reference (docs/configuration.md), written from settings.py's own table.

The documentation site's build calls `reference_markdown()` (docs/hooks/configuration.py), so
the page shows the variables settings.py reads, with the defaults the code has."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from graph_api.settings import DOCUMENTED, Documented, Settings, load_settings

# Variables that pick a default's value: cleared while the defaults are read.
_PREFIXES = ("ISEGRAPH_", "NEO4J_", "XDG_")


@contextmanager
def _clean_environment() -> Iterator[None]:
    saved = dict(os.environ)
    try:
        for name in list(os.environ):
            if name.startswith(_PREFIXES):
                del os.environ[name]
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def default_settings() -> Settings:
    """What load_settings() gives when no variable is set."""
    with _clean_environment():
        return load_settings()


def _shown(value: object) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, tuple):
        value = ",".join(str(item) for item in value)
    if isinstance(value, Path):
        value = str(value)
    return f"`{value}`"


def default_of(entry: Documented, defaults: Settings) -> str:
    if entry.default is not None:
        return entry.default
    value: object = defaults
    for part in (entry.attribute or "").split("."):
        value = getattr(value, part)
    return _shown(value)


def reference_markdown() -> str:
    """One table per group: variable, default, meaning."""
    defaults = default_settings()
    lines: list[str] = []
    for group, entries in DOCUMENTED:
        lines += [f"## {group}", "", "| variable | default | meaning |", "|---|---|---|"]
        for entry in entries:
            meaning = entry.meaning.replace("|", "\\|")
            lines.append(f"| `{entry.name}` | {default_of(entry, defaults)} | {meaning} |")
        lines.append("")
    return "\n".join(lines)

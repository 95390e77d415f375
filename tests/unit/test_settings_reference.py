"""The configuration reference is written from settings.py, so it cannot leave a variable out."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import graph_api.settings
from graph_api.settings import DOCUMENTED
from graph_api.settings_reference import default_of, default_settings, reference_markdown

SETTINGS_SOURCE = Path(graph_api.settings.__file__).read_text()
ENV_NAME = re.compile(r"^(ISEGRAPH|NEO4J|XDG)_[A-Z0-9_]+$")


def _read_variables() -> set[str]:
    """Every environment variable name settings.py passes to a call (os.environ.get, _int, ...)
    outside the DOCUMENTED table itself."""
    tree = ast.parse(SETTINGS_SOURCE)
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Constant)
                    and isinstance(inner.value, str)
                    and ENV_NAME.match(inner.value)
                ):
                    names.add(inner.value)
    return names


def _documented() -> list[str]:
    return [entry.name for _, entries in DOCUMENTED for entry in entries]


def test_the_scan_finds_the_variables_settings_reads() -> None:
    found = _read_variables()
    assert {"ISEGRAPH_PORT", "NEO4J_URI", "ISEGRAPH_SMTP_TLS", "ISEGRAPH_EVENT_BATCH"} <= found
    assert len(found) >= 60


def test_every_variable_settings_reads_is_documented_once() -> None:
    documented = _documented()
    assert len(documented) == len(set(documented)), "a variable is documented twice"
    assert set(documented) == _read_variables()


def test_the_page_lists_every_variable_with_the_codes_default() -> None:
    page = reference_markdown()
    defaults = default_settings()
    for _, entries in DOCUMENTED:
        for entry in entries:
            row = next(line for line in page.splitlines() if line.startswith(f"| `{entry.name}` |"))
            assert f"| {default_of(entry, defaults)} |" in row
    # Defaults come from the code: the port the service listens on when nothing is set.
    assert "| `ISEGRAPH_PORT` | `8000` |" in page
    assert "| `ISEGRAPH_RECIPIENT_INDEX` | `true` |" in page


def test_an_attribute_named_in_the_table_exists() -> None:
    defaults = default_settings()
    for _, entries in DOCUMENTED:
        for entry in entries:
            if entry.attribute is not None:
                value: object = defaults
                for part in entry.attribute.split("."):
                    assert hasattr(value, part), f"{entry.name}: Settings has no {entry.attribute}"
                    value = getattr(value, part)


def test_the_defaults_are_read_with_the_environment_cleared(monkeypatch) -> None:
    monkeypatch.setenv("ISEGRAPH_PORT", "9999")
    assert "| `ISEGRAPH_PORT` | `8000` |" in reference_markdown()
    import os

    assert os.environ["ISEGRAPH_PORT"] == "9999", "the environment is given back as it was"

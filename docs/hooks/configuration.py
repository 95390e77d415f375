"""MkDocs hook: the configuration page's reference, written from graph_api/settings.py at build time."""

from __future__ import annotations

from typing import Any

from graph_api.settings_reference import reference_markdown

MARKER = "<!-- settings-reference -->"


def on_page_markdown(markdown: str, page: Any, **_: Any) -> str:
    if page.file.src_uri == "configuration.md":
        if MARKER not in markdown:
            raise ValueError(f"docs/configuration.md lost its {MARKER} line")
        return markdown.replace(MARKER, reference_markdown())
    return markdown

"""Settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph_api.settings import load_settings


def test_a_relative_state_directory_is_taken_from_where_the_command_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Neo4j runs from its own home directory; a relative path handed to it would point elsewhere.
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ISEGRAPH_STATE_DIR", "relative/state")
    monkeypatch.setenv("ISEGRAPH_CACHE_DIR", "~/cache-here")
    settings = load_settings()
    assert settings.state_dir == tmp_path / "relative" / "state"
    assert settings.cache_dir == Path.home() / "cache-here"

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


def test_serving_settings_have_quiet_single_process_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ISEGRAPH_WORKERS", "ISEGRAPH_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert (settings.workers, settings.access_log) == (1, False)
    monkeypatch.setenv("ISEGRAPH_WORKERS", "4")
    monkeypatch.setenv("ISEGRAPH_ACCESS_LOG", "yes")
    settings = load_settings()
    assert (settings.workers, settings.access_log) == (4, True)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ISEGRAPH_WORKERS", "0"),
        ("ISEGRAPH_WORKERS", "two"),
        ("ISEGRAPH_DOCUMENT_CACHE_SIZE", "-1"),
        ("ISEGRAPH_PERSISTED_QUERY_CACHE_SIZE", "0"),
        ("ISEGRAPH_ACCESS_LOG", "maybe"),
    ],
)
def test_a_serving_setting_out_of_range_stops_with_its_name(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit, match=name):
        load_settings()


@pytest.mark.parametrize(
    ("host", "environment"),
    [
        ("0.0.0.0", "production"),  # noqa: S104 - the address a deployment listens on
        ("10.1.2.3", "production"),
        ("::", "production"),
        ("isegraph.example.org", "production"),
        ("127.0.0.1", "development"),
        ("localhost", "development"),
        ("::1", "development"),
    ],
)
def test_unset_the_environment_is_production_beyond_loopback_and_never_offers_the_development_sign_in(
    monkeypatch: pytest.MonkeyPatch, host: str, environment: str
) -> None:
    monkeypatch.delenv("ISEGRAPH_ENV", raising=False)
    monkeypatch.setenv("ISEGRAPH_HOST", host)
    settings = load_settings()
    assert settings.environment == environment
    assert not settings.development_sign_in


def test_the_development_sign_in_needs_isegraph_env_development_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISEGRAPH_HOST", "127.0.0.1")
    monkeypatch.setenv("ISEGRAPH_ENV", "development")
    assert load_settings().development_sign_in
    monkeypatch.setenv("ISEGRAPH_ENV", "production")
    settings = load_settings()
    assert settings.environment == "production" and not settings.development_sign_in
    monkeypatch.setenv("ISEGRAPH_ENV", "staging")
    with pytest.raises(SystemExit, match="ISEGRAPH_ENV"):
        load_settings()
    monkeypatch.setenv("ISEGRAPH_TRUSTED_PROXIES", "10.0.0.2, 10.0.0.3")
    monkeypatch.setenv("ISEGRAPH_ENV", "production")
    assert load_settings().trusted_proxies == ("10.0.0.2", "10.0.0.3")

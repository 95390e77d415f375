"""ISEGRAPH_AUTH_DISABLED: answered without a token as ADMIN in development, refused in production."""

from __future__ import annotations

import logging
from dataclasses import replace

import pytest
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.settings import Settings, load_settings

ADMIN_ONLY = "{ auditLog(first: 1) { totalCount } }"


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ISEGRAPH_AUTH_DISABLED", raising=False)
    assert load_settings().auth_disabled is False
    monkeypatch.setenv("ISEGRAPH_AUTH_DISABLED", "true")
    assert load_settings().auth_disabled is True
    monkeypatch.setenv("ISEGRAPH_AUTH_DISABLED", "maybe")
    with pytest.raises(SystemExit, match="ISEGRAPH_AUTH_DISABLED must be true or false"):
        load_settings()


def test_with_auth_disabled_a_request_without_a_token_is_answered_as_admin(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="isegraph.app"):
        app = create_app(replace(settings, auth_disabled=True))
    assert "AUTHENTICATION IS DISABLED" in caplog.text
    with TestClient(app) as client:
        response = client.post("/graphql", json={"query": ADMIN_ONLY})
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body["errors"]
    assert body["data"]["auditLog"]["totalCount"] >= 0


def test_without_the_setting_a_request_without_a_token_is_refused(settings: Settings) -> None:
    with TestClient(create_app(replace(settings, auth_disabled=False))) as client:
        response = client.post("/graphql", json={"query": ADMIN_ONLY})
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_production_refuses_to_start_with_auth_disabled(settings: Settings) -> None:
    production = replace(settings, environment="production", auth_disabled=True, jwt_secret="x" * 32)
    with pytest.raises(SystemExit, match="refused with ISEGRAPH_ENV=production"):
        create_app(production)

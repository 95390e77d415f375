"""NODE tokens: issued by this node to a peer, good only at the peering endpoint."""

from __future__ import annotations

import dataclasses
import time

import jwt
import pytest

from graph_api.identity import AuthenticationError, Role, TokenVerifier, mint_token
from graph_api.identity.node_tokens import mint_node_token, peering_audience, verify_node_token
from graph_api.settings import Settings, load_settings

SECRET = "a-test-secret-long-enough-for-hs256-0123456789"


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ISEGRAPH_JWT_SECRET", SECRET)
    return load_settings()


def test_a_node_token_names_its_peer(settings: Settings) -> None:
    assert verify_node_token(settings, mint_node_token(settings, "ca", 60)).node_id == "ca"


async def test_a_node_token_is_refused_by_the_verifier_of_every_other_path(settings: Settings) -> None:
    with pytest.raises(AuthenticationError):
        await TokenVerifier(settings).verify(mint_node_token(settings, "ca", 60))


@pytest.mark.parametrize("role", ["ADMIN", "PARTNER"])
def test_a_user_token_is_not_a_node_token(settings: Settings, role: str) -> None:
    user = mint_token(settings, Role(role), "fc-ca" if role == "PARTNER" else None)
    with pytest.raises(AuthenticationError):
        verify_node_token(settings, user)


def test_a_node_token_of_another_node_or_expired_is_refused(settings: Settings) -> None:
    other = dataclasses.replace(settings, jwt_secret="another-secret-long-enough-for-hs256-987654321")
    with pytest.raises(AuthenticationError):
        verify_node_token(settings, mint_node_token(other, "ca", 60))
    now = int(time.time())
    expired = jwt.encode(
        {"sub": "node:ca", "iss": settings.jwt_issuer, "aud": peering_audience(settings), "iat": now - 600,
         "nbf": now - 600, "exp": now - 300},
        SECRET,
        algorithm="HS256",
    )  # fmt: skip
    with pytest.raises(AuthenticationError):
        verify_node_token(settings, expired)


def test_a_peering_token_with_a_role_is_refused(settings: Settings) -> None:
    now = int(time.time())
    claims = {"sub": "node:ca", "role": "ADMIN", "iss": settings.jwt_issuer,
              "aud": peering_audience(settings), "iat": now, "nbf": now, "exp": now + 60}  # fmt: skip
    with pytest.raises(AuthenticationError):
        verify_node_token(settings, jwt.encode(claims, SECRET, algorithm="HS256"))

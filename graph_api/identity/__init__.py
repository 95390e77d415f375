"""Who is asking: roles, principals and the bearer tokens (JWT) that carry them."""

from graph_api.identity.tokens import (
    ROLE_VALUES,
    AuthenticationError,
    Principal,
    Role,
    SigningKeysUnavailable,
    TokenVerifier,
    make_jwks_client,
    mint_token,
    parse_ttl,
    signing_secret,
)

__all__ = [
    "ROLE_VALUES",
    "AuthenticationError",
    "Principal",
    "Role",
    "SigningKeysUnavailable",
    "TokenVerifier",
    "make_jwks_client",
    "mint_token",
    "parse_ttl",
    "signing_secret",
]

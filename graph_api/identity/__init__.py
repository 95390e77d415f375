"""Who is asking: roles, scopes, principals and the bearer tokens (JWT) that carry them."""

from graph_api.identity.tokens import (
    ROLE_VALUES,
    AuthenticationError,
    Principal,
    Role,
    Scope,
    ScopeKind,
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
    "Scope",
    "ScopeKind",
    "SigningKeysUnavailable",
    "TokenVerifier",
    "make_jwks_client",
    "mint_token",
    "parse_ttl",
    "signing_secret",
]

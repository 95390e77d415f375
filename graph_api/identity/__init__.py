"""Who is asking: roles, principals and the bearer tokens (JWT) that carry them."""

from graph_api.identity.tokens import (
    ROLE_VALUES,
    AuthenticationError,
    Principal,
    Role,
    SigningKeysUnavailable,
    TokenVerifier,
    mint_token,
    parse_ttl,
)

__all__ = [
    "ROLE_VALUES",
    "AuthenticationError",
    "Principal",
    "Role",
    "SigningKeysUnavailable",
    "TokenVerifier",
    "mint_token",
    "parse_ttl",
]

"""Tokens for peer nodes: the NODE principal.

This node issues a peer a token; the peer presents it when it sends envelopes here. Such a token
is good for the peering endpoint and nothing else: its audience is the service's own with
`/peering` added, and it carries no `role`, so the verifier of every other path refuses it twice
over. Signed with HS256 and this node's own secret, because only this node issues them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import jwt
from jwt.algorithms import get_default_algorithms

from graph_api.identity.tokens import (
    MAX_TOKEN_CHARS,
    MINTED_ALGORITHM,
    REQUIRED_CLAIMS,
    AuthenticationError,
    _checked_secret,
    signing_secret,
)
from graph_api.settings import Settings

NODE_SUBJECT_PREFIX = "node:"


@dataclass(frozen=True)
class NodePrincipal:
    """A peer node, as the token this node issued it says."""

    node_id: str


def peering_audience(settings: Settings) -> str:
    return f"{settings.jwt_audience}/peering"


def _key(settings: Settings) -> bytes:
    secret = signing_secret(settings)
    if secret is None:
        raise ValueError(
            "No signing secret: set ISEGRAPH_JWT_SECRET (a secret is generated only in development)."
        )
    return _checked_secret(secret, [MINTED_ALGORITHM], get_default_algorithms())


def mint_node_token(settings: Settings, node_id: str, ttl_seconds: int) -> str:
    """The token peer `node_id` presents here."""
    if ttl_seconds <= 0:
        raise ValueError("A token's lifetime must be a positive number of seconds.")
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": NODE_SUBJECT_PREFIX + node_id,
        "iss": settings.jwt_issuer,
        "aud": peering_audience(settings),
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    return jwt.encode(claims, _key(settings), algorithm=MINTED_ALGORITHM)


def verify_node_token(settings: Settings, token: str) -> NodePrincipal:
    """The peer a token names; AuthenticationError when it is not a NODE token this node issued."""
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise AuthenticationError("Missing or oversized node token.")
    try:
        claims = jwt.decode(
            token,
            _key(settings),
            algorithms=[MINTED_ALGORITHM],
            options={"require": list(REQUIRED_CLAIMS)},
            issuer=settings.jwt_issuer,
            audience=peering_audience(settings),
            leeway=settings.jwt_leeway_seconds,
        )
    except jwt.PyJWTError as exc:
        raise AuthenticationError("Not a node token this node issued, or it has expired.") from exc
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.startswith(NODE_SUBJECT_PREFIX) or "role" in claims:
        raise AuthenticationError("Not a node token this node issued.")
    return NodePrincipal(subject.removeprefix(NODE_SUBJECT_PREFIX))

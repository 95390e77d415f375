"""Who is asking: bearer tokens (JWT) checked with PyJWT, and minted for local use.

The accepted algorithms come from configuration only, never from the token's header. HS* tokens
are checked with the shared secret, RS*/PS*/ES*/EdDSA tokens with the configured public key or
the issuer's JWKS document. Every token must carry exp, iat, iss, aud and sub, and a role. A
PARTNER token may also carry `scopes`: capabilities over one fusion center or one council
(`Scope`), which the access table (`rules/access.py`) reads.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import os
import re
import secrets
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import jwt
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from jwt.algorithms import Algorithm, HMACAlgorithm, get_default_algorithms
from jwt.exceptions import InvalidSubjectError
from jwt.types import Options

from graph_api.settings import Settings

log = logging.getLogger(__name__)

JWT_KEY_FILE = "jwt-secret"
MIN_HMAC_SECRET_BYTES = 32
MAX_TOKEN_CHARS = 16_384
REQUIRED_CLAIMS = ("exp", "iat", "iss", "aud", "sub")
MINTED_ALGORITHM = "HS256"
JWKS_LIFESPAN_SECONDS = 300.0
JWKS_COOLDOWN_SECONDS = 30.0
# Tokens already checked against a key fixed for the life of the process (the HMAC secret, the
# configured public key) are remembered, so a client's next request with the same token skips
# the signature: about a tenth of a small request's cost. A remembered token is trusted until its
# expiry and for at most a minute. Tokens checked with a JWKS key are checked every time: a key
# the issuer withdraws stops being honoured as soon as the document is read again.
VERIFIED_TOKENS_KEPT = 4096
VERIFIED_TOKEN_SECONDS = 60.0


class Role(StrEnum):
    ADMIN = "ADMIN"
    ANALYST = "ANALYST"
    PARTNER = "PARTNER"


ROLE_VALUES = tuple(role.value for role in Role)
SCOPES_CLAIM = "scopes"
# A token names a handful of scopes; more is a mistake (or an attempt to make checks slow).
MAX_SCOPES = 32


class ScopeKind(StrEnum):
    """A capability over one part of the network, held by a PARTNER user."""

    # A user of fusion center F who plans and shares onward within F's area.
    FUSION_CENTER_ANALYST = "FUSION_CENTER_ANALYST"
    # A user of council C's CHAIR organisation who governs C's requirements and working groups.
    STEWARD = "STEWARD"


SCOPE_KIND_VALUES = tuple(kind.value for kind in ScopeKind)


@dataclass(frozen=True, order=True)
class Scope:
    """One scope, written in a token as `KIND:target` (`FUSION_CENTER_ANALYST:fc-ca`,
    `STEWARD:energy-scc`): the target is the fusion center's partner id or the council's id."""

    kind: ScopeKind
    target: str

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.target}"

    @staticmethod
    def parse(text: str) -> Scope:
        """The scope `text` writes; ValueError with a message a person understands otherwise."""
        kind, sep, target = text.partition(":")
        if not sep or kind not in SCOPE_KIND_VALUES or not target.strip() or target != target.strip():
            raise ValueError(
                f"A scope is written KIND:id with KIND one of {', '.join(SCOPE_KIND_VALUES)} "
                f"(e.g. FUSION_CENTER_ANALYST:fc-ca, STEWARD:energy-scc); {text[:80]!r} is not."
            )
        return Scope(ScopeKind(kind), target)


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    partner: str | None
    # What this user may do beyond its role, over one fusion center or council each.
    scopes: frozenset[Scope] = frozenset()
    # When the token that proved it stops being valid (seconds since the epoch); None: never.
    # Long-lived connections (subscriptions) end then.
    expires_at: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if (self.role == Role.PARTNER) != (self.partner is not None):
            raise ValueError("A PARTNER principal needs a partner id, and only a PARTNER may have one.")
        check_scopes(self.role, self.partner, self.scopes)

    def holds(self, kind: ScopeKind, target: str) -> bool:
        return Scope(kind, target) in self.scopes


def check_scopes(role: Role, partner: str | None, scopes: frozenset[Scope]) -> None:
    """Scopes belong to PARTNER users; a fusion-center analyst is a user of that fusion center.
    (A steward's claim is checked against the graph when used: the council's CHAIR may change.)"""
    if not scopes:
        return
    if role != Role.PARTNER:
        raise ValueError(f"A {role.value} token does not carry scopes: its role already says what it may do.")
    for scope in scopes:
        if scope.kind == ScopeKind.FUSION_CENTER_ANALYST and scope.target != partner:
            raise ValueError(
                f"The scope {scope} is for users of '{scope.target}', but the token is bound to "
                f"'{partner}': a fusion-center analyst works for its own fusion center."
            )


class AuthenticationError(Exception):
    """A token was refused; `message` says why, for the caller, and never repeats the token."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SigningKeysUnavailable(AuthenticationError):
    """The JWKS document could not be fetched or read: the service's fault, not the caller's."""


def signing_secret(settings: Settings) -> str | None:
    """The HMAC secret: the configured one, else (development only) one generated and kept on disk."""
    if settings.jwt_secret:
        return settings.jwt_secret
    if not settings.development:
        return None
    path = settings.state_dir / JWT_KEY_FILE
    existing = _read_secret_file(path)
    if existing:
        return existing
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    # Written in full to a private file first, then linked into place: a concurrent process either
    # wins the link and we read its secret, or we win and it reads ours; no one sees a partial file.
    partial = path.with_name(f".{JWT_KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as handle:
            handle.write(secret + "\n")
        os.link(partial, path)
    except FileExistsError:
        existing = _read_secret_file(path)
        if not existing:
            raise RuntimeError(f"{path} holds no secret; delete it to have a new one generated.") from None
        return existing
    finally:
        partial.unlink(missing_ok=True)
    return secret


def _read_secret_file(path: os.PathLike[str]) -> str | None:
    try:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            log.warning("%s was readable by others; restricting it to its owner (mode 0600).", path)
            os.chmod(path, 0o600)
        with open(path) as handle:
            return handle.read().strip() or None
    except FileNotFoundError:
        return None


def make_jwks_client(
    url: str,
    *,
    lifespan_seconds: float = JWKS_LIFESPAN_SECONDS,
    cooldown_seconds: float = JWKS_COOLDOWN_SECONDS,
) -> jwt.PyJWKClient:
    """A JWKS client that rereads the document every `lifespan_seconds`, and at once (at most every
    `cooldown_seconds`) when a token names an unknown key id.

    The per-kid key cache (`cache_keys=True`) is left off on purpose: it never expires, so a key
    removed from the document would stay trusted. The cached document already avoids a fetch per
    request.
    """
    return jwt.PyJWKClient(
        url,
        cache_keys=False,
        cache_jwk_set=True,
        lifespan=lifespan_seconds,
        cooldown_duration=cooldown_seconds,
        timeout=10,
    )


class TokenVerifier:
    """Checks bearer tokens; built once at start-up, where a misconfiguration raises ValueError."""

    def __init__(
        self,
        settings: Settings,
        *,
        jwks_client: jwt.PyJWKClient | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # The wall clock (seconds since the epoch) that exp, iat and nbf and the remembered tokens
        # are checked against; a test passes one it can move on instead of waiting.
        self._clock = clock
        self._issuer = settings.jwt_issuer
        self._audience = settings.jwt_audience
        self._leeway = settings.jwt_leeway_seconds
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        if self._leeway < 0:
            raise ValueError("ISEGRAPH_JWT_LEEWAY_SECONDS must not be negative.")
        implemented = get_default_algorithms()
        self._algorithms: dict[str, Algorithm] = {}
        for name in settings.jwt_algorithms:
            if name.lower() == "none":
                raise ValueError("ISEGRAPH_JWT_ALGORITHMS must not include 'none': tokens must be signed.")
            if name not in implemented:
                known = ", ".join(sorted(a for a in implemented if a != "none"))
                raise ValueError(f"ISEGRAPH_JWT_ALGORITHMS: unknown algorithm {name!r}; known: {known}.")
            self._algorithms[name] = implemented[name]
        if not self._algorithms:
            raise ValueError("ISEGRAPH_JWT_ALGORITHMS is empty: name at least one signing algorithm.")

        symmetric = [name for name, alg in self._algorithms.items() if isinstance(alg, HMACAlgorithm)]
        public = [name for name in self._algorithms if name not in symmetric]
        self._secret: bytes | None = None
        if symmetric:
            self._secret = _checked_secret(signing_secret(settings), symmetric, self._algorithms)
        self._public_key: Any = None
        self._jwks: jwt.PyJWKClient | None = None
        if public:
            if settings.jwt_public_key:
                self._public_key = _checked_public_key(settings.jwt_public_key, public, self._algorithms)
            elif settings.jwt_jwks_url:
                self._jwks = jwks_client or make_jwks_client(settings.jwt_jwks_url)
            else:
                raise ValueError(
                    f"ISEGRAPH_JWT_ALGORITHMS includes {', '.join(public)}, which needs a public key: "
                    "set ISEGRAPH_JWT_PUBLIC_KEY (PEM text or file) or ISEGRAPH_JWT_JWKS_URL."
                )

    async def verify(self, token: str) -> Principal:
        now = self._clock()
        known = self._verified.get(token)
        if known is not None and now < known[1]:
            self._verified.move_to_end(token)
            return known[0]
        principal, claims = await self._checked(token)
        if self._jwks is None:
            self._remember(token, principal, min(claims["exp"] + self._leeway, now + VERIFIED_TOKEN_SECONDS))
        return principal

    def _remember(self, token: str, principal: Principal, until: float) -> None:
        self._verified[token] = (principal, until)
        self._verified.move_to_end(token)
        while len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)

    async def _checked(self, token: str) -> tuple[Principal, dict[str, Any]]:
        if not token:
            raise AuthenticationError("Missing bearer token.")
        if len(token) > MAX_TOKEN_CHARS:
            raise AuthenticationError("The token is too long to be one this service issued or accepts.")
        header = _unverified_header(token)
        alg = header.get("alg")
        if not isinstance(alg, str) or alg not in self._algorithms:
            raise AuthenticationError("The token was signed with an algorithm this service does not accept.")
        if "crit" in header:
            raise AuthenticationError(
                "The token requires header extensions (crit) that this service does not understand."
            )
        key = await self._key_for(alg, header)
        options: Options = {"require": list(REQUIRED_CLAIMS), "enforce_minimum_key_length": True}
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[alg],
                options=options,
                issuer=self._issuer,
                audience=self._audience,
                leeway=self._leeway,
            )
        except jwt.PyJWTError as exc:
            raise _refusal(exc) from exc
        self._check_claims(claims)
        return _principal(claims), claims

    async def _key_for(self, alg: str, header: dict[str, Any]) -> Any:
        if isinstance(self._algorithms[alg], HMACAlgorithm):
            return self._secret
        if self._public_key is not None:
            return self._public_key
        assert self._jwks is not None
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise AuthenticationError("The token does not name its signing key (the 'kid' header).")
        try:
            return await asyncio.to_thread(self._jwks.get_signing_key, kid)
        except jwt.PyJWKClientConnectionError as exc:
            log.error("Cannot fetch the JWKS document: %s", exc)
            raise SigningKeysUnavailable(
                "The service could not fetch the keys to check the token; try again later."
            ) from exc
        except jwt.PyJWKClientError as exc:
            if "Unable to find a signing key" in str(exc):
                raise AuthenticationError(
                    "The token's signing key (kid) is not one the issuer publishes."
                ) from exc
            log.error("The JWKS document is unusable: %s", exc)
            raise SigningKeysUnavailable(
                "The service could not read the keys to check the token; try again later."
            ) from exc
        except jwt.PyJWTError as exc:  # PyJWKSetError, PyJWKError: the document holds no usable key.
            log.error("The JWKS document is unusable: %s", exc)
            raise SigningKeysUnavailable(
                "The service could not read the keys to check the token; try again later."
            ) from exc

    def _check_claims(self, claims: dict[str, Any]) -> None:
        # PyJWT already checks most of this; checked again so a PyJWT change cannot loosen it
        # (2.10.0 compared `iss` as a substring, for example).
        for name in ("exp", "iat", "nbf"):
            value = claims.get(name)
            if name in claims and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise AuthenticationError(f"The token's '{name}' claim must be a number of seconds.")
        now = self._clock()
        if claims["exp"] <= now - self._leeway:
            raise AuthenticationError("The token has expired.")
        if claims["iat"] > now + self._leeway:
            raise AuthenticationError("The token claims to be issued in the future (iat).")
        if claims.get("nbf") is not None and claims["nbf"] > now + self._leeway:
            raise AuthenticationError("The token is not valid yet (nbf).")
        if claims["iss"] != self._issuer:
            raise AuthenticationError("The token was not issued by the issuer this service trusts.")
        aud = claims["aud"]
        if aud != self._audience and not (isinstance(aud, list) and self._audience in aud):
            raise AuthenticationError("The token's audience is not this service.")


def _checked_secret(secret: str | None, names: list[str], algorithms: dict[str, Algorithm]) -> bytes:
    if secret is None:
        raise ValueError(
            f"ISEGRAPH_JWT_ALGORITHMS includes {', '.join(names)} but ISEGRAPH_JWT_SECRET is not set "
            "(a secret is generated only in development)."
        )
    key = secret.encode()
    for name in names:
        try:
            prepared = algorithms[name].prepare_key(key)
        except jwt.InvalidKeyError as exc:
            raise ValueError(f"ISEGRAPH_JWT_SECRET cannot be used for {name}: {exc}") from exc
        needed = max(MIN_HMAC_SECRET_BYTES, _hmac_minimum(algorithms[name]))
        if len(prepared) < needed or algorithms[name].check_key_length(prepared):
            raise ValueError(
                f"ISEGRAPH_JWT_SECRET is {len(prepared)} bytes; {name} needs at least {needed} "
                "(e.g. `python -c 'import secrets; print(secrets.token_hex(32))'`)."
            )
    return key


def _hmac_minimum(algorithm: Algorithm) -> int:
    return int(algorithm.hash_alg().digest_size) if isinstance(algorithm, HMACAlgorithm) else 0


def _checked_public_key(pem: str, names: list[str], algorithms: dict[str, Algorithm]) -> Any:
    try:
        key = load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise ValueError(
            "ISEGRAPH_JWT_PUBLIC_KEY is not a PEM public key (a private key or certificate is refused)."
        ) from exc
    for name in names:
        try:
            prepared = algorithms[name].prepare_key(key)
        except (jwt.InvalidKeyError, TypeError, ValueError) as exc:
            raise ValueError(f"ISEGRAPH_JWT_PUBLIC_KEY cannot check {name} signatures: {exc}") from exc
        weakness = algorithms[name].check_key_length(prepared)
        if weakness:
            raise ValueError(f"ISEGRAPH_JWT_PUBLIC_KEY is too weak for {name}: {weakness}")
    return key


def _unverified_header(token: str) -> dict[str, Any]:
    parts = token.split(".")
    if len(parts) != 3:
        raise AuthenticationError("The token is malformed: a JWT is three base64url parts joined by dots.")
    segment = parts[0]
    try:
        raw = base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
        header = json.loads(raw)
    except (binascii.Error, ValueError, RecursionError) as exc:
        raise AuthenticationError(
            "The token is malformed: its header is not base64url-encoded JSON."
        ) from exc
    if not isinstance(header, dict):
        raise AuthenticationError("The token is malformed: its header is not a JSON object.")
    return header


def _refusal(exc: jwt.PyJWTError) -> AuthenticationError:
    """A message a person understands for each way PyJWT refuses a token (subclasses first)."""
    message: str
    if isinstance(exc, jwt.ExpiredSignatureError):
        message = "The token has expired."
    elif isinstance(exc, jwt.ImmatureSignatureError):
        message = "The token is not valid yet: its iat or nbf lies in the future."
    elif isinstance(exc, jwt.InvalidAudienceError):
        message = "The token's audience is not this service."
    elif isinstance(exc, jwt.InvalidIssuerError):
        message = "The token was not issued by the issuer this service trusts."
    elif isinstance(exc, jwt.MissingRequiredClaimError):
        message = f"The token lacks the required '{exc.claim}' claim."
    elif isinstance(exc, jwt.InvalidIssuedAtError):
        message = "The token's 'iat' claim must be a number of seconds."
    elif isinstance(exc, InvalidSubjectError):
        message = "The token's 'sub' claim must be a string."
    elif isinstance(exc, jwt.InvalidSignatureError):
        message = "The token's signature is not valid."
    elif isinstance(exc, jwt.InvalidAlgorithmError):
        message = "The token was signed with an algorithm this service does not accept."
    elif isinstance(exc, jwt.DecodeError):
        message = f"The token is malformed: {exc}"
    elif isinstance(exc, jwt.InvalidKeyError):
        log.error("A token could not be checked with the configured key: %s", exc)
        message = "The token could not be checked with this service's key."
    else:
        message = f"The token is not valid: {exc}"
    return AuthenticationError(message)


def _principal(claims: dict[str, Any]) -> Principal:
    subject = claims["sub"]
    if not isinstance(subject, str) or not subject.strip():
        raise AuthenticationError("The token's 'sub' claim must be a non-empty string.")
    role_claim = claims.get("role")
    if not isinstance(role_claim, str) or role_claim not in ROLE_VALUES:
        raise AuthenticationError(f"The token's 'role' claim must be one of {', '.join(ROLE_VALUES)}.")
    role = Role(role_claim)
    partner = claims.get("partner")
    if role == Role.PARTNER:
        if not isinstance(partner, str) or not partner.strip():
            raise AuthenticationError("A PARTNER token must name its organisation in the 'partner' claim.")
    elif partner is not None:
        raise AuthenticationError(f"A {role.value} token must not carry a 'partner' claim.")
    scopes = _scopes(claims.get(SCOPES_CLAIM))
    try:
        check_scopes(role, partner, scopes)
    except ValueError as exc:
        raise AuthenticationError(str(exc)) from exc
    expires = claims.get("exp")
    return Principal(
        subject=subject,
        role=role,
        partner=partner,
        scopes=scopes,
        expires_at=float(expires) if isinstance(expires, int | float) else None,
    )


def _scopes(claim: Any) -> frozenset[Scope]:
    if claim is None:
        return frozenset()
    if not isinstance(claim, list) or not all(isinstance(s, str) for s in claim):
        raise AuthenticationError(
            "The token's 'scopes' claim must be a list of strings such as \"STEWARD:energy-scc\"."
        )
    if len(claim) > MAX_SCOPES:
        raise AuthenticationError(f"The token names more than {MAX_SCOPES} scopes.")
    try:
        return frozenset(Scope.parse(text) for text in claim)
    except ValueError as exc:
        raise AuthenticationError(f"The token's 'scopes' claim: {exc}") from exc


def mint_token(
    settings: Settings,
    role: Role,
    partner: str | None = None,
    ttl_seconds: int = 3600,
    subject: str | None = None,
    scopes: frozenset[Scope] = frozenset(),
) -> str:
    """An HS256 token this service accepts, signed with `signing_secret(settings)`."""
    role = Role(role)
    if role == Role.PARTNER and not (partner and partner.strip()):
        raise ValueError("A PARTNER token needs the id of its partner organisation.")
    if role != Role.PARTNER and partner is not None:
        raise ValueError(f"A {role.value} token is not bound to a partner; do not give one.")
    check_scopes(role, partner, scopes)
    if ttl_seconds <= 0:
        raise ValueError("A token's lifetime must be a positive number of seconds.")
    if MINTED_ALGORITHM not in settings.jwt_algorithms:
        raise ValueError(
            f"Tokens are minted with {MINTED_ALGORITHM}, which this service does not accept "
            f"(ISEGRAPH_JWT_ALGORITHMS={','.join(settings.jwt_algorithms)})."
        )
    secret = signing_secret(settings)
    if secret is None:
        raise ValueError(
            "No signing secret: set ISEGRAPH_JWT_SECRET (a secret is generated only in development)."
        )
    key = _checked_secret(secret, [MINTED_ALGORITHM], get_default_algorithms())
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject or f"{role.value.lower()}:{partner or 'local'}",
        "role": role.value,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "nbf": now,
        "exp": now + ttl_seconds,
    }
    if role == Role.PARTNER:
        claims["partner"] = partner
    if scopes:
        claims[SCOPES_CLAIM] = [str(scope) for scope in sorted(scopes)]
    return jwt.encode(claims, key, algorithm=MINTED_ALGORITHM)


_TTL = re.compile(r"([0-9]+)([smhd]?)", re.ASCII)
_TTL_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_ttl(text: str) -> int:
    """'90s', '15m', '1h', '2d' or a plain number of seconds, as seconds."""
    match = _TTL.fullmatch(text.strip().lower())
    if not match:
        raise ValueError(
            f"Cannot read the lifetime {text!r}: give whole seconds, or a whole number followed by "
            "s, m, h or d (e.g. 90s, 15m, 1h, 2d)."
        )
    seconds = int(match[1]) * _TTL_UNITS[match[2]]
    if seconds <= 0:
        raise ValueError(f"The lifetime {text!r} must be longer than zero.")
    return seconds

"""Bearer tokens: what TokenVerifier accepts and refuses, and the helpers around it (no database)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import stat
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from graph_api.identity import (
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
from graph_api.rules import access
from graph_api.rules.access import Action
from graph_api.settings import Settings, load_settings

SECRET = "0123456789abcdef" * 4  # 64 bytes
ISSUER = "isegraph"
AUDIENCE = "isegraph-api"


# --- keys and settings ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def rsa_keys() -> list[rsa.RSAPrivateKey]:
    return [rsa.generate_private_key(public_exponent=65537, key_size=2048) for _ in range(3)]


@pytest.fixture(scope="module")
def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(private_key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> str:
    return (
        private_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return replace(
        load_settings(),
        state_dir=tmp_path / "state",
        environment="development",
        jwt_algorithms=("HS256",),
        jwt_secret=SECRET,
        jwt_public_key=None,
        jwt_jwks_url=None,
        jwt_issuer=ISSUER,
        jwt_audience=AUDIENCE,
        jwt_leeway_seconds=30,
    )


@pytest.fixture
def verifier(settings: Settings) -> TokenVerifier:
    return TokenVerifier(settings)


def claims(**changes: Any) -> dict[str, Any]:
    """Valid ANALYST claims, with `changes` applied; a change to None removes the claim."""
    now = int(time.time())
    values: dict[str, Any] = {
        "sub": "analyst:alice",
        "role": "ANALYST",
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": now,
        "nbf": now,
        "exp": now + 600,
    }
    values.update(changes)
    return {name: value for name, value in values.items() if value is not None}


def hs256(payload: dict[str, Any], secret: str = SECRET, headers: dict[str, Any] | None = None) -> str:
    return jwt.encode(payload, secret, algorithm="HS256", headers=headers)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forge(header: dict[str, Any], payload: dict[str, Any], hmac_key: bytes | None) -> str:
    """A token built by hand, for what PyJWT itself refuses to produce."""
    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    signature = (
        b"" if hmac_key is None else hmac.new(hmac_key, signing_input.encode(), hashlib.sha256).digest()
    )
    return f"{signing_input}.{b64(signature)}"


async def refused(verifier: TokenVerifier, token: str, match: str) -> AuthenticationError:
    with pytest.raises(AuthenticationError, match=match) as caught:
        await verifier.verify(token)
    if token:
        assert token not in caught.value.message
    return caught.value


# --- refused ----------------------------------------------------------------------------------


@pytest.mark.parametrize("alg", ["none", "None", "NONE"])
async def test_alg_none_is_refused(verifier: TokenVerifier, alg: str) -> None:
    token = forge({"alg": alg, "typ": "JWT"}, claims(role="ADMIN"), None)
    await refused(verifier, token, "algorithm this service does not accept")


async def test_hs256_signed_with_the_rsa_public_key_is_refused_when_only_rs256_is_configured(
    settings: Settings, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    pem = public_pem(rsa_keys[0])
    verifier = TokenVerifier(
        replace(settings, jwt_algorithms=("RS256",), jwt_secret=None, jwt_public_key=pem)
    )
    token = forge({"alg": "HS256", "typ": "JWT"}, claims(role="ADMIN"), pem.encode())
    await refused(verifier, token, "algorithm this service does not accept")


async def test_hs256_signed_with_the_rsa_public_key_is_refused_when_both_families_are_configured(
    settings: Settings, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    pem = public_pem(rsa_keys[0])
    verifier = TokenVerifier(replace(settings, jwt_algorithms=("HS256", "RS256"), jwt_public_key=pem))
    token = forge({"alg": "HS256", "typ": "JWT"}, claims(role="ADMIN"), pem.encode())
    await refused(verifier, token, "signature is not valid")


async def test_expired_token_is_refused(verifier: TokenVerifier) -> None:
    now = int(time.time())
    await refused(verifier, hs256(claims(iat=now - 7200, nbf=now - 7200, exp=now - 3600)), "has expired")


@dataclass
class MovableClock:
    """The wall clock a TokenVerifier reads, moved on by the test instead of waiting."""

    now: float

    def __call__(self) -> float:
        return self.now


async def test_a_token_accepted_before_is_refused_once_it_expires(settings: Settings) -> None:
    now = int(time.time())
    clock = MovableClock(float(now))
    verifier = TokenVerifier(replace(settings, jwt_leeway_seconds=0), clock=clock)
    token = hs256(claims(iat=now - 60, nbf=now - 60, exp=now + 2))
    first = await verifier.verify(token)
    assert await verifier.verify(token) == first  # remembered: the same principal
    clock.now = now + 1.9
    assert await verifier.verify(token) == first  # still valid just before its expiry
    clock.now = now + 2.1
    await refused(verifier, token, "has expired")


async def test_a_remembered_token_still_names_its_own_principal(verifier: TokenVerifier) -> None:
    alice = hs256(claims(sub="analyst:alice"))
    admin = hs256(claims(sub="admin:bob", role="ADMIN"))
    for _ in range(2):
        assert (await verifier.verify(alice)).subject == "analyst:alice"
        assert (await verifier.verify(admin)).role == Role.ADMIN
    # A token differing only in its signature is checked afresh, not taken for the remembered one.
    await refused(verifier, admin[:-4] + ("AAAA" if not admin.endswith("AAAA") else "BBBB"), "signature")


async def test_expiry_within_the_leeway_is_tolerated(verifier: TokenVerifier) -> None:
    now = int(time.time())
    principal = await verifier.verify(hs256(claims(iat=now - 600, nbf=now - 600, exp=now - 10)))
    assert principal.role is Role.ANALYST


async def test_token_without_exp_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(exp=None)), "lacks the required 'exp' claim")


@pytest.mark.parametrize("claim", ["iat", "iss", "sub"])
async def test_token_without_another_required_claim_is_refused(verifier: TokenVerifier, claim: str) -> None:
    await refused(verifier, hs256(claims(**{claim: None})), f"lacks the required '{claim}' claim")


async def test_future_iat_is_refused(verifier: TokenVerifier) -> None:
    now = int(time.time())
    await refused(verifier, hs256(claims(iat=now + 3600, nbf=None)), "future")


async def test_iat_slightly_ahead_within_the_leeway_is_tolerated(verifier: TokenVerifier) -> None:
    now = int(time.time())
    assert await verifier.verify(hs256(claims(iat=now + 10, nbf=None)))


async def test_exp_given_as_a_string_is_refused(verifier: TokenVerifier) -> None:
    # PyJWT takes int("...") of the claim, so a numeric string passes its own check.
    await refused(verifier, hs256(claims(exp=str(int(time.time()) + 600))), "'exp' claim must be a number")


@pytest.mark.parametrize("claim", ["iat", "exp", "nbf"])
async def test_time_claims_given_as_booleans_are_refused(verifier: TokenVerifier, claim: str) -> None:
    # PyJWT reads these with int(), so True passes as 1; exp=True is simply long expired.
    await refused(verifier, hs256(claims(**{claim: True})), f"'{claim}' claim must be a number|expired")


async def test_wrong_audience_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(aud="some-other-api")), "audience is not this service")
    await refused(verifier, hs256(claims(aud=["some-other-api"])), "audience is not this service")


async def test_audience_list_including_ours_is_accepted(verifier: TokenVerifier) -> None:
    assert await verifier.verify(hs256(claims(aud=["some-other-api", AUDIENCE])))


async def test_missing_audience_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(aud=None)), "lacks the required 'aud' claim")


@pytest.mark.parametrize("iss", ["isegra", "isegraph-evil", "ISEGRAPH", "", "x-isegraph"])
async def test_issuer_must_match_exactly(verifier: TokenVerifier, iss: str) -> None:
    await refused(verifier, hs256(claims(iss=iss)), "issuer|'iss'")


async def test_issuer_as_a_list_is_refused(verifier: TokenVerifier) -> None:
    # PyJWT will not encode a non-string iss, so the token is built by hand.
    token = forge({"alg": "HS256", "typ": "JWT"}, claims(iss=[ISSUER]), SECRET.encode())
    await refused(verifier, token, "issuer")


async def test_token_signed_with_another_secret_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(), secret="f" * 64), "signature is not valid")


async def test_tampered_payload_is_refused(verifier: TokenVerifier) -> None:
    header, _, signature = hs256(claims()).split(".")
    tampered = f"{header}.{b64(json.dumps(claims(role='ADMIN')).encode())}.{signature}"
    await refused(verifier, tampered, "signature is not valid")


@pytest.mark.parametrize(
    "token",
    [
        "abc.def",
        "not a token",
        "a.b.c.d",
        f"{b64(b'{not json')}.{b64(b'{}')}.{b64(b'sig')}",
        f"{b64(b'[1, 2]')}.{b64(b'{}')}.{b64(b'sig')}",
        "!!!.@@@.###",
    ],
)
async def test_malformed_token_is_refused(verifier: TokenVerifier, token: str) -> None:
    await refused(verifier, token, "malformed")


async def test_empty_and_oversized_tokens_are_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, "", "Missing bearer token")
    await refused(verifier, "a" * 20_000, "too long")


@pytest.mark.parametrize("role", ["admin", "ROOT", "", 7, None])
async def test_unknown_role_is_refused(verifier: TokenVerifier, role: Any) -> None:
    await refused(verifier, hs256(claims(role=role)), "'role' claim must be one of ADMIN, ANALYST, PARTNER")


async def test_partner_token_without_partner_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(role="PARTNER")), "must name its organisation")
    await refused(verifier, hs256(claims(role="PARTNER", partner="")), "must name its organisation")


async def test_staff_token_with_a_partner_is_refused(verifier: TokenVerifier) -> None:
    await refused(verifier, hs256(claims(role="ADMIN", partner="p-1")), "must not carry a 'partner'")


async def test_staff_token_with_a_null_partner_is_accepted(verifier: TokenVerifier) -> None:
    assert await verifier.verify(hs256(claims(role="ADMIN", sub="root", partner=None))) == Principal(
        "root", Role.ADMIN, None
    )


async def test_unknown_crit_header_is_refused(verifier: TokenVerifier) -> None:
    extension = "urn:example:must-understand"
    token = hs256(claims(), headers={"crit": [extension], extension: True})
    await refused(verifier, token, r"header extensions \(crit\)")


async def test_algorithm_not_configured_is_refused(verifier: TokenVerifier) -> None:
    token = jwt.encode(claims(), SECRET * 2, algorithm="HS512")
    await refused(verifier, token, "algorithm this service does not accept")


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "partner", "subject"),
    [
        (Role.ADMIN, None, "admin:local"),
        (Role.ANALYST, None, "analyst:local"),
        (Role.PARTNER, "p-42", "partner:p-42"),
    ],
)
async def test_minted_tokens_round_trip(
    settings: Settings, verifier: TokenVerifier, role: Role, partner: str | None, subject: str
) -> None:
    principal = await verifier.verify(mint_token(settings, role, partner))
    assert principal == Principal(subject=subject, role=role, partner=partner)


async def test_minted_token_carries_the_expected_claims(settings: Settings) -> None:
    token = mint_token(settings, Role.PARTNER, "p-7", ttl_seconds=90, subject="bob@p-7")
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["sub"] == "bob@p-7"
    assert payload["role"] == "PARTNER"
    assert payload["partner"] == "p-7"
    assert (payload["iss"], payload["aud"]) == (ISSUER, AUDIENCE)
    assert payload["exp"] - payload["iat"] == 90
    assert payload["nbf"] == payload["iat"]
    assert "partner" not in jwt.decode(mint_token(settings, Role.ADMIN), options={"verify_signature": False})


async def test_rs256_with_a_pem_public_key(settings: Settings, rsa_keys: list[rsa.RSAPrivateKey]) -> None:
    configured = replace(
        settings, jwt_algorithms=("RS256",), jwt_secret=None, jwt_public_key=public_pem(rsa_keys[0])
    )
    verifier = TokenVerifier(configured)
    token = jwt.encode(claims(role="ADMIN", sub="svc"), rsa_keys[0], algorithm="RS256")
    assert await verifier.verify(token) == Principal("svc", Role.ADMIN, None)
    other = jwt.encode(claims(role="ADMIN"), rsa_keys[1], algorithm="RS256")
    await refused(verifier, other, "signature is not valid")


async def test_es256_with_a_pem_public_key(settings: Settings, ec_key: ec.EllipticCurvePrivateKey) -> None:
    configured = replace(
        settings, jwt_algorithms=("ES256",), jwt_secret=None, jwt_public_key=public_pem(ec_key)
    )
    verifier = TokenVerifier(configured)
    token = jwt.encode(claims(role="PARTNER", partner="p-1", sub="carol"), ec_key, algorithm="ES256")
    assert await verifier.verify(token) == Principal("carol", Role.PARTNER, "p-1")


async def test_hs256_and_rs256_together_each_use_their_own_key(
    settings: Settings, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    configured = replace(settings, jwt_algorithms=("HS256", "RS256"), jwt_public_key=public_pem(rsa_keys[0]))
    verifier = TokenVerifier(configured)
    assert (await verifier.verify(mint_token(configured, Role.ADMIN))).role is Role.ADMIN
    assert (await verifier.verify(jwt.encode(claims(), rsa_keys[0], algorithm="RS256"))).role is Role.ANALYST


# --- JWKS -------------------------------------------------------------------------------------


@dataclass
class JwksServer:
    url: str
    keys: list[dict[str, Any]] = field(default_factory=list)
    fetches: int = 0

    def publish(self, private_key: rsa.RSAPrivateKey, kid: str) -> None:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(private_key.public_key(), as_dict=True)
        self.keys.append({**jwk, "kid": kid, "alg": "RS256", "use": "sig"})


@pytest.fixture
def jwks_server() -> Iterator[JwksServer]:
    state = JwksServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            state.fetches += 1
            body = json.dumps({"keys": state.keys}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def rs256(private_key: rsa.RSAPrivateKey, kid: str | None, **changes: Any) -> str:
    return jwt.encode(
        claims(**changes), private_key, algorithm="RS256", headers={"kid": kid} if kid else None
    )


def jwks_settings(settings: Settings, server: JwksServer) -> Settings:
    return replace(settings, jwt_algorithms=("RS256",), jwt_secret=None, jwt_jwks_url=server.url)


async def test_rs256_via_jwks_with_key_rotation(
    settings: Settings, jwks_server: JwksServer, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    jwks_server.publish(rsa_keys[0], "key-1")
    client = make_jwks_client(jwks_server.url, cooldown_seconds=0)
    verifier = TokenVerifier(jwks_settings(settings, jwks_server), jwks_client=client)

    assert (await verifier.verify(rs256(rsa_keys[0], "key-1", sub="a"))).subject == "a"
    assert (await verifier.verify(rs256(rsa_keys[0], "key-1", sub="b"))).subject == "b"
    assert jwks_server.fetches == 1  # the document is cached

    rotated = rs256(rsa_keys[1], "key-2", role="ADMIN")
    await refused(verifier, rotated, "signing key .kid. is not one the issuer publishes")
    jwks_server.publish(rsa_keys[1], "key-2")
    assert (await verifier.verify(rotated)).role is Role.ADMIN  # unknown kid: the document is fetched again
    assert (await verifier.verify(rs256(rsa_keys[0], "key-1"))).role is Role.ANALYST


async def test_jwks_default_client_accepts_and_limits_refetches(
    settings: Settings, jwks_server: JwksServer, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    jwks_server.publish(rsa_keys[0], "key-1")
    verifier = TokenVerifier(jwks_settings(settings, jwks_server))
    assert (await verifier.verify(rs256(rsa_keys[0], "key-1"))).role is Role.ANALYST
    # Random kids cannot make the service hammer the issuer: within the cooldown, no refetch.
    for n in range(5):
        await refused(verifier, rs256(rsa_keys[1], f"made-up-{n}"), "not one the issuer publishes")
    assert jwks_server.fetches == 1


async def test_key_removed_from_jwks_is_refused_once_the_document_is_reread(
    settings: Settings, jwks_server: JwksServer, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    jwks_server.publish(rsa_keys[0], "key-1")
    jwks_server.publish(rsa_keys[1], "key-2")
    client = make_jwks_client(jwks_server.url, lifespan_seconds=0.2, cooldown_seconds=0)
    verifier = TokenVerifier(jwks_settings(settings, jwks_server), jwks_client=client)
    token = rs256(rsa_keys[0], "key-1")
    assert await verifier.verify(token)
    del jwks_server.keys[0]
    cache = client.jwk_set_cache
    assert cache is not None
    deadline = time.monotonic() + 10
    while not cache.is_expired():
        assert time.monotonic() < deadline, "the cached JWKS document never expired"
        time.sleep(0.02)  # bounded poll: until the cached document outlives its 0.2 s lifespan
    await refused(verifier, token, "not one the issuer publishes")
    assert jwks_server.fetches >= 2  # refused because the document was read again


async def test_jwks_token_with_a_wrong_key_or_no_kid_is_refused(
    settings: Settings, jwks_server: JwksServer, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    jwks_server.publish(rsa_keys[0], "key-1")
    verifier = TokenVerifier(jwks_settings(settings, jwks_server))
    await refused(verifier, rs256(rsa_keys[2], "key-1"), "signature is not valid")
    await refused(verifier, rs256(rsa_keys[0], None), "does not name its signing key")


async def test_unreachable_or_empty_jwks_is_reported_as_unavailable(
    settings: Settings, jwks_server: JwksServer, rsa_keys: list[rsa.RSAPrivateKey]
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    dead = TokenVerifier(
        replace(
            jwks_settings(settings, jwks_server), jwt_jwks_url=f"http://127.0.0.1:{closed_port}/jwks.json"
        )
    )
    with pytest.raises(SigningKeysUnavailable, match="could not fetch"):
        await dead.verify(rs256(rsa_keys[0], "key-1"))
    # A document without keys is the issuer's fault too, not the caller's.
    with pytest.raises(SigningKeysUnavailable, match="could not read"):
        await TokenVerifier(jwks_settings(settings, jwks_server)).verify(rs256(rsa_keys[0], "key-1"))


# --- the signing secret and configuration -----------------------------------------------------


def test_development_secret_is_generated_once_and_private(settings: Settings) -> None:
    development = replace(settings, jwt_secret=None)
    first = signing_secret(development)
    assert first is not None and len(first) == 64
    path = development.state_dir / "jwt-secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert signing_secret(development) == first
    assert [p.name for p in development.state_dir.iterdir()] == ["jwt-secret"]


async def test_development_secret_signs_and_checks_tokens(settings: Settings) -> None:
    development = replace(settings, jwt_secret=None)
    token = mint_token(development, Role.ADMIN)
    assert (await TokenVerifier(development).verify(token)).role is Role.ADMIN


def test_empty_secret_file_is_not_silently_replaced(settings: Settings) -> None:
    development = replace(settings, jwt_secret=None)
    development.state_dir.mkdir(parents=True)
    (development.state_dir / "jwt-secret").write_text("\n")
    with pytest.raises(RuntimeError, match="holds no secret"):
        signing_secret(development)


def test_configured_secret_wins_and_writes_nothing(settings: Settings) -> None:
    assert signing_secret(settings) == SECRET
    assert not settings.state_dir.exists()


def test_production_without_a_secret_has_none(settings: Settings) -> None:
    production = replace(settings, environment="production", jwt_secret=None)
    assert signing_secret(production) is None
    assert not production.state_dir.exists()
    with pytest.raises(ValueError, match="ISEGRAPH_JWT_SECRET is not set"):
        TokenVerifier(production)
    with pytest.raises(ValueError, match="No signing secret"):
        mint_token(production, Role.ADMIN)


def test_short_hmac_secret_is_rejected_at_construction(settings: Settings) -> None:
    short = replace(settings, jwt_secret="x" * 31)
    with pytest.raises(ValueError, match="31 bytes; HS256 needs at least 32"):
        TokenVerifier(short)
    with pytest.raises(ValueError, match="needs at least 32"):
        mint_token(short, Role.ADMIN)
    TokenVerifier(replace(settings, jwt_secret="x" * 32))
    with pytest.raises(ValueError, match="HS512 needs at least 64"):
        TokenVerifier(replace(settings, jwt_algorithms=("HS512",), jwt_secret="x" * 32))


def test_pem_key_as_hmac_secret_is_rejected(settings: Settings, rsa_keys: list[rsa.RSAPrivateKey]) -> None:
    with pytest.raises(ValueError, match="cannot be used for HS256"):
        TokenVerifier(replace(settings, jwt_secret=public_pem(rsa_keys[0])))


@pytest.mark.parametrize("algorithms", [("none",), ("HS256", "none"), ("XS256",), ()])
def test_bad_algorithm_lists_are_rejected(settings: Settings, algorithms: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="ISEGRAPH_JWT_ALGORITHMS"):
        TokenVerifier(replace(settings, jwt_algorithms=algorithms))


def test_public_key_misconfigurations_are_rejected(
    settings: Settings, rsa_keys: list[rsa.RSAPrivateKey], ec_key: ec.EllipticCurvePrivateKey
) -> None:
    rs256_only = replace(settings, jwt_algorithms=("RS256",), jwt_secret=None)
    with pytest.raises(ValueError, match="needs a public key"):
        TokenVerifier(rs256_only)
    with pytest.raises(ValueError, match="cannot check RS256"):
        TokenVerifier(replace(rs256_only, jwt_public_key=public_pem(ec_key)))
    private_pem = rsa_keys[0].private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    with pytest.raises(ValueError, match="not a PEM public key"):
        TokenVerifier(replace(rs256_only, jwt_public_key=private_pem.decode()))
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)  # noqa: S505 (deliberately weak)
    with pytest.raises(ValueError, match="too weak"):
        TokenVerifier(replace(rs256_only, jwt_public_key=public_pem(weak)))


def test_mint_token_validates_its_arguments(settings: Settings) -> None:
    with pytest.raises(ValueError, match="PARTNER token needs"):
        mint_token(settings, Role.PARTNER)
    with pytest.raises(ValueError, match="not bound to a partner"):
        mint_token(settings, Role.ANALYST, "p-1")
    with pytest.raises(ValueError, match="positive"):
        mint_token(settings, Role.ADMIN, ttl_seconds=0)
    with pytest.raises(ValueError, match="does not accept"):
        mint_token(replace(settings, jwt_algorithms=("RS256",)), Role.ADMIN)


def test_principal_enforces_the_partner_rule() -> None:
    with pytest.raises(ValueError):
        Principal("x", Role.PARTNER, None)
    with pytest.raises(ValueError):
        Principal("x", Role.ADMIN, "p-1")


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("1h", 3600), ("2d", 172_800), ("3600", 3600), (" 10M ", 600)],
)
def test_parse_ttl(text: str, seconds: int) -> None:
    assert parse_ttl(text) == seconds


@pytest.mark.parametrize("text", ["", "h", "1.5h", "-5m", "10 minutes", "1w", "0", "0s", "1h30m"])
def test_parse_ttl_refuses_what_it_cannot_read(text: str) -> None:
    with pytest.raises(ValueError, match="lifetime"):
        parse_ttl(text)


# --- scopes -----------------------------------------------------------------------------------


async def test_scopes_round_trip_through_a_minted_token(settings: Settings, verifier: TokenVerifier) -> None:
    held = frozenset({Scope.parse("FUSION_CENTER_ANALYST:fc-ca"), Scope.parse("STEWARD:energy-scc")})
    token = mint_token(settings, Role.PARTNER, "fc-ca", scopes=held)
    payload = jwt.decode(token, options={"verify_signature": False})
    assert payload["scopes"] == ["FUSION_CENTER_ANALYST:fc-ca", "STEWARD:energy-scc"]
    principal = await verifier.verify(token)
    assert principal.scopes == held
    assert principal.holds(ScopeKind.STEWARD, "energy-scc") and not principal.holds(ScopeKind.STEWARD, "x")


@pytest.mark.parametrize(
    ("scopes", "match"),
    [
        ("STEWARD:energy-scc", "must be a list of strings"),
        ([1], "must be a list of strings"),
        (["STEWARD"], "A scope is written KIND:id"),
        (["OWNER:energy-scc"], "A scope is written KIND:id"),
        (["STEWARD:"], "A scope is written KIND:id"),
        (["FUSION_CENTER_ANALYST:fc-tx"], "a fusion-center analyst works for its own fusion center"),
        ([f"STEWARD:c{n}" for n in range(33)], "more than 32 scopes"),
    ],
)
async def test_malformed_or_misplaced_scopes_refuse_the_token(
    verifier: TokenVerifier, scopes: Any, match: str
) -> None:
    await refused(verifier, hs256(claims(role="PARTNER", partner="fc-ca", scopes=scopes)), match)


async def test_staff_tokens_carry_no_scopes(verifier: TokenVerifier, settings: Settings) -> None:
    await refused(verifier, hs256(claims(scopes=["STEWARD:energy-scc"])), "does not carry scopes")
    with pytest.raises(ValueError, match="does not carry scopes"):
        mint_token(settings, Role.ADMIN, scopes=frozenset({Scope.parse("STEWARD:energy-scc")}))
    with pytest.raises(ValueError, match="its own fusion center"):
        mint_token(settings, Role.PARTNER, "p-1", scopes=frozenset({Scope.parse("FUSION_CENTER_ANALYST:fc")}))


def test_the_access_table_grants_a_scope_over_its_target_only() -> None:
    analyst = Principal("u", Role.PARTNER, "fc-ca", frozenset({Scope.parse("FUSION_CENTER_ANALYST:fc-ca")}))
    assert access.authority_over(analyst, Action.RESOLVE_ONWARD, "fc-ca") == "FUSION_CENTER_ANALYST:fc-ca"
    assert access.authority_over(analyst, Action.RESOLVE_ONWARD, "fc-tx") is None
    assert access.authority_over(analyst, Action.STEWARD_COUNCIL, "fc-ca") is None
    assert (
        access.authority_over(Principal("a", Role.ANALYST, None), Action.RESOLVE_ONWARD, "fc-tx") == "ANALYST"
    )
    with pytest.raises(access.Forbidden, match="a fusion-center analyst of 'fc-tx'"):
        access.require_over(analyst, Action.RESOLVE_ONWARD, "fc-tx")

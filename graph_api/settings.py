"""Every setting the service reads from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_NEO4J_VERSION_RANGE = "[5.26.0,5.27.0)"


def _path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    # Absolute: Neo4j runs from its own home directory, where a relative path means something else.
    return (Path(value).expanduser() if value else default).resolve()


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {value!r}") from exc


def _float(name: str, default: float) -> float:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a number, got {value!r}") from exc


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise SystemExit(f"{name} must be true or false, got {value!r}")


def _pem(name: str) -> str | None:
    """A PEM key given inline, or the path of a file holding one."""
    value = os.environ.get(name)
    if not value:
        return None
    if "-----BEGIN" in value:
        return value
    try:
        return Path(value).expanduser().read_text()
    except OSError as exc:
        raise SystemExit(f"{name}: cannot read the key file {value!r}: {exc}") from exc


@dataclass(frozen=True)
class Settings:
    # An external server (production, cluster, Aura): when set, nothing is provisioned.
    neo4j_uri: str | None
    neo4j_user: str
    neo4j_password: str | None
    neo4j_database: str
    # The locally provisioned server.
    state_dir: Path
    cache_dir: Path
    neo4j_version: str
    neo4j_bolt_port: int
    neo4j_heap: str
    neo4j_pagecache: str
    # The GraphQL service.
    host: str
    port: int
    environment: str
    query_timeout_seconds: float
    max_import_bytes: int
    # Bearer tokens (JWT).
    jwt_algorithms: tuple[str, ...]
    jwt_secret: str | None
    jwt_public_key: str | None
    jwt_jwks_url: str | None
    jwt_issuer: str
    jwt_audience: str
    jwt_leeway_seconds: int
    # Every request is an ADMIN, no token asked (benchmarks, local experiments); refused in production.
    auth_disabled: bool = False
    # The address clients reach the service at (behind a proxy); absolute TAXII links start with it.
    public_url: str | None = None
    # Credentials `isegraph taxii pull` presents to another TAXII server: Basic or Bearer.
    taxii_pull_user: str | None = None
    taxii_pull_password: str | None = None
    taxii_pull_token: str | None = None

    @property
    def external_neo4j(self) -> bool:
        return self.neo4j_uri is not None

    @property
    def development(self) -> bool:
        return self.environment != "production"

    @property
    def local_bolt_uri(self) -> str:
        return f"neo4j://127.0.0.1:{self.neo4j_bolt_port}"


def load_settings() -> Settings:
    home = Path.home()
    xdg_state = _path("XDG_STATE_HOME", home / ".local" / "state")
    xdg_cache = _path("XDG_CACHE_HOME", home / ".cache")
    return Settings(
        neo4j_uri=os.environ.get("NEO4J_URI") or None,
        neo4j_user=os.environ.get("NEO4J_USER", "neo4j"),
        neo4j_password=os.environ.get("NEO4J_PASSWORD") or None,
        neo4j_database=os.environ.get("NEO4J_DATABASE", "neo4j"),
        state_dir=_path("ISEGRAPH_STATE_DIR", xdg_state / "isegraph"),
        cache_dir=_path("ISEGRAPH_CACHE_DIR", xdg_cache / "isegraph"),
        neo4j_version=os.environ.get("ISEGRAPH_NEO4J_VERSION", DEFAULT_NEO4J_VERSION_RANGE),
        neo4j_bolt_port=_int("ISEGRAPH_NEO4J_BOLT_PORT", 7687),
        neo4j_heap=os.environ.get("ISEGRAPH_NEO4J_HEAP", "1g"),
        neo4j_pagecache=os.environ.get("ISEGRAPH_NEO4J_PAGECACHE", "512m"),
        host=os.environ.get("ISEGRAPH_HOST", "127.0.0.1"),
        port=_int("ISEGRAPH_PORT", 8000),
        environment=os.environ.get("ISEGRAPH_ENV", "development"),
        query_timeout_seconds=_float("ISEGRAPH_QUERY_TIMEOUT", 30.0),
        max_import_bytes=_int("ISEGRAPH_MAX_BODY_BYTES", 64 * 1024 * 1024),
        jwt_algorithms=tuple(
            a.strip() for a in os.environ.get("ISEGRAPH_JWT_ALGORITHMS", "HS256").split(",") if a.strip()
        ),
        jwt_secret=os.environ.get("ISEGRAPH_JWT_SECRET") or None,
        jwt_public_key=_pem("ISEGRAPH_JWT_PUBLIC_KEY"),
        jwt_jwks_url=os.environ.get("ISEGRAPH_JWT_JWKS_URL") or None,
        jwt_issuer=os.environ.get("ISEGRAPH_JWT_ISSUER", "isegraph"),
        jwt_audience=os.environ.get("ISEGRAPH_JWT_AUDIENCE", "isegraph-api"),
        jwt_leeway_seconds=_int("ISEGRAPH_JWT_LEEWAY_SECONDS", 30),
        auth_disabled=_bool("ISEGRAPH_AUTH_DISABLED", False),
        public_url=os.environ.get("ISEGRAPH_PUBLIC_URL") or None,
        taxii_pull_user=os.environ.get("ISEGRAPH_TAXII_PULL_USER") or None,
        taxii_pull_password=os.environ.get("ISEGRAPH_TAXII_PULL_PASSWORD") or None,
        taxii_pull_token=os.environ.get("ISEGRAPH_TAXII_PULL_TOKEN") or None,
    )

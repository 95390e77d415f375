"""Every setting the service reads from the environment, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2"


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


def _positive(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more, got {value}")
    return value


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


def _choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name, "").strip().lower() or default
    if value not in choices:
        raise SystemExit(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


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


SMTP_TLS_MODES = ("none", "starttls", "tls")
SMTP_DEFAULT_PORTS = {"none": 25, "starttls": 587, "tls": 465}
LOOPBACK_HOSTS = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class DeliverySettings:
    """How the delivery worker reaches people, and how it retries."""

    public_url: str = "http://127.0.0.1:8000"
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_from: str = "isegraph@localhost"
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_tls: str = "starttls"
    hsin_webhook_url: str | None = None
    hsin_webhook_secret: str | None = None
    ack_secret: str | None = None
    max_attempts: int = 8
    retry_base_seconds: float = 30.0
    retry_cap_seconds: float = 3600.0
    lease_seconds: float = 60.0
    poll_seconds: float = 1.0
    concurrency: int = 4
    send_timeout_seconds: float = 30.0
    # After this hour (UTC) the worker sends the previous day's digests.
    digest_hour: int = 6


@dataclass(frozen=True)
class EventSettings:
    """The event log and the GraphQL subscriptions that follow it."""

    retention_seconds: float = 7 * 24 * 3600.0
    prune_interval_seconds: float = 3600.0
    poll_seconds: float = 0.2
    batch_size: int = 500
    per_connection: int = 20
    per_process: int = 10_000
    buffer: int = 1000
    ping_seconds: float = 15.0
    init_timeout_seconds: float = 10.0


@dataclass(frozen=True)
class FeedSettings:
    """How the worker fetches open-source feeds."""

    # Hosts resolving to private, loopback or link-local addresses are refused unless this is true.
    allow_private_addresses: bool = False
    # A whole fetch (redirects included) may take this long.
    timeout_seconds: float = 20.0
    # The largest feed document read; a larger one is refused (announced) or cut off (streamed).
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    # Feeds fetched at once.
    concurrency: int = 4
    # How often the worker looks for feeds whose polling interval has run out.
    check_seconds: float = 30.0
    # The shortest polling interval a feed may have.
    min_poll_seconds: int = 60
    user_agent: str = "ISE-Graph-feeds/1.0"
    # Near-duplicate titles are looked for among the items stored in this many last days.
    dedup_days: int = 14
    # Processes that parse feed documents while the worker stores what they gave (0: parse in
    # the worker itself); used for a round that brought at least `parse_pool_min_bytes`.
    parse_processes: int = 2
    parse_pool_min_bytes: int = 1024 * 1024


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
    # None: the version the repository's jar lock names (graph_api/neo4j_server/neo4j-jars.lock.json).
    neo4j_version: str | None
    neo4j_bolt_port: int
    neo4j_heap: str
    neo4j_pagecache: str
    # The GraphQL service.
    host: str
    port: int
    environment: str
    query_timeout_seconds: float
    max_import_bytes: int
    # Serving: worker processes, the per-request access log, and the per-process caches.
    workers: int
    access_log: bool
    keep_alive_seconds: int
    document_cache_size: int
    persisted_query_cache_size: int
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
    # Where the locked Neo4j jars are downloaded from: Maven Central, or a mirror of it.
    maven_repository: str = MAVEN_CENTRAL
    # Operations: log lines as text or JSON, how long SIGTERM waits for requests in flight, and the
    # bearer token /metrics asks of anyone not on loopback (None: loopback only).
    log_format: str = "text"
    shutdown_grace_seconds: float = 30.0
    metrics_token: str | None = None
    events: EventSettings = field(default_factory=EventSettings)
    delivery: DeliverySettings = field(default_factory=DeliverySettings)
    feeds: FeedSettings = field(default_factory=FeedSettings)
    # The address clients reach the service at (behind a proxy); absolute TAXII links start with it.
    public_url: str | None = None
    # Credentials `isegraph taxii pull` presents to another TAXII server: Basic or Bearer.
    taxii_pull_user: str | None = None
    taxii_pull_password: str | None = None
    taxii_pull_token: str | None = None
    # Recipient lists from the in-process index of the partnership graph (off: from Cypher).
    recipient_index: bool = True
    recipient_index_reload_seconds: float = 30.0

    @property
    def external_neo4j(self) -> bool:
        return self.neo4j_uri is not None

    @property
    def development(self) -> bool:
        return self.environment != "production"

    @property
    def local_bolt_uri(self) -> str:
        # bolt://, not neo4j://: the local server is a single instance, and a routing driver
        # checks its routing table for every session (about 0.3 ms of a 1.5 ms read here).
        return f"bolt://127.0.0.1:{self.neo4j_bolt_port}"


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
        neo4j_version=os.environ.get("ISEGRAPH_NEO4J_VERSION") or None,
        maven_repository=os.environ.get("ISEGRAPH_MAVEN_REPOSITORY") or MAVEN_CENTRAL,
        neo4j_bolt_port=_int("ISEGRAPH_NEO4J_BOLT_PORT", 7687),
        neo4j_heap=os.environ.get("ISEGRAPH_NEO4J_HEAP", "1g"),
        neo4j_pagecache=os.environ.get("ISEGRAPH_NEO4J_PAGECACHE", "512m"),
        host=os.environ.get("ISEGRAPH_HOST", "127.0.0.1"),
        port=_int("ISEGRAPH_PORT", 8000),
        environment=os.environ.get("ISEGRAPH_ENV", "development"),
        query_timeout_seconds=_float("ISEGRAPH_QUERY_TIMEOUT", 30.0),
        max_import_bytes=_int("ISEGRAPH_MAX_BODY_BYTES", 64 * 1024 * 1024),
        workers=_positive("ISEGRAPH_WORKERS", 1),
        access_log=_bool("ISEGRAPH_ACCESS_LOG", False),
        keep_alive_seconds=_positive("ISEGRAPH_KEEP_ALIVE_SECONDS", 75),
        document_cache_size=_positive("ISEGRAPH_DOCUMENT_CACHE_SIZE", 1000),
        persisted_query_cache_size=_positive("ISEGRAPH_PERSISTED_QUERY_CACHE_SIZE", 10_000),
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
        log_format=_choice("ISEGRAPH_LOG_FORMAT", ("text", "json"), "text"),
        shutdown_grace_seconds=_float("ISEGRAPH_SHUTDOWN_GRACE_SECONDS", 30.0),
        metrics_token=os.environ.get("ISEGRAPH_METRICS_TOKEN") or None,
        events=load_event_settings(),
        delivery=load_delivery_settings(
            os.environ.get("ISEGRAPH_HOST", "127.0.0.1"), _int("ISEGRAPH_PORT", 8000)
        ),
        feeds=load_feed_settings(),
        public_url=os.environ.get("ISEGRAPH_PUBLIC_URL") or None,
        taxii_pull_user=os.environ.get("ISEGRAPH_TAXII_PULL_USER") or None,
        taxii_pull_password=os.environ.get("ISEGRAPH_TAXII_PULL_PASSWORD") or None,
        taxii_pull_token=os.environ.get("ISEGRAPH_TAXII_PULL_TOKEN") or None,
        recipient_index=_bool("ISEGRAPH_RECIPIENT_INDEX", True),
        recipient_index_reload_seconds=_float("ISEGRAPH_RECIPIENT_INDEX_RELOAD_SECONDS", 30.0),
    )


def _more_than_zero(name: str, default: float) -> float:
    value = _float(name, default)
    if value <= 0:
        raise SystemExit(f"{name} must be more than 0, got {value:g}")
    return value


def _count(name: str, default: int) -> int:
    value = _int(name, default)
    if value < 1:
        raise SystemExit(f"{name} must be 1 or more, got {value}")
    return value


def load_event_settings() -> EventSettings:
    return EventSettings(
        retention_seconds=_more_than_zero("ISEGRAPH_EVENT_RETENTION_DAYS", 7.0) * 24 * 3600,
        prune_interval_seconds=_more_than_zero("ISEGRAPH_EVENT_PRUNE_SECONDS", 3600.0),
        poll_seconds=_more_than_zero("ISEGRAPH_EVENT_POLL_SECONDS", 0.2),
        batch_size=_count("ISEGRAPH_EVENT_BATCH", 500),
        per_connection=_count("ISEGRAPH_SUBSCRIPTIONS_PER_CONNECTION", 20),
        per_process=_count("ISEGRAPH_SUBSCRIPTIONS_PER_PROCESS", 10_000),
        buffer=_count("ISEGRAPH_SUBSCRIPTION_BUFFER", 1000),
        ping_seconds=_more_than_zero("ISEGRAPH_WS_PING_SECONDS", 15.0),
        init_timeout_seconds=_more_than_zero("ISEGRAPH_WS_INIT_TIMEOUT_SECONDS", 10.0),
    )


def load_feed_settings() -> FeedSettings:
    return FeedSettings(
        allow_private_addresses=_bool("ISEGRAPH_FEEDS_ALLOW_PRIVATE", False),
        timeout_seconds=_more_than_zero("ISEGRAPH_FEEDS_TIMEOUT", 20.0),
        max_bytes=_count("ISEGRAPH_FEEDS_MAX_BYTES", 10 * 1024 * 1024),
        max_redirects=_int("ISEGRAPH_FEEDS_MAX_REDIRECTS", 5),
        concurrency=_count("ISEGRAPH_FEEDS_CONCURRENCY", 4),
        check_seconds=_more_than_zero("ISEGRAPH_FEEDS_CHECK_SECONDS", 30.0),
        min_poll_seconds=_count("ISEGRAPH_FEEDS_MIN_POLL_SECONDS", 60),
        user_agent=os.environ.get("ISEGRAPH_FEEDS_USER_AGENT") or "ISE-Graph-feeds/1.0",
        dedup_days=_count("ISEGRAPH_FEEDS_DEDUP_DAYS", 14),
        parse_processes=_int("ISEGRAPH_FEEDS_PARSE_PROCESSES", min(os.cpu_count() or 1, 4)),
    )


def load_delivery_settings(host: str, port: int) -> DeliverySettings:
    tls = os.environ.get("ISEGRAPH_SMTP_TLS", "starttls").strip().lower()
    if tls not in SMTP_TLS_MODES:
        raise SystemExit(f"ISEGRAPH_SMTP_TLS must be one of {', '.join(SMTP_TLS_MODES)}, got {tls!r}")
    webhook = os.environ.get("ISEGRAPH_HSIN_WEBHOOK_URL") or None
    webhook_secret = os.environ.get("ISEGRAPH_HSIN_WEBHOOK_SECRET") or None
    if webhook is not None:
        _require_https("ISEGRAPH_HSIN_WEBHOOK_URL", webhook)
        if webhook_secret is None:
            raise SystemExit("ISEGRAPH_HSIN_WEBHOOK_URL is set but ISEGRAPH_HSIN_WEBHOOK_SECRET is not.")
    public_url = (os.environ.get("ISEGRAPH_PUBLIC_URL") or f"http://{host}:{port}").rstrip("/")
    if urlsplit(public_url).scheme not in ("http", "https"):
        raise SystemExit(f"ISEGRAPH_PUBLIC_URL must be an http(s) URL, got {public_url!r}")
    digest_hour = _int("ISEGRAPH_DIGEST_HOUR", 6)
    if not 0 <= digest_hour <= 23:
        raise SystemExit(f"ISEGRAPH_DIGEST_HOUR is an hour of the day (UTC), 0 to 23; got {digest_hour}.")
    attempts = _int("ISEGRAPH_DELIVERY_MAX_ATTEMPTS", 8)
    concurrency = _int("ISEGRAPH_DELIVERY_CONCURRENCY", 4)
    if attempts < 1 or concurrency < 1:
        raise SystemExit(
            "ISEGRAPH_DELIVERY_MAX_ATTEMPTS and ISEGRAPH_DELIVERY_CONCURRENCY must be 1 or more."
        )
    return DeliverySettings(
        public_url=public_url,
        smtp_host=os.environ.get("ISEGRAPH_SMTP_HOST") or None,
        smtp_port=_int("ISEGRAPH_SMTP_PORT", SMTP_DEFAULT_PORTS[tls]),
        smtp_from=os.environ.get("ISEGRAPH_SMTP_FROM", "isegraph@localhost"),
        smtp_user=os.environ.get("ISEGRAPH_SMTP_USER") or None,
        smtp_password=os.environ.get("ISEGRAPH_SMTP_PASSWORD") or None,
        smtp_tls=tls,
        hsin_webhook_url=webhook,
        hsin_webhook_secret=webhook_secret,
        ack_secret=os.environ.get("ISEGRAPH_ACK_SECRET") or None,
        max_attempts=attempts,
        retry_base_seconds=_float("ISEGRAPH_DELIVERY_RETRY_SECONDS", 30.0),
        retry_cap_seconds=_float("ISEGRAPH_DELIVERY_RETRY_CAP_SECONDS", 3600.0),
        lease_seconds=_float("ISEGRAPH_DELIVERY_LEASE_SECONDS", 60.0),
        poll_seconds=_float("ISEGRAPH_DELIVERY_POLL_SECONDS", 1.0),
        concurrency=concurrency,
        send_timeout_seconds=_float("ISEGRAPH_DELIVERY_SEND_TIMEOUT", 30.0),
        digest_hour=digest_hour,
    )


def _require_https(name: str, url: str) -> None:
    """Webhooks carry products: HTTPS, except to a receiver on this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise SystemExit(f"{name} must be an https URL (http only to a loopback address), got {url!r}")

"""Every setting the service reads from the environment, in one place."""

from __future__ import annotations

import ipaddress
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
    # How long a message's acknowledgement link works, counted from when the message went out.
    ack_link_days: float = 30.0


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
class RequestLimits:
    """What one request may ask of the service and of Neo4j. Each bound is checked before
    anything is sent to Neo4j, and a request over one is refused with BAD_USER_INPUT (or 413 for
    a body) naming the bound and its limit. The defaults leave room for what people write by
    hand and for what the console sends (see docs/limits.md); a planner's time grows with a
    statement's predicates, and Neo4j cannot stop a statement while it is being planned."""

    # Conditions (field comparisons and relation filters) in one `where`; AND, OR and NOT do
    # not count themselves.
    filter_conditions: int = 20
    # Nesting of one `where`: the top level is 1, each AND/OR entry, NOT or relation filter is
    # one more.
    filter_depth: int = 5
    # Entries of one `_IN` or `_NOT_IN` list.
    filter_list_values: int = 1000
    # Characters of one text value in a `where` (`name_CONTAINS`, `id`, each `_IN` entry).
    filter_text_chars: int = 256
    # Conditions of every `where` of one operation together, fragments counted where used.
    operation_filter_conditions: int = 40
    # Characters of a search's text.
    search_text_chars: int = 256
    # Bytes of a GraphQL request body, but for an import (`importNetwork`), which may be as large
    # as `Settings.max_import_bytes`.
    operation_body_bytes: int = 1024 * 1024


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
    # "production" or "development". Unset, it follows from the address listened on: production
    # beyond loopback, development on loopback (GraphiQL, a generated token secret).
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
    # The most one `isegraph taxii pull` reads: pages (of up to 100 objects asked for), and bytes of
    # answers in all. Past either, the pull stops and imports nothing.
    taxii_pull_max_pages: int = 1000
    taxii_pull_max_bytes: int = 256 * 1024 * 1024
    # Recipient lists from the in-process index of the partnership graph (off: from Cypher).
    recipient_index: bool = True
    recipient_index_reload_seconds: float = 30.0
    limits: RequestLimits = field(default_factory=RequestLimits)
    # ISEGRAPH_ENV as set (None: unset). The development sign-in needs it set to "development".
    environment_setting: str | None = None
    # Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; none by
    # default, and then a request carrying such headers is never taken as one from this machine.
    trusted_proxies: tuple[str, ...] = ()

    @property
    def external_neo4j(self) -> bool:
        return self.neo4j_uri is not None

    @property
    def development(self) -> bool:
        return self.environment != "production"

    @property
    def development_sign_in(self) -> bool:
        """The console's sign-in as any role: only in development set explicitly, never by default."""
        return self.development and self.environment_setting == "development"

    @property
    def node_dir(self) -> Path:
        """This node's identity among its peers: its id, operator and signing key."""
        return self.state_dir / "node"

    @property
    def node_url(self) -> str:
        """The address peers reach this node at."""
        return self.delivery.public_url

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
        environment=_environment(os.environ.get("ISEGRAPH_HOST", "127.0.0.1")),
        environment_setting=os.environ.get("ISEGRAPH_ENV") or None,
        trusted_proxies=tuple(
            a.strip() for a in os.environ.get("ISEGRAPH_TRUSTED_PROXIES", "").split(",") if a.strip()
        ),
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
        taxii_pull_max_pages=_positive("ISEGRAPH_TAXII_PULL_MAX_PAGES", 1000),
        taxii_pull_max_bytes=_positive("ISEGRAPH_TAXII_PULL_MAX_BYTES", 256 * 1024 * 1024),
        recipient_index=_bool("ISEGRAPH_RECIPIENT_INDEX", True),
        recipient_index_reload_seconds=_float("ISEGRAPH_RECIPIENT_INDEX_RELOAD_SECONDS", 30.0),
        limits=load_request_limits(),
    )


def load_request_limits() -> RequestLimits:
    defaults = RequestLimits()
    return RequestLimits(
        filter_conditions=_count("ISEGRAPH_MAX_FILTER_CONDITIONS", defaults.filter_conditions),
        filter_depth=_count("ISEGRAPH_MAX_FILTER_DEPTH", defaults.filter_depth),
        filter_list_values=_count("ISEGRAPH_MAX_FILTER_LIST_VALUES", defaults.filter_list_values),
        filter_text_chars=_count("ISEGRAPH_MAX_FILTER_TEXT_CHARS", defaults.filter_text_chars),
        operation_filter_conditions=_count(
            "ISEGRAPH_MAX_OPERATION_FILTER_CONDITIONS", defaults.operation_filter_conditions
        ),
        search_text_chars=_count("ISEGRAPH_MAX_SEARCH_TEXT_CHARS", defaults.search_text_chars),
        operation_body_bytes=_count("ISEGRAPH_MAX_OPERATION_BYTES", defaults.operation_body_bytes),
    )


def is_loopback_address(host: str) -> bool:
    """Whether listening on `host` keeps the service on this machine."""
    if host.strip("[]") in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _environment(host: str) -> str:
    """ISEGRAPH_ENV; unset, production as soon as the service listens beyond loopback, so that a
    deployment that forgets it is never a development server."""
    value = (os.environ.get("ISEGRAPH_ENV") or "").strip().lower()
    if not value:
        return "development" if is_loopback_address(host) else "production"
    if value not in ("development", "production"):
        raise SystemExit(f"ISEGRAPH_ENV is development or production, got {value!r}")
    return value


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
        ack_link_days=_more_than_zero("ISEGRAPH_ACK_LINK_DAYS", 30.0),
    )


def _require_https(name: str, url: str) -> None:
    """Webhooks carry products: HTTPS, except to a receiver on this machine."""
    parts = urlsplit(url)
    if parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK_HOSTS):
        return
    raise SystemExit(f"{name} must be an https URL (http only to a loopback address), got {url!r}")


@dataclass(frozen=True)
class Documented:
    """One environment variable as the configuration reference (docs/configuration.md) shows it.

    `attribute` is where load_settings() puts it (dotted, e.g. "delivery.smtp_port"): the
    reference prints the default from there, so it is the default the code has. `default` is
    given only where that value is not the one to show (a path under the reader's home, a value
    in other units than the variable's)."""

    name: str
    attribute: str | None
    meaning: str
    default: str | None = None


# Every variable read above, in the order the reference lists them; a unit test checks that none
# is missing.
DOCUMENTED: tuple[tuple[str, tuple[Documented, ...]], ...] = (
    (
        "Neo4j",
        (
            Documented("NEO4J_URI", "neo4j_uri", "an external Neo4j; when set, nothing is provisioned"),
            Documented("NEO4J_USER", "neo4j_user", "user for `NEO4J_URI` (and the local server)"),
            Documented(
                "NEO4J_PASSWORD",
                "neo4j_password",
                "password for `NEO4J_URI`; the local server's is generated",
            ),
            Documented("NEO4J_DATABASE", "neo4j_database", "database name"),
            Documented(
                "ISEGRAPH_STATE_DIR",
                "state_dir",
                "the local server's data, logs, configuration and password file",
                "`$XDG_STATE_HOME/isegraph` (`~/.local/state/isegraph`)",
            ),
            Documented(
                "ISEGRAPH_CACHE_DIR",
                "cache_dir",
                "downloaded Neo4j jars",
                "`$XDG_CACHE_HOME/isegraph` (`~/.cache/isegraph`)",
            ),
            Documented(
                "XDG_STATE_HOME",
                None,
                "the base of the default state directory",
                "`~/.local/state`",
            ),
            Documented("XDG_CACHE_HOME", None, "the base of the default cache directory", "`~/.cache`"),
            Documented(
                "ISEGRAPH_NEO4J_VERSION",
                "neo4j_version",
                "Neo4j version to provision; a version other than the locked one (or a range) is "
                "resolved by Maven, which is slower and needs `mvn`",
                "the jar lock's (`graph_api/neo4j_server/neo4j-jars.lock.json`)",
            ),
            Documented(
                "ISEGRAPH_MAVEN_REPOSITORY",
                "maven_repository",
                "where the locked jars are downloaded from (Maven Central or a mirror of it); every "
                "jar is checked against the lock's SHA-256",
            ),
            Documented(
                "ISEGRAPH_NEO4J_BOLT_PORT", "neo4j_bolt_port", "Bolt port of the local server (loopback only)"
            ),
            Documented("ISEGRAPH_NEO4J_HEAP", "neo4j_heap", "the local server's Java heap"),
            Documented("ISEGRAPH_NEO4J_PAGECACHE", "neo4j_pagecache", "the local server's page cache"),
            Documented(
                "ISEGRAPH_QUERY_TIMEOUT", "query_timeout_seconds", "seconds any one Cypher query may run"
            ),
        ),
    ),
    (
        "Serving",
        (
            Documented("ISEGRAPH_HOST", "host", "address the service listens on"),
            Documented("ISEGRAPH_PORT", "port", "port the service listens on"),
            Documented(
                "ISEGRAPH_ENV",
                "environment",
                "`production` turns GraphiQL, introspection and field suggestions off; the console's "
                "development sign-in needs `development` set explicitly (`./dev up` sets it)",
                "`production` when `ISEGRAPH_HOST` is beyond loopback, else `development`",
            ),
            Documented(
                "ISEGRAPH_TRUSTED_PROXIES",
                "trusted_proxies",
                "comma-separated addresses of reverse proxies whose `X-Forwarded-For`/`-Proto` are "
                "believed; unset, none are, and a forwarded request is never taken as one from this "
                "machine",
                "unset",
            ),
            Documented(
                "ISEGRAPH_MAX_BODY_BYTES",
                "max_import_bytes",
                "largest request body accepted (an import document travels in one)",
            ),
            Documented(
                "ISEGRAPH_WORKERS",
                "workers",
                "worker processes of `isegraph serve` (and `up`), all on the one port; `--workers N` "
                "overrides it. Each has its own database connections and caches",
            ),
            Documented(
                "ISEGRAPH_ACCESS_LOG",
                "access_log",
                "`true` writes one log line per HTTP request (as `--access-log` does); off, requests "
                "cost no log formatting",
            ),
            Documented(
                "ISEGRAPH_KEEP_ALIVE_SECONDS",
                "keep_alive_seconds",
                "how long an idle HTTP connection stays open; longer than the connection pools of "
                "gateways and load balancers (Apollo's gateway, nginx, cloud load balancers) keep "
                "theirs, so none of them reuses a connection the "
                "service is closing",
            ),
            Documented(
                "ISEGRAPH_DOCUMENT_CACHE_SIZE",
                "document_cache_size",
                "GraphQL documents per worker kept parsed and validated, by their text (least "
                "recently used go first)",
            ),
            Documented(
                "ISEGRAPH_PERSISTED_QUERY_CACHE_SIZE",
                "persisted_query_cache_size",
                "persisted-query documents per worker kept by their SHA-256 (least recently used go first)",
            ),
            Documented(
                "ISEGRAPH_PUBLIC_URL",
                "public_url",
                "the address clients and recipients reach the service at, e.g. "
                "`https://isegraph.example.org` behind a proxy: the TAXII discovery document's "
                "absolute links, the read and acknowledgement links in messages and the domain of "
                "each email's Message-ID start with it. Unset, TAXII links use the address of each "
                "request and messages `http://$ISEGRAPH_HOST:$ISEGRAPH_PORT`",
            ),
            Documented(
                "ISEGRAPH_RECIPIENT_INDEX",
                "recipient_index",
                "`true` resolves recipient lists from an in-process index of the partnership graph, "
                "kept exact by the graph version every committed change replaces, and patched from "
                "the graph's change log for edits of partners, their contacts, memberships and "
                "subscriptions (any other change loads it whole); `false` resolves every list in "
                "Cypher. The service loads the index before it takes requests (at most 120 s; if the "
                "database cannot answer yet, the first list loads it). Each worker holds its own index "
                "(the recipient-list benchmark measures its memory and load time); one of 10,000 "
                "partners or more is moved out of the garbage collector's sight once loaded, so the "
                "collector's older passes do not walk it whole",
            ),
            Documented(
                "ISEGRAPH_RECIPIENT_INDEX_RELOAD_SECONDS",
                "recipient_index_reload_seconds",
                "while the graph keeps changing in ways the change log cannot follow partner by "
                "partner, a stale recipient index is loaded whole again at most this often (a load "
                "takes seconds and, while it runs, the memory of a second index); the "
                "lists in between are resolved in Cypher, which is always exact. `0` loads it again "
                "for the first list after every such change",
            ),
        ),
    ),
    (
        "Bearer tokens",
        (
            Documented(
                "ISEGRAPH_JWT_ALGORITHMS",
                "jwt_algorithms",
                "comma-separated algorithms tokens may use (`HS256`, `RS256`, `ES256`, …); never "
                "taken from a token",
            ),
            Documented(
                "ISEGRAPH_JWT_SECRET",
                "jwt_secret",
                "HS256 secret (32+ bytes). In development, when unset, one is generated and kept "
                "(mode 0600) in the state directory; in production it (or a public key) is required",
            ),
            Documented(
                "ISEGRAPH_JWT_PUBLIC_KEY",
                "jwt_public_key",
                "PEM public key for RS256/ES256, inline or a file path",
            ),
            Documented(
                "ISEGRAPH_JWT_JWKS_URL",
                "jwt_jwks_url",
                "a JWKS URL for RS256/ES256 (keys cached; refetched on an unknown `kid`)",
            ),
            Documented("ISEGRAPH_JWT_ISSUER", "jwt_issuer", "the exact `iss` tokens must carry"),
            Documented("ISEGRAPH_JWT_AUDIENCE", "jwt_audience", "the `aud` tokens must carry"),
            Documented(
                "ISEGRAPH_JWT_LEEWAY_SECONDS",
                "jwt_leeway_seconds",
                "clock skew allowed on `exp`, `nbf`, `iat`",
            ),
            Documented(
                "ISEGRAPH_AUTH_DISABLED",
                "auth_disabled",
                "`true` treats every request as ADMIN without a token, with a loud warning in the "
                "log; for benchmarks and local experiments only, and refused at start-up with "
                "`ISEGRAPH_ENV=production`",
            ),
        ),
    ),
    (
        "Operations",
        (
            Documented(
                "ISEGRAPH_LOG_FORMAT",
                "log_format",
                "`json` writes one JSON object per log line (time, level, logger, requestId, message, "
                "traceback for internal errors only)",
            ),
            Documented(
                "ISEGRAPH_SHUTDOWN_GRACE_SECONDS",
                "shutdown_grace_seconds",
                "on SIGTERM, how long requests in flight may take to finish before the service exits",
            ),
            Documented(
                "ISEGRAPH_METRICS_TOKEN",
                "metrics_token",
                "the bearer token `/metrics` asks of clients not on this machine; unset, `/metrics` "
                "answers only requests from loopback addressed to `localhost`, `127.0.0.1` or `[::1]`",
            ),
        ),
    ),
    (
        "Events and subscriptions",
        (
            Documented(
                "ISEGRAPH_EVENT_RETENTION_DAYS",
                "events.retention_seconds",
                "days the event log keeps an event; older ones are pruned (a client can resume with "
                "`after` within this window)",
                "`7`",
            ),
            Documented(
                "ISEGRAPH_EVENT_PRUNE_SECONDS",
                "events.prune_interval_seconds",
                "how often each service process prunes the event log",
            ),
            Documented(
                "ISEGRAPH_EVENT_POLL_SECONDS",
                "events.poll_seconds",
                "how often each service process reads new events (one indexed query for all its subscribers)",
            ),
            Documented(
                "ISEGRAPH_EVENT_BATCH",
                "events.batch_size",
                "most events read per query (a longer backlog is read in several, without pausing)",
            ),
            Documented(
                "ISEGRAPH_SUBSCRIPTIONS_PER_CONNECTION",
                "events.per_connection",
                "operations one WebSocket may run at once; one more gets an error `SUBSCRIPTION_LIMIT`",
            ),
            Documented(
                "ISEGRAPH_SUBSCRIPTIONS_PER_PROCESS",
                "events.per_process",
                "subscriptions one service process serves; one more gets an error `SUBSCRIPTION_LIMIT`",
            ),
            Documented(
                "ISEGRAPH_SUBSCRIPTION_BUFFER",
                "events.buffer",
                "events that may wait for one subscriber; a subscriber further behind is dropped "
                "(close code 1013)",
            ),
            Documented(
                "ISEGRAPH_WS_PING_SECONDS",
                "events.ping_seconds",
                "the server sends a graphql-transport-ws `ping` this often",
            ),
            Documented(
                "ISEGRAPH_WS_INIT_TIMEOUT_SECONDS",
                "events.init_timeout_seconds",
                "a WebSocket that sends no `connection_init` in this time is closed (4408)",
            ),
        ),
    ),
    (
        "Delivery",
        (
            Documented(
                "ISEGRAPH_SMTP_HOST",
                "delivery.smtp_host",
                "the mail server the worker sends EMAIL messages to; unset: EMAIL messages stay "
                "`QUEUED` until a worker that has one runs",
            ),
            Documented(
                "ISEGRAPH_SMTP_PORT", "delivery.smtp_port", "its port (`25` with `none`, `465` with `tls`)"
            ),
            Documented(
                "ISEGRAPH_SMTP_TLS",
                "delivery.smtp_tls",
                '`starttls` (required, certificate checked), `tls` (implicit TLS, "SMTPS") or '
                "`none` (a relay on the same machine)",
            ),
            Documented("ISEGRAPH_SMTP_USER", "delivery.smtp_user", "login, when the server asks for one"),
            Documented("ISEGRAPH_SMTP_PASSWORD", "delivery.smtp_password", "its password"),
            Documented("ISEGRAPH_SMTP_FROM", "delivery.smtp_from", "the `From` address"),
            Documented(
                "ISEGRAPH_HSIN_WEBHOOK_URL",
                "delivery.hsin_webhook_url",
                "where HSIN messages are POSTed (https; http only to a loopback address); unset: HSIN "
                "messages stay `QUEUED`",
            ),
            Documented(
                "ISEGRAPH_HSIN_WEBHOOK_SECRET",
                "delivery.hsin_webhook_secret",
                "the Standard Webhooks secret (`whsec_` + base64) that signs each POST; required with "
                "the URL",
            ),
            Documented(
                "ISEGRAPH_ACK_SECRET",
                "delivery.ack_secret",
                "the key that signs acknowledgement links; set it when tokens are RS256/ES256",
                "derived from the token secret",
            ),
            Documented(
                "ISEGRAPH_ACK_LINK_DAYS",
                "delivery.ack_link_days",
                "how long an acknowledgement link works after its message went out",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_MAX_ATTEMPTS",
                "delivery.max_attempts",
                "attempts before a message is `DEAD`",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_RETRY_SECONDS",
                "delivery.retry_base_seconds",
                "the first retry's delay; attempt n waits it times 2^(n-1) and a random factor in [0.5, 1]",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_RETRY_CAP_SECONDS",
                "delivery.retry_cap_seconds",
                "the longest delay between attempts",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_LEASE_SECONDS",
                "delivery.lease_seconds",
                "how long a claimed message belongs to one worker; a worker that dies frees its "
                "claims after it",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_POLL_SECONDS",
                "delivery.poll_seconds",
                "how often an idle worker looks for due messages",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_CONCURRENCY",
                "delivery.concurrency",
                "messages one worker sends at once (one SMTP connection each)",
            ),
            Documented(
                "ISEGRAPH_DELIVERY_SEND_TIMEOUT",
                "delivery.send_timeout_seconds",
                "seconds one SMTP or webhook attempt may take",
            ),
            Documented(
                "ISEGRAPH_DIGEST_HOUR",
                "delivery.digest_hour",
                "after this hour (UTC, 0 to 23) the worker sends the previous day's daily digests",
            ),
        ),
    ),
    (
        "Request limits (see the limits page)",
        (
            Documented(
                "ISEGRAPH_MAX_FILTER_CONDITIONS",
                "limits.filter_conditions",
                "conditions in one `where` (AND, OR and NOT do not count themselves)",
            ),
            Documented("ISEGRAPH_MAX_FILTER_DEPTH", "limits.filter_depth", "nesting of one `where`"),
            Documented(
                "ISEGRAPH_MAX_FILTER_LIST_VALUES",
                "limits.filter_list_values",
                "entries of one `_IN` or `_NOT_IN` list",
            ),
            Documented(
                "ISEGRAPH_MAX_FILTER_TEXT_CHARS",
                "limits.filter_text_chars",
                "characters of one text value in a `where`",
            ),
            Documented(
                "ISEGRAPH_MAX_OPERATION_FILTER_CONDITIONS",
                "limits.operation_filter_conditions",
                "conditions of every `where` of one operation together",
            ),
            Documented(
                "ISEGRAPH_MAX_SEARCH_TEXT_CHARS", "limits.search_text_chars", "characters of a search's text"
            ),
            Documented(
                "ISEGRAPH_MAX_OPERATION_BYTES",
                "limits.operation_body_bytes",
                "bytes of a GraphQL request body, but for `importNetwork` (`ISEGRAPH_MAX_BODY_BYTES`)",
            ),
        ),
    ),
    (
        "Open-source feeds",
        (
            Documented(
                "ISEGRAPH_FEEDS_ALLOW_PRIVATE",
                "feeds.allow_private_addresses",
                "fetch feeds from private, loopback and link-local addresses (refused unless true)",
            ),
            Documented("ISEGRAPH_FEEDS_TIMEOUT", "feeds.timeout_seconds", "seconds a whole fetch may take"),
            Documented("ISEGRAPH_FEEDS_MAX_BYTES", "feeds.max_bytes", "the largest feed document read"),
            Documented("ISEGRAPH_FEEDS_MAX_REDIRECTS", "feeds.max_redirects", "redirects followed per fetch"),
            Documented("ISEGRAPH_FEEDS_CONCURRENCY", "feeds.concurrency", "feeds fetched at once"),
            Documented(
                "ISEGRAPH_FEEDS_CHECK_SECONDS",
                "feeds.check_seconds",
                "how often the worker looks for feeds whose polling interval has run out",
            ),
            Documented(
                "ISEGRAPH_FEEDS_MIN_POLL_SECONDS", "feeds.min_poll_seconds", "the shortest polling interval"
            ),
            Documented(
                "ISEGRAPH_FEEDS_USER_AGENT", "feeds.user_agent", "the User-Agent feeds are fetched with"
            ),
            Documented(
                "ISEGRAPH_FEEDS_DEDUP_DAYS",
                "feeds.dedup_days",
                "days of stored items searched for near-duplicate titles",
            ),
            Documented(
                "ISEGRAPH_FEEDS_PARSE_PROCESSES",
                "feeds.parse_processes",
                "processes parsing feed documents while the worker stores (0: none); used for rounds "
                "bringing 1 MiB or more",
            ),
        ),
    ),
    (
        "TAXII pulls",
        (
            Documented(
                "ISEGRAPH_TAXII_PULL_USER",
                "taxii_pull_user",
                "user name `isegraph taxii pull` sends with HTTP Basic (`--user` overrides it)",
            ),
            Documented(
                "ISEGRAPH_TAXII_PULL_PASSWORD",
                "taxii_pull_password",
                "the password for it, kept out of the command line",
            ),
            Documented(
                "ISEGRAPH_TAXII_PULL_TOKEN",
                "taxii_pull_token",
                "a bearer token `isegraph taxii pull` sends instead of Basic credentials",
            ),
            Documented(
                "ISEGRAPH_TAXII_PULL_MAX_PAGES",
                "taxii_pull_max_pages",
                "the most pages one pull reads; a server still saying `more` after them stops the pull, "
                "which imports nothing",
            ),
            Documented(
                "ISEGRAPH_TAXII_PULL_MAX_BYTES",
                "taxii_pull_max_bytes",
                "the most bytes of answers one pull reads, all pages together; past them the pull stops "
                "and imports nothing",
            ),
        ),
    ),
)

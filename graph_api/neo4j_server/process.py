"""Start, stop and inspect the locally provisioned Neo4j Community server."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from graph_api.neo4j_server.provision import (
    ProvisioningError,
    Say,
    ensure_jars,
    installed_version,
    jar_dir,
    java_executable,
)
from graph_api.settings import Settings

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_ENTRY_POINT = "org.neo4j.server.startup.Neo4jAdminCommand"
START_TIMEOUT_SECONDS = 180
STOP_TIMEOUT_SECONDS = 60

# What the server's exit codes mean (from the Neo4j launcher).
_EXIT_MEANINGS = {
    1: "the web server failed to start",
    2: "the database failed to start (often a store locked by another Neo4j process)",
    3: "the configuration is invalid",
}

_JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
]


@dataclass(frozen=True)
class Layout:
    """Where one local server keeps its files."""

    root: Path

    @property
    def home(self) -> Path:
        return self.root / "neo4j"

    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def console_log(self) -> Path:
        return self.logs_dir / "console.log"

    @property
    def plugins_dir(self) -> Path:
        """Jars put here (APOC, for instance) join the server's class path, as with Neo4j's own launcher."""
        return self.home / "plugins"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def password_file(self) -> Path:
        return self.root / "neo4j-password"


class ServerError(RuntimeError):
    pass


def layout(settings: Settings) -> Layout:
    return Layout(settings.state_dir)


def local_password(settings: Settings) -> str | None:
    path = layout(settings).password_file
    return path.read_text().strip() if path.exists() else None


def running_pid(settings: Settings) -> int | None:
    pid_file = layout(settings).pid_file
    if not pid_file.exists():
        return None
    try:
        pid = int(pid_file.read_text().strip())
    except ValueError:
        return None
    return pid if _alive(pid) else None


def bolt_answers(uri: str, user: str, password: str) -> bool:
    try:
        with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=2) as driver:
            driver.verify_connectivity()
        return True
    except (ServiceUnavailable, OSError):
        return False


def start(settings: Settings, say: Say) -> str:
    """Start the local server if it is not running; return its Bolt URI."""
    if settings.external_neo4j:
        raise ServerError("NEO4J_URI is set: the service uses that server and provisions none.")
    paths = layout(settings)
    uri = settings.local_bolt_uri
    if running_pid(settings) is not None:
        say(f"Neo4j is already running at {uri}")
        return uri
    lib, version = ensure_jars(settings, say)
    _write_config(settings, paths)
    password = _ensure_password(paths, lib)
    say(f"Starting Neo4j {version} (Bolt {uri}) ...")
    process = _spawn(settings, paths, lib)
    _wait_until_ready(process, paths, uri, settings.neo4j_user, password)
    say(f"Neo4j {version} is ready at {uri}")
    return uri


def stop(settings: Settings, say: Say) -> None:
    pid = running_pid(settings)
    paths = layout(settings)
    if pid is None:
        say("Neo4j is not running.")
        paths.pid_file.unlink(missing_ok=True)
        return
    say(f"Stopping Neo4j (pid {pid}) ...")
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not _alive(pid):
            break
        time.sleep(0.2)
    else:
        say("Neo4j did not stop in time; killing it.")
        os.kill(pid, signal.SIGKILL)
    paths.pid_file.unlink(missing_ok=True)
    say("Neo4j stopped.")


def status(settings: Settings) -> str:
    if settings.external_neo4j:
        return f"Using the external Neo4j at {settings.neo4j_uri} (NEO4J_URI); nothing is provisioned."
    pid = running_pid(settings)
    version = installed_version(jar_dir(settings)) or "not downloaded yet"
    if pid is None:
        return f"Neo4j is stopped (jars: {version}; state: {settings.state_dir})."
    password = local_password(settings) or ""
    answers = bolt_answers(settings.local_bolt_uri, settings.neo4j_user, password)
    state = "answering on Bolt" if answers else "running but not answering on Bolt yet"
    return f"Neo4j {version} is {state} at {settings.local_bolt_uri} (pid {pid})."


def _alive(pid: int) -> bool:
    # Reap it if it is our own child, so it does not linger as a zombie.
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A server started by `isegraph up` is that process's child: once it exits it stays a zombie
    # until its parent reaps it, and a zombie has stopped for every purpose here.
    status = Path(f"/proc/{pid}/status")
    with contextlib.suppress(OSError):
        for line in status.read_text().splitlines():
            if line.startswith("State:"):
                return "Z" not in line.split(":", 1)[1]
    return True


def _write_config(settings: Settings, paths: Layout) -> None:
    for directory in (paths.conf_dir, paths.data_dir, paths.logs_dir, paths.home / "run"):
        directory.mkdir(parents=True, exist_ok=True)
    port = settings.neo4j_bolt_port
    lines = [
        "server.default_listen_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{port}",
        f"server.bolt.advertised_address=127.0.0.1:{port}",
        "server.http.enabled=false",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        f"server.memory.pagecache.size={settings.neo4j_pagecache}",
        f"server.directories.data={paths.data_dir}",
        f"server.directories.logs={paths.logs_dir}",
        f"server.directories.run={paths.home / 'run'}",
        "dbms.usage_report.enabled=false",
        # A heavy query must not hold the database: the service also sets per-query timeouts.
        "db.transaction.timeout=120s",
    ]
    (paths.conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n")


def _ensure_password(paths: Layout, lib: Path) -> str:
    if paths.password_file.exists():
        return paths.password_file.read_text().strip()
    if (paths.data_dir / "databases").exists():
        raise ServerError(
            f"{paths.data_dir} holds a database but its password file {paths.password_file} "
            "is gone: delete the data directory to start afresh."
        )
    # Hex, not urlsafe base64: a password starting with "-" would be read as an option.
    password = secrets.token_hex(24)
    env = {**os.environ, "NEO4J_HOME": str(paths.home), "NEO4J_CONF": str(paths.conf_dir)}
    result = subprocess.run(
        [java_executable(), "-cp", f"{lib}/*", ADMIN_ENTRY_POINT, "dbms", "set-initial-password", password],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise ServerError(f"Setting the initial password failed:\n{result.stdout}{result.stderr}")
    paths.password_file.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(password + "\n")
    return password


def _spawn(settings: Settings, paths: Layout, lib: Path) -> subprocess.Popen[bytes]:
    command = [
        java_executable(),
        f"-Xms{settings.neo4j_heap}",
        f"-Xmx{settings.neo4j_heap}",
        *_JVM_FLAGS,
        "-cp",
        f"{lib}/*{os.pathsep}{paths.plugins_dir}/*",
        ENTRY_POINT,
        f"--home-dir={paths.home}",
        f"--config-dir={paths.conf_dir}",
        "--console-mode",
    ]
    with paths.console_log.open("ab") as log:
        process = subprocess.Popen(
            command,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=paths.home,
            start_new_session=True,
        )
    paths.pid_file.write_text(f"{process.pid}\n")
    return process


def _wait_until_ready(
    process: subprocess.Popen[bytes], paths: Layout, uri: str, user: str, password: str
) -> None:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            paths.pid_file.unlink(missing_ok=True)
            meaning = _EXIT_MEANINGS.get(code, "see the log")
            raise ServerError(f"Neo4j exited with code {code}: {meaning}.\n{_log_tail(paths.console_log)}")
        try:
            if bolt_answers(uri, user, password):
                return
        except AuthError as exc:
            raise ServerError(f"Neo4j refused the stored password: {exc.message}") from exc
        time.sleep(0.5)
    raise ServerError(
        f"Neo4j did not answer on {uri} within {START_TIMEOUT_SECONDS} s.\n{_log_tail(paths.console_log)}"
    )


def _log_tail(path: Path, lines: int = 20) -> str:
    if not path.exists():
        return ""
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


__all__ = ["ProvisioningError", "ServerError", "start", "status", "stop"]

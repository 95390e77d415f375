"""What the side-by-side benchmark runs: APOC for the Neo4j GraphQL Library, and the two servers.

The Neo4j GraphQL Library needs the APOC core plugin in the database; its jars come from Maven
Central, like the server's own, into the local server's plugins directory. Its Node.js packages
come from npm, pinned by bench/neo4j-graphql/package-lock.json. ISE Graph runs as `isegraph serve`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2 as httpx

from graph_api.neo4j_server.process import layout
from graph_api.neo4j_server.provision import download_jars, jar_dir, require_tool
from graph_api.settings import Settings

Say = Callable[[str], None]

HERE = Path(__file__).resolve().parent
NODE_DIR = HERE / "neo4j-graphql"
LOCK_STAMP = NODE_DIR / "node_modules" / ".isegraph-lock-sha256"


class BenchError(RuntimeError):
    pass


def apoc_jar(settings: Settings) -> Path | None:
    plugins = layout(settings).plugins_dir
    found = sorted(plugins.glob("org.neo4j.procedure.apoc-core-*.jar")) if plugins.is_dir() else []
    return found[-1] if found else None


def ensure_apoc(settings: Settings, neo4j_version: str, say: Say) -> None:
    """APOC core of the server's minor version in its plugins directory (downloaded once)."""
    if apoc_jar(settings) is not None:
        return
    major, minor = (int(part) for part in neo4j_version.split(".")[:2])
    versions = f"[{major}.{minor}.0,{major}.{minor + 1}.0)"
    say(f"Downloading APOC core {versions} from Maven Central (the Neo4j GraphQL Library needs it) ...")
    lib = jar_dir(settings)
    present = {_artifact(jar.name) for jar in lib.iterdir()}
    plugins = layout(settings).plugins_dir
    plugins.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        apoc = [("org.neo4j.procedure", "apoc-core"), ("org.neo4j.procedure", "apoc-common")]
        download_jars(apoc, versions, Path(work), Path(work) / "jars", say)
        # The server already ships some of APOC's dependencies, in newer versions: keep those.
        for jar in sorted((Path(work) / "jars").iterdir()):
            if _artifact(jar.name) not in present:
                shutil.copy2(jar, plugins / jar.name)
    found = apoc_jar(settings)
    say(f"APOC in {plugins}: {found.name if found else 'missing'}")


def _artifact(jar_name: str) -> str:
    """'org.apache.commons.commons-lang3-3.18.0.jar' -> 'org.apache.commons.commons-lang3'."""
    stem = jar_name.removesuffix(".jar")
    parts = stem.split("-")
    while len(parts) > 1 and parts[-1][:1].isdigit():
        parts.pop()
    return "-".join(parts)


def ensure_node_packages(say: Say) -> str:
    """`npm ci` when node_modules is missing or older than package-lock.json; returns the library version."""
    for tool in ("node", "npm"):
        require_tool(tool, "Install Node.js 20+ with npm, e.g. `apt-get install nodejs npm`.")
    wanted = hashlib.sha256((NODE_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not LOCK_STAMP.exists() or LOCK_STAMP.read_text().strip() != wanted:
        say(
            "Installing the Neo4j GraphQL Library server's packages (npm ci, pinned by package-lock.json) ..."
        )
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=900,
        )
        LOCK_STAMP.write_text(wanted + "\n")
    package = json.loads((NODE_DIR / "node_modules" / "@neo4j" / "graphql" / "package.json").read_text())
    return str(package["version"])


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True, check=True).stdout.strip()


@contextlib.contextmanager
def running(
    name: str, command: list[str], env: dict[str, str], url: str, log_file: Path, say: Say
) -> Iterator[None]:
    """A server subprocess, ready to answer GraphQL at `url`, and stopped on the way out."""
    _refuse_if_taken(name, url)
    say(f"Starting {name} ({url}; log {log_file}) ...")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        process = subprocess.Popen(
            command,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    try:
        _wait_for_graphql(name, process, url, log_file)
        say(f"{name} is ready (pid {process.pid})")
        yield
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        say(f"{name} stopped")


def _refuse_if_taken(name: str, url: str) -> None:
    """Stop before starting a server whose port another process already listens on: the probe
    below would take that process's answers for the new server's, and measure the wrong one."""
    address = urlsplit(url)
    with socket.socket() as probe:
        probe.settimeout(1)
        if probe.connect_ex((address.hostname or "127.0.0.1", address.port or 80)) == 0:
            raise BenchError(
                f"Cannot start {name}: another process already listens on port {address.port}. "
                "Stop it, or give the benchmark another port."
            )


def _wait_for_graphql(name: str, process: subprocess.Popen[bytes], url: str, log_file: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log_file.read_text(errors="replace")[-3000:]
            raise BenchError(f"{name} exited with code {process.returncode}:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            response = httpx.post(url, json={"query": "{ __typename }"}, timeout=2)
            # ISE Graph checks bearer tokens: a 401 to this anonymous probe means it is up.
            if response.status_code in (200, 401):
                return
        time.sleep(0.3)
    raise BenchError(f"{name} did not answer at {url} within 90 s; see {log_file}")


def isegraph_command(port: int) -> list[str]:
    return [sys.executable, "-m", "graph_api", "serve", "--host", "127.0.0.1", "--port", str(port)]


def isegraph_env(settings: Settings) -> dict[str, str]:
    env = {
        **os.environ,
        "ISEGRAPH_STATE_DIR": str(settings.state_dir),
        "ISEGRAPH_NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
        "ISEGRAPH_ENV": "development",
    }
    return env


def neo4j_graphql_command(port: int) -> list[str]:
    return ["node", str(NODE_DIR / "server.mjs"), str(port)]


def neo4j_graphql_env(uri: str, user: str, password: str, database: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEO4J_URI": uri,
        "NEO4J_USER": user,
        "NEO4J_PASSWORD": password,
        "NEO4J_DATABASE": database,
        "NODE_ENV": "production",
    }

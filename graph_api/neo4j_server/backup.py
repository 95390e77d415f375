"""Backup and restore of the locally provisioned Neo4j: `neo4j-admin database dump` and `load`.

Neo4j Community dumps only a stopped database, so a running server is stopped first and started
again afterwards; the dump is therefore consistent. An external server (NEO4J_URI) has tooling of
its own, which these commands point to instead of guessing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from graph_api.neo4j_server import process
from graph_api.neo4j_server.jar_lock import Say
from graph_api.neo4j_server.provision import ensure_jars, java_executable
from graph_api.settings import Settings

EXTERNAL_SERVER_HINT = (
    "NEO4J_URI is set: isegraph backs up and restores only the Neo4j it provisions itself. Use that "
    "server's own tooling: `neo4j-admin database dump|load` (or `backup`/`restore` in Enterprise) "
    "on the server, or the snapshots of Neo4j Aura."
)


def _refuse_external(settings: Settings) -> None:
    if settings.external_neo4j:
        raise process.ServerError(EXTERNAL_SERVER_HINT)


def _admin(settings: Settings, arguments: list[str], say: Say) -> None:
    """Run `neo4j-admin` on the local server's home, relaying its progress lines."""
    lib, _version = ensure_jars(settings, lambda message: None)
    paths = process.layout(settings)
    env = {**os.environ, "NEO4J_HOME": str(paths.home), "NEO4J_CONF": str(paths.conf_dir)}
    command = [java_executable(), "-cp", f"{lib}/*", process.ADMIN_ENTRY_POINT, *arguments]
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert run.stdout is not None
    output: list[str] = []
    for line in run.stdout:
        output.append(line.rstrip())
        if line.strip():
            say(f"  {line.rstrip()}")
    if run.wait() != 0:
        raise process.ServerError(f"neo4j-admin {' '.join(arguments)} failed:\n" + "\n".join(output[-20:]))


class _Stopped:
    """Stops the local server for the duration, then starts it again if it was running."""

    def __init__(self, settings: Settings, say: Say) -> None:
        self.settings = settings
        self.say = say
        self.was_running = False

    def __enter__(self) -> None:
        self.was_running = process.running_pid(self.settings) is not None
        if self.was_running:
            self.say("Stopping Neo4j: Community edition dumps and loads a stopped database ...")
            process.stop(self.settings, self.say)

    def __exit__(self, *exc_info: object) -> None:
        if self.was_running:
            process.start(self.settings, self.say)


def backup(settings: Settings, target: Path, say: Say) -> Path:
    """A consistent dump of the local database in `target` (written whole, then moved into place)."""
    _refuse_external(settings)
    target = target.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    database = settings.neo4j_database
    started = time.monotonic()
    with _Stopped(settings, say), tempfile.TemporaryDirectory(dir=target.parent) as work:
        say(f"Dumping database '{database}' ...")
        _admin(
            settings, ["database", "dump", database, f"--to-path={work}", "--overwrite-destination=true"], say
        )
        Path(work, f"{database}.dump").replace(target)
    size = target.stat().st_size / 1e6
    say(f"Backup written to {target} ({size:.1f} MB) in {time.monotonic() - started:.0f} s.")
    return target


def restore(settings: Settings, source: Path, force: bool, say: Say) -> None:
    """Replace the local database with the dump in `source`; refuses to overwrite without `force`."""
    _refuse_external(settings)
    source = source.expanduser().resolve()
    if not source.is_file():
        raise process.ServerError(f"No backup file at {source}.")
    database = settings.neo4j_database
    existing = process.layout(settings).data_dir / "databases" / database
    if existing.exists() and not force:
        raise process.ServerError(
            f"The local Neo4j already holds database '{database}' ({existing}); restoring replaces "
            "everything in it. Run again with --force to do so (take a backup first if in doubt)."
        )
    started = time.monotonic()
    with _Stopped(settings, say), tempfile.TemporaryDirectory() as work:
        # neo4j-admin loads <database>.dump from a directory.
        shutil.copyfile(source, Path(work, f"{database}.dump"))
        say(f"Loading {source} into database '{database}' ...")
        _admin(
            settings,
            ["database", "load", database, f"--from-path={work}", "--overwrite-destination=true"],
            say,
        )
    say(f"Restored '{database}' from {source} in {time.monotonic() - started:.0f} s.")

"""The first start: Neo4j's jars come from the lock file, in parallel, each checked against it."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from graph_api.neo4j_server.jar_lock import (
    SERVER_ARTIFACT,
    JarLock,
    LockedJar,
    LockError,
    newest_in_range,
    read_lock,
)
from graph_api.neo4j_server.provision import ProvisioningError, ensure_jars, installed_version, jar_dir
from graph_api.settings import Settings


def test_the_lock_names_the_newest_server_of_its_range_and_a_checksum_for_every_jar() -> None:
    lock = read_lock()
    assert newest_in_range([lock.neo4j_version], lock.version_range) == lock.neo4j_version
    servers = [jar for jar in lock.jars if (jar.group, jar.artifact) == SERVER_ARTIFACT]
    assert [jar.version for jar in servers] == [lock.neo4j_version]
    assert len({jar.file_name for jar in lock.jars}) == len(lock.jars) > 100
    for jar in lock.jars:
        assert re.fullmatch(r"[0-9a-f]{64}", jar.sha256) and jar.size > 0, jar


def test_newest_in_range_takes_the_newest_plain_release_inside_the_bounds() -> None:
    versions = ["5.25.9", "5.26.0", "5.26.9", "5.26.10", "5.26.11-beta01", "5.27.0", "2025.01.0"]
    assert newest_in_range(versions, "[5.26.0,5.27.0)") == "5.26.10"
    assert newest_in_range(versions, "[5.26.0,5.27.0]") == "5.27.0"
    assert newest_in_range(versions, "(5.26.0,5.26.9]") == "5.26.9"
    assert newest_in_range(versions, "[6.0.0,7.0.0)") is None
    with pytest.raises(LockError, match="not a Maven version range"):
        newest_in_range(versions, "5.26.*")


class _Repository:
    """A directory served over HTTP on loopback, laid out as a Maven repository."""

    def __init__(self, root: Path) -> None:
        self.root = root
        handler = partial(_QuietHandler, directory=str(root))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/maven2"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def publish(self, group: str, artifact: str, version: str, content: bytes) -> LockedJar:
        jar = LockedJar(group, artifact, version, "", len(content), hashlib.sha256(content).hexdigest())
        path = self.root / "maven2" / jar.repository_path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        return jar


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def repository(tmp_path: Path) -> Iterator[_Repository]:
    served = _Repository(tmp_path / "served")
    yield served
    served.server.shutdown()


def _small_lock(repository: _Repository) -> JarLock:
    version = read_lock().neo4j_version
    jars = (
        repository.publish("org.neo4j", "neo4j", version, b"the server jar"),
        repository.publish("org.example", "helper", "1.0", b"a dependency"),
    )
    return JarLock(neo4j_version=version, version_range="[5.26.0,5.27.0)", jars=jars)


def test_locked_jars_are_downloaded_and_installed_under_their_maven_names(
    repository: _Repository, settings: Settings, tmp_path: Path
) -> None:
    lock = _small_lock(repository)
    fresh = dataclasses.replace(
        settings, cache_dir=tmp_path / "cache", maven_repository=repository.url, neo4j_version=None
    )
    lib, version = ensure_jars(fresh, lambda message: None, lock=lock)
    assert (lib, version) == (jar_dir(fresh), lock.neo4j_version)
    assert sorted(p.name for p in lib.iterdir()) == sorted(jar.file_name for jar in lock.jars)
    assert installed_version(lib) == lock.neo4j_version


def test_a_jar_that_does_not_match_its_checksum_installs_nothing(
    repository: _Repository, settings: Settings, tmp_path: Path
) -> None:
    lock = _small_lock(repository)
    tampered = repository.root / "maven2" / lock.jars[1].repository_path
    tampered.write_bytes(b"a dependency, altered on the way")
    fresh = dataclasses.replace(
        settings, cache_dir=tmp_path / "cache", maven_repository=repository.url, neo4j_version=None
    )
    with pytest.raises(ProvisioningError, match="does not match the lock") as refused:
        ensure_jars(fresh, lambda message: None, lock=lock)
    assert lock.jars[1].repository_path in str(refused.value)
    assert not jar_dir(fresh).exists()
    assert list(jar_dir(fresh).parent.iterdir()) == []  # no half-downloaded staging left behind


def test_an_unreachable_repository_is_named_in_the_error(settings: Settings, tmp_path: Path) -> None:
    lock = JarLock(read_lock().neo4j_version, "[5.26.0,5.27.0)", (read_lock().jars[0],))
    fresh = dataclasses.replace(
        settings,
        cache_dir=tmp_path / "cache",
        maven_repository="http://127.0.0.1:9/maven2",
        neo4j_version=None,
    )
    with pytest.raises(ProvisioningError, match=r"Cannot download http://127\.0\.0\.1:9/maven2/"):
        ensure_jars(fresh, lambda message: None, lock=lock)

"""The Neo4j server's jar set, resolved once into a lock file kept in the repository.

Resolving a version range with Maven walks thousands of POMs one at a time; a fresh machine waited
minutes for it. The lock names every jar exactly (coordinates, size, SHA-256), so provisioning is a
set of plain parallel downloads from Maven Central, each checked against its checksum. The range
stays in the lock: `isegraph neo4j upgrade` resolves it again with Maven and rewrites the file.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

LOCK_FILE = Path(__file__).with_name("neo4j-jars.lock.json")
SERVER_ARTIFACT = ("org.neo4j", "neo4j")

Say = Callable[[str], None]


class LockError(RuntimeError):
    pass


@dataclass(frozen=True)
class LockedJar:
    group: str
    artifact: str
    version: str
    classifier: str
    size: int
    sha256: str

    @property
    def repository_path(self) -> str:
        """The jar's path below a Maven repository's root."""
        suffix = f"-{self.classifier}" if self.classifier else ""
        return (
            f"{self.group.replace('.', '/')}/{self.artifact}/{self.version}/"
            f"{self.artifact}-{self.version}{suffix}.jar"
        )

    @property
    def file_name(self) -> str:
        """The name in the server's lib directory: group-prefixed, as Maven's `prependGroupId`."""
        suffix = f"-{self.classifier}" if self.classifier else ""
        return f"{self.group}.{self.artifact}-{self.version}{suffix}.jar"


@dataclass(frozen=True)
class JarLock:
    neo4j_version: str
    # The Maven version range the lock was resolved from; `isegraph neo4j upgrade` resolves it again.
    version_range: str
    jars: tuple[LockedJar, ...]

    @property
    def total_bytes(self) -> int:
        return sum(jar.size for jar in self.jars)


def read_lock(path: Path = LOCK_FILE) -> JarLock:
    try:
        document = json.loads(path.read_text())
        return JarLock(
            neo4j_version=document["neo4jVersion"],
            version_range=document["versionRange"],
            jars=tuple(LockedJar(**jar) for jar in document["jars"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise LockError(f"The Neo4j jar lock {path} cannot be read: {exc}") from exc


def write_lock(lock: JarLock, path: Path = LOCK_FILE) -> None:
    document = {
        "comment": "Neo4j Community server jars, exact. Regenerate with `isegraph neo4j upgrade`.",
        "neo4jVersion": lock.neo4j_version,
        "versionRange": lock.version_range,
        "jars": [asdict(jar) for jar in sorted(lock.jars, key=lambda j: j.file_name)],
    }
    path.write_text(json.dumps(document, indent=1) + "\n")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# `dependency:list` lines: group:artifact:type[:classifier]:version:scope:/absolute/file
_LISTED = re.compile(
    r"^\s*(?P<group>[^:\s]+):(?P<artifact>[^:]+):jar:(?:(?P<classifier>[^:]+):)?"
    r"(?P<version>[^:]+):(?:compile|runtime):(?P<file>/.+\.jar)\s*$"
)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def newest_in_range(versions: list[str], version_range: str) -> str | None:
    """The newest plain release (no qualifier) in a Maven range such as `[5.26.0,5.27.0)`."""
    match = re.fullmatch(r"([\[(])\s*([^,\s]*)\s*,\s*([^\])\s]*)\s*([\])])", version_range.strip())
    if match is None:
        raise LockError(f"{version_range!r} is not a Maven version range like [5.26.0,5.27.0).")
    opening, low, high, closing = match.groups()

    def inside(version: str) -> bool:
        key = _version_key(version)
        above_low = not low or (key >= _version_key(low) if opening == "[" else key > _version_key(low))
        below_high = not high or (key <= _version_key(high) if closing == "]" else key < _version_key(high))
        return above_low and below_high

    releases = [v for v in versions if re.fullmatch(r"\d+(\.\d+)*", v) and inside(v)]
    return max(releases, key=_version_key) if releases else None


def released_versions(repository: str) -> list[str]:
    """Every version of the server Maven Central lists (one small metadata file)."""
    group, artifact = SERVER_ARTIFACT
    url = f"{repository.rstrip('/')}/{group.replace('.', '/')}/{artifact}/maven-metadata.xml"
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (a configured https URL)
            text = response.read().decode()
    except OSError as exc:
        raise LockError(f"Cannot read {url}: {exc}") from exc
    return re.findall(r"<version>([^<]+)</version>", text)


def resolve_lock(mvn: str, version_range: str, repository: str, say: Say) -> JarLock:
    """The newest server in `version_range` and every runtime jar it needs, as Maven resolves them.

    The newest version is picked from the repository's metadata first: given the range itself,
    Maven would collect the dependency tree of every version in it before choosing one."""
    group, artifact = SERVER_ARTIFACT
    version = newest_in_range(released_versions(repository), version_range)
    if version is None:
        raise LockError(f"Maven Central lists no {group}:{artifact} release in {version_range}.")
    pom = f"""<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.isegraph</groupId>
  <artifactId>isegraph-neo4j-lock</artifactId>
  <version>1</version>
  <dependencies>
    <dependency><groupId>{group}</groupId><artifactId>{artifact}</artifactId>
      <version>{version}</version></dependency>
  </dependencies>
</project>
"""
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "pom.xml").write_text(pom)
        listing = Path(work) / "dependencies.txt"
        say(f"Resolving Neo4j {version} (newest in {version_range}) and its dependencies with Maven ...")
        result = subprocess.run(
            [
                mvn,
                "-B",
                "--strict-checksums",
                "-Dmaven.artifact.threads=8",
                "dependency:list",
                "-DincludeScope=runtime",
                "-DoutputAbsoluteArtifactFilename=true",
                f"-DoutputFile={listing}",
            ],
            cwd=work,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join(result.stdout.splitlines()[-30:])
            raise LockError(f"Maven could not resolve Neo4j {version}:\n{tail}")
        jars = []
        for line in listing.read_text().splitlines():
            match = _LISTED.match(line)
            if match is None:
                continue
            file = Path(match["file"])
            jars.append(
                LockedJar(
                    group=match["group"],
                    artifact=match["artifact"],
                    version=match["version"],
                    classifier=match["classifier"] or "",
                    size=file.stat().st_size,
                    sha256=sha256_of(file),
                )
            )
    if not any((jar.group, jar.artifact, jar.version) == (group, artifact, version) for jar in jars):
        raise LockError(f"Maven resolved Neo4j {version} but listed no {group}:{artifact} jar.")
    return JarLock(neo4j_version=version, version_range=version_range, jars=tuple(jars))

"""Download the Neo4j Community server's jars from Maven Central, once, into a cache.

The default server is the one the lock file names: its jars are fetched in parallel straight from
the repository and each is checked against the lock's SHA-256. Any other version asked for
(ISEGRAPH_NEO4J_VERSION) is resolved by Maven, which is slower but needs no lock.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from graph_api.neo4j_server.jar_lock import JarLock, LockedJar, LockError, read_lock
from graph_api.neo4j_server.jar_lock import Say as Say
from graph_api.settings import Settings

DOWNLOAD_THREADS = 8
DOWNLOAD_ATTEMPTS = 3

_POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.isegraph</groupId>
  <artifactId>isegraph-downloads</artifactId>
  <version>1</version>
  <dependencies>
{dependencies}
  </dependencies>
</project>
"""
_DEPENDENCY = """    <dependency>
      <groupId>{group}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{version}</version>
    </dependency>"""

_SERVER_JAR = re.compile(r"^org\.neo4j\.neo4j-(\d+\.\d+\.\d+)\.jar$")


class ProvisioningError(RuntimeError):
    pass


def require_tool(name: str, install_hint: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise ProvisioningError(f"'{name}' was not found on PATH. {install_hint}")
    return found


def java_executable() -> str:
    return require_tool(
        "java",
        "Install a Java 17 (or newer) runtime, e.g. `apt-get install openjdk-17-jdk-headless`.",
    )


def _cache_key(version: str) -> str:
    return re.sub(r"[^0-9A-Za-z.]+", "_", version).strip("_")


def wanted_version(settings: Settings) -> str:
    """The version asked for, or the locked one when none is."""
    if settings.neo4j_version:
        return settings.neo4j_version
    try:
        return read_lock().neo4j_version
    except LockError as exc:
        raise ProvisioningError(str(exc)) from exc


def jar_dir(settings: Settings) -> Path:
    return settings.cache_dir / "neo4j" / _cache_key(wanted_version(settings)) / "lib"


def installed_version(lib: Path) -> str | None:
    if not lib.is_dir():
        return None
    for jar in lib.iterdir():
        match = _SERVER_JAR.match(jar.name)
        if match:
            return match.group(1)
    return None


def ensure_jars(settings: Settings, say: Say, lock: JarLock | None = None) -> tuple[Path, str]:
    """Return the directory of the server's jars and its version, downloading them if needed
    (`lock`: the repository's jar lock unless another is given)."""
    lib = jar_dir(settings)
    version = installed_version(lib)
    if version is not None:
        say(f"Using cached Neo4j {version} jars in {lib}")
        return lib, version
    java_executable()
    wanted = wanted_version(settings)
    lock = lock or read_lock()
    lib.parent.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(dir=lib.parent) as work:
        staging = Path(work) / "lib"
        if wanted == lock.neo4j_version:
            megabytes = lock.total_bytes / 1e6
            say(
                f"Downloading Neo4j Community {wanted} from {settings.maven_repository} "
                f"(once: {len(lock.jars)} jars, {megabytes:.0f} MB, checksums from the lock) ..."
            )
            fetch_locked_jars(lock, settings.maven_repository, staging, say)
        else:
            say(f"Downloading Neo4j Community {wanted} with Maven (not the locked version; slower) ...")
            download_jars([("org.neo4j", "neo4j")], wanted, Path(work), staging, say)
        version = installed_version(staging)
        if version is None:
            raise ProvisioningError("The download finished but the Neo4j server jar is missing.")
        # Renaming into place last means an interrupted download is never mistaken for a cache.
        try:
            staging.rename(lib)
        except OSError:
            # Another start finished the same download first: its complete copy serves as well.
            if installed_version(lib) != version:
                raise
    elapsed = time.monotonic() - started
    say(f"Neo4j {version}: {sum(1 for _ in lib.iterdir())} jars in {lib} ({elapsed:.0f} s)")
    return lib, version


def fetch_locked_jars(lock: JarLock, repository: str, staging: Path, say: Say) -> None:
    """Every jar of the lock into `staging`, several at a time, each checked against its SHA-256."""
    staging.mkdir(parents=True)
    with ThreadPoolExecutor(max_workers=DOWNLOAD_THREADS) as pool:
        futures = [pool.submit(_fetch_checked, jar, repository, staging) for jar in lock.jars]
        for done, future in enumerate(as_completed(futures), start=1):
            future.result()
            if done % 50 == 0 or done == len(futures):
                say(f"  ... {done} of {len(futures)} jars downloaded and verified")


def _fetch_checked(jar: LockedJar, repository: str, staging: Path) -> None:
    url = f"{repository.rstrip('/')}/{jar.repository_path}"
    target = staging / jar.file_name
    for attempt in range(1, DOWNLOAD_ATTEMPTS + 1):
        try:
            digest = _download(url, target)
            break
        except OSError as exc:  # network errors; a checksum mismatch is not retried
            if attempt == DOWNLOAD_ATTEMPTS:
                raise ProvisioningError(f"Cannot download {url}: {exc}") from exc
            time.sleep(attempt)
    if digest != jar.sha256:
        target.unlink(missing_ok=True)
        raise ProvisioningError(
            f"{url} does not match the lock: SHA-256 {digest}, expected {jar.sha256}. "
            "Nothing was installed; check the repository (ISEGRAPH_MAVEN_REPOSITORY) or any proxy."
        )


def _download(url: str, target: Path) -> str:
    digest = hashlib.sha256()
    with urllib.request.urlopen(url, timeout=60) as response, target.open("wb") as out:  # noqa: S310
        for block in iter(lambda: response.read(1 << 16), b""):
            digest.update(block)
            out.write(block)
    return digest.hexdigest()


def download_jars(
    artifacts: list[tuple[str, str]], version: str, work: Path, staging: Path, say: Say
) -> None:
    """Maven Central's jars of (group, artifact) at `version` (a version or a range), with their
    runtime dependencies, into `staging`; `work` is a scratch directory for the throw-away pom."""
    mvn = require_tool("mvn", "Install Apache Maven, e.g. `apt-get install maven`.")
    dependencies = "\n".join(_DEPENDENCY.format(group=g, artifact=a, version=version) for g, a in artifacts)
    (work / "pom.xml").write_text(_POM.format(dependencies=dependencies))
    command = [
        mvn,
        "-B",
        "dependency:copy-dependencies",
        "-DincludeScope=runtime",
        "-Dmdep.prependGroupId=true",
        f"-DoutputDirectory={staging}",
    ]
    process = subprocess.Popen(command, cwd=work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    downloaded = 0
    tail: list[str] = []
    for line in process.stdout:
        tail = [*tail[-30:], line.rstrip()]
        if line.startswith("Downloaded from"):
            downloaded += 1
            if downloaded % 25 == 0:
                say(f"  ... {downloaded} files downloaded")
    if process.wait() != 0:
        names = ", ".join(artifact for _, artifact in artifacts)
        raise ProvisioningError(f"Maven could not download {names}:\n" + "\n".join(tail))
    say(f"  {downloaded} files downloaded")

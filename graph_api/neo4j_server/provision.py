"""Download the Neo4j Community server's jars from Maven Central, once, into a cache."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from graph_api.settings import Settings

Say = Callable[[str], None]

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


def jar_dir(settings: Settings) -> Path:
    return settings.cache_dir / "neo4j" / _cache_key(settings.neo4j_version) / "lib"


def installed_version(lib: Path) -> str | None:
    if not lib.is_dir():
        return None
    for jar in lib.iterdir():
        match = _SERVER_JAR.match(jar.name)
        if match:
            return match.group(1)
    return None


def ensure_jars(settings: Settings, say: Say) -> tuple[Path, str]:
    """Return the directory of the server's jars and its version, downloading them if needed."""
    lib = jar_dir(settings)
    version = installed_version(lib)
    if version is not None:
        say(f"Using cached Neo4j {version} jars in {lib}")
        return lib, version
    java_executable()
    say(f"Downloading Neo4j Community {settings.neo4j_version} from Maven Central (once) ...")
    lib.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=lib.parent) as work:
        staging = Path(work) / "lib"
        download_jars([("org.neo4j", "neo4j")], settings.neo4j_version, Path(work), staging, say)
        version = installed_version(staging)
        if version is None:
            raise ProvisioningError("Maven finished but the Neo4j server jar is missing.")
        # Renaming into place last means an interrupted download is never mistaken for a cache.
        staging.rename(lib)
    say(f"Neo4j {version}: {sum(1 for _ in lib.iterdir())} jars in {lib}")
    return lib, version


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

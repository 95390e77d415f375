"""Static checks of the container wiring: docker-compose.yml, Dockerfile and .dockerignore.

No Docker engine is needed: the files are parsed and checked against each other and against what
graph_api/settings.py actually reads.
"""

from __future__ import annotations

import ast
import fnmatch
import ipaddress
import json
import re
import shlex
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from graph_api.settings import DEFAULT_NEO4J_VERSION_RANGE, load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
SETTINGS_FILE = ROOT / "graph_api" / "settings.py"
LOOPBACK = "127.0.0.1"
# Variables of the official image that configure the container itself rather than neo4j.conf.
NEO4J_IMAGE_CONTROL_VARIABLES = {
    "NEO4J_AUTH",
    "NEO4J_ACCEPT_LICENSE_AGREEMENT",
    "NEO4J_DEBUG",
    "NEO4J_PLUGINS",
}
NEO4J_DEFAULT_BOLT_PORT = 7687


# --- docker-compose.yml ---------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(document, dict), "docker-compose.yml is not a mapping"
    return document


def services() -> dict[str, dict[str, Any]]:
    found = compose().get("services")
    assert isinstance(found, dict) and found, "docker-compose.yml has no services"
    return found


def environment(service: dict[str, Any]) -> dict[str, str | None]:
    """A service's environment as a mapping, whichever of the two compose forms it uses."""
    env = service.get("environment") or {}
    if isinstance(env, list):
        pairs = (item.split("=", 1) if "=" in item else [item, None] for item in env)
        return {name: value for name, value in pairs}
    return {name: None if value is None else str(value) for name, value in env.items()}


def is_neo4j_image(service: dict[str, Any]) -> bool:
    return parse_neo4j_image(str(service.get("image", ""))) is not None


def parse_neo4j_image(image: str) -> tuple[int, int, int | None] | None:
    """(major, minor, patch) of an official Docker Hub neo4j image reference, else None."""
    match = re.fullmatch(r"(?:docker\.io/)?(?:library/)?neo4j:(\d+)\.(\d+)(?:\.(\d+))?(?:-community)?", image)
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), None if patch is None else int(patch)


def neo4j_service_name() -> str:
    names = [name for name, service in services().items() if is_neo4j_image(service)]
    assert len(names) == 1, f"expected exactly one service on the official neo4j image, found {names}"
    return names[0]


def built_services() -> dict[str, dict[str, Any]]:
    """The services built from this repository's Dockerfile (the isegraph image)."""
    built = {name: service for name, service in services().items() if "build" in service}
    assert "isegraph" in built, "the isegraph service is not built from the repository"
    return built


def build_paths(service: dict[str, Any]) -> tuple[Path, Path]:
    build = service["build"]
    if isinstance(build, str):
        context, dockerfile = build, "Dockerfile"
    else:
        context, dockerfile = build.get("context", "."), build.get("dockerfile", "Dockerfile")
    context_dir = (COMPOSE_FILE.parent / context).resolve()
    return context_dir, context_dir / dockerfile


def resolve_interpolation(value: str) -> str:
    """What compose substitutes when only the required variables are set: defaults stay defaults."""

    def substitute(match: re.Match[str]) -> str:
        operator, word = match.group(2) or "", match.group(3) or ""
        if operator in (":-", "-"):
            return word
        return "required-value"

    return re.sub(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}", substitute, value)


def published_host_ip(port: Any) -> str | None:
    """The host address a `ports:` entry binds, None when it binds every interface."""
    if isinstance(port, dict):
        return port.get("host_ip")
    parts = str(port).split("/", 1)[0].split(":")
    return ":".join(parts[:-2]) if len(parts) >= 3 else None


def container_port(port: Any) -> int:
    if isinstance(port, dict):
        return int(port["target"])
    return int(str(port).split("/", 1)[0].split(":")[-1])


# --- Dockerfile -------------------------------------------------------------------------------------


def dockerfile_instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, f"{path.name} ends inside a continued line"
    return instructions


def isegraph_dockerfile() -> list[tuple[str, str]]:
    _, dockerfile = build_paths(services()["isegraph"])
    return dockerfile_instructions(dockerfile)


def dockerfile_env(instructions: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, arguments in instructions:
        if keyword != "ENV":
            continue
        words = shlex.split(arguments)
        if words and "=" not in words[0]:  # the legacy `ENV NAME value` form
            env[words[0]] = " ".join(words[1:])
        else:
            env.update(word.split("=", 1) for word in words)
    return env


def exec_form(arguments: str) -> list[str]:
    value = json.loads(arguments)
    assert isinstance(value, list) and all(isinstance(item, str) for item in value), arguments
    return value


# --- graph_api/settings.py -------------------------------------------------------------------------


def settings_variable_names() -> set[str]:
    """Every environment variable settings.py reads, found in its source rather than listed here."""
    readers = {"_int", "_float", "_path"}
    names: set[str] = set()
    for node in ast.walk(ast.parse(SETTINGS_FILE.read_text())):
        if isinstance(node, ast.Call) and node.args:
            function, first = node.func, node.args[0]
            is_reader = isinstance(function, ast.Name) and function.id in readers
            is_environ_get = ast.unparse(function) in {"os.environ.get", "os.getenv"}
            if (is_reader or is_environ_get) and isinstance(first, ast.Constant):
                names.add(str(first.value))
        elif (
            isinstance(node, ast.Subscript)
            and ast.unparse(node.value) == "os.environ"
            and isinstance(node.slice, ast.Constant)
        ):
            names.add(str(node.slice.value))
    return names


def container_settings(monkeypatch: pytest.MonkeyPatch, service_name: str) -> Any:
    """load_settings() as it runs inside the container: the image's ENV overlaid by compose's."""
    env = {**dockerfile_env(isegraph_dockerfile()), **environment(services()[service_name])}
    for name in settings_variable_names():
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        if value is not None:
            monkeypatch.setenv(name, resolve_interpolation(value))
    return load_settings()


# --- the checks ------------------------------------------------------------------------------------


def test_settings_source_yields_variable_names() -> None:
    names = settings_variable_names()
    # Guards the parser itself: an empty or odd set would make the environment check vacuous.
    assert len(names) >= 5
    assert all(re.fullmatch(r"[A-Z][A-Z0-9_]*", name) for name in names), names


def test_neo4j_image_is_official_and_in_the_supported_range() -> None:
    image = str(services()[neo4j_service_name()]["image"])
    version = parse_neo4j_image(image)
    assert version is not None
    match = re.fullmatch(r"\[(\d+)\.(\d+)\.(\d+),(\d+)\.(\d+)\.(\d+)\)", DEFAULT_NEO4J_VERSION_RANGE)
    assert match, f"unexpected version range format {DEFAULT_NEO4J_VERSION_RANGE!r}"
    numbers = [int(group) for group in match.groups()]
    lowest, above = tuple(numbers[:3]), tuple(numbers[3:])
    major, minor, patch = version
    if patch is None:  # a floating tag: every patch release of the line must be supported
        assert lowest <= (major, minor, 0) and (major, minor + 1, 0) <= above, image
    else:
        assert lowest <= (major, minor, patch) < above, image


def test_neo4j_has_a_healthcheck_that_can_authenticate() -> None:
    neo4j = services()[neo4j_service_name()]
    check = neo4j.get("healthcheck")
    assert isinstance(check, dict), "the neo4j service has no healthcheck"
    assert not check.get("disable"), "the neo4j healthcheck is disabled"
    test = check.get("test")
    assert test and test not in (["NONE"], "NONE"), "the neo4j healthcheck has no test"
    command = test if isinstance(test, str) else " ".join(test[1:])
    assert "cypher-shell" in command or ":7474" in command, command
    # `$$NAME` reaches the container's shell as `$NAME`: each must be set on the service.
    env = environment(neo4j)
    for name in re.findall(r"\$\$\{?(\w+)", command):
        assert env.get(name), f"the healthcheck reads ${name}, which the neo4j service does not set"


def test_neo4j_environment_only_holds_image_controls_and_settings() -> None:
    # The image writes every other NEO4J_* variable into neo4j.conf as a setting: a NEO4J_PASSWORD
    # there would put the secret in the configuration file (and is not a setting).
    for name in environment(services()[neo4j_service_name()]):
        if name.startswith("NEO4J_") and name not in NEO4J_IMAGE_CONTROL_VARIABLES:
            assert re.fullmatch(r"NEO4J_[a-z][a-z0-9_]*", name), f"{name} is not a neo4j.conf setting"


def test_isegraph_waits_for_a_healthy_neo4j() -> None:
    neo4j = neo4j_service_name()
    for name, service in built_services().items():
        depends_on = service.get("depends_on")
        assert isinstance(depends_on, dict), f"{name}: depends_on must be a mapping with a condition"
        assert depends_on.get(neo4j, {}).get("condition") == "service_healthy", name


def test_isegraph_is_built_from_a_dockerfile_that_exists() -> None:
    for name, service in built_services().items():
        context_dir, dockerfile = build_paths(service)
        assert context_dir.is_dir(), f"{name}: build context {context_dir} does not exist"
        assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"


def test_every_variable_set_for_isegraph_is_read_by_settings() -> None:
    known = settings_variable_names()
    for name, service in built_services().items():
        unknown = set(environment(service)) - known
        assert not unknown, f"{name} sets variables settings.py never reads: {sorted(unknown)}"
    image_env = {n for n in dockerfile_env(isegraph_dockerfile()) if n.startswith(("ISEGRAPH_", "NEO4J_"))}
    assert image_env <= known, f"the Dockerfile sets unread variables: {sorted(image_env - known)}"


def test_neo4j_uri_points_at_the_neo4j_bolt_port() -> None:
    neo4j_name = neo4j_service_name()
    neo4j_env = environment(services()[neo4j_name])
    listen = neo4j_env.get("NEO4J_server_bolt_listen__address") or f":{NEO4J_DEFAULT_BOLT_PORT}"
    bolt_port = int(listen.rsplit(":", 1)[1])
    for name, service in built_services().items():
        uri = urlsplit(environment(service).get("NEO4J_URI") or "")
        assert uri.scheme in {"neo4j", "bolt"}, f"{name}: NEO4J_URI is not a bolt URI"
        assert uri.hostname == neo4j_name, f"{name}: NEO4J_URI does not name the {neo4j_name} service"
        assert (uri.port or NEO4J_DEFAULT_BOLT_PORT) == bolt_port, f"{name}: NEO4J_URI port"


def test_isegraph_user_is_the_one_neo4j_is_created_with() -> None:
    auth = environment(services()[neo4j_service_name()]).get("NEO4J_AUTH") or ""
    user = auth.split("/", 1)[0]
    for name, service in built_services().items():
        assert environment(service).get("NEO4J_USER", "neo4j") == user, name


def test_the_password_is_required_never_defaulted() -> None:
    required = r"\$\{NEO4J_PASSWORD:\?[^}]+\}"
    for name, service in built_services().items():
        password = environment(service).get("NEO4J_PASSWORD") or ""
        assert re.fullmatch(required, password), f"{name}: NEO4J_PASSWORD must be ${{NEO4J_PASSWORD:?...}}"
    auth = environment(services()[neo4j_service_name()]).get("NEO4J_AUTH") or ""
    assert re.fullmatch(r"[^/$]+/" + required, auth), "NEO4J_AUTH must take the required password"
    # Nowhere in the file may the password fall back to a default.
    text = COMPOSE_FILE.read_text()
    references = re.findall(r"(?<!\$)\$\{NEO4J_PASSWORD([^}]*)\}", text)
    assert references and all(ref.startswith(":?") for ref in references), references
    assert "NEO4J_PASSWORD" not in dockerfile_env(isegraph_dockerfile())


def test_published_ports_bind_loopback_only() -> None:
    for name, service in services().items():
        assert service.get("network_mode") != "host", f"{name} uses the host network"
        for port in service.get("ports") or []:
            assert published_host_ip(port) == LOOPBACK, f"{name} publishes {port!r} beyond {LOOPBACK}"


def test_dockerfile_serves_on_the_port_compose_maps(monkeypatch: pytest.MonkeyPatch) -> None:
    instructions = isegraph_dockerfile()
    cmds = [exec_form(arguments) for keyword, arguments in instructions if keyword == "CMD"]
    assert cmds and cmds[-1] == ["isegraph", "serve"], cmds
    assert not any(keyword == "ENTRYPOINT" for keyword, _ in instructions)
    exposed = {
        int(word.split("/", 1)[0])
        for keyword, arguments in instructions
        if keyword == "EXPOSE"
        for word in arguments.split()
    }
    mapped = {container_port(port) for port in services()["isegraph"].get("ports") or []}
    assert mapped, "the isegraph service publishes no port"
    settings = container_settings(monkeypatch, "isegraph")
    assert mapped == exposed == {settings.port}, (mapped, exposed, settings.port)
    # Inside the container the service must listen beyond its own loopback to be reachable at all.
    assert ipaddress.ip_address(settings.host).is_unspecified, settings.host
    assert settings.external_neo4j, "the container must use the neo4j service, not provision one"
    assert not settings.development, "with only the password set, the service must run in production"


def test_dockerfile_healthcheck_calls_healthz() -> None:
    instructions = isegraph_dockerfile()
    checks = [arguments for keyword, arguments in instructions if keyword == "HEALTHCHECK"]
    assert checks and "NONE" not in checks[-1].split(), "the Dockerfile has no HEALTHCHECK"
    assert "urllib" in checks[-1] and f"http://{LOOPBACK}:" in checks[-1] and "/healthz" in checks[-1]
    assert 'Route("/healthz"' in (ROOT / "graph_api" / "http" / "health.py").read_text()


def test_dockerfile_runs_as_a_non_root_user() -> None:
    users = [arguments.split(":", 1)[0] for keyword, arguments in isegraph_dockerfile() if keyword == "USER"]
    assert users and users[-1] not in {"root", "0"}, users


def test_the_cypher_statements_sit_beside_the_installed_package() -> None:
    # graph_api/store/statements.py reads the `cypher/` folder beside the package.
    instructions = isegraph_dockerfile()
    context_dir, _ = build_paths(services()["isegraph"])
    workdir = PurePosixPath("/")
    copied: set[PurePosixPath] = set()
    editable_install_dirs: list[PurePosixPath] = []
    for keyword, arguments in instructions:
        if keyword == "WORKDIR":
            workdir = workdir / arguments
        elif keyword == "COPY":
            words = [word for word in shlex.split(arguments) if not word.startswith("--")]
            *sources, dest = words
            target = workdir / dest
            for source in sources:
                if (context_dir / source).is_dir():  # a directory's contents land in the destination
                    copied.add(target)
                elif len(sources) > 1 or dest.endswith("/"):
                    copied.add(target / PurePosixPath(source).name)
                else:
                    copied.add(target)
        elif keyword == "RUN" and re.search(r"pip install\b[^&;]*\s(-e|--editable)\s+\.", arguments):
            editable_install_dirs.append(workdir)
    assert editable_install_dirs, "the project must be installed in editable mode"
    base = editable_install_dirs[-1]
    for needed in ("graph_api", "cypher", "seed", "pyproject.toml"):
        assert base / needed in copied, f"{needed} is not copied to {base}"


def test_dockerignore_keeps_what_the_image_needs() -> None:
    context_dir, _ = build_paths(services()["isegraph"])
    patterns = [
        line.strip()
        for line in (context_dir / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for needed in ("pyproject.toml", "README.md", "graph_api", "cypher", "seed"):
        assert not any(fnmatch.fnmatch(needed, pattern) for pattern in patterns), needed
    for unwanted in (".venv", ".git", ".isegraph-test", "bench/.work", "node_modules"):
        assert any(fnmatch.fnmatch(unwanted, pattern) for pattern in patterns), unwanted

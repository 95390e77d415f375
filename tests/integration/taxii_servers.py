"""Real TAXII 2.1 servers on loopback for the TAXII tests: ISE Graph itself under uvicorn, and
OASIS's medallion with a fixture bundle posted to it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import uvicorn

from graph_api.http.app import create_app
from graph_api.settings import Settings

TAXII = "application/taxii+json;version=2.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_answering(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server behind {url} exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered at {url} within 30 s")


@contextmanager
def running_service(settings: Settings) -> Iterator[str]:
    """ISE Graph served by uvicorn on a free loopback port; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_answering(f"{base}/healthz")
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class Medallion:
    api_root: str
    user: str
    password: str


MEDALLION_USER, MEDALLION_PASSWORD = "isac-analyst", "loopback-only-password"


@contextmanager
def running_medallion(folder: Path, collections: list[str]) -> Iterator[Medallion]:
    """medallion with its memory backend and one empty, writable collection per id given."""
    port = free_port()
    root = f"http://127.0.0.1:{port}/api1/"
    data = {
        "/discovery": {"title": "Fixture ISAC", "default": root, "api_roots": [root]},
        "api1": {
            "information": {
                "title": "Fixture ISAC feeds",
                "versions": [TAXII],
                "max_content_length": 10485760,
            },
            "status": [],
            "collections": [
                {
                    "id": collection,
                    "title": f"Fixture collection {collection}",
                    "can_read": True,
                    "can_write": True,
                    "media_types": ["application/stix+json;version=2.1"],
                    "objects": [],
                    "manifest": [],
                }
                for collection in collections
            ],
        },
    }
    (folder / "data.json").write_text(json.dumps(data))
    config = {
        "backend": {
            "module": "medallion.backends.memory_backend",
            "module_class": "MemoryBackend",
            "filename": str(folder / "data.json"),
        },
        "users": {MEDALLION_USER: MEDALLION_PASSWORD},
        "taxii": {"max_page_size": 100},
    }
    (folder / "config.json").write_text(json.dumps(config))
    log = (folder / "medallion.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from medallion.scripts.run import main; main()",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(folder / "config.json"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_answering(f"http://127.0.0.1:{port}/taxii2/", process)
        yield Medallion(root, MEDALLION_USER, MEDALLION_PASSWORD)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def post_bundle(server: Medallion, collection: str, objects: list[dict[str, Any]]) -> None:
    """Add objects to a medallion collection through the real client, as a producer would."""
    from taxii2client.v21 import Collection

    target = Collection(
        f"{server.api_root}collections/{collection}/", user=server.user, password=server.password
    )
    status = target.add_objects(json.dumps({"objects": objects}))
    assert status.status == "complete" and status.failure_count == 0, status

"""A real TAXII 2.1 server on the other side for the TAXII tests: OASIS's medallion on loopback,
with a fixture bundle posted to it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from tests.helpers import free_port

TAXII = "application/taxii+json;version=2.1"


def _wait_until_answering(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server behind {url} exited with {process.returncode}")
        try:
            requests.get(url, timeout=1)
            return
        except requests.ConnectionError:
            time.sleep(0.1)  # bounded poll: until the server answers, within the deadline above
    raise RuntimeError(f"nothing answered at {url} within 30 s")


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

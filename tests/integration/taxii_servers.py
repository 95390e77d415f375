"""A real TAXII 2.1 server on the other side for the TAXII tests: OASIS's medallion on loopback,
with a fixture bundle posted to it."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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


@dataclass
class EndlessCollection:
    api_root: str
    collection: str
    object_requests: int = 0


@contextmanager
def endless_taxii_server(page_bytes: int = 0, gives_up_after: int = 50) -> Iterator[EndlessCollection]:
    """A hostile TAXII 2.1 collection on loopback: every page of objects says `more: true` (until
    `gives_up_after` pages, so a client without a bound still ends) and holds one TLP:CLEAR report,
    its description `page_bytes` long."""
    collection = str(uuid.uuid4())
    port = free_port()
    served = EndlessCollection(f"http://127.0.0.1:{port}/api1/", collection)
    clear = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _answer(self, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", TAXII)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # The client may stop reading: that is what its byte bound is for.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            prefix = f"/api1/collections/{collection}/"
            if path == prefix:
                self._answer({"id": collection, "title": "Endless", "can_read": True, "can_write": False})
            elif path == f"{prefix}objects/":
                served.object_requests += 1
                page = served.object_requests
                report = {
                    "type": "report",
                    "spec_version": "2.1",
                    "id": f"report--{uuid.uuid4()}",
                    "created": "2026-11-20T08:00:00.000Z",
                    "modified": "2026-11-20T08:00:00.000Z",
                    "name": f"Page {page}",
                    "description": "x" * page_bytes,
                    "published": "2026-11-20T08:00:00Z",
                    "report_types": ["threat-report"],
                    "object_refs": [f"note--{uuid.uuid4()}"],
                    "object_marking_refs": [clear],
                }
                more = page < gives_up_after
                self._answer({"more": more, **({"next": str(page)} if more else {}), "objects": [report]})
            else:
                self._answer({"objects": []})

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)

"""A real HTTP server on loopback serving open-source feeds, for the tests and the benchmark.

Each path serves what the test put there: a document (with an ETag and Last-Modified it honours
with 304, unless told not to), a redirect, a huge body (announced or streamed), or an answer held
back until the server stops. It counts requests and the bytes it managed to send per path.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Document:
    body: bytes
    content_type: str = "application/rss+xml"
    validators: bool = True  # send ETag and Last-Modified, and answer 304 to them


@dataclass
class Redirect:
    location: str
    status: int = 302


@dataclass
class Huge:
    size: int
    announced: bool = True  # Content-Length given (else streamed without one)


@dataclass
class HeldBack:
    """Answers only after `seconds`, or when the server stops."""

    seconds: float = 60.0
    body: bytes = b""


Route = Document | Redirect | Huge | HeldBack
CHUNK = 64 * 1024


class FeedServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: Counter[str] = Counter()
        self.not_modified: Counter[str] = Counter()
        self.bytes_sent: Counter[str] = Counter()
        self.finished: set[str] = set()
        self._release = threading.Event()
        self._lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                owner._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        with self._lock:
            self.requests[path] += 1
        route = self.routes.get(path)
        try:
            if route is None:
                self._answer(handler, 404, b"not found", "text/plain")
            elif isinstance(route, Document):
                self._document(handler, path, route)
            elif isinstance(route, Redirect):
                handler.send_response(route.status)
                handler.send_header("Location", route.location)
                handler.send_header("Content-Length", "0")
                handler.end_headers()
            elif isinstance(route, Huge):
                self._huge(handler, path, route)
            else:
                self._release.wait(route.seconds)
                self._answer(handler, 200, route.body, "application/rss+xml")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client hung up: what it read is counted

    def _document(self, handler: BaseHTTPRequestHandler, path: str, route: Document) -> None:
        etag = '"' + hashlib.sha256(route.body).hexdigest()[:16] + '"'
        if route.validators and handler.headers.get("If-None-Match") == etag:
            with self._lock:
                self.not_modified[path] += 1
            handler.send_response(304)
            handler.send_header("ETag", etag)
            handler.end_headers()
            return
        handler.send_response(200)
        handler.send_header("Content-Type", route.content_type)
        handler.send_header("Content-Length", str(len(route.body)))
        if route.validators:
            handler.send_header("ETag", etag)
            handler.send_header("Last-Modified", formatdate(0, usegmt=True))
        handler.end_headers()
        handler.wfile.write(route.body)
        with self._lock:
            self.bytes_sent[path] += len(route.body)

    def _huge(self, handler: BaseHTTPRequestHandler, path: str, route: Huge) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/rss+xml")
        if route.announced:
            handler.send_header("Content-Length", str(route.size))
        else:
            handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        chunk = b"<!-- " + b"x" * (CHUNK - 9) + b" -->"
        left = route.size
        while left > 0 and not self._release.is_set():
            piece = chunk[: min(CHUNK, left)]
            if route.announced:
                handler.wfile.write(piece)
            else:
                handler.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
            handler.wfile.flush()
            left -= len(piece)
            with self._lock:
                self.bytes_sent[path] += len(piece)
        if not route.announced:
            handler.wfile.write(b"0\r\n\r\n")
        with self._lock:
            self.finished.add(path)

    def _answer(self, handler: BaseHTTPRequestHandler, status: int, body: bytes, content_type: str) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def rss(title: str, items: list[dict[str, str]]) -> bytes:
    """An RSS 2.0 document of items {title, link, description, pubDate?}."""
    from xml.sax.saxutils import escape

    parts = [
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>',
        f"<title>{escape(title)}</title><link>https://example.org/</link><description>x</description>",
    ]
    for item in items:
        parts.append(
            f"<item><title>{escape(item['title'])}</title><link>{escape(item['link'])}</link>"
            f"<description>{escape(item.get('description', ''))}</description>"
            + (f"<pubDate>{item['pubDate']}</pubDate>" if "pubDate" in item else "")
            + "</item>"
        )
    parts.append("</channel></rss>")
    return "".join(parts).encode()


def atom(title: str, items: list[dict[str, str]]) -> bytes:
    """An Atom 1.0 document of items {title, link, description, updated (ISO)}."""
    from xml.sax.saxutils import escape, quoteattr

    parts = [
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">',
        f"<title>{escape(title)}</title><id>urn:feed</id><updated>2026-01-01T00:00:00Z</updated>",
    ]
    for i, item in enumerate(items):
        parts.append(
            f"<entry><title>{escape(item['title'])}</title><id>urn:e:{i}</id>"
            f"<link href={quoteattr(item['link'])}/>"
            f"<updated>{item.get('updated', '2026-01-01T00:00:00Z')}</updated>"
            f"<summary>{escape(item.get('description', ''))}</summary></entry>"
        )
    parts.append("</feed>")
    return "".join(parts).encode()


def json_feed(title: str, items: list[dict[str, str]]) -> bytes:
    """A JSON Feed 1.1 document of items {title, link, description, published (ISO)?}."""
    import json

    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "items": [
                {
                    "id": item["link"],
                    "url": item["link"],
                    "title": item["title"],
                    "content_text": item.get("description", ""),
                    **({"date_published": item["published"]} if "published" in item else {}),
                }
                for item in items
            ],
        }
    ).encode()

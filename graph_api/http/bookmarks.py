"""Read-your-writes across the service's processes, over HTTP.

On a Neo4j cluster a read may go to a member that has not yet applied a write committed moments
before through another process of the service. The answer to a request that committed a write
carries the write's bookmarks in the `Neo4j-Bookmarks` header; a client that sends them back in
the same header on a later request has every transaction of that request wait until its member
has applied the write. Within one process the driver's bookmark manager does this on its own.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from graph_api.errors import InvalidInput
from graph_api.store.database import Database

HEADER = "Neo4j-Bookmarks"
# A bookmark is a short opaque token (one per database and cluster term); a client sends those of
# its last write, so a handful at most.
MAX_BOOKMARKS = 16
MAX_HEADER_CHARS = 4096


def sent_bookmarks(request: Request) -> tuple[str, ...]:
    """The bookmarks a request carries: comma-separated, as an answer hands them out."""
    value = request.headers.get(HEADER, "")
    if len(value) > MAX_HEADER_CHARS:
        raise InvalidInput(f"The {HEADER} header is longer than {MAX_HEADER_CHARS} characters.")
    bookmarks = tuple(part.strip() for part in value.split(",") if part.strip())
    if len(bookmarks) > MAX_BOOKMARKS:
        raise InvalidInput(
            f"The {HEADER} header names {len(bookmarks)} bookmarks, more than {MAX_BOOKMARKS}: "
            "send those of the last answer that handed some out."
        )
    return bookmarks


def hand_back_bookmarks(response: Response, db: Database | None) -> None:
    """Put the bookmarks of the last write a request committed in its answer."""
    if db is not None and db.bookmarks.after_writes:
        response.headers[HEADER] = ", ".join(db.bookmarks.after_writes)

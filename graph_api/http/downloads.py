"""Recipient lists as files: `GET /recipients/{productId}.csv` and `.ndjson`, and a fusion
center's onward lists: `GET /onward/{fusionCenter}/{productId}.csv` and `.ndjson`.

The rows are streamed as the resolution produces them, so a national list neither waits for its
last row nor sits whole in the service's memory. Who may download, and the audit record, are
those of the `recipients` (`onwardRecipients`) GraphQL operation.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from graph_api.errors import InvalidInput, NotFound, ServiceError
from graph_api.http.bookmarks import sent_bookmarks
from graph_api.identity import Principal
from graph_api.output import recipients as output
from graph_api.rules import onward, recipients
from graph_api.rules.access import Action, Forbidden, require
from graph_api.rules.audit import append, audited
from graph_api.store.database import Database

MEDIA_TYPES = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}
# Rows are sent in pieces of about this size: one network write per row would cost more than
# the row itself.
CHUNK_BYTES = 64 * 1024
_UNSAFE_IN_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


def _error(exc: ServiceError, status: int) -> JSONResponse:
    return JSONResponse(
        {"errors": [{"message": exc.message, "extensions": {"code": exc.code}}]}, status_code=status
    )


async def _chunks(pieces: AsyncIterator[str]) -> AsyncIterator[bytes]:
    buffer: list[str] = []
    size = 0
    async for piece in pieces:
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode()


async def _download(request: Request, fmt: str) -> Response:
    principal: Principal = request.state.principal
    shared: Database = request.app.state.database
    product_id = request.path_params["product_id"]
    arguments = {"productId": product_id, "format": fmt}
    try:
        db = shared.fresh(sent_bookmarks(request))
    except InvalidInput as exc:
        return _error(exc, 400)
    try:
        require(principal, Action.RESOLVE_RECIPIENTS)
    except Forbidden as exc:
        return _error(exc, 403)
    try:
        product = await recipients.load_product(db, product_id)
    except NotFound as exc:
        await append(db, principal, "recipients", arguments, exc.code)
        return _error(exc, 404)
    except InvalidInput as exc:  # a bookmark the database could not read
        return _error(exc, 400)

    async def body() -> AsyncIterator[bytes]:
        async with audited(db, principal, "recipients", arguments):
            async for chunk in _chunks(output.streamed(product, recipients.stream_rows(db, product), fmt)):
                yield chunk

    filename = f"recipients-{_UNSAFE_IN_FILENAME.sub('_', product_id)}.{fmt}"
    return StreamingResponse(
        body(),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def _onward_download(request: Request, fmt: str) -> Response:
    principal: Principal = request.state.principal
    shared: Database = request.app.state.database
    product_id = request.path_params["product_id"]
    try:
        db = shared.fresh(sent_bookmarks(request))
        fusion_center, authority = onward.fusion_center_for(principal, request.path_params["fusion_center"])
    except InvalidInput as exc:
        return _error(exc, 400)
    except Forbidden as exc:
        return _error(exc, 403)
    arguments = {**onward.audit_arguments(product_id, fusion_center, authority), "format": fmt}
    try:
        async with audited(db, principal, "onwardRecipients", arguments):
            product, rows = await onward.onward_candidate_rows(db, product_id, fusion_center)
    except NotFound as exc:
        return _error(exc, 404)
    except InvalidInput as exc:  # a bookmark the database could not read
        return _error(exc, 400)

    async def chunks() -> AsyncIterator[list[recipients.CandidateRow]]:
        for start in range(0, len(rows), recipients.CANDIDATES_PER_CHUNK):
            yield rows[start : start + recipients.CANDIDATES_PER_CHUNK]

    named = "-".join(_UNSAFE_IN_FILENAME.sub("_", part) for part in (fusion_center, product_id))
    filename = f"onward-{named}.{fmt}"
    return StreamingResponse(
        _chunks(output.streamed(product, chunks(), fmt)),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


async def onward_csv(request: Request) -> Response:
    return await _onward_download(request, "csv")


async def onward_ndjson(request: Request) -> Response:
    return await _onward_download(request, "ndjson")


async def recipients_csv(request: Request) -> Response:
    return await _download(request, "csv")


async def recipients_ndjson(request: Request) -> Response:
    return await _download(request, "ndjson")


ROUTES = [
    Route("/recipients/{product_id}.csv", recipients_csv, methods=["GET"]),
    Route("/recipients/{product_id}.ndjson", recipients_ndjson, methods=["GET"]),
    Route("/onward/{fusion_center}/{product_id}.csv", onward_csv, methods=["GET"]),
    Route("/onward/{fusion_center}/{product_id}.ndjson", onward_ndjson, methods=["GET"]),
]

"""The TAXII 2.1 read surface under /taxii2/: discovery, one API root, its collections and their
objects, manifests and versions. Read-only; the bearer token decides who is asking, as for
GraphQL, and the collections hold what that user may see.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii.collections import (
    STIX_MEDIA_TYPE,
    Collection,
    find_collection,
    objects_of,
    page_of_objects,
    readable_collections,
)
from graph_api.taxii.paging import BadRequest, Page, page_of, parse_query
from graph_api.taxii.stix import Entry

log = logging.getLogger("isegraph.taxii")

TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1"
API_ROOT = "isegraph"
MAX_CONTENT_LENGTH = 1_048_576


class TaxiiError(Exception):
    def __init__(self, status: int, title: str, description: str) -> None:
        super().__init__(description)
        self.status, self.title, self.description = status, title, description


def taxii_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(body, media_type=TAXII_MEDIA_TYPE, headers=headers)


def error_response(status: int, title: str, description: str) -> Response:
    body = {"title": title, "description": description, "http_status": str(status)}
    return JSONResponse(body, status_code=status, media_type=TAXII_MEDIA_TYPE)


def accepts_taxii(accept: str) -> bool:
    """TAXII 2.1 media type, with or without its version (a bare one means the latest)."""
    for item in accept.split(","):
        media, *parameters = (part.strip().lower() for part in item.split(";"))
        if media != "application/taxii+json":
            continue
        version = [p.partition("=")[2] for p in parameters if p.startswith("version=")]
        if not version or version == ["2.1"]:
            return True
    return False


Handler = Callable[[Request], Awaitable[Response]]


def endpoint(handler: Handler) -> Handler:
    """The checks every TAXII endpoint shares, and errors as TAXII error messages."""

    async def run(request: Request) -> Response:
        if not accepts_taxii(request.headers.get("accept", "")):
            return error_response(
                406,
                "Not Acceptable",
                f"Send 'Accept: {TAXII_MEDIA_TYPE}'; this server speaks TAXII 2.1 only.",
            )
        try:
            return await handler(request)
        except TaxiiError as exc:
            return error_response(exc.status, exc.title, exc.description)
        except BadRequest as exc:
            return error_response(400, "Bad Request", exc.message)
        except ServiceError as exc:
            return error_response(400, exc.code, exc.message)

    return run


def _database(request: Request) -> Database:
    db: Database = request.app.state.database
    return db


def _principal(request: Request) -> Principal:
    principal: Principal = request.state.principal
    return principal


def _base_url(request: Request, settings: Settings) -> str:
    base = settings.public_url or str(request.base_url)
    return base.rstrip("/") + "/taxii2/"


async def _collection(request: Request) -> Collection:
    wanted = request.path_params["collection"]
    found = await find_collection(_database(request), _principal(request), wanted)
    if found is None:
        # Unknown and unreadable look the same: a collection's existence is itself information.
        raise TaxiiError(404, "Not Found", f"No collection '{wanted}' that you may read.")
    return found


async def _versions_of(request: Request, found: Collection, object_id: str) -> list[Entry]:
    everything = await objects_of(_database(request), _principal(request), found)
    entries = [e for e in everything if e.id == object_id]
    if not entries:
        raise TaxiiError(404, "Not Found", f"No object '{object_id}' in this collection.")
    return entries


def _envelope(page: Page) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.next is not None:
        body["next"] = page.next
    if page.entries:
        body["objects"] = [e.object for e in page.entries]
    return body


def build_routes(settings: Settings) -> Mount:
    async def discovery(request: Request) -> Response:
        root = _base_url(request, settings) + f"{API_ROOT}/"
        return taxii_response(
            {
                "title": "ISE Graph",
                "description": "Information products of the critical-infrastructure "
                "information-sharing environment, as STIX 2.1 reports.",
                "default": root,
                "api_roots": [root],
            }
        )

    async def api_root(request: Request) -> Response:
        return taxii_response(
            {
                "title": "ISE Graph information products",
                "description": "One collection of every product you may read, one per sector, "
                "and for a partner organisation its inbox.",
                "versions": [TAXII_MEDIA_TYPE],
                "max_content_length": MAX_CONTENT_LENGTH,
            }
        )

    async def collections(request: Request) -> Response:
        found = await readable_collections(_database(request), _principal(request))
        return taxii_response({"collections": [c.resource() for c in found]})

    async def collection(request: Request) -> Response:
        return taxii_response((await _collection(request)).resource())

    async def objects(request: Request) -> Response:
        if request.method == "POST":
            raise TaxiiError(403, "Forbidden", "The collections of ISE Graph are read-only.")
        found = await _collection(request)
        query = parse_query(request.query_params, found.id)
        page = await page_of_objects(_database(request), _principal(request), found, query)
        return taxii_response(_envelope(page), page.date_added_headers)

    async def one_object(request: Request) -> Response:
        if request.method == "DELETE":
            raise TaxiiError(403, "Forbidden", "The collections of ISE Graph are read-only.")
        found, object_id = await _collection(request), request.path_params["object"]
        entries = await _versions_of(request, found, object_id)
        page = page_of(entries, parse_query(request.query_params, f"{found.id}/{object_id}"))
        return taxii_response(_envelope(page), page.date_added_headers)

    async def versions(request: Request) -> Response:
        found, object_id = await _collection(request), request.path_params["object"]
        entries = await _versions_of(request, found, object_id)
        page = page_of(entries, parse_query(request.query_params, f"{found.id}/{object_id}/versions"))
        body: dict[str, Any] = {"more": page.more, "versions": [e.version for e in page.entries]}
        if page.next is not None:
            body["next"] = page.next
        return taxii_response(body, page.date_added_headers)

    async def manifest(request: Request) -> Response:
        found = await _collection(request)
        query = parse_query(request.query_params, f"{found.id}/manifest")
        page = await page_of_objects(_database(request), _principal(request), found, query)
        body: dict[str, Any] = {"more": page.more}
        if page.next is not None:
            body["next"] = page.next
        if page.entries:
            body["objects"] = [
                {"id": e.id, "date_added": e.date_added, "version": e.version, "media_type": STIX_MEDIA_TYPE}
                for e in page.entries
            ]
        return taxii_response(body, page.date_added_headers)

    collection_path = f"/{API_ROOT}/collections/{{collection}}"
    return Mount(
        "/taxii2",
        routes=[
            Route("/", endpoint(discovery)),
            Route(f"/{API_ROOT}/", endpoint(api_root)),
            Route(f"/{API_ROOT}/collections/", endpoint(collections)),
            Route(f"{collection_path}/", endpoint(collection)),
            Route(f"{collection_path}/objects/", endpoint(objects), methods=["GET", "POST"]),
            Route(f"{collection_path}/objects/{{object}}/", endpoint(one_object), methods=["GET", "DELETE"]),
            Route(f"{collection_path}/objects/{{object}}/versions/", endpoint(versions)),
            Route(f"{collection_path}/manifest/", endpoint(manifest)),
        ],
    )

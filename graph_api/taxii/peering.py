"""The peering endpoint: where peer nodes send envelopes, as TAXII 2.1 `POST` to the one
collection of the `peering` API root. The answer is a TAXII status resource naming, for each
object, whether it was kept or refused and why.

Only a NODE token this node issued opens it (`identity.node_tokens`); a user's token does not,
and a NODE token opens nothing else.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.identity import AuthenticationError
from graph_api.identity.node_tokens import verify_node_token
from graph_api.peering.identity import NodeIdentity, NodeIdentityError, load_identity
from graph_api.rules.receiving import UnknownPeer, receive
from graph_api.settings import Settings
from graph_api.store.database import Database
from graph_api.taxii.routes import TAXII_MEDIA_TYPE, TaxiiError, endpoint, error_response

PEERING_ROOT = "/taxii2/peering/"
# The one collection envelopes are sent to.
ENVELOPES_COLLECTION = "envelopes"
MAX_OBJECTS = 1000


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def build_peering_routes(settings: Settings) -> list[Route]:
    identity: list[NodeIdentity] = []

    def this_node() -> NodeIdentity:
        if not identity:
            try:
                identity.append(load_identity(settings.node_dir))
            except NodeIdentityError as exc:
                raise TaxiiError(503, "Service Unavailable", str(exc)) from exc
        return identity[0]

    async def post_envelopes(request: Request) -> Response:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        try:
            if scheme.lower() != "bearer":
                raise AuthenticationError("Send 'Authorization: Bearer <the node token this node issued>'.")
            sender = verify_node_token(settings, token.strip())
        except AuthenticationError as exc:
            return error_response(401, "Unauthorized", exc.message)
        media = request.headers.get("content-type", "").replace(" ", "").lower()
        if media != TAXII_MEDIA_TYPE:
            return error_response(415, "Unsupported Media Type", f"Send 'Content-Type: {TAXII_MEDIA_TYPE}'.")
        received_at = _now()
        try:
            body: Any = json.loads(await request.body())
        except ValueError as exc:
            raise TaxiiError(400, "Bad Request", "The body is not JSON.") from exc
        objects = body.get("objects") if isinstance(body, dict) else None
        if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
            raise TaxiiError(
                400,
                "Bad Request",
                f"Send a TAXII envelope: {{'objects': [...]}}, at most {MAX_OBJECTS} objects.",
            )
        db: Database = request.app.state.database
        try:
            outcomes = await receive(db, this_node().node_id, sender.node_id, objects)
        except UnknownPeer as exc:
            return error_response(403, "Forbidden", str(exc))
        successes = [{"id": o.object_id, "version": o.version} for o in outcomes if o.reason is None]
        failures = [
            {"id": o.object_id, "version": o.version, "message": f"{o.reason}: {o.message}"}
            for o in outcomes
            if o.reason is not None
        ]
        status = {
            "id": str(uuid.uuid4()),
            "status": "complete",
            "request_timestamp": received_at,
            "total_count": len(outcomes),
            "success_count": len(successes),
            "successes": successes,
            "failure_count": len(failures),
            "failures": failures,
            "pending_count": 0,
        }
        return JSONResponse(status, status_code=202, media_type=TAXII_MEDIA_TYPE)

    path = f"{PEERING_ROOT}collections/{ENVELOPES_COLLECTION}/objects/"
    return [Route(path, endpoint(post_envelopes), methods=["POST"])]

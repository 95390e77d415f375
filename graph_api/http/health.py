"""Liveness and readiness, for load balancers and orchestrators."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.store.database import Database


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    db: Database = request.app.state.database
    try:
        await db.ping()
    except Exception as exc:  # any failure means "not ready"; the reason is what matters
        reason = f"Neo4j does not answer: {type(exc).__name__}: {exc}".strip()
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ready"})


HEALTH_ROUTES = [Route("/healthz", healthz), Route("/readyz", readyz)]

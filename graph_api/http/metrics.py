"""`/metrics` in the Prometheus text format. Open to a request from this machine (a local scraper
or agent, addressed to a loopback name: see console/loopback.py); from anywhere else it asks for
the bearer token set in ISEGRAPH_METRICS_TOKEN, and is refused when none is set."""

from __future__ import annotations

import hmac

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.console.loopback import from_this_machine
from graph_api.observability.metrics import REGISTRY
from graph_api.settings import Settings


def _allowed(request: Request, settings: Settings) -> bool:
    if from_this_machine(request, settings):
        return True
    if settings.metrics_token is None:
        return False
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip(), settings.metrics_token)


def metrics_route(settings: Settings) -> Route:
    async def metrics(request: Request) -> Response:
        return _metrics(request, settings)

    return Route("/metrics", metrics)


def _metrics(request: Request, settings: Settings) -> Response:
    if not _allowed(request, settings):
        return JSONResponse(
            {
                "errors": [
                    {
                        "message": "Metrics are served to this machine only (addressed to localhost); "
                        "elsewhere send "
                        "'Authorization: Bearer <ISEGRAPH_METRICS_TOKEN>'.",
                        "extensions": {"code": "FORBIDDEN"},
                    }
                ]
            },
            status_code=403,
        )
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

"""`/metrics` in the Prometheus text format. Open to loopback (a local scraper or agent); from
anywhere else it asks for the bearer token set in ISEGRAPH_METRICS_TOKEN, and is refused when none
is set."""

from __future__ import annotations

import hmac
import ipaddress

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from graph_api.observability.metrics import REGISTRY
from graph_api.settings import Settings


def _from_loopback(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _allowed(request: Request, settings: Settings) -> bool:
    if _from_loopback(request):
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
                        "message": "Metrics are served to loopback only; elsewhere send "
                        "'Authorization: Bearer <ISEGRAPH_METRICS_TOKEN>'.",
                        "extensions": {"code": "FORBIDDEN"},
                    }
                ]
            },
            status_code=403,
        )
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

"""Starlette routes for the console: its page, its built assets, and the development sign-in."""

from __future__ import annotations

import json
from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from graph_api.console.loopback import from_this_machine
from graph_api.identity import Role, mint_token
from graph_api.settings import Settings

CONSOLE_PREFIX = "/console"
DIST = Path(__file__).resolve().parent / "dist"
DEV_TOKEN_TTL_SECONDS = 8 * 3600

# The pages load only what the service itself serves: a stray reference to another host fails in
# the browser instead of leaking a request off the machine.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Cache-Control": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

NOT_BUILT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ISE Graph</title></head>
<body><h1>The {what} is not built</h1><p>Run <code>./dev up</code> (or <code>./dev test</code>): it installs
the front-end's npm packages from <code>console/package-lock.json</code> and builds it into
<code>graph_api/console/dist/</code>.</p></body></html>"""


def _built_page(name: str, what: str) -> HTMLResponse:
    path = DIST / name
    if not path.is_file():
        return HTMLResponse(NOT_BUILT.format(what=what), status_code=503, headers=PAGE_HEADERS)
    return HTMLResponse(path.read_text(), headers=PAGE_HEADERS)


def graphiql_page() -> HTMLResponse:
    """GraphiQL's page, whose scripts and styles come from the console's built assets."""
    return _built_page("graphiql.html", "GraphiQL page")


def console_page(settings: Settings) -> Route:
    """The console's one page; it says so when the development sign-in is there."""
    development = settings.development_sign_in

    async def page(request: Request) -> Response:
        response = _built_page("index.html", "console")
        if development and response.status_code == 200:
            body = bytes(response.body).replace(b"<body>", b'<body data-dev-sign-in="on">', 1)
            response = HTMLResponse(body, headers=PAGE_HEADERS)
        return response

    return Route(f"{CONSOLE_PREFIX}/", page)


async def to_console(request: Request) -> Response:
    return RedirectResponse(f"{CONSOLE_PREFIX}/", status_code=308)


def _refused(message: str, status: int) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def development_sign_in(settings: Settings) -> Route:
    """Mints a token for a role, for trying the console on one's own machine."""

    async def sign_in(request: Request) -> Response:
        if not from_this_machine(request, settings):
            return _refused(
                "Development sign-in answers only requests from this machine, addressed to "
                "localhost, 127.0.0.1 or [::1].",
                403,
            )
        # A JSON body forces a browser's CORS preflight, which this service never grants.
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return _refused('Send a JSON body: {"role": "ADMIN"|"ANALYST"|"PARTNER", "partner": id}.', 415)
        try:
            body = json.loads(await request.body())
        except json.JSONDecodeError:
            return _refused("The body is not valid JSON.", 400)
        if not isinstance(body, dict) or body.get("role") not in {role.value for role in Role}:
            return _refused("Give a role: ADMIN, ANALYST or PARTNER.", 400)
        partner = body.get("partner") or None
        if partner is not None and not isinstance(partner, str):
            return _refused("partner must be a partner id (a string).", 400)
        try:
            token = mint_token(settings, Role(body["role"]), partner, DEV_TOKEN_TTL_SECONDS)
        except ValueError as exc:
            return _refused(str(exc), 400)
        return JSONResponse(
            {"token": token, "expiresIn": DEV_TOKEN_TTL_SECONDS}, headers={"Cache-Control": "no-store"}
        )

    return Route(f"{CONSOLE_PREFIX}/dev/sign-in", sign_in, methods=["POST"])


def console_routes(settings: Settings) -> list[BaseRoute]:
    """The console in every environment; the development sign-in only with ISEGRAPH_ENV=development
    set explicitly."""
    routes: list[BaseRoute] = [
        Route(CONSOLE_PREFIX, to_console),
        console_page(settings),
    ]
    if (DIST / "assets").is_dir():  # before a build the pages say how to build; assets answer 404
        routes.append(Mount(f"{CONSOLE_PREFIX}/assets", StaticFiles(directory=DIST / "assets")))
    if settings.development_sign_in:
        routes.append(development_sign_in(settings))
    return routes

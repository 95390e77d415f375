"""`GET /ack/{token}`: the signed one-use link every message carries. Opening it acknowledges the
product for the recipient's organisation, without signing in, and answers a plain page."""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from graph_api.delivery.actions import LinkUse, use_link
from graph_api.delivery.links import ack_key
from graph_api.identity import Principal, Role
from graph_api.rules.audit import audited
from graph_api.settings import Settings
from graph_api.store.database import Database

PREFIX = "/ack/"


def _page(title: str, text: str, status: int) -> HTMLResponse:
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p></body></html>"
    )
    # The page names a product and an organisation: no cache may keep it.
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _answer(use: LinkUse) -> HTMLResponse:
    if use.used_before is not None:
        return _page(
            "Link already used",
            f"This acknowledgement link was already used at {use.used_before}. Nothing was changed.",
            409,
        )
    assert use.acknowledgement is not None
    ack = use.acknowledgement
    if not ack.first:
        return _page(
            "Already acknowledged",
            f"{use.partner_name} had already acknowledged product {use.product} "
            f"(by {ack.acknowledged_by} at {ack.acknowledged_at}). Nothing was changed.",
            200,
        )
    return _page(
        "Receipt acknowledged",
        f"Thank you: product {use.product} is acknowledged for {use.partner_name} "
        f"at {ack.acknowledged_at}. You may close this page.",
        200,
    )


def acknowledgement_route(settings: Settings) -> Route:
    async def acknowledge(request: Request) -> HTMLResponse:
        db: Database = request.app.state.database
        use = await use_link(db, ack_key(settings), request.path_params["token"])
        if use is None:
            return _page("Link not valid", "This acknowledgement link is not valid.", 404)
        who = Principal(subject=f"link:{use.message}", role=Role.PARTNER, partner=use.partner)
        async with audited(
            db, who, "acknowledgeByLink", {"messageId": use.message, "productId": use.product}
        ) as entry:
            entry.changes.append({"firstUse": use.used_before is None})
        return _answer(use)

    return Route(PREFIX + "{token}", acknowledge, methods=["GET"])

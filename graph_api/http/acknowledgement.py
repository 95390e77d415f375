"""`/ack/{token}`: the signed one-use link every message carries, without signing in.

`GET` only shows what the link would do, with a button: mail-security scanners and previews open
every link in a message, and a plain GET must change nothing. The button POSTs to the same
address, and that acknowledges the product for the recipient's organisation (as RFC 8058 has
one-click actions POST). A link works for ISEGRAPH_ACK_LINK_DAYS after its message went out; an
expired or already used link changes nothing and says so.
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from graph_api.delivery.actions import LinkState, LinkUse, link_state, use_link
from graph_api.delivery.links import ack_key
from graph_api.identity import Principal, Role
from graph_api.rules.audit import audited
from graph_api.settings import Settings
from graph_api.store.database import Database

PREFIX = "/ack/"
BUTTON = "Acknowledge receipt"


def _page(title: str, text: str, status: int, form: str = "") -> HTMLResponse:
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="robots" content="noindex">'
        f"<title>{escape(title)}</title></head>"
        f'<body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">'
        f"<h1>{escape(title)}</h1><p>{escape(text)}</p>{form}</body></html>"
    )
    # The page names a product and an organisation: no cache may keep it.
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": "no-store"})


def _not_valid() -> HTMLResponse:
    return _page("Link not valid", "This acknowledgement link is not valid. Nothing was changed.", 404)


def _unusable(link: LinkState) -> HTMLResponse | None:
    """The page for a link that can no longer acknowledge anything; None when it still can."""
    if link.used_before is not None:
        return _page(
            "Link already used",
            f"This acknowledgement link was already used at {link.used_before}. Nothing was changed.",
            409,
        )
    if link.expired:
        return _page(
            "Link expired",
            f"This acknowledgement link expired at {link.expires_at}. Nothing was changed. "
            f"Sign in to ISE Graph to acknowledge product {link.product} for {link.partner_name}.",
            410,
        )
    return None


def _offer(link: LinkState, action: str) -> HTMLResponse:
    form = (
        f'<form method="post" action="{escape(action)}">'
        f'<button type="submit" style="font-size: 1.2em; padding: 0.5em 1em">{BUTTON}</button></form>'
    )
    return _page(
        "Acknowledge receipt?",
        f"Press the button to acknowledge that {link.partner_name} received product {link.product}. "
        f"The link works until {link.expires_at}.",
        200,
        form,
    )


def _answer(use: LinkUse) -> HTMLResponse:
    refused = _unusable(use.link)
    if refused is not None:
        return refused
    assert use.acknowledgement is not None
    ack, link = use.acknowledgement, use.link
    if not ack.first:
        return _page(
            "Already acknowledged",
            f"{link.partner_name} had already acknowledged product {link.product} "
            f"(by {ack.acknowledged_by} at {ack.acknowledged_at}). Nothing was changed.",
            200,
        )
    return _page(
        "Receipt acknowledged",
        f"Thank you: product {link.product} is acknowledged for {link.partner_name} "
        f"at {ack.acknowledged_at}. You may close this page.",
        200,
    )


def acknowledgement_route(settings: Settings) -> Route:
    lifetime = settings.delivery.ack_link_days * 24 * 3600

    async def acknowledgement(request: Request) -> HTMLResponse:
        db: Database = request.app.state.database
        token = request.path_params["token"]
        if request.method == "GET":
            link = await link_state(db, ack_key(settings), token, lifetime)
            if link is None:
                return _not_valid()
            return _unusable(link) or _offer(link, request.url.path)
        use = await use_link(db, ack_key(settings), token, lifetime)
        if use is None:
            return _not_valid()
        who = Principal(subject=f"link:{use.link.message}", role=Role.PARTNER, partner=use.link.partner)
        async with audited(
            db, who, "acknowledgeByLink", {"messageId": use.link.message, "productId": use.link.product}
        ) as entry:
            entry.changes.append(
                {"firstUse": use.changed, "expired": use.link.expired, "usedBefore": use.link.used_before}
            )
        return _answer(use)

    return Route(PREFIX + "{token}", acknowledgement, methods=["GET", "POST"])

"""`isegraph token`: mint a bearer token for development and tests."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from graph_api.cli.common import Commands, say
from graph_api.settings import Settings


def print_token(mint: Callable[[], str]) -> int:
    """Print the token `mint` makes, alone on stdout (for `$(...)`), or why it cannot be made."""
    try:
        token = mint()
    except ValueError as exc:
        say(f"error: {exc}")
        return 2
    sys.stdout.write(token + "\n")
    return 0


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import Role, mint_token, parse_ttl

    return print_token(lambda: mint_token(settings, Role(args.role), args.partner, parse_ttl(args.ttl)))


def register(commands: Commands) -> None:
    tok = commands.add_parser(
        "token",
        help="mint a bearer token for development and tests",
        description="Mint an HS256 token signed with the configured secret (ISEGRAPH_JWT_SECRET, or "
        "the development secret kept in the state directory).",
    )
    tok.add_argument("--role", required=True, choices=["ADMIN", "ANALYST", "PARTNER"])
    tok.add_argument("--partner", help="the partner id a PARTNER token is bound to")
    tok.add_argument("--ttl", default="1h", help="lifetime: 90s, 15m, 1h, 2d (default 1h)")
    tok.set_defaults(handler=cmd_token)

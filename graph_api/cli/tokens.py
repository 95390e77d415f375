"""`isegraph token`: mint a bearer token for development and tests."""

from __future__ import annotations

import argparse
import sys

from graph_api.cli.common import Commands, say
from graph_api.settings import Settings


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import Role, Scope, mint_token, parse_ttl

    try:
        scopes = frozenset(Scope.parse(text) for text in args.scope or [])
        token = mint_token(settings, Role(args.role), args.partner, parse_ttl(args.ttl), scopes=scopes)
    except ValueError as exc:
        say(f"error: {exc}")
        return 2
    sys.stdout.write(token + "\n")
    return 0


def register(commands: Commands) -> None:
    tok = commands.add_parser(
        "token",
        help="mint a bearer token for development and tests",
        description="Mint an HS256 token signed with the configured secret (ISEGRAPH_JWT_SECRET, or "
        "the development secret kept in the state directory). A PARTNER token may carry scopes: "
        "capabilities over one fusion center or one council (docs/graphql/access.md).",
        epilog="examples:\n"
        "  isegraph token --role ANALYST\n"
        "  isegraph token --role PARTNER --partner fc-ca --scope FUSION_CENTER_ANALYST:fc-ca\n"
        "      a user of California's fusion center who plans onward lists for its area\n"
        "  isegraph token --role PARTNER --partner p-energy-chair --scope STEWARD:energy-scc\n"
        "      a user of the council's CHAIR organisation who governs its requirements",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tok.add_argument("--role", required=True, choices=["ADMIN", "ANALYST", "PARTNER"])
    tok.add_argument("--partner", help="the partner id a PARTNER token is bound to")
    tok.add_argument(
        "--scope",
        action="append",
        metavar="KIND:ID",
        help="a scope for a PARTNER token, repeatable: FUSION_CENTER_ANALYST:<the partner's own id, a "
        "fusion center> or STEWARD:<council id, whose CHAIR the partner is>",
    )
    tok.add_argument("--ttl", default="1h", help="lifetime: 90s, 15m, 1h, 2d (default 1h)")
    tok.set_defaults(handler=cmd_token)

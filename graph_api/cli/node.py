"""`isegraph node`: this node's identity among its peers (id, operator, signing key)."""

from __future__ import annotations

import argparse
import json
import sys

from graph_api.cli.common import Commands, say
from graph_api.settings import Settings


def cmd_node_init(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.peering.identity import NodeIdentityError, create_identity

    try:
        identity = create_identity(settings.node_dir, args.operator, args.id)
    except (ValueError, NodeIdentityError) as exc:
        say(f"error: {exc}")
        return 2
    say(f"Node {identity.node_id} (operated by {identity.operator}) created in {settings.node_dir}.")
    say("Hand a peer what `isegraph node show` prints.")
    return 0


def cmd_node_show(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.peering.identity import NodeIdentityError, load_identity

    try:
        identity = load_identity(settings.node_dir)
    except NodeIdentityError as exc:
        say(f"error: {exc}")
        return 1
    shown = {
        "nodeId": identity.node_id,
        "operator": identity.operator,
        "url": settings.node_url,
        "publicKey": identity.public_key_text,
    }
    if args.json:
        say(json.dumps(shown, indent=2))
    else:
        for name, value in shown.items():
            say(f"{name + ':':<11} {value}")
    return 0


def cmd_node_token(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import parse_ttl
    from graph_api.identity.node_tokens import mint_node_token
    from graph_api.peering.identity import check_node_id

    try:
        token = mint_node_token(settings, check_node_id(args.peer), parse_ttl(args.ttl))
    except ValueError as exc:
        say(f"error: {exc}")
        return 2
    sys.stdout.write(token + "\n")
    return 0


def register(commands: Commands) -> None:
    node = commands.add_parser(
        "node",
        help="this node's identity among its peers: `node init`, `node show`",
        description="Each ISE Graph node has a stable id, an operator (the partner that runs it) and "
        "an Ed25519 key pair that signs what it sends to its peers. They live in the state directory "
        "(ISEGRAPH_STATE_DIR/node), the private key readable by its owner only.",
    )
    actions = node.add_subparsers(dest="node_command", required=True, metavar="ACTION")
    init = actions.add_parser(
        "init",
        help="create this node's id and key pair (once: a node keeps them for good)",
        description="Create this node's id and Ed25519 key pair. Refused when the node has them already.",
    )
    init.add_argument("--operator", required=True, help="the id of the partner that runs this node")
    init.add_argument(
        "--id",
        help="the node id: lower-case letters, digits and inner hyphens (default: node-<random>)",
    )
    init.set_defaults(handler=cmd_node_init)
    show = actions.add_parser(
        "show",
        help="print the node id, operator, public URL and public key to hand to a peer",
        description="Print what a peer needs to add this node: its id, operator, public URL "
        "(ISEGRAPH_PUBLIC_URL) and public key. Never the private key.",
    )
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(handler=cmd_node_show)
    token = actions.add_parser(
        "token",
        help="issue the NODE token a peer presents when it sends envelopes here",
        description="Issue a peer node its NODE token: good only for this node's peering endpoint "
        "(/taxii2/peering/), never for GraphQL or the TAXII feed. Hand it to the peer, whose ADMIN "
        "gives it as the credential in its setPeer for this node.",
    )
    token.add_argument("--peer", required=True, help="the peer's node id")
    token.add_argument("--ttl", default="30d", help="lifetime: 90s, 15m, 1h, 2d (default 30d)")
    token.set_defaults(handler=cmd_node_token)

"""`isegraph serve` and `isegraph up`: serve GraphQL, on an existing database or a fresh one."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from graph_api.cli.common import Commands, at_least_one, say
from graph_api.cli.seed import cmd_seed
from graph_api.neo4j_server import process
from graph_api.settings import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    host, port = args.host or settings.host, args.port or settings.port
    if args.host:
        # The app is built from the environment (in each worker process too): the address it listens
        # on decides the environment when ISEGRAPH_ENV is unset.
        os.environ["ISEGRAPH_HOST"] = host
    workers = args.workers or settings.workers
    access_log = args.access_log or settings.access_log
    say(
        f"GraphQL on http://{host}:{port}/graphql"
        + (" (GraphiQL in a browser)" if settings.development else "")
        + (f", {workers} worker processes" if workers > 1 else "")
    )
    # uvloop and httptools: uvicorn's fastest event loop and HTTP parser. Each worker builds the
    # app from the same environment; the access log costs a formatted line per request, so it
    # is written only when asked for. An idle connection stays open longer than the pools of
    # gateways and load balancers keep theirs, so none of them sends a request on a connection
    # the service is closing.
    # SIGTERM: uvicorn stops accepting connections, lets requests in flight finish within the grace
    # period and runs the app's shutdown (which closes the driver). It then raises the signal again
    # for the handler it found installed; a stop that went as asked is a success, exit status 0.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    uvicorn.run(
        "graph_api.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=access_log,
        timeout_keep_alive=settings.keep_alive_seconds,
        # X-Forwarded-For and -Proto only from the proxies configured, from nobody by default.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_seconds)),
        log_config=None,
        log_level="info",
    )
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import Role, mint_token

    if not settings.external_neo4j:
        process.start(settings, say)
    seed_args = argparse.Namespace(synthetic=False, partners=0, seed=0)
    cmd_seed(seed_args, settings)
    say("Tokens for trying the API (valid 12 hours; send as 'Authorization: Bearer <token>'):")
    tokens = {role: mint_token(settings, role, ttl_seconds=12 * 3600) for role in (Role.ADMIN, Role.ANALYST)}
    for role, token in tokens.items():
        say(f"  {role.value:<8} {token}")
    base = f"http://{args.host or settings.host}:{args.port or settings.port}"
    say(
        f"Console: {base}/console/ (sign in with a token above"
        + (", or as any role: ISEGRAPH_ENV=development)" if settings.development_sign_in else ")")
    )
    if settings.development:
        # The fragment never reaches the server; GraphiQL puts the token in its default headers.
        say(f"GraphiQL as ANALYST: {base}/graphql#token={tokens[Role.ANALYST]}")
    # The delivery worker runs beside the service, in a process of its own, and stops with it.
    worker = subprocess.Popen([sys.executable, "-m", "graph_api", "worker"])
    say(f"Delivery worker started (pid {worker.pid}).")
    try:
        return cmd_serve(args, settings)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def register(commands: Commands) -> None:
    for name, handler, text in (
        ("serve", cmd_serve, "serve GraphQL (GraphiQL in development) on an existing database"),
        ("up", cmd_up, "start Neo4j, load the seed network, then serve GraphQL"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--host", help="listen address (default ISEGRAPH_HOST or 127.0.0.1)")
        sub.add_argument("--port", type=int, help="port (default ISEGRAPH_PORT or 8000)")
        sub.add_argument(
            "--workers",
            type=at_least_one,
            metavar="N",
            help="worker processes sharing the port (default ISEGRAPH_WORKERS or 1); "
            "each keeps its own caches and database connections",
        )
        sub.add_argument(
            "--access-log",
            action="store_true",
            help="log one line per request (default ISEGRAPH_ACCESS_LOG or off)",
        )
        sub.set_defaults(handler=handler)

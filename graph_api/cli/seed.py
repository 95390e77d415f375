"""`isegraph seed`: load the seed network and its illustrative reports, or a synthetic network."""

from __future__ import annotations

import argparse

from graph_api.cli.common import Commands, import_document, run_with_database, say
from graph_api.settings import Settings
from graph_api.store.database import connection_details


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    connection_details(settings)  # fail before a long generation when no database is set up
    if args.synthetic:
        from seed.synthetic import generate

        say(f"Generating a synthetic network of {args.partners} partners (seed {args.seed}) ...")
        document = generate(args.partners, args.seed, progress=say)
    else:
        from seed.network import build_seed_document

        say("Loading the seed network ...")
        document = build_seed_document()
    code = import_document(settings, document, dry_run=False)
    if code == 0 and not args.synthetic:
        from graph_api.rules.reports import load_seed_reports
        from seed.reports import SEED_REPORTS

        added = run_with_database(settings, lambda db: load_seed_reports(db, list(SEED_REPORTS)))
        say(f"Illustrative reports: {added} submitted, {len(SEED_REPORTS) - added} there already.")
    return code


def register(commands: Commands) -> None:
    seed = commands.add_parser(
        "seed",
        help="load the seed network, or a synthetic one",
        description="Load the seed network of the source document; with "
        "--synthetic, a generated network of the given size instead.",
    )
    seed.add_argument("--synthetic", action="store_true", help="generate a synthetic network")
    seed.add_argument(
        "--partners", type=int, default=100_000, help="partners in the synthetic network (default 100000)"
    )
    seed.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    seed.set_defaults(handler=cmd_seed)

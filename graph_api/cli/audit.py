"""`isegraph audit verify`: check the audit trail's hash chain."""

from __future__ import annotations

import argparse

from graph_api.cli.common import Commands, run_with_database, say
from graph_api.settings import Settings


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.rules.audit import verify_chain

    say("Verifying the audit trail's hash chain ...")
    report = run_with_database(settings, verify_chain)
    if report.unchained:
        say(f"  {report.unchained} records predate the chain and cannot be verified.")
    if report.intact:
        say(f"Audit trail intact: {report.records} chained records, every link and hash matches.")
        return 0
    record = report.broken_at
    if record is None:
        say(f"Audit trail ALTERED: {report.reason}.")
    else:
        say(
            f"Audit trail ALTERED at record {record['id']} (sequence {record['sequence']}, "
            f"{record['operation']} by {record['actor']}): {report.reason}."
        )
    return 1


def register(commands: Commands) -> None:
    audit = commands.add_parser(
        "audit",
        help="verify that the audit trail was not altered",
        description="Walk the audit trail's hash chain and name the first record that does not "
        "match (altered, removed or inserted directly in the database). Exit status 1 if one is found.",
    )
    audit.add_argument("action", choices=["verify"])
    audit.set_defaults(handler=cmd_audit)

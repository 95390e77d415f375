"""What the commands share: printing progress, running work on the database, import reports."""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeAlias, TypeVar

from graph_api.settings import Settings
from graph_api.store.database import Database, open_driver

T = TypeVar("T")
# What each command group adds its commands to.
Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def say(message: str) -> None:
    print(message, flush=True)


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def main() -> T:
        async with open_driver(settings) as driver:
            db = Database.for_settings(driver, settings)
            await db.migrate()
            return await work(db)

    return asyncio.run(main())


def print_report(report: Any) -> int:
    from graph_api.rules.importer import ImportReport

    assert isinstance(report, ImportReport)
    if not report.ok:
        say(f"Refused: {len(report.problems)} problem(s); nothing was written.")
        for problem in report.problems:
            say(f"  {problem.path}: [{problem.code}] {problem.message}")
        return 1
    verb = "Would import" if report.dry_run else "Imported"
    say(f"{verb}:")
    for count in report.counts:
        if count.created or count.updated or count.unchanged:
            say(
                f"  {count.collection:<14} {count.created:>7} created {count.updated:>7} updated "
                f"{count.unchanged:>7} unchanged"
            )
    return 0


def import_document(settings: Settings, document: Any, dry_run: bool) -> int:
    from graph_api.rules.importer import import_network

    started = time.monotonic()
    report = run_with_database(settings, lambda db: import_network(db, document, dry_run=dry_run, say=say))
    code = print_report(report)
    if code == 0:
        say(f"Done in {time.monotonic() - started:.1f} s.")
    return code


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it as YYYY-MM-DD") from None


def at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {value}")
    return value

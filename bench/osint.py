"""Benchmark: open-source feeds fetched, deduplicated, classified and stored.

    ./dev bench-osint [--feeds 20] [--items 500] [--runs 3]

Serves `--feeds` feeds of `--items` items each (RSS 2.0, Atom and JSON Feed in turn) from a real
HTTP server on loopback, and times one poll round over them all: fetching, parsing, deduplicating
against the store and within the round, suggesting sectors, topics and regions, and writing. A
fifth of the entries repeat another feed's story (the same page with tracking parameters, the same
text at another address, or the story retold under a reworded title), so the right answer is a
known number of items; the run reports what was stored, stories split in two and stories merged
wrongly. A second round with nothing new is timed too. The deduplication's precision and recall on
the hand-labelled pairs of tests/fixtures/open_source_pairs.json are reported beside. Writes
bench/RESULTS-osint.md.

Uses a Neo4j of the benchmark's own (bench/.work/osint/, Bolt port 7716) unless
ISEGRAPH_STATE_DIR and ISEGRAPH_NEO4J_BOLT_PORT say otherwise. Each run first deletes the items
and feeds of earlier runs of the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import random
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ISEGRAPH_STATE_DIR", str(HERE / ".work" / "osint"))
os.environ.setdefault("ISEGRAPH_NEO4J_BOLT_PORT", "7716")

from bench.dedup_pairs import scores  # noqa: E402
from graph_api.feeds.poller import Poller  # noqa: E402
from graph_api.identity import Principal, Role  # noqa: E402
from graph_api.neo4j_server import process  # noqa: E402
from graph_api.rules import open_source  # noqa: E402
from graph_api.settings import load_settings  # noqa: E402
from graph_api.store.database import Database, open_driver  # noqa: E402
from tests.feed_server import Document, FeedServer, atom, json_feed, rss  # noqa: E402

TARGET_SECONDS = 30.0
REPEATED_SHARE = 0.2
ADMIN = Principal(subject="bench-osint", role=Role.ADMIN, partner=None)
PLACES = ["Texas", "Ohio", "Oregon", "Florida", "Iowa", "Nevada", "Maine", "Utah", "Georgia", "Kansas"]
EVENTS = [
    ("Ransomware attack disrupts {org} in {place}", "water utility"),
    ("Storm knocks out power grid service for {org} customers in {place}", "electric cooperative"),
    ("Bomb threat forces evacuation of {org} in {place}", "federal building"),
    ("Chemical leak at {org} prompts shelter order in {place}", "chemical plant"),
    ("Phishing campaign targets {org} staff in {place}", "regional bank"),
    ("Derailment closes rail line serving {org} in {place}", "port authority"),
    ("Outbreak sickens workers at {org} in {place}", "meat processing plant"),
    ("Drone sighting halts operations at {org} in {place}", "airport"),
]
REWORDED = {
    "Ransomware attack disrupts": "Ransomware attack hits",
    "knocks out": "cuts",
    "forces evacuation of": "empties",
    "prompts shelter order": "prompts a shelter order",
    "targets": "aimed at",
    "closes": "shuts",
    "sickens": "sickens dozens of",
    "halts operations": "halts all operations",
}


def say(message: str) -> None:
    print(message, flush=True)


@dataclasses.dataclass
class Corpus:
    """The feeds' documents and the truth: the story each entry tells."""

    documents: dict[str, bytes]
    content_types: dict[str, str]
    story_of_link: dict[str, int]
    stories: int
    entries: int


def corpus(tag: str, feeds: int, per_feed: int, seed: int) -> Corpus:
    rng = random.Random(seed)
    story_of_link: dict[str, int] = {}
    stories: list[dict[str, str]] = []
    per_feed_entries: list[list[dict[str, str]]] = [[] for _ in range(feeds)]
    told_by: list[int] = []
    for f in range(feeds):
        for n in range(per_feed):
            repeat = stories and rng.random() < REPEATED_SHARE
            candidates = [i for i, teller in enumerate(told_by) if teller != f] if repeat else []
            if candidates:
                i = rng.choice(candidates[-2000:])
                original = stories[i]
                how = rng.randrange(3)
                if how == 0:  # the same page, with tracking parameters
                    entry = {**original, "link": original["link"] + f"?utm_source=feed{f}&utm_medium=rss"}
                elif how == 1:  # the same text at another address
                    entry = {**original, "link": f"https://mirror{f}.example.net/{tag}/{n}"}
                else:  # the story retold under a reworded title
                    title = original["title"]
                    for old, new in REWORDED.items():
                        title = title.replace(old, new)
                    entry = {
                        **original,
                        "title": title,
                        "link": f"https://outlet{f}.example.org/{tag}/{n}",
                        "description": f"Outlet {f}'s account: {original['description']}",
                    }
                story = i
            else:
                template, org = rng.choice(EVENTS)
                place = rng.choice(PLACES)
                number = len(stories)
                entry = {
                    "title": template.format(org=f"{org} {number}", place=place) + f" {tag}",
                    "link": f"https://news{f}.example.com/{tag}/{n}",
                    "description": f"Report {number} about the {org} in {place}. "
                    "Officials are investigating.",
                    "pubDate": "07 Dec 2026 10:00:00 GMT",
                    "updated": "2026-12-07T10:00:00Z",
                    "published": "2026-12-07T10:00:00Z",
                }
                story = len(stories)
                stories.append(entry)
                told_by.append(f)
            story_of_link[entry["link"]] = story
            per_feed_entries[f].append(entry)
    documents: dict[str, bytes] = {}
    content_types: dict[str, str] = {}
    for f, entries in enumerate(per_feed_entries):
        path = f"/{tag}/feed-{f:02d}"
        kind = f % 3
        documents[path] = (rss, atom, json_feed)[kind](f"Feed {f}", entries)
        content_types[path] = ("application/rss+xml", "application/atom+xml", "application/feed+json")[kind]
    return Corpus(documents, content_types, story_of_link, len(stories), feeds * per_feed)


@dataclasses.dataclass
class Run:
    seconds: float
    again_seconds: float
    stored: int
    expected: int
    split: int
    merged: int
    entries: int
    # CPU seconds the round took: this process and its parsing processes, and Neo4j (None: not
    # a server of the benchmark's own). On a shared machine the wall time counts others' work too.
    bench_cpu: float = 0.0
    neo4j_cpu: float | None = None
    # The machine's 1-minute load average, sampled each second of the round: lowest and highest.
    load: tuple[float, float] = (0.0, 0.0)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a live process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def tree_cpu_seconds(root: int, leave_out: int | None) -> float:
    """CPU seconds of `root` and its live descendants (the parsing processes), but `leave_out`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # ended meanwhile
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree and pid not in tree}
        tree |= more - {leave_out}
        grew = bool(more - {leave_out})
    total = 0.0
    for pid in tree:
        try:
            total += cpu_seconds(pid)
        except (OSError, IndexError, ValueError):
            continue
    return total


class LoadSampler:
    """The 1-minute load average, read every second while the round runs."""

    def __init__(self) -> None:
        self.samples: list[float] = [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(1.0):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.samples.append(os.getloadavg()[0])


async def one_run(
    db: Database, server: FeedServer, feeds: int, per_feed: int, seed: int, neo4j_pid: int | None = None
) -> Run:
    await clear(db)
    tag = f"b{uuid.uuid4().hex[:8]}"
    made = corpus(tag, feeds, per_feed, seed)
    server.routes.clear()
    settings = load_settings()
    feed_settings = dataclasses.replace(settings.feeds, allow_private_addresses=True, max_bytes=50_000_000)
    ids = []
    for i, (path, body) in enumerate(sorted(made.documents.items())):
        server.routes[path] = Document(body, made.content_types[path])
        ids.append(
            await open_source.configure_feed(
                db,
                ADMIN,
                open_source.FeedConfig(
                    name=f"Bench {i:02d}", url=server.url(path), id=f"bench-{tag}-{i:02d}"
                ),
                feed_settings,
            )
        )
    poller = Poller(db, feed_settings)
    try:
        bench_cpu = tree_cpu_seconds(os.getpid(), neo4j_pid)
        neo4j_cpu = cpu_seconds(neo4j_pid) if neo4j_pid is not None else None
        with LoadSampler() as load:
            started = time.perf_counter()
            report = await poller.poll(ids, force=True)
            seconds = time.perf_counter() - started
        bench_cpu = tree_cpu_seconds(os.getpid(), neo4j_pid) - bench_cpu
        if neo4j_pid is not None and neo4j_cpu is not None:
            neo4j_cpu = cpu_seconds(neo4j_pid) - neo4j_cpu
        assert not any(f.error for f in report.feeds), [f.error for f in report.feeds if f.error]
        started = time.perf_counter()
        again = await poller.poll(ids, force=True)
        again_seconds = time.perf_counter() - started
        assert again.written == 0
    finally:
        await poller.close()
    rows = await db.read_text(
        "MATCH (i:OpenSourceItem) WHERE i.source STARTS WITH $p RETURN i.link AS link, i.urls AS urls",
        p=f"bench-{tag}",
    )
    from graph_api.feeds.identity import canonical_url

    story_by_url = {canonical_url(link): s for link, s in made.story_of_link.items()}
    items_of_story: dict[int, int] = defaultdict(int)
    merged = 0
    for row in rows:
        told = {story_by_url[u] for u in row["urls"] if u in story_by_url}
        merged += len(told) - 1 if told else 0
        for s in told:
            items_of_story[s] += 1
    split = sum(n - 1 for n in items_of_story.values() if n > 1)
    return Run(
        seconds,
        again_seconds,
        len(rows),
        made.stories,
        split,
        merged,
        made.entries,
        bench_cpu,
        neo4j_cpu,
        (min(load.samples), max(load.samples)),
    )


async def clear(db: Database) -> None:
    async def work(tx: Any) -> None:
        await tx.run_text(
            "MATCH (n) WHERE (n:OpenSourceItem AND n.source STARTS WITH 'bench-') "
            "OR (n:OpenSourceFeed AND n.id STARTS WITH 'bench-') DETACH DELETE n"
        )

    await db.in_write_transaction(work)


def write_results(path: Path, runs: list[Run], feeds: int, per_feed: int) -> str:
    pairs = scores()
    best = min(r.seconds for r in runs)
    lines = [
        "# Open-source feeds: fetched, deduplicated, classified and stored",
        "",
        f"`./dev bench-osint --feeds {feeds} --items {per_feed} --runs {len(runs)}` on {platform.node()} "
        f"({os.cpu_count()} cores, shared; the load average during each round is in the table). "
        f"{feeds} feeds of {per_feed} items (RSS, Atom and JSON Feed in turn) served from loopback; "
        "a fifth of the entries repeat another feed's story (tracking parameters, the same text "
        "elsewhere, a reworded title).",
        "",
        "| run | entries | round (s) | CPU of the round: bench + Neo4j (s) | load average "
        "| again, nothing new (s) | items stored | stories | split | merged wrongly |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(runs, 1):
        neo4j = "?" if r.neo4j_cpu is None else f"{r.neo4j_cpu:.1f}"
        lines.append(
            f"| {i} | {r.entries:,} | {r.seconds:.1f} | {r.bench_cpu:.1f} + {neo4j} "
            f"| {r.load[0]:.1f} to {r.load[1]:.1f} | {r.again_seconds:.2f} | {r.stored:,} "
            f"| {r.expected:,} | {r.split} | {r.merged} |"
        )
    verdict = "met" if best <= TARGET_SECONDS else "missed"
    lines += [
        "",
        f"Target: {runs[0].entries:,} items in {TARGET_SECONDS:.0f} s or less: **{verdict}** "
        f"(best {best:.1f} s, median {sorted(r.seconds for r in runs)[len(runs) // 2]:.1f} s).",
        "",
        "## Deduplication on the labelled pairs",
        "",
        f"{pairs.pairs} hand-labelled pairs (tests/fixtures/open_source_pairs.json): precision "
        f"**{pairs.precision:.2f}** ({pairs.true_positives} of "
        f"{pairs.true_positives + pairs.false_positives} pairs called duplicates are), "
        f"recall **{pairs.recall:.2f}** ({pairs.true_positives} of "
        f"{pairs.true_positives + pairs.false_negatives} duplicates found).",
    ]
    for wrong in pairs.wrong:
        lines.append(
            f"- {'missed' if wrong['duplicate'] else 'wrongly merged'}: "
            f'"{wrong["a"]["title"]}" / "{wrong["b"]["title"]}"'
        )
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


async def main(args: argparse.Namespace) -> None:
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, say)
    neo4j_pid = None if settings.external_neo4j else process.running_pid(settings)
    server = FeedServer().start()
    runs: list[Run] = []
    try:
        async with open_driver(settings) as driver:
            db = Database.for_settings(driver, settings)
            await db.migrate()
            for i in range(args.runs):
                run = await one_run(db, server, args.feeds, args.items, seed=i, neo4j_pid=neo4j_pid)
                say(
                    f"run {i + 1}: {run.entries} entries in {run.seconds:.1f} s "
                    f"(CPU {run.bench_cpu:.1f} s + Neo4j {run.neo4j_cpu or 0:.1f} s; "
                    f"load average {run.load[0]:.1f} to {run.load[1]:.1f}) "
                    f"(again {run.again_seconds:.2f} s); {run.stored} items for {run.expected} stories, "
                    f"{run.split} split, {run.merged} merged wrongly"
                )
                runs.append(run)
            await clear(db)
    finally:
        server.stop()
    say(write_results(HERE / "RESULTS-osint.md", runs, args.feeds, args.items))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--items", type=int, default=500, help="items per feed")
    parser.add_argument("--runs", type=int, default=3)
    asyncio.run(main(parser.parse_args()))

"""TAXII 2.1 filtering and paging over a collection's objects, oldest addition first.

`next` is a cursor of our own: the (date added, id) of the last object served, and a fingerprint
of the filters it was served under. It stays valid while the collection grows, because new
versions are always added after it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from graph_api.errors import InvalidInput
from graph_api.taxii.stix import Entry

MAX_PAGE_SIZE = 100
FILTERS = ("added_after", "match[id]", "match[type]", "match[version]", "match[spec_version]")
VERSION_KEYWORDS = ("last", "first", "all")


class BadRequest(InvalidInput):
    """A query a TAXII client must change: answered with 400."""


@dataclass(frozen=True)
class Query:
    added_after: str | None
    ids: frozenset[str] | None
    types: frozenset[str] | None
    versions: frozenset[str] | None
    spec_versions: frozenset[str] | None
    limit: int
    after: tuple[str, str] | None
    fingerprint: str

    def matches(self, entry: Entry) -> bool:
        if self.added_after is not None and entry.date_added <= self.added_after:
            return False
        if self.ids is not None and entry.id not in self.ids:
            return False
        if self.types is not None and entry.object["type"] not in self.types:
            return False
        spec_version = entry.object.get("spec_version", "2.1")
        if self.spec_versions is not None and spec_version not in self.spec_versions:
            return False
        # One version of each object is kept, so it is the first, the last and all of them.
        return self.versions is None or bool(self.versions & {*VERSION_KEYWORDS, entry.version})


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    more: bool
    next: str | None

    @property
    def date_added_headers(self) -> dict[str, str]:
        if not self.entries:
            return {}
        return {
            "X-TAXII-Date-Added-First": self.entries[0].date_added,
            "X-TAXII-Date-Added-Last": self.entries[-1].date_added,
        }


def _timestamp(name: str, raw: str) -> str:
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        example = "2026-11-25T12:00:00.000Z"
        raise BadRequest(f"{name} must be a timestamp such as {example}, not {raw!r}.") from None
    if moment.tzinfo is None:
        raise BadRequest(f"{name} must name its time zone (end it with Z for UTC): {raw!r}.")
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def _values(params: Mapping[str, str], name: str) -> frozenset[str] | None:
    raw = params.get(name)
    if raw is None:
        return None
    values = frozenset(v.strip() for v in raw.split(",") if v.strip())
    if not values:
        raise BadRequest(f"{name} must name at least one value.")
    return values


def _limit(raw: str | None) -> int:
    if raw is None:
        return MAX_PAGE_SIZE
    try:
        limit = int(raw)
    except ValueError:
        raise BadRequest(f"limit must be a whole number, not {raw!r}.") from None
    if limit < 1:
        raise BadRequest(f"limit must be at least 1, not {limit}.")
    return min(limit, MAX_PAGE_SIZE)


def _fingerprint(params: Mapping[str, str], scope: str) -> str:
    wanted = [scope, *(f"{name}={params.get(name, '')}" for name in FILTERS)]
    return hashlib.sha256("\n".join(wanted).encode()).hexdigest()[:16]


def encode_next(entry: Entry, fingerprint: str) -> str:
    text = json.dumps([entry.date_added, entry.id, fingerprint], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode_next(raw: str, fingerprint: str) -> tuple[str, str]:
    problem = BadRequest(
        "next is not a value this server gave for this request: start again without it, "
        "with the same filters."
    )
    try:
        text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
        date_added, object_id, seen = json.loads(text)
    except (binascii.Error, UnicodeDecodeError, ValueError, TypeError):
        raise problem from None
    if not (isinstance(date_added, str) and isinstance(object_id, str)) or seen != fingerprint:
        raise problem
    return date_added, object_id


def parse_query(params: Mapping[str, str], scope: str) -> Query:
    """The filters of a request; `scope` is the collection (and object) the cursor belongs to."""
    fingerprint = _fingerprint(params, scope)
    raw_added = params.get("added_after")
    versions = _values(params, "match[version]")
    for version in versions or ():
        if version not in VERSION_KEYWORDS:
            _timestamp("match[version]", version)
    raw_next = params.get("next")
    return Query(
        added_after=_timestamp("added_after", raw_added) if raw_added is not None else None,
        ids=_values(params, "match[id]"),
        types=_values(params, "match[type]"),
        versions=(
            None
            if versions is None
            else frozenset(v if v in VERSION_KEYWORDS else _timestamp("match[version]", v) for v in versions)
        ),
        spec_versions=_values(params, "match[spec_version]"),
        limit=_limit(params.get("limit")),
        after=_decode_next(raw_next, fingerprint) if raw_next else None,
        fingerprint=fingerprint,
    )


def page_of(entries: list[Entry], query: Query) -> Page:
    """The page of matching entries after the cursor (`entries` sorted by date added, then id)."""
    matching = [e for e in entries if query.matches(e)]
    if query.after is not None:
        matching = [e for e in matching if (e.date_added, e.id) > query.after]
    shown = matching[: query.limit]
    more = len(matching) > len(shown)
    return Page(shown, more, encode_next(shown[-1], query.fingerprint) if more else None)

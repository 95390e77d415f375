"""A feed document (RSS 2.0, Atom 1.0 or JSON Feed 1.x) as a list of entries.

RSS and Atom are read by feedparser, which never fetches anything itself when given bytes. Every
text is kept as plain text (markup, scripts and styles removed here), so feedparser's own HTML
sanitizer, a third of its time, is not needed. JSON Feed is plain JSON, read here. A document that is not
well-formed is refused whole: a parser that guesses at broken XML could store half an item.
"""

from __future__ import annotations

import calendar
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from graph_api.feeds.identity import plain_text

MAX_TITLE_CHARS = 500
MAX_SUMMARY_CHARS = 10_000
JSON_FEED_VERSION_PREFIX = "https://jsonfeed.org/version/1"
# feedparser says "bozo" for these too, but the document was read correctly.
_HARMLESS = (feedparser.CharacterEncodingOverride,)


class FeedUnreadable(Exception):
    """The document is not a feed this service reads; the message says why, for the feed's status."""


@dataclass(frozen=True)
class Entry:
    """One item as a feed gave it: its address, its title and text (plain), when it was published."""

    link: str
    title: str
    summary: str
    published_at: str | None  # ISO-8601 UTC


def parse(body: bytes, content_type: str | None = None) -> list[Entry]:
    """The entries of a document, in the feed's order. Entries without a link are dropped: an
    item of the report always carries its source link."""
    if _looks_like_json(body, content_type):
        return _json_feed(body)
    return _xml_feed(body)


def _looks_like_json(body: bytes, content_type: str | None) -> bool:
    if content_type and "json" in content_type.lower():
        return True
    return body.lstrip()[:1] == b"{"


def _xml_feed(body: bytes) -> list[Entry]:
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo") and not isinstance(parsed.get("bozo_exception"), _HARMLESS):
        raise FeedUnreadable(f"not well-formed XML: {parsed.get('bozo_exception')}")
    version = parsed.get("version") or ""
    if not version.startswith(("rss", "atom")):
        raise FeedUnreadable("the document is neither RSS, Atom nor JSON Feed")
    entries = []
    for raw in parsed.entries:
        link = str(raw.get("link") or "").strip()
        if not link:
            continue
        summary = raw.get("summary") or ""
        if not summary and raw.get("content"):
            summary = raw["content"][0].get("value") or ""
        moment = raw.get("published_parsed") or raw.get("updated_parsed")
        published = (
            datetime.fromtimestamp(calendar.timegm(moment), UTC).isoformat() if moment is not None else None
        )
        entries.append(_entry(link, str(raw.get("title") or ""), str(summary), published))
    return entries


def _json_feed(body: bytes) -> list[Entry]:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedUnreadable(f"not well-formed JSON: {exc}") from None
    if not isinstance(document, dict) or not str(document.get("version", "")).startswith(
        JSON_FEED_VERSION_PREFIX
    ):
        raise FeedUnreadable("a JSON document without a JSON Feed version")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedUnreadable("a JSON Feed without an items list")
    entries = []
    for raw in items:
        if not isinstance(raw, dict):
            continue
        link = _text(raw.get("url")) or _text(raw.get("external_url"))
        if not link:
            continue
        summary = (
            _text(raw.get("content_text")) or _text(raw.get("summary")) or _text(raw.get("content_html"))
        )
        entries.append(_entry(link, _text(raw.get("title")), summary, _moment(raw.get("date_published"))))
    return entries


def _entry(link: str, title: str, summary: str, published: str | None) -> Entry:
    text = plain_text(summary)
    return Entry(
        link=link,
        title=plain_text(title)[:MAX_TITLE_CHARS] or text[:120],
        summary=text[:MAX_SUMMARY_CHARS],
        published_at=published,
    )


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _moment(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat()

"""What makes two open-source items the same: a canonical URL, a content hash, a title key."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Query parameters that say where a reader came from, never what the page is.
TRACKING_PARAMETERS = frozenset(
    {"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "cmpid", "spm"}
)
DEFAULT_PORTS = {"http": 80, "https": 443}
_SPACES = re.compile(r"\s+")
_TAGS = re.compile(r"<[^>]+>")
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_WORDS = re.compile(r"[^\w\s]")


def canonical_url(url: str) -> str:
    """The URL with what does not change the page removed: scheme and host in lower case, the
    default port, the fragment, tracking parameters (utm_*, fbclid, ...), a trailing slash; the
    other parameters sorted. http and https name the same page."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return url.strip()
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = parts.port
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    query = sorted(
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith("utm_") and k.lower() not in TRACKING_PARAMETERS
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("https", netloc, path, urlencode(query), ""))


def plain_text(html: str) -> str:
    """Text with markup (and what scripts and styles hold) removed, white space collapsed."""
    if "<" not in html:
        return _SPACES.sub(" ", html).strip()
    return _SPACES.sub(" ", unescape(_TAGS.sub(" ", _HIDDEN.sub(" ", html)))).strip()


def normalized(text: str) -> str:
    """Lower case, accents and punctuation removed, white space collapsed: what a reader sees."""
    stripped = plain_text(text)
    if not stripped.isascii():
        decomposed = unicodedata.normalize("NFKD", stripped)
        stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _WORDS.sub(" ", stripped.lower())).strip()


def content_hash(title: str, summary: str) -> str:
    """The SHA-256 of an item's normalized title and text: the same story under another address."""
    text = f"{normalized(title)}\n{normalized(summary)}"
    return hashlib.sha256(text.encode()).hexdigest()


def item_id(canonical: str) -> str:
    """A stable id for the item first seen at this canonical URL."""
    return "osi-" + hashlib.sha256(canonical.encode()).hexdigest()[:20]

"""Which stored item an entry is: by canonical URL, then by content hash, then by a near-duplicate
title from another source.

A `Deduplicator` holds what it needs of the stored items (their addresses, content hashes, titles
and sources) and learns each new item as it decides, so that a batch is deduplicated against
itself as well as against the store. Title matching compares a title only with the stored titles
that share one of its rarest words, so a decision costs a few comparisons, not one per item.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from rapidfuzz import fuzz

from graph_api.feeds.identity import canonical_url, content_hash, item_id, normalized

# rapidfuzz's WRatio of two normalized titles at or above which they may tell the same story
# (chosen on the labelled pairs of tests/fixtures/open_source_pairs.json; precision and recall in
# bench/RESULTS-osint.md). Two titles that each name something the other does not (a place, a
# storm, a number) tell different stories however alike the rest is.
TITLE_SIMILARITY = 89.0
# Titles shorter than this many words ("Weekly update") say too little to be matched.
MIN_TITLE_WORDS = 4
# Words that say nothing about which story a title tells.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "new",
        "of",
        "on",
        "or",
        "says",
        "the",
        "to",
        "was",
        "were",
        "with",
    }
)
# A title is compared with the stored titles sharing one of its two rarest words, leaving out
# words so common (in more than MAX_POSTINGS titles) that they say nothing of the story: a
# decision then costs a few comparisons, not one per stored item.
CANDIDATE_WORDS = 2
MAX_POSTINGS = 200
NUMBER_WORDS = frozenset(
    {
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "dozen",
        "dozens",
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "first",
        "second",
        "third",
    }
)
_TOKENS = re.compile(r"\w[\w'.,-]*\w|\w")
# A title with at least this share of its words capitalized is in headline case: its capitals
# name nothing in particular.
HEADLINE_CASE = 0.6


class Verdict(StrEnum):
    NEW = "NEW"  # store it
    UNCHANGED = "UNCHANGED"  # stored already, nothing to write
    CHANGED = "CHANGED"  # its own source changed it: update the stored item
    DUPLICATE = "DUPLICATE"  # another source's copy of a stored item: note the source, store nothing new


class Match(StrEnum):
    URL = "URL"
    CONTENT = "CONTENT"
    TITLE = "TITLE"


@dataclass
class Known:
    """A stored item as deduplication sees it."""

    id: str
    url: str  # canonical
    content_hash: str
    title: str  # as the feed gave it
    source: str  # the feed it was first stored from
    feeds: set[str] = field(default_factory=set)  # every feed that carried it
    urls: set[str] = field(default_factory=set)  # every canonical address it was seen at
    hashes: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    item: str  # the stored (or new) item's id
    url: str  # the entry's canonical URL
    content_hash: str
    match: Match | None = None


def title_words(title: str) -> list[str]:
    """The words of a normalized title that say which story it tells."""
    return [w for w in title.split() if w not in STOPWORDS and len(w) > 2]


def marks(title: str) -> frozenset[str]:
    """What a title names in particular: numbers, and capitalized words after the first (unless
    the title capitalizes most of its words)."""
    tokens = _TOKENS.findall(title)
    later = tokens[1:]
    capitalized = [t for t in later if t[:1].isupper()]
    headline = bool(later) and len(capitalized) / len(later) >= HEADLINE_CASE
    found = {_normalized_word(t) for t in tokens if any(map(str.isdigit, t)) or t.lower() in NUMBER_WORDS}
    if not headline:
        found |= {_normalized_word(t) for t in capitalized}
    return frozenset(found)


# Words recur from title to title (places, numbers, names): each is normalized once.
_normalized_word = functools.lru_cache(maxsize=65_536)(normalized)


@dataclass(frozen=True)
class TitleFacts:
    """What title matching needs of one title, worked out once for both the decision and the
    learning that follows it."""

    normalized: str
    marks: frozenset[str]
    words: tuple[str, ...]


@functools.lru_cache(maxsize=4096)
def title_facts(raw_title: str) -> TitleFacts:
    title = normalized(raw_title)
    return TitleFacts(title, marks(raw_title), tuple(title_words(title)))


def _conflict(a: frozenset[str], b: frozenset[str]) -> bool:
    """Each names something the other does not."""
    return not a <= b and not b <= a


def entry_keys(link: str, title: str, summary: str) -> tuple[str, str]:
    """An entry's canonical URL and content hash: what finds it among stored items."""
    return canonical_url(link), content_hash(title, summary)


class Deduplicator:
    def __init__(self, known: Iterable[Known] = ()) -> None:
        self.items: dict[str, Known] = {}
        # Each item's normalized title, its marks and how many telling words it has.
        self._titles: dict[str, tuple[str, frozenset[str], int]] = {}
        self._by_url: dict[str, str] = {}
        self._by_hash: dict[str, str] = {}
        self._by_word: dict[str, set[str]] = {}
        for item in known:
            self.learn(item)

    def learn(self, item: Known) -> None:
        """Remember a stored item (or the new state of one)."""
        previous = self._titles.get(item.id)
        if previous is not None:
            for word in title_words(previous[0]):
                self._by_word.get(word, set()).discard(item.id)
        facts = title_facts(item.title)
        words = facts.words
        self._titles[item.id] = (facts.normalized, facts.marks, len(words))
        item.feeds.add(item.source)
        item.urls.add(item.url)
        item.hashes.add(item.content_hash)
        self.items[item.id] = item
        for url in item.urls:
            self._by_url.setdefault(url, item.id)
        for digest in item.hashes:
            self._by_hash.setdefault(digest, item.id)
        for word in words:
            self._by_word.setdefault(word, set()).add(item.id)

    def decide(
        self, feed: str, link: str, title: str, summary: str, *, keys: tuple[str, str] | None = None
    ) -> Decision:
        """What to do with one entry of `feed`; the decision is also learnt, so the next entry
        sees this one. `keys`: the entry's canonical URL and content hash, when the caller has
        worked them out already."""
        url, digest = keys if keys is not None else entry_keys(link, title, summary)
        decision = self._judge(feed, url, digest, title)
        self._note(feed, url, digest, title, decision)
        return decision

    def _judge(self, feed: str, url: str, digest: str, title: str) -> Decision:
        if (found := self._by_url.get(url)) is not None:
            item = self.items[found]
            if feed == item.source and url == item.url and digest != item.content_hash:
                return Decision(Verdict.CHANGED, found, url, digest, Match.URL)
            verdict = Verdict.UNCHANGED if feed in item.feeds else Verdict.DUPLICATE
            return Decision(verdict, found, url, digest, Match.URL)
        if (found := self._by_hash.get(digest)) is not None:
            return self._copy(feed, found, url, digest, Match.CONTENT)
        if (found := self.similar_title(feed, title)) is not None:
            return self._copy(feed, found, url, digest, Match.TITLE)
        return Decision(Verdict.NEW, item_id(url), url, digest)

    def _copy(self, feed: str, found: str, url: str, digest: str, match: Match) -> Decision:
        # A copy at an address the item was not seen at yet: noted once, then known by its URL.
        return Decision(Verdict.DUPLICATE, found, url, digest, match)

    def similar_title(self, feed: str, raw_title: str) -> str | None:
        """A stored item from another source whose title tells the same story, if any."""
        facts = title_facts(raw_title)
        title, named, words = facts.normalized, facts.marks, facts.words
        if len(words) < MIN_TITLE_WORDS:
            return None
        postings = sorted((self._by_word.get(w, set()) for w in set(words)), key=len)
        telling = [p for p in postings if len(p) <= MAX_POSTINGS] or postings[:1]
        candidates = set().union(*telling[:CANDIDATE_WORDS])
        best, best_score = None, TITLE_SIMILARITY
        for candidate in sorted(candidates):
            item = self.items[candidate]
            if feed in item.feeds:
                continue  # one source's own items are told apart by their addresses
            other, other_named, other_words = self._titles[candidate]
            if other_words < MIN_TITLE_WORDS or _conflict(named, other_named):
                continue
            score = fuzz.WRatio(title, other, score_cutoff=best_score)
            if score >= best_score and (best is None or score > best_score):
                best, best_score = candidate, score
        return best

    def _note(self, feed: str, url: str, digest: str, title: str, decision: Decision) -> None:
        if decision.verdict == Verdict.NEW:
            self.learn(Known(decision.item, url, digest, title, feed))
        elif decision.verdict == Verdict.CHANGED:
            item = self.items[decision.item]
            self.learn(Known(item.id, url, digest, title, item.source, item.feeds, item.urls, item.hashes))
        elif decision.verdict == Verdict.DUPLICATE:
            item = self.items[decision.item]
            item.feeds.add(feed)
            item.urls.add(url)
            item.hashes.add(digest)
            self._by_url.setdefault(url, item.id)
            self._by_hash.setdefault(digest, item.id)

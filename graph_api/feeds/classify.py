"""Suggested sectors, topics and regions of an item, from keyword rules and the region tree.

A keyword rule names a sector or a topic and the words or phrases that suggest it; the stored
rules of a target replace its built-in ones (`keywords.DEFAULT_RULES`). A region is suggested
when its name appears in the text. Matching is case-blind and on whole words; all the phrases are
one regular expression, so an item is read once whatever the number of rules.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class RuleTarget(StrEnum):
    SECTOR = "SECTOR"
    TOPIC = "TOPIC"


@dataclass(frozen=True)
class KeywordRule:
    target: RuleTarget
    ref: str  # the sector's or topic's id
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Suggestion:
    sectors: list[str]
    topics: list[str]
    regions: list[str]


# Regions too wide to say anything about where something happened.
UNSPECIFIC_REGION_KINDS = frozenset({"NATION"})


def _matcher(phrases: Iterable[str]) -> re.Pattern[str] | None:
    unique = sorted({p.strip().lower() for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    if not unique:
        return None
    alternatives = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in unique)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


class Classifier:
    def __init__(self, rules: Iterable[KeywordRule], regions: Iterable[tuple[str, str, str]] = ()) -> None:
        """`regions`: (id, name, kind) of the region tree."""
        self._targets: dict[str, set[tuple[RuleTarget, str]]] = {}
        for rule in rules:
            for keyword in rule.keywords:
                key = _space(keyword)
                if key:
                    self._targets.setdefault(key, set()).add((rule.target, rule.ref))
        self._keywords = _matcher(self._targets)
        self._regions: dict[str, set[str]] = {}
        for region_id, name, kind in regions:
            if kind not in UNSPECIFIC_REGION_KINDS and name.strip():
                self._regions.setdefault(_space(name), set()).add(region_id)
        self._region_names = _matcher(self._regions)

    def suggest(self, text: str, sectors: Iterable[str] = (), topics: Iterable[str] = ()) -> Suggestion:
        """What `text` suggests, beside the feed's own default sectors and topics."""
        found_sectors, found_topics, found_regions = set(sectors), set(topics), set()
        if self._keywords is not None:
            for phrase in self._keywords.findall(text):
                for target, ref in self._targets.get(_space(phrase), ()):
                    (found_sectors if target == RuleTarget.SECTOR else found_topics).add(ref)
        if self._region_names is not None:
            for name in self._region_names.findall(text):
                found_regions |= self._regions.get(_space(name), set())
        return Suggestion(sorted(found_sectors), sorted(found_topics), sorted(found_regions))


def _space(text: str) -> str:
    return " ".join(text.lower().split())


def effective_rules(defaults: Iterable[KeywordRule], stored: Iterable[KeywordRule]) -> list[KeywordRule]:
    """The built-in rules, each replaced by the stored rule of the same target if there is one."""
    chosen = {(r.target, r.ref): r for r in defaults}
    chosen.update({(r.target, r.ref): r for r in stored})
    return [chosen[key] for key in sorted(chosen)]

"""The matching index's keys: which posting lists an article looks up and an event is listed under.

Candidates come from an index: one posting list per key of :func:`index_keys` (at most
``MAX_KEYS``), each a sorted set of event ids scored by :func:`anchor` (the event's first day).
The caller reads, per key, at most ``MAX_PER_KEY`` events nearest the article's day within
:func:`window`, the rarest lists first and no further list once ``MAX_FOUND`` events are found
(a common key such as "police" adds little once rarer keys have found events), and scores at most
``MAX_CANDIDATES`` of them (the rarest keys shared first), so one match costs the same however
many events are kept.
"""

from __future__ import annotations

import math
from datetime import datetime

from agents.core import story
from agents.core.cards import EventCard, dated
from schemas import EventFeatures

MAX_KEYS = 10
"""Posting keys an article looks up."""
CARD_KEYS = 20
"""Posting keys an event is listed under."""
MAX_PER_KEY = 6
"""Events read per posting list: those anchored nearest the article's day, half on each side."""
MAX_CANDIDATES = 4
"""Event cards read and scored per article: those sharing the most (or rarest) keys with it."""
MAX_FOUND = 16
"""Posting lists are read rarest first until this many events have been found."""


def index_keys(f: EventFeatures, n: int = MAX_KEYS) -> list[str]:
    """Posting keys under which an event is found, or with which an article looks: its most telling terms.

    At most ``n``: the main incident type, the top entities and places, and keywords when names
    are few. An incident type alone is a weak key (many events), but it finds the events of the
    same kind nearest in date when names differ.
    """
    ne, np_ = (5, 3) if n <= MAX_KEYS else (9, 6)
    keys = [f"i:{i}" for i in f.incident[:1]] + [f"e:{e}" for e in f.entities[:ne]] + [f"p:{p}" for p in f.places[:np_]]
    keys += [f"k:{k}" for k in f.keywords[: max(2, n - len(keys))]]
    return list(dict.fromkeys(keys))[:n]


def day_number(when: datetime | None) -> float:
    """Days since the Unix epoch: the score of an event in a posting list (0 when undated)."""
    return when.timestamp() / 86400.0 if when is not None else 0.0


def anchor(card: EventCard) -> float:
    """Where an event sits in its posting lists: the first day of its span (0: undated, a band of its own)."""
    return day_number(card.date_min)


UNDATED = 0.0
"""The posting score of undated events: a dated article also reads this band, an undated one reads every date."""
LOOKUP_DAYS = 400.0
"""Events anchored this far from an article's date are still looked up (the nearest ones per key): its
publication date may be a crawl date months late, which its text contradicts (:func:`assess`)."""


def window(f: EventFeatures) -> tuple[float, float, float]:
    """(lowest, middle, highest) posting score worth looking up for an article: events anchored within
    ``LOOKUP_DAYS`` of its date (and the undated band, :data:`UNDATED`), or as far back as
    :data:`agents.core.story.STORY_DAYS` for a later step of a story (a trial); for an undated article, any
    date, the newest first."""
    when = dated(f)
    if when is None:
        return -math.inf, math.inf, math.inf
    d = day_number(when)
    back = story.STORY_DAYS if story.is_step(f.keywords) else LOOKUP_DAYS  # a trial looks back to its incident
    return d - back, d, d + LOOKUP_DAYS


def card_keys(card: EventCard) -> list[str]:
    """The posting keys an event is listed under: :func:`index_keys` of its card's main terms."""
    return index_keys(card.features, CARD_KEYS)


def posting_changes(old: EventCard | None, new: EventCard) -> tuple[list[str], list[str]]:
    """(keys to drop the event from, keys to (re)list it under) after ``old`` became ``new``.

    An event is listed under its :func:`card_keys` (at most ``CARD_KEYS``), scored by its
    :func:`anchor`; only the keys it gained are written, or all of them when the anchor moved.
    """
    keep = card_keys(new)
    if old is None:
        return [], keep
    before = card_keys(old)
    kept = set(keep)
    gone = [k for k in before if k not in kept]
    if anchor(old) != anchor(new):
        return gone, keep
    had = set(before)
    return gone, [k for k in keep if k not in had]

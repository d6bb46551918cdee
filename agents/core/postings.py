"""The matching index in memory: posting lists of event cards, with the bounds of the Redis store's index,
for tests and offline runs."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from agents.core.card_index import (
    MAX_CANDIDATES,
    MAX_FOUND,
    MAX_PER_KEY,
    UNDATED,
    anchor,
    card_keys,
    index_keys,
    posting_changes,
    window,
)
from agents.core.cards import IDLE_DAYS, EventCard, absorb, is_idle, merge_cards, new_event_id
from agents.core.event_merges import mergeable, survivor
from agents.core.matching import choose
from schemas import EventFeatures


class PostingIndex:
    """The matching index in memory, with the bounds of the Redis one (for tests and offline runs).

    ``postings[key]`` maps event id -> anchor. A lookup reads, per key of the article, the
    ``MAX_PER_KEY`` events anchored nearest its day within :func:`window` (half on each side), the
    rarest lists first (fewest events, then the article's order of keys) until ``MAX_FOUND`` events
    are found; it ranks them by the summed rarity of the keys they share with the article (log N/df)
    and returns the top ``MAX_CANDIDATES`` ids. (The in-memory lists are sorted per lookup: fine for
    tests, not for millions of events; Redis keeps them as sorted sets.)
    """

    def __init__(self) -> None:
        self.postings: dict[str, dict[str, float]] = {}
        self.cards: dict[str, EventCard] = {}

    def lookup(self, f: EventFeatures) -> list[EventCard]:
        """The candidate cards for an article."""
        lo, mid, hi = window(f)
        half = max(1, MAX_PER_KEY // 2)
        n = len(self.cards) + 1
        score: dict[str, float] = {}
        keys = [(len(post), i, post) for i, k in enumerate(index_keys(f)) if (post := self.postings.get(k))]
        for df, _, post in sorted(keys, key=lambda x: x[:2]):  # rarest first, until MAX_FOUND events are found
            if len(score) >= MAX_FOUND:
                break
            idf = math.log(n / df) + 0.1
            after = sorted((a, e) for e, a in post.items() if mid <= a <= hi)[:half]
            before = sorted(((a, e) for e, a in post.items() if lo <= a <= mid), reverse=True)[:half]
            band = (
                sorted(((a, e) for e, a in post.items() if a == UNDATED), reverse=True)[:half] if lo > UNDATED else []
            )
            for e in {e for _, e in after} | {e for _, e in before} | {e for _, e in band}:
                score[e] = score.get(e, 0.0) + idf
        top = sorted(score.items(), key=lambda x: (-x[1], x[0]))[:MAX_CANDIDATES]
        return [self.cards[e] for e, _ in top]

    def put(self, card: EventCard) -> None:
        """Store a new or changed card and move its postings."""
        gone, keep = posting_changes(self.cards.get(card.event_id), card)
        for k in gone:
            self.postings.get(k, {}).pop(card.event_id, None)
        a = anchor(card)
        for k in keep:
            self.postings.setdefault(k, {})[card.event_id] = a
        self.cards[card.event_id] = card

    def remove(self, event_id: str) -> EventCard | None:
        """Take an event out of the index (archived or merged away); return its card."""
        card = self.cards.pop(event_id, None)
        if card is not None:
            for k in card_keys(card):
                self.postings.get(k, {}).pop(event_id, None)
        return card

    def match(self, f: EventFeatures, article_id: str, at: datetime) -> tuple[str, bool]:
        """Place one article: (event id, opened a new event). Merges are left to :meth:`merge`."""
        cands = self.lookup(f)
        chosen = choose(f, cands)
        eid = chosen or new_event_id(article_id)
        self.put(absorb(self.cards.get(eid), eid, f, at))
        return eid, chosen is None

    def merge(self, event_id: str, others: Iterable[EventCard]) -> list[tuple[str, str]]:
        """Merge into one the event and any of ``others`` it now matches; return (absorbed, survivor) pairs."""
        out: list[tuple[str, str]] = []
        card = self.cards.get(event_id)
        for other in others:
            o = self.cards.get(other.event_id)
            if card is None or o is None or not mergeable(card, o):
                continue
            keep, gone = survivor(card, o)
            self.remove(gone.event_id)
            card = merge_cards(keep, gone)
            self.put(card)
            out.append((gone.event_id, keep.event_id))
        return out

    def archive_idle(self, now: datetime, idle_days: float = IDLE_DAYS) -> list[str]:
        """Take the idle events out of the index (their states stay queryable elsewhere); return their ids."""
        idle = [e for e, c in self.cards.items() if is_idle(c, now, idle_days)]
        for e in idle:
            self.remove(e)
        return idle

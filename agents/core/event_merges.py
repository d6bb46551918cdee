"""Two events found to be one: whether two cards merge (:func:`mergeable`), which survives, and which
to merge after a change."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

from agents.core import particulars
from agents.core.cards import EventCard, days_between
from agents.core.evidence import compare, distinct_mains
from agents.core.matching import SAME_DAYS, card_side, cosine

MERGE_THRESHOLD = 0.5
"""Least cosine of two events' centroids, dated near each other, for them to be merged as one."""


def _unit(v: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def span_gap(a: EventCard, b: EventCard) -> float:
    """Days between two events' date spans (0 when they overlap)."""
    if None in (a.date_min, a.date_max, b.date_min, b.date_max):
        return 0.0
    assert a.date_min and a.date_max and b.date_min and b.date_max
    if a.date_max < b.date_min:
        return days_between(b.date_min, a.date_max)
    if b.date_max < a.date_min:
        return days_between(a.date_min, b.date_max)
    return 0.0


def mergeable(a: EventCard, b: EventCard) -> bool:
    """True when later evidence shows two events are one: close centroids, dates near each other.

    Stricter than joining an article (``MERGE_THRESHOLD``, spans within ``SAME_DAYS``): a merge
    cannot be undone by the next article.
    """
    if a.event_id == b.event_id or span_gap(a, b) > SAME_DAYS:
        return False
    sa, sb = card_side(a), card_side(b)
    verdict = compare(sa, sb)
    named = bool(sa.places or sa.actors or sb.places or sb.actors)
    if (
        (
            verdict.vetoed
            or "conflict" in (verdict.place, verdict.actors, verdict.when)
            or (named and not (verdict.place == "agree" or verdict.actors == "agree"))
        )
        or particulars.compare(a.marks, b.marks) == "apart"
        or distinct_mains(sa, sb)
    ):
        return False  # a merge cannot be undone: no aspect may conflict, and places or actors must agree
    return cosine(_unit(a.centroid), b.centroid) >= MERGE_THRESHOLD


def survivor(a: EventCard, b: EventCard) -> tuple[EventCard, EventCard]:
    """(surviving, absorbed) of two events to merge: the bigger one, else the older, else the lower id."""

    def rank(c: EventCard) -> tuple[int, float, str]:
        return (-c.n_articles, c.date_min.timestamp() if c.date_min else 0.0, c.event_id)

    return (a, b) if rank(a) <= rank(b) else (b, a)


def merges_after(card: EventCard, others: Iterable[EventCard]) -> list[EventCard]:
    """The other candidate events that an event's updated card now shows to be the same event."""
    return [o for o in others if mergeable(card, o)]

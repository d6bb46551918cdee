"""Event matching: which known event an article belongs to (see issue 4).

An article is a sparse vector of weighted terms (entities ``e:``, places ``p:``, incident types
``i:``, keywords ``k:``); an event card keeps the centroid of its articles' vectors and the span
of their dates. :func:`similarity` is the cosine of the two, gated by time:

* within ``SAME_DAYS`` of the event's dates, content decides alone;
* within ``NEAR_DAYS``, likewise, unless the article's text places a fresh incident at its own
  date ("fires another missile on Friday") more often than it names days of the event;
* up to ``FAR_DAYS`` away, only as a follow-up story ("death toll in Nice attack rises to 85")
  that names a day within the event's span ("July 14") and no fresher one;
* further away, never.

Candidates come from an index (postings of :func:`index_keys`, at most ``MAX_KEYS`` keys); the
caller keeps at most ``MAX_PER_KEY`` events per key (the ones nearest in date) and scores at most
``MAX_CANDIDATES`` of them (:func:`rank_candidates`), so one match costs the same however many
events are kept.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from pydantic import BaseModel, Field

from schemas import EventFeatures
from schemas.ids import digest

SAME_DAYS = 4.0
"""Articles dated this close to an event's dates are judged on content alone."""
NEAR_DAYS = 12.0
"""Up to this far, content decides unless the article's text places a fresh incident at its own date."""
FAR_DAYS = 90.0
"""Beyond this, an article never joins the event (kept apart by date)."""
SUPPORT_DAYS = 2.0
"""A day the article names this close to the event's span supports the match."""
MAX_DAYS_APART = FAR_DAYS
"""Kept for callers of the first version."""
THRESHOLD = 0.26
"""Least similarity to join an event dated near the article."""
FOLLOW_UP_THRESHOLD = 0.28
"""Least similarity to join an event dated far from the article (a follow-up story naming a day
within the event's span)."""

TYPE_WEIGHTS = {"e": 1.0, "p": 0.9, "i": 1.0, "k": 0.6}
CARD_TERMS = 100
"""Terms kept in an event's centroid."""
CARD_MENTIONS = 32
"""Named days kept in an event's card (the first ones)."""
MAX_KEYS = 16
MAX_PER_KEY = 50
MAX_CANDIDATES = 64


class EventCard(BaseModel):
    """What the matching index keeps of one event."""

    event_id: str
    features: EventFeatures
    n_articles: int = 0
    last_seen: datetime
    date_min: datetime | None = None
    date_max: datetime | None = None
    centroid: dict[str, float] = Field(default_factory=dict)
    """Sum of the articles' normalised term vectors (top ``CARD_TERMS`` terms)."""


def new_event_id(article_id: str) -> str:
    """The id of an event opened by an article (deterministic, so a replay gives the same id)."""
    return "ev-" + digest(article_id, n=12)


def vector(f: EventFeatures) -> dict[str, float]:
    """The article's weighted, L2-normalised term vector."""
    raw = f.weights or _weights_from_lists(f)
    v = {t: w * TYPE_WEIGHTS.get(t[0], 0.5) for t, w in raw.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def _weights_from_lists(f: EventFeatures) -> dict[str, float]:
    out: dict[str, float] = {}
    for prefix, items in (("e:", f.entities), ("p:", f.places), ("i:", f.incident), ("k:", f.keywords)):
        for rank, key in enumerate(items):
            out[prefix + key] = 1.0 / (1.0 + 0.1 * rank)
    return out


def index_keys(f: EventFeatures) -> list[str]:
    """Posting keys under which an event (or a query article) is found: its most telling terms.

    At most ``MAX_KEYS``: the top entities and places, and keywords when names are few.
    """
    keys = [f"e:{e}" for e in f.entities[:7]] + [f"p:{p}" for p in f.places[:5]]
    keys += [f"k:{k}" for k in f.keywords[: max(2, MAX_KEYS - len(keys))]]
    return list(dict.fromkeys(keys))[:MAX_KEYS]


def rank_candidates(hits: Mapping[str, int] | Iterable[str], limit: int = MAX_CANDIDATES) -> list[str]:
    """The event ids worth scoring: those found under the most posting keys, at most ``limit``."""
    if not isinstance(hits, Mapping):
        counts: dict[str, int] = {}
        for eid in hits:
            counts[eid] = counts.get(eid, 0) + 1
        hits = counts
    return [eid for eid, _ in sorted(hits.items(), key=lambda x: (-x[1], x[0]))[:limit]]


def cosine(v: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    """Cosine of a normalised article vector and an (unnormalised) centroid."""
    if not v or not centroid:
        return 0.0
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    return sum(x * centroid.get(t, 0.0) for t, x in v.items()) / norm


def _days(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds() / 86400.0


def date_gap(f: EventFeatures, card: EventCard) -> float:
    """Days between the article's date and the event's span (0 inside it)."""
    if f.date is None or card.date_min is None or card.date_max is None:
        return 0.0
    if f.date < card.date_min:
        return _days(card.date_min, f.date)
    if f.date > card.date_max:
        return _days(f.date, card.date_max)
    return 0.0


def _near(d: datetime, lo: datetime, hi: datetime, slack: float = SUPPORT_DAYS) -> bool:
    return lo - timedelta(days=slack + 1) <= d <= hi + timedelta(days=slack)


def event_days(card: EventCard) -> list[datetime]:
    """Days the event's articles name repeatedly (all of them while it has one article)."""
    counts: dict[datetime, int] = {}
    for d in card.features.mentioned_dates:
        counts[d] = counts.get(d, 0) + 1
    need = 1 if card.n_articles <= 1 else 2
    return [d for d, c in counts.items() if c >= need]


def date_evidence(f: EventFeatures, card: EventCard) -> tuple[int, int]:
    """(support, fresh) for an article dated away from the event's span, read from the later side.

    The later side (the article, or the event when the article is older) names days. support:
    days on the earlier side's dates or on days the earlier side names ("Death toll in Nice
    attack rises" naming "July 14"). fresh: other days near the later side's own dates, a
    separate incident ("fires another missile on Friday").
    """
    if f.date is None or card.date_min is None or card.date_max is None:
        return 0, 0
    if f.date >= card.date_min:
        later, own_lo, own_hi = f.mentioned_dates, f.date, f.date
        early_lo, early_hi, early_days = card.date_min, card.date_max, event_days(card)
    else:
        later, own_lo, own_hi = card.features.mentioned_dates, card.date_min, card.date_max
        early_lo, early_hi, early_days = f.date, f.date, f.mentioned_dates
    support = fresh = 0
    for d in later:
        if _near(d, early_lo, early_hi) or any(_near(d, e, e, 1.0) for e in early_days):
            support += 1
        elif _near(d, own_lo, own_hi, 1.0):
            fresh += 1
    return support, fresh


def similarity(f: EventFeatures, card: EventCard) -> float:
    """How likely the article and the event are one story, in [0, 1]; 0 when time rules it out.

    Scores of far-dated events are scaled so that the plain threshold stands for the stricter
    follow-up threshold.
    """
    gap = date_gap(f, card)
    if gap > FAR_DAYS:
        return 0.0
    sim = cosine(vector(f), card.centroid or vector(card.features))
    if gap <= SAME_DAYS:
        return sim * (1.0 - 0.02 * gap / NEAR_DAYS)
    support, fresh = date_evidence(f, card)
    if fresh > support:
        return 0.0
    if gap <= NEAR_DAYS:
        return sim * (1.0 - 0.02 * gap / NEAR_DAYS)
    if not support:
        return 0.0
    return sim * THRESHOLD / FOLLOW_UP_THRESHOLD * (1.0 - 0.05 * gap / FAR_DAYS)


def choose(f: EventFeatures, candidates: list[EventCard]) -> str | None:
    """The best matching event id, or ``None`` to open a new event."""
    best, best_id = 0.0, None
    for c in candidates:
        s = similarity(f, c)
        if s > best or (s == best and best_id is not None and c.event_id < best_id):
            best, best_id = s, c.event_id
    return best_id if best >= THRESHOLD else None


def _top(d: Mapping[str, float], n: int) -> dict[str, float]:
    return dict(sorted(d.items(), key=lambda x: (-x[1], x[0]))[:n])


def _ranked(centroid: Mapping[str, float], prefix: str, n: int) -> list[str]:
    items = [(t[len(prefix):], w) for t, w in centroid.items() if t.startswith(prefix)]
    return [k for k, _ in sorted(items, key=lambda x: (-x[1], x[0]))[:n]]


def absorb(card: EventCard | None, event_id: str, f: EventFeatures, at: datetime) -> EventCard:
    """The event's card after one more article.

    The event's date span grows only with articles dated near it or before it, so follow-up
    stories do not drag an event forward in time.
    """
    v = vector(f)
    if card is None:
        centroid = {t: round(x, 4) for t, x in _top(v, CARD_TERMS).items()}
        light = f.model_copy(update={
            "weights": {}, "entities": f.entities[:12], "places": f.places[:8], "incident": f.incident[:4],
            "keywords": f.keywords[:12], "mentioned_dates": f.mentioned_dates[:CARD_MENTIONS]})
        return EventCard(event_id=event_id, features=light, n_articles=1,
                         last_seen=at, date_min=f.date, date_max=f.date, centroid=centroid)
    centroid = dict(card.centroid)
    for t, x in v.items():
        centroid[t] = centroid.get(t, 0.0) + x
    centroid = {t: round(x, 4) for t, x in _top(centroid, CARD_TERMS).items()}
    date_min, date_max = card.date_min, card.date_max
    if f.date is not None and (date_min is None or date_max is None):
        date_min = date_max = f.date
    elif f.date is not None and date_min is not None and date_max is not None and (
            f.date < date_min or date_gap(f, card) <= NEAR_DAYS):
        date_min, date_max = min(date_min, f.date), max(date_max, f.date)
    g = card.features
    mentions = (g.mentioned_dates + f.mentioned_dates)[:CARD_MENTIONS]
    merged = EventFeatures(
        entities=_ranked(centroid, "e:", 12),
        places=_ranked(centroid, "p:", 8),
        incident=_ranked(centroid, "i:", 4),
        keywords=_ranked(centroid, "k:", 12),
        date=g.date or f.date,
        date_source=g.date_source if g.date else f.date_source,
        title=g.title or f.title,
        mentioned_dates=mentions,
    )
    return EventCard(event_id=event_id, features=merged, n_articles=card.n_articles + 1,
                     last_seen=max(card.last_seen, at), date_min=date_min, date_max=date_max, centroid=centroid)

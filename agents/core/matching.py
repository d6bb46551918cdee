"""Event matching: which known event an article belongs to (see issue 4).

Candidates come from an index (postings of :func:`index_keys`); :func:`choose` scores them.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from schemas import EventFeatures
from schemas.ids import digest

MAX_DAYS_APART = 4.0
THRESHOLD = 0.25


class EventCard(BaseModel):
    """What the matching index keeps of one event."""

    event_id: str
    features: EventFeatures
    n_articles: int = 0
    last_seen: datetime


def new_event_id(article_id: str) -> str:
    """The id of an event opened by an article (deterministic, so a replay gives the same id)."""
    return "ev-" + digest(article_id, n=12)


def index_keys(f: EventFeatures) -> list[str]:
    """Posting keys under which an event (or a query article) is found."""
    return [f"e:{e}" for e in f.entities[:10]] + [f"p:{p}" for p in f.places[:5]]


def _jaccard(a: list[str], b: list[str]) -> float:
    sa, sb = set(a), set(b)
    return len(sa & sb) / len(sa | sb) if sa and sb else 0.0


def similarity(f: EventFeatures, card: EventCard) -> float:
    """How likely the article and the event are one story, in [0, 1]."""
    g = card.features
    if f.date and g.date and abs((f.date - g.date).total_seconds()) > MAX_DAYS_APART * 86400:
        return 0.0
    return 0.5 * _jaccard(f.entities, g.entities) + 0.3 * _jaccard(f.places, g.places) + 0.2 * _jaccard(
        f.incident, g.incident
    )


def choose(f: EventFeatures, candidates: list[EventCard]) -> str | None:
    """The best matching event id, or ``None`` to open a new event."""
    scored = sorted(((similarity(f, c), c.event_id) for c in candidates), reverse=True)
    if scored and scored[0][0] >= THRESHOLD:
        return scored[0][1]
    return None


def absorb(card: EventCard | None, event_id: str, f: EventFeatures, at: datetime) -> EventCard:
    """The event's card after one more article."""
    if card is None:
        return EventCard(event_id=event_id, features=f, n_articles=1, last_seen=at)
    g = card.features
    merged = EventFeatures(
        entities=list(dict.fromkeys(g.entities + f.entities))[:40],
        places=list(dict.fromkeys(g.places + f.places))[:20],
        incident=list(dict.fromkeys(g.incident + f.incident)),
        keywords=list(dict.fromkeys(g.keywords + f.keywords))[:40],
        date=g.date or f.date,
        date_source=g.date_source if g.date else f.date_source,
        title=g.title or f.title,
    )
    return EventCard(event_id=event_id, features=merged, n_articles=card.n_articles + 1,
                     last_seen=max(card.last_seen, at))

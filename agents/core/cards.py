"""The event card: what the matching index keeps of one event, how an article joins it
(:func:`absorb`), and how two cards fold into one (:func:`merge_cards`)."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from agents.core import particulars
from schemas import EventFeatures
from schemas.ids import digest

NEAR_DAYS = 12.0
"""Up to this far, content decides unless the article's text places a fresh incident at its own date."""
IDLE_DAYS = 7.0
"""An event with no new article for this long (arrival time) leaves the matching index."""
TYPE_WEIGHTS = {"e": 1.0, "p": 0.9, "i": 1.0, "k": 0.6}
CARD_TERMS = 64
"""Terms kept in an event's centroid."""
CARD_MENTIONS = 32
"""Named days kept in an event's card (the first ones)."""
CARD_PARENTS = 32
"""Place containment links kept in an event's card (the first ones)."""
CARD_ACTORS = 16
"""Actors kept in an event's card (the most named)."""
CARD_SHIPS = 8
"""Ships kept in an event's card."""
CARD_PLACES = 16
"""Places kept in an event's card (the most named)."""


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
    parents: dict[str, str] = Field(default_factory=dict)
    """Where the event's places lie, as its articles say (at most ``CARD_PARENTS``)."""
    places: dict[str, float] = Field(default_factory=dict)
    """Sum of its articles' normalised place weights (top ``CARD_PLACES``)."""
    actors: dict[str, float] = Field(default_factory=dict)
    """Sum of its articles' normalised actor weights (top ``CARD_ACTORS``)."""
    weekdays: dict[str, float] = Field(default_factory=dict)
    """Weekday names its articles' leads use, weighted."""
    days: list[datetime] = Field(default_factory=list)
    """Days its dated articles' leads name outright (the first ``CARD_MENTIONS``)."""
    ships: list[str] = Field(default_factory=list)
    """Ships its articles name (the first ``CARD_SHIPS``)."""
    marks: dict[str, list[float]] = Field(default_factory=dict)
    """Its articles' particulars: clock times, sums (:mod:`agents.core.particulars`)."""


def _ts(d: datetime | None) -> float | None:
    return d.timestamp() if d is not None else None


def _dt(x: float | None) -> datetime | None:
    return datetime.fromtimestamp(x, UTC) if x is not None else None


def _dt_set(x: float) -> datetime:
    return datetime.fromtimestamp(x, UTC)


def card_to_json(card: EventCard) -> str:
    """A compact JSON form of a card (times as epoch seconds), read back by :func:`card_from_json`."""
    f = card.features
    return json.dumps(
        {
            "i": card.event_id,
            "n": card.n_articles,
            "s": _ts(card.last_seen),
            "a": _ts(card.date_min),
            "b": _ts(card.date_max),
            "c": card.centroid,
            "t": f.title,
            "d": _ts(f.date),
            "ds": f.date_source,
            "m": [_ts(d) for d in f.mentioned_dates],
            "e": f.entities,
            "p": f.places,
            "x": f.incident,
            "k": f.keywords,
            "pa": card.parents,
            "pw": card.places,
            "ac": card.actors,
            "wd": card.weekdays,
            "dd": [_ts(d) for d in card.days],
            "sh": card.ships,
            "pt": card.marks,
        },
        separators=(",", ":"),
        ensure_ascii=False,
    )


def card_from_json(raw: str | bytes) -> EventCard:
    """Read a card written by :func:`card_to_json` (no validation: about ten times faster)."""
    o = json.loads(raw)
    f = EventFeatures.model_construct(
        entities=o["e"],
        places=o["p"],
        incident=o["x"],
        keywords=o["k"],
        date=_dt(o["d"]),
        date_source=o["ds"],
        title=o["t"],
        mentioned_dates=[_dt_set(x) for x in o["m"]],
        weights={},
        actors=[],
        parents={},
        weekdays=[],
        ships=[],
        named_days=[],
    )  # every field given: a default factory costs a signature lookup
    return EventCard.model_construct(
        event_id=o["i"],
        features=f,
        n_articles=o["n"],
        last_seen=_dt_set(o["s"]),
        date_min=_dt(o["a"]),
        date_max=_dt(o["b"]),
        centroid=o["c"],
        parents=o.get("pa", {}),
        places=o.get("pw", {}),
        actors=o.get("ac", {}),
        weekdays=o.get("wd", {}),
        days=[_dt_set(x) for x in o.get("dd", [])],
        ships=o.get("sh", []),
        marks=o.get("pt", {}),
    )


def new_event_id(article_id: str) -> str:
    """The id of an event opened by an article (deterministic, so a replay gives the same id)."""
    return "ev-" + digest(article_id, n=12)


def vector(f: EventFeatures) -> dict[str, float]:
    """The article's weighted, L2-normalised term vector."""
    raw = f.weights or list_weights(f)
    v = {t: w * TYPE_WEIGHTS.get(t[0], 0.5) for t, w in raw.items()}
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def list_weights(f: EventFeatures) -> dict[str, float]:
    out: dict[str, float] = {}
    for prefix, items in (("e:", f.entities), ("p:", f.places), ("i:", f.incident), ("k:", f.keywords)):
        for rank, key in enumerate(items):
            out[prefix + key] = 1.0 / (1.0 + 0.1 * rank)
    return out


def dated(f: EventFeatures) -> datetime | None:
    """The article's date when it has a real one (published, in its URL or its text); ``None`` when
    only its arrival dates it: a missing date is no evidence, never a reason to keep stories apart."""
    return f.date if f.date_source != "arrival" else None


def days_between(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds() / 86400.0


def date_gap(f: EventFeatures, card: EventCard) -> float:
    """Days between the article's date and the event's span (0 inside it, or when either is undated)."""
    when = dated(f)
    if when is None or card.date_min is None or card.date_max is None:
        return 0.0
    if when < card.date_min:
        return days_between(card.date_min, when)
    if when > card.date_max:
        return days_between(when, card.date_max)
    return 0.0


def place_actor_weights(f: EventFeatures) -> tuple[dict[str, float], dict[str, float]]:
    """The article's places and actors, each weight divided by the total of its kind."""
    raw = f.weights or list_weights(f)
    places = {t[2:]: w for t, w in raw.items() if t.startswith("p:")}
    actors = {a: w for a in f.actors if (w := raw.get("e:" + a, 0.0)) > 0}
    return _unit_sum(places), _unit_sum(actors)


def _unit_sum(d: Mapping[str, float]) -> dict[str, float]:
    total = sum(d.values())
    return {k: v / total for k, v in d.items()} if total > 0 else {}


def weekday_weights(f: EventFeatures) -> dict[str, float]:
    return {d: float(3 - i) for i, d in enumerate(f.weekdays[:3])}


def _top(d: Mapping[str, float], n: int) -> dict[str, float]:
    return dict(sorted(d.items(), key=lambda x: (-x[1], x[0]))[:n])


def _ranked(centroid: Mapping[str, float], prefix: str, n: int) -> list[str]:
    items = [(t[len(prefix) :], w) for t, w in centroid.items() if t.startswith(prefix)]
    return [k for k, _ in sorted(items, key=lambda x: (-x[1], x[0]))[:n]]


def absorb(
    card: EventCard | None,
    event_id: str,
    f: EventFeatures,
    at: datetime,
    marks: Mapping[str, list[float]] | None = None,
) -> EventCard:
    """The event's card after one more article.

    The event's date span grows only with articles dated near it or before it, so follow-up
    stories do not drag an event forward in time.
    """
    v = vector(f)
    when = dated(f)
    named = f.named_days if when is not None else []  # an undated article's days have no real year
    wd = weekday_weights(f)
    places, actors = place_actor_weights(f)
    if card is None:
        centroid = {t: round(x, 4) for t, x in _top(v, CARD_TERMS).items()}
        light = f.model_copy(
            update={
                "weights": {},
                "entities": f.entities[:12],
                "places": f.places[:8],
                "incident": f.incident[:4],
                "keywords": f.keywords[:12],
                "mentioned_dates": f.mentioned_dates[:CARD_MENTIONS],
                "actors": [],
                "parents": {},
                "weekdays": [],
                "named_days": [],
            }
        )
        return EventCard(
            event_id=event_id,
            features=light,
            n_articles=1,
            last_seen=at,
            date_min=when,
            date_max=when,
            centroid=centroid,
            **_joined(None, f.parents, places, actors, wd, named, f.ships, marks or {}),
        )
    centroid = dict(card.centroid)
    for t, x in v.items():
        centroid[t] = centroid.get(t, 0.0) + x
    centroid = {t: round(x, 4) for t, x in _top(centroid, CARD_TERMS).items()}
    date_min, date_max = card.date_min, card.date_max
    if when is not None and (date_min is None or date_max is None):
        date_min = date_max = when
    elif (
        when is not None
        and date_min is not None
        and date_max is not None
        and (when < date_min or date_gap(f, card) <= NEAR_DAYS)
    ):
        date_min, date_max = min(date_min, when), max(date_max, when)
    g = card.features
    mentions = (g.mentioned_dates + named)[:CARD_MENTIONS]
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
    return EventCard(
        event_id=event_id,
        features=merged,
        n_articles=card.n_articles + 1,
        last_seen=max(card.last_seen, at),
        date_min=date_min,
        date_max=date_max,
        centroid=centroid,
        **_joined(card, f.parents, places, actors, wd, named, f.ships, marks or {}),
    )


def _add(a: Mapping[str, float], b: Mapping[str, float], n: int) -> dict[str, float]:
    out = dict(a)
    for k, w in b.items():
        out[k] = out.get(k, 0.0) + w
    return {k: round(w, 4) for k, w in _top(out, n).items()}


def _joined(
    card: EventCard | None,
    parents: Mapping[str, str],
    places: Mapping[str, float],
    actors: Mapping[str, float],
    weekdays: Mapping[str, float],
    days: list[datetime],
    ships: Iterable[str] = (),
    marks: Mapping[str, list[float]] | None = None,
) -> dict[str, object]:
    """The card's where, who and when with another article's or event's added (bounded)."""
    par = dict(card.parents) if card is not None else {}
    for c, p in parents.items():
        if len(par) >= CARD_PARENTS:
            break
        par.setdefault(c, p)
    return {
        "parents": par,
        "places": _add(card.places if card else {}, places, CARD_PLACES),
        "actors": _add(card.actors if card else {}, actors, CARD_ACTORS),
        "weekdays": _add(card.weekdays if card else {}, weekdays, 7),
        "days": ((card.days if card else []) + days)[:CARD_MENTIONS],
        "ships": list(dict.fromkeys([*(card.ships if card else []), *ships]))[:CARD_SHIPS],
        "marks": particulars.joined(card.marks if card else {}, marks or {}),
    }


def merge_cards(keep: EventCard, gone: EventCard) -> EventCard:
    """The card of ``keep`` after absorbing the whole of ``gone`` (centroids add up, spans join)."""
    centroid = dict(keep.centroid)
    for t, x in gone.centroid.items():
        centroid[t] = centroid.get(t, 0.0) + x
    centroid = {t: round(x, 4) for t, x in _top(centroid, CARD_TERMS).items()}
    mins = [d for d in (keep.date_min, gone.date_min) if d is not None]
    maxs = [d for d in (keep.date_max, gone.date_max) if d is not None]
    g = keep.features
    merged = g.model_copy(
        update={
            "entities": _ranked(centroid, "e:", 12),
            "places": _ranked(centroid, "p:", 8),
            "incident": _ranked(centroid, "i:", 4),
            "keywords": _ranked(centroid, "k:", 12),
            "mentioned_dates": (g.mentioned_dates + gone.features.mentioned_dates)[:CARD_MENTIONS],
        }
    )
    return EventCard(
        event_id=keep.event_id,
        features=merged,
        n_articles=keep.n_articles + gone.n_articles,
        last_seen=max(keep.last_seen, gone.last_seen),
        date_min=min(mins) if mins else None,
        date_max=max(maxs) if maxs else None,
        centroid=centroid,
        **_joined(keep, gone.parents, gone.places, gone.actors, gone.weekdays, gone.days, gone.ships, gone.marks),
    )


def is_idle(card: EventCard, now: datetime, idle_days: float = IDLE_DAYS) -> bool:
    """True when the event has had no new article for ``idle_days`` (by arrival time)."""
    return days_between(now, card.last_seen) > idle_days

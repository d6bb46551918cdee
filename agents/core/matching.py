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

Candidates come from an index: one posting list per key of :func:`index_keys` (at most
``MAX_KEYS``), each a sorted set of event ids scored by :func:`anchor` (the event's first day).
The caller reads, per key, at most ``MAX_PER_KEY`` events nearest the article's day within
:func:`window`, the rarest lists first and no further list once ``MAX_FOUND`` events are found
(a common key such as "police" adds little once rarer keys have found events), and scores at most
``MAX_CANDIDATES`` of them (the rarest keys shared first), so one match costs the same however
many events are kept.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field

from agents.core import particulars
from agents.core.evidence import WEEKDAYS, WHEN_PENALTY, Side, Verdict, compare
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
THRESHOLD = 0.26
"""Least similarity to join an event dated near the article."""
FOLLOW_UP_THRESHOLD = 0.28
"""Least similarity to join an event dated far from the article (a follow-up story naming a day
within the event's span)."""

MERGE_THRESHOLD = 0.5
"""Least cosine of two events' centroids, dated near each other, for them to be merged as one."""
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


def dated(f: EventFeatures) -> datetime | None:
    """The article's date when it has a real one (published, in its URL or its text); ``None`` when
    only its arrival dates it: a missing date is no evidence, never a reason to keep stories apart."""
    return f.date if f.date_source != "arrival" else None


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
    ``LOOKUP_DAYS`` of its date (and the undated band, :data:`UNDATED`); for an undated article, any date,
    the newest first."""
    when = dated(f)
    if when is None:
        return -math.inf, math.inf, math.inf
    d = day_number(when)
    return d - LOOKUP_DAYS, d, d + LOOKUP_DAYS


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


def cosine(v: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    """Cosine of a normalised article vector and an (unnormalised) centroid."""
    if not v or not centroid:
        return 0.0
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    return sum(x * centroid.get(t, 0.0) for t, x in v.items()) / norm


def _days(a: datetime, b: datetime) -> float:
    return (a - b).total_seconds() / 86400.0


def date_gap(f: EventFeatures, card: EventCard) -> float:
    """Days between the article's date and the event's span (0 inside it, or when either is undated)."""
    when = dated(f)
    if when is None or card.date_min is None or card.date_max is None:
        return 0.0
    if when < card.date_min:
        return _days(card.date_min, when)
    if when > card.date_max:
        return _days(when, card.date_max)
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
    when = dated(f)
    if when is None or card.date_min is None or card.date_max is None:
        return 0, 0
    if when >= card.date_min:
        later, own_lo, own_hi = f.mentioned_dates, when, when
        early_lo, early_hi, early_days = card.date_min, card.date_max, event_days(card)
    else:
        later, own_lo, own_hi = card.features.mentioned_dates, card.date_min, card.date_max
        early_lo, early_hi, early_days = when, when, f.mentioned_dates
    support = fresh = 0
    for d in later:
        if _near(d, early_lo, early_hi) or any(_near(d, e, e, 1.0) for e in early_days):
            support += 1
        elif _near(d, own_lo, own_hi, 1.0):
            fresh += 1
    return support, fresh


def similarity(f: EventFeatures, card: EventCard, v: Mapping[str, float] | None = None) -> float:
    """How likely the article and the event are one story, in [0, 1]; 0 when time rules it out.

    ``v`` is the article's :func:`vector`, when already computed. Scores of far-dated events are
    scaled so that the plain threshold stands for the stricter follow-up threshold.
    """
    gap = date_gap(f, card)
    if gap > FAR_DAYS:
        return 0.0
    sim = cosine(vector(f) if v is None else v, card.centroid or vector(card.features))
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


AGREE_BONUS = 0.03
"""Added to the score per aspect (place, actors, day) on which article and event agree."""
TEXT_DAY_FLOOR = 0.9
"""An article whose publication date rules the event out, but whose text names the event's day and
agrees on place or actors, is scored at this share of its content similarity (a crawl date)."""
FOLLOW_UP_SUPPORT = 2
"""Mentions of the event's days that an article dated more than ``NEAR_DAYS`` away needs to join it as a
follow-up, unless the days otherwise agree (:mod:`agents.core.evidence`)."""
LATE_CONTENT = 0.45
"""Least content similarity for an article dated apart (within ``FAR_DAYS``) whose text names no day
to join an event that shares its place and actors."""
LATE_SHARE = 0.8
"""Its score's share of the content similarity."""
APART_SHARE = 0.25
"""The score's share kept when the article's particulars (clock time, sums) lie apart from the event's."""


def _place_actor_weights(f: EventFeatures) -> tuple[dict[str, float], dict[str, float]]:
    """The article's places and actors, each weight divided by the total of its kind."""
    raw = f.weights or _weights_from_lists(f)
    places = {t[2:]: w for t, w in raw.items() if t.startswith("p:")}
    actors = {a: w for a in f.actors if (w := raw.get("e:" + a, 0.0)) > 0}
    return _unit_sum(places), _unit_sum(actors)


def _unit_sum(d: Mapping[str, float]) -> dict[str, float]:
    total = sum(d.values())
    return {k: v / total for k, v in d.items()} if total > 0 else {}


def _weekday_weights(f: EventFeatures) -> dict[str, float]:
    return {d: float(3 - i) for i, d in enumerate(f.weekdays[:3])}


def article_side(f: EventFeatures) -> Side:
    """The article's where, who and when (:mod:`agents.core.evidence`)."""
    raw = f.weights or _weights_from_lists(f)
    places = {t[2:]: w for t, w in raw.items() if t.startswith("p:")}
    actors = {a: w for a in f.actors if (w := raw.get("e:" + a, 0.0)) > 0}
    return Side(
        places=places,
        parents=f.parents,
        actors=actors,
        days=Counter(f.named_days),
        weekdays=Counter(_weekday_weights(f)),
        loose_years=dated(f) is None,
        articles=1,
        ships=frozenset(f.ships),
    )


def card_side(card: EventCard) -> Side:
    """The event's where, who and when, from its card."""
    return Side(
        places=card.places,
        parents=card.parents,
        actors=card.actors,
        days=Counter(card.days),
        weekdays=Counter(card.weekdays),
        loose_years=card.date_min is None,
        articles=card.n_articles,
        ships=frozenset(card.ships),
    )


@dataclasses.dataclass(frozen=True)
class Assessed:
    """One candidate event scored for an article: the score, its content part and the evidence."""

    event_id: str
    score: float
    content: float
    verdict: Verdict
    note: str = ""

    def text(self) -> str:
        """One line that says why."""
        veto = f"; vetoed by {self.verdict.vetoed}" if self.verdict.vetoed else ""
        note = f"; {self.note}" if self.note else ""
        head = f"{self.event_id}: score {self.score:.3f} (content {self.content:.3f})"
        return f"{head}; {self.verdict.text()}{veto}{note}"


def _borne_out(lo: datetime, hi: datetime, days: Iterable[datetime], weekdays: list[str]) -> bool:
    if any(lo - timedelta(days=1) <= d <= hi + timedelta(days=1) for d in days):
        return True
    if not weekdays or (hi - lo).days > 6:
        return False
    near = {WEEKDAYS[(lo + timedelta(days=i)).weekday()] for i in range(-1, (hi - lo).days + 2)}  # time zones
    return weekdays[0] in near


def self_dated(f: EventFeatures) -> bool:
    """Whether the article's text bears out its own date: its lead names that day, or uses its weekday (or the
    day before's) first. Such a date is no crawl date."""
    when = dated(f)
    return when is not None and _borne_out(when, when, f.named_days, f.weekdays)


def card_self_dated(card: EventCard) -> bool:
    """Whether the event's articles bear out its dates (as :func:`self_dated`)."""
    if card.date_min is None or card.date_max is None:
        return False
    top = [d for d, _ in sorted(card.weekdays.items(), key=lambda x: (-x[1], x[0]))[:1]]
    return _borne_out(card.date_min, card.date_max, card.days, top)


def assess(
    f: EventFeatures,
    card: EventCard,
    v: Mapping[str, float] | None = None,
    side: Side | None = None,
    marks: Mapping[str, list[float]] | None = None,
) -> Assessed:
    """Score one candidate event for an article: content similarity gated by time (:func:`similarity`),
    vetoed by a conflict of place, actors or named days, raised by each aspect that agrees, and by
    particulars (``marks``: clock times, sums) that agree, lowered by particulars apart."""
    v = vector(f) if v is None else v
    verdict = compare(side or article_side(f), card_side(card))
    content = cosine(v, card.centroid or vector(card.features))
    if verdict.vetoed:
        return Assessed(card.event_id, 0.0, content, verdict)
    score, note = similarity(f, card, v), ""
    if (
        score > 0.0
        and date_gap(f, card) > NEAR_DAYS
        and verdict.when != "agree"
        and date_evidence(f, card)[0] < FOLLOW_UP_SUPPORT
    ):
        score, note = 0.0, "dated apart; one passing mention of the event's days is no follow-up"
    if score == 0.0 and verdict.when == "agree" and (verdict.place == "agree" or verdict.actors == "agree"):
        score, note = content * TEXT_DAY_FLOOR, "dated apart, but the text names the event's day"
    elif (
        score == 0.0
        and verdict.place == "agree"
        and verdict.actors == "agree"
        and verdict.when != "conflict"
        and date_gap(f, card) <= FAR_DAYS
        and not (self_dated(f) and card_self_dated(card))
        and content >= LATE_CONTENT
    ):
        score, note = content * LATE_SHARE, "dated apart, but place, actors and content agree"
    elif score == 0.0 and date_gap(f, card) > 0:
        note = f"dated {date_gap(f, card):.0f} days apart"
    told = particulars.compare(marks or {}, card.marks)
    if score > 0:
        score += AGREE_BONUS * (verdict.agreeing + (told == "agree"))
    if verdict.when == "conflict":
        score *= WHEN_PENALTY
    if told == "apart":
        score *= APART_SHARE
        note = "; ".join(x for x in (note, "its clock time or sums lie apart from the event's") if x)
    return Assessed(card.event_id, score, content, verdict, note)


def decide(
    f: EventFeatures, candidates: list[EventCard], marks: Mapping[str, list[float]] | None = None
) -> tuple[str | None, list[Assessed]]:
    """The best matching event id (``None``: open a new event) and every candidate's assessment, best first;
    ``marks`` are the article's particulars (:func:`agents.core.particulars.of_claims`)."""
    v = vector(f)
    side = article_side(f)
    scored = sorted((assess(f, c, v, side, marks) for c in candidates), key=lambda a: (-a.score, a.event_id))
    best = scored[0] if scored else None
    return (best.event_id if best is not None and best.score >= THRESHOLD else None), scored


def choose(f: EventFeatures, candidates: list[EventCard]) -> str | None:
    """The best matching event id, or ``None`` to open a new event."""
    return decide(f, candidates)[0]


def explain(chosen: str | None, scored: list[Assessed], opened: str | None = None) -> str:
    """Why an article went where it went, readable: the decision, then each candidate's score and evidence."""
    head = f"joined {chosen}" if chosen else f"opened {opened or 'a new event'}: no candidate reached {THRESHOLD}"
    return "; ".join([head] + [a.text() for a in scored]) if scored else head + " (no candidates)"


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
    wd = _weekday_weights(f)
    places, actors = _place_actor_weights(f)
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


def _unit(v: Mapping[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
    return {t: x / norm for t, x in v.items()}


def span_gap(a: EventCard, b: EventCard) -> float:
    """Days between two events' date spans (0 when they overlap)."""
    if None in (a.date_min, a.date_max, b.date_min, b.date_max):
        return 0.0
    assert a.date_min and a.date_max and b.date_min and b.date_max
    if a.date_max < b.date_min:
        return _days(b.date_min, a.date_max)
    if b.date_max < a.date_min:
        return _days(a.date_min, b.date_max)
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
        verdict.vetoed
        or "conflict" in (verdict.place, verdict.actors, verdict.when)
        or (named and not (verdict.place == "agree" or verdict.actors == "agree"))
    ) or particulars.compare(a.marks, b.marks) == "apart":
        return False  # a merge cannot be undone: no aspect may conflict, and places or actors must agree
    return cosine(_unit(a.centroid), b.centroid) >= MERGE_THRESHOLD


def survivor(a: EventCard, b: EventCard) -> tuple[EventCard, EventCard]:
    """(surviving, absorbed) of two events to merge: the bigger one, else the older, else the lower id."""

    def rank(c: EventCard) -> tuple[int, float, str]:
        return (-c.n_articles, c.date_min.timestamp() if c.date_min else 0.0, c.event_id)

    return (a, b) if rank(a) <= rank(b) else (b, a)


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


def merges_after(card: EventCard, others: Iterable[EventCard]) -> list[EventCard]:
    """The other candidate events that an event's updated card now shows to be the same event."""
    return [o for o in others if mergeable(card, o)]


def is_idle(card: EventCard, now: datetime, idle_days: float = IDLE_DAYS) -> bool:
    """True when the event has had no new article for ``idle_days`` (by arrival time)."""
    return _days(now, card.last_seen) > idle_days

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

The cards it scores: :mod:`agents.core.cards`; how they are found: :mod:`agents.core.card_index`;
when two events are one: :mod:`agents.core.event_merges`.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from agents.core import particulars, story
from agents.core.cards import NEAR_DAYS, EventCard, date_gap, dated, list_weights, vector, weekday_weights
from agents.core.evidence import WEEKDAYS, WHEN_PENALTY, Side, Verdict, compare
from schemas import EventFeatures

SAME_DAYS = 4.0
"""Articles dated this close to an event's dates are judged on content alone."""
FAR_DAYS = 90.0
"""Beyond this, an article never joins the event (kept apart by date)."""
SUPPORT_DAYS = 2.0
"""A day the article names this close to the event's span supports the match."""
THRESHOLD = 0.26
"""Least similarity to join an event dated near the article."""
FOLLOW_UP_THRESHOLD = 0.28
"""Least similarity to join an event dated far from the article (a follow-up story naming a day
within the event's span)."""


def cosine(v: Mapping[str, float], centroid: Mapping[str, float]) -> float:
    """Cosine of a normalised article vector and an (unnormalised) centroid."""
    if not v or not centroid:
        return 0.0
    norm = math.sqrt(sum(x * x for x in centroid.values())) or 1.0
    return sum(x * centroid.get(t, 0.0) for t, x in v.items()) / norm


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
STEP_SHARE = 0.8
"""Score's share of the content similarity for a later step of the event's story (a trial, a verdict) that
names its own later day: same place, same people, the words of the court (:mod:`agents.core.story`)."""
STEP_CONTENT = 0.4
"""Least content similarity for a later step of the event's story to join it."""
APART_SHARE = 0.25
"""The score's share kept when the article's particulars (clock time, sums) lie apart from the event's."""


def article_side(f: EventFeatures) -> Side:
    """The article's where, who and when (:mod:`agents.core.evidence`)."""
    raw = f.weights or list_weights(f)
    places = {t[2:]: w for t, w in raw.items() if t.startswith("p:")}
    actors = {a: w for a in f.actors if (w := raw.get("e:" + a, 0.0)) > 0}
    return Side(
        places=places,
        parents=f.parents,
        actors=actors,
        days=Counter(f.named_days),
        weekdays=Counter(weekday_weights(f)),
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
        pooled=True,
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


def later_step(f: EventFeatures, card: EventCard, verdict: Verdict, content: float) -> bool:
    """Whether the article is a later step of the event's story, or the event of the article's: the same place
    or people (neither in conflict), close content, either side in the words of the court, apart only by its
    days (and within :data:`agents.core.story.STORY_DAYS`)."""
    if verdict.vetoed not in ("when", None) or "agree" not in (verdict.place, verdict.actors):
        return False
    if {verdict.place, verdict.actors} & {"conflict", "apart"}:
        return False
    if verdict.when != "conflict" and date_gap(f, card) <= NEAR_DAYS:
        return False  # nothing keeps them apart: the ordinary score decides
    if date_gap(f, card) > story.STORY_DAYS or content < STEP_CONTENT:
        return False
    return story.is_step(f.keywords) or story.is_step(story.centroid_keywords(card.centroid))


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
    if later_step(f, card, verdict, content):
        score = content * STEP_SHARE + AGREE_BONUS * 2
        if particulars.compare(marks or {}, card.marks) == "apart":
            score *= APART_SHARE
        return Assessed(card.event_id, score, content, verdict, "a later step of its story (the court's words)")
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

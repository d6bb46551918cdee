"""The summary index behind ``GET /events`` and ``contraflow events`` (issue 21).

One small record per event (:class:`SummaryRecord`: what a row of the list shows, plus the highest
contradiction severity and the archived flag), kept by every write of the event's state, so that a
listing or a search reads records, never whole states. Each store keeps the records ordered by update
time in a few sets (live or all; with contradictions at least ``low``/``medium``/``high``; without),
and a posting set of event ids per word for ``q`` (:func:`words`).

``q`` matches whole words, case-insensitively: an event matches when every word of ``q`` is a word
of its title, id, sources, article titles, claim slots, values or quotes.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from pydantic import BaseModel, Field

from schemas import ArticleRef, Claim, Contradiction, EventState, EventSummary
from schemas.event import SEVERITY_RANK, severity_rank

SEVERITIES = tuple(sorted(SEVERITY_RANK, key=SEVERITY_RANK.__getitem__))
"""Contradiction severities, lowest first."""
MAX_WORDS = 2000
"""Words indexed per event at most (the first ones): a search costs the same however long the event."""
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STOP = frozenset(
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
        "of",
        "on",
        "or",
        "that",
        "the",
        "to",
        "was",
        "were",
        "with",
        "said",
        "says",
    }
)


class SummaryRecord(BaseModel):
    """What the summary index keeps of one event."""

    id: str
    title: str = ""
    updated_at: datetime
    articles: list[tuple[str, str]] = Field(default_factory=list)
    """(article id, source) in the event's order."""
    contradiction_count: int = 0
    severity: str | None = None
    """The highest severity of its contradictions (``None``: none)."""
    archived: bool = False
    claim_count: int = 0
    kinds: dict[str, int] = Field(default_factory=dict)
    """Its contradictions by kind (``conflict``, ``evolving``)."""

    def row(self) -> EventSummary:
        """The ``GET /events`` row."""
        return EventSummary(
            id=self.id,
            title=self.title,
            updated_at=self.updated_at,
            article_ids=[a for a, _ in self.articles],
            sources=sorted({s for _, s in self.articles}),
            contradiction_count=self.contradiction_count,
        )


@dataclasses.dataclass(frozen=True)
class EventQuery:
    """A listing of events: newest update first, filtered, one page."""

    q: str | None = None
    since: datetime | None = None
    has_contradictions: bool | None = None
    severity: str | None = None
    """Only events with a contradiction of at least this severity."""
    archived: bool = False
    """Archived events too."""
    limit: int = 50
    offset: int = 0


@dataclasses.dataclass(frozen=True)
class EventPage:
    """One page of a listing: its rows and how many events match (``exact``: counted, else estimated)."""

    rows: list[EventSummary]
    total: int
    exact: bool = True


def highest(contradictions: Iterable[Contradiction]) -> str | None:
    """The highest severity among contradictions (one without any counts ``high``), ``None`` without any."""
    ranks = [severity_rank(c.severity) for c in contradictions]
    return SEVERITIES[max(ranks)] if ranks else None


def record_of(state: EventState) -> SummaryRecord:
    """The summary of a whole state."""
    return SummaryRecord(
        id=state.id,
        title=state.title,
        updated_at=state.updated_at,
        articles=[(a.id, a.source) for a in state.articles],
        contradiction_count=len(state.contradictions),
        severity=highest(state.contradictions),
        archived=state.archived,
        claim_count=len(state.claims),
        kinds=kinds_of(state.contradictions),
    )


def kinds_of(contradictions: Iterable[Contradiction]) -> dict[str, int]:
    """How many contradictions of each kind."""
    return dict(sorted(Counter(c.kind for c in contradictions).items()))


def updated(
    old: SummaryRecord | None,
    head: EventState,
    added: Sequence[ArticleRef],
    dropped: Iterable[str],
    claims_delta: int = 0,
) -> SummaryRecord:
    """The summary after an article's change: the head's figures, its articles less ``dropped`` plus ``added``,
    and ``claims_delta`` more claims than before."""
    gone = set(dropped) | {a.id for a in added}
    kept = [a for a in (old.articles if old is not None else []) if a[0] not in gone]
    return SummaryRecord(
        id=head.id,
        title=head.title,
        updated_at=head.updated_at,
        articles=kept + [(a.id, a.source) for a in added],
        contradiction_count=len(head.contradictions),
        severity=highest(head.contradictions),
        archived=head.archived,
        claim_count=max(0, (old.claim_count if old is not None else 0) + claims_delta),
        kinds=kinds_of(head.contradictions),
    )


TOTALS = ("events", "claims", "contradictions")
"""The projection's totals every summary write keeps (and ``kind:<kind>`` per kind of contradiction)."""


def totals_change(old: SummaryRecord | None, new: SummaryRecord | None) -> dict[str, int]:
    """How the totals move when an event's record ``old`` becomes ``new`` (``None``: no record)."""
    out: dict[str, int] = {}
    for rec, sign in ((old, -1), (new, 1)):
        if rec is None:
            continue
        for name, n in (("events", 1), ("claims", rec.claim_count), ("contradictions", rec.contradiction_count)):
            out[name] = out.get(name, 0) + sign * n
        for kind, n in rec.kinds.items():
            out["kind:" + kind] = out.get("kind:" + kind, 0) + sign * n
    return out


def words(text: str) -> list[str]:
    """The indexed words of a text: lower case, letters and digits, no stop words, first seen first."""
    return list(dict.fromkeys(w for w in _WORD.findall(text.casefold()) if w not in _STOP))


def event_words(title: str, event_id: str, refs: Iterable[ArticleRef], claims: Iterable[Claim]) -> list[str]:
    """The words an event is found by: title, id, sources, article titles, claim slots, values and quotes."""
    parts = [title, event_id]
    for a in refs:
        parts += [a.source, a.title or ""]
    for c in claims:
        parts += [c.slot, c.value, c.quote]
    return words(" ".join(parts))[:MAX_WORDS]


def query_words(q: str | None) -> list[str]:
    """The words of a ``q`` (an empty list: no text filter)."""
    return words(q or "")


def sets_of(rec: SummaryRecord) -> list[str]:
    """The names of the ordered sets an event's record belongs to (``live``/``all`` families; ``c:LEVEL``:
    a contradiction of at least LEVEL; ``none``: no contradiction)."""
    out: list[str] = []
    families = ["all"] if rec.archived else ["live", "all"]
    for fam in families:
        out.append(fam)
        if rec.severity is None:
            out.append(f"{fam}:none")
        else:
            out += [f"{fam}:c:{s}" for s in SEVERITIES[: SEVERITIES.index(rec.severity) + 1]]
    return out


ALL_SETS = [f"{fam}{suffix}" for fam in ("live", "all") for suffix in ("", ":none", *(f":c:{s}" for s in SEVERITIES))]
"""Every ordered set name."""


def set_for(query: EventQuery) -> str | None:
    """The ordered set a query reads (``None``: nothing can match, e.g. a severity without contradictions)."""
    fam = "all" if query.archived else "live"
    if query.severity is not None:
        if query.has_contradictions is False or query.severity not in SEVERITIES:
            return None
        return f"{fam}:c:{query.severity}"
    if query.has_contradictions is True:
        return f"{fam}:c:low"
    if query.has_contradictions is False:
        return f"{fam}:none"
    return fam

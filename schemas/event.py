"""Event state (CONTRACT.md "Out: the state of one event") and the internal stream messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from schemas.article import ArticleRef, source_unknown
from schemas.claim import Claim


class EventFeatures(BaseModel):
    """What event matching knows of one article (or, merged, of one event)."""

    entities: list[str] = Field(default_factory=list)
    """Alias-resolved, lower-case keys of named entities (people, groups, organisations)."""
    places: list[str] = Field(default_factory=list)
    incident: list[str] = Field(default_factory=list)
    """Incident-type keys, e.g. "bombing", "earthquake", "shooting"."""
    keywords: list[str] = Field(default_factory=list)
    """Content lemmas that describe the story, most telling first."""
    date: datetime | None = None
    date_source: Literal["published", "text", "url", "arrival", "none"] = "none"
    title: str = ""
    mentioned_dates: list[datetime] = Field(default_factory=list)
    """Days the article's lead names (full dates, month-day, weekdays resolved against ``date``)."""
    weights: dict[str, float] = Field(default_factory=dict)
    """Weight of each feature term, keyed ``e:``/``p:``/``i:``/``k:`` + key (entity, place, incident, keyword)."""
    actors: list[str] = Field(default_factory=list)
    """The entities that can be the incident's actors (people, organisations, groups, ships), most named first."""
    parents: dict[str, str] = Field(default_factory=dict)
    """Place key -> the place it lies in, as the text says ("woodburn" -> "oregon")."""
    weekdays: list[str] = Field(default_factory=list)
    """Weekday names the lead uses ("saturday"), most often first."""
    ships: list[str] = Field(default_factory=list)
    """Keys of the ships it names ("INS Sukanya", "the tanker Amba"), most named first (also among ``actors``)."""
    named_days: list[datetime] = Field(default_factory=list)
    """Days the lead names outright (full dates, month-day, holidays; no weekdays), repeated as often as named."""


class Extracted(BaseModel):
    """Message on topic ``claims``: one article after NLP."""

    article: ArticleRef
    features: EventFeatures
    claims: list[Claim]
    text: str = ""
    """The normalised text that claim offsets and quotes refer to."""
    signature: list[int] = Field(default_factory=list)
    """The text's MinHash signature (``agents.core.origin``): how copies of one story are found."""
    shingles: int = 0
    """How many word 5-grams the signature was drawn from."""


class _Placed(BaseModel):
    """What placing an article in an event decided (shared by :class:`Assignment` and :class:`Placement`)."""

    event_id: str
    opened: bool = False
    """The article opened this event."""
    merged: list[str] = Field(default_factory=list)
    """Events that this article showed to be the same as ``event_id``, merged into it (absorbed ids, in order)."""
    features: EventFeatures | None = None
    """What the event is about after this article (its title, main entities, places, incident and date)."""
    why: str | None = None
    """Why the article went where it went: the decision, then each candidate event's score, its content
    similarity and the evidence of place, actors and days (agree, conflict, apart, unknown)."""


class Assignment(_Placed):
    """An article placed in an event: what resolve hands to project (published as a :class:`Placement`)."""

    extracted: Extracted

    def placement(self) -> Placement:
        """The message for topic ``assignments``: the placement without the text and claims (on ``claims``)."""
        return Placement(
            event_id=self.event_id,
            article=self.extracted.article,
            opened=self.opened,
            merged=self.merged,
            features=self.features,
            why=self.why,
        )


class Placement(_Placed):
    """Message on topic ``assignments`` (key: event id): an article placed in an event.

    The article's text and claims are on topic ``claims`` (key: article id)."""

    article: ArticleRef


SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}
"""Order of severities, for filters that take a minimum (a contradiction without one ranks ``high``)."""


def severity_rank(severity: str | None) -> int:
    """The rank of a severity; absent (a contradiction from before severities) ranks ``high``."""
    return SEVERITY_RANK.get(severity or "high", SEVERITY_RANK["high"])


class ContradictionSide(BaseModel):
    """One side of a contradiction: a value and the claims that hold it."""

    value: str
    claim_ids: list[str]
    sources: list[str] = Field(default_factory=list)
    origins: int | None = None
    """How many independent origins hold the side (copies of one wire story count once)."""
    by_origin: dict[str, list[str]] | None = None
    """The side's outlets grouped by origin ("AP": ["Daily Mail", "The New York Times"])."""
    claims: list[Claim] | None = None
    """Filled inline in alerts only (left out of the JSON when empty)."""

    @model_serializer(mode="wrap")
    def _drop_empty_claims(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("claims") is None:
            data.pop("claims", None)
        return data


class Contradiction(BaseModel):
    """Two or more claims about one event, slot and subject that cannot all be true."""

    id: str
    slot: str
    subject: str | None = None
    label: str | None = None
    """What the contradiction is about in a reader's words ("age of Robert Buckley"); ``slot`` is the key."""
    kind: Literal["conflict", "evolving", "spelling"] = "conflict"
    """``evolving``: reports at different times, the later figure higher; ``spelling``: two spellings of one
    name (not alerted by default)."""
    severity: Literal["high", "medium", "low"] | None = None
    """How much it matters (``agents.core.severity``): casualties, perpetrator, time and place are ``high``."""
    origin: str | None = None
    """Set when every disagreement is between copies of this one origin (a wire that updated its story)."""
    detected_at: datetime
    detected_by_article: str
    sides: list[ContradictionSide]

    def independent_origins(self) -> int:
        """How many independent origins the sides hold between them (each outlet its own where sides carry
        no origins); a source that names no outlet ("unknown") is none."""
        names: set[str] = set()
        for side in self.sides:
            names.update(side.by_origin if side.by_origin is not None else {s: [s] for s in side.sources})
        return len({n for n in names if not source_unknown(n)})


class SlotValue(BaseModel):
    """The best current value of one slot, with the sources that support it."""

    slot: str
    subject: str | None = None
    value: str
    sources: list[str]
    claim_ids: list[str]
    origins: int | None = None
    by_origin: dict[str, list[str]] | None = None


class HistoryEntry(BaseModel):
    """One change of an event's state, in order, with the article that caused it."""

    seq: int
    at: datetime
    article_id: str
    change: Literal["opened", "article", "version", "merged"]
    claims_added: int = 0
    new_contradictions: list[str] = Field(default_factory=list)
    merged_from: str | None = None


class EventState(BaseModel):
    """The rolling state of one real-world event."""

    id: str
    title: str = ""
    updated_at: datetime
    articles: list[ArticleRef] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    best: list[SlotValue] = Field(default_factory=list)
    features: EventFeatures = Field(default_factory=EventFeatures)
    """What the event is about: its title, main entities (as written in its articles), places,
    incident types, keywords and first day (from its matching card)."""
    history: list[HistoryEntry] = Field(default_factory=list)
    merged_into: str | None = None
    archived: bool = False


class EventSummary(BaseModel):
    """One row of ``GET /events``."""

    id: str
    title: str
    updated_at: datetime
    article_ids: list[str]
    sources: list[str]
    contradiction_count: int

    @classmethod
    def of(cls, state: EventState) -> EventSummary:
        """Summarise an event state."""
        return cls(
            id=state.id,
            title=state.title,
            updated_at=state.updated_at,
            article_ids=[a.id for a in state.articles],
            sources=sorted({a.source for a in state.articles}),
            contradiction_count=len(state.contradictions),
        )

"""A claim extracted from an article: a slot, a typed value, who said it, and the exact quote."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field


class CountValue(BaseModel):
    """A count as a closed interval [low, high]; ``None`` means unbounded on that side."""

    kind: Literal["count"] = "count"
    low: float | None = None
    high: float | None = None
    approx: bool = False


class TimeValue(BaseModel):
    """A time at its stated precision, as the half-open interval [start, end)."""

    kind: Literal["time"] = "time"
    start: datetime
    end: datetime
    precision: Literal["year", "month", "day", "hour", "minute"]
    approx: bool = False


class PolarityValue(BaseModel):
    """A yes/no claim, e.g. responsibility claimed (True) or not claimed / denied (False)."""

    kind: Literal["polarity"] = "polarity"
    positive: bool
    label: str = ""


class EntityValue(BaseModel):
    """A named entity (perpetrator, place, weapon); ``canonical`` is its alias-resolved key."""

    kind: Literal["entity"] = "entity"
    name: str
    canonical: str


class PlaceValue(BaseModel):
    """A position given as distance and compass bearing from a named place ("55 km west of Bireun")."""

    kind: Literal["place"] = "place"
    km: float
    bearing: float
    """Degrees clockwise from north (0 = north, 90 = east)."""
    place: str = ""
    low: float | None = None
    high: float | None = None
    """The distance as stated, widened by its rounding and qualifier, in km ("about 20 miles": 29-35 km)."""


class CategoryValue(BaseModel):
    """A fact that takes one of many values: a place, a colour, a type, a name, charges, a condition.

    ``rule`` says when two values can both hold: ``same`` (equal keys), ``place`` (equal, one inside the
    other, or two spellings of one name), ``type`` (equal heads, or either a generic word such as "vessel"),
    ``name`` (equal, or different names: two things; only two spellings of one name disagree),
    ``grades`` (sets of grades, such as the degrees of a charge, that share a member or are empty)."""

    kind: Literal["category"] = "category"
    label: str
    canonical: str
    rule: Literal["same", "place", "type", "name", "grades"] = "same"
    terms: list[str] = Field(default_factory=list)
    """The value's parts that ``rule`` compares (grades; a type's head and words)."""


class DayValue(BaseModel):
    """The day of the incident: a weekday, a calendar date, or both (a weekday resolved against publication)."""

    kind: Literal["day"] = "day"
    weekday: int | None = None
    """0 = Monday ... 6 = Sunday."""
    year: int | None = None
    month: int | None = None
    day: int | None = None


Value = Annotated[
    CountValue | TimeValue | PolarityValue | EntityValue | PlaceValue | CategoryValue | DayValue,
    Field(discriminator="kind"),
]


class Claim(BaseModel):
    """One claim with its evidence (CONTRACT.md ``claims[]``; extra fields are additions)."""

    id: str
    article_id: str
    source: str
    slot: str
    value: str
    """The value as a reader would say it, e.g. "at least 32"."""
    typed: Value
    subject: str | None = None
    """What the slot is about when a slot can hold several (e.g. the group for ``responsibility``)."""
    attributed_to: str | None = None
    hedge: str | None = None
    quote: str
    start: int = 0
    end: int = 0
    """Character offsets of ``quote`` in the normalised article text (title, blank line, body)."""
    scope: Literal["main", "other"] = "main"
    """``other``: the figure belongs to another incident (background); never compared."""
    published_at: datetime | None = None
    origin: str | None = None
    """The origin of the claim's article (its wire service or outlet); ``None``: the source itself."""

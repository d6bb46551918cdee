"""Value compatibility: intervals, times at their precision, polarity, entities, places."""

from __future__ import annotations

from datetime import UTC, datetime

from agents.core.compare import compatible, grew, vague
from schemas import CountValue, EntityValue, PlaceValue, PolarityValue, TimeValue


def c(low: float | None, high: float | None = None, approx: bool = False) -> CountValue:
    return CountValue(low=low, high=high, approx=approx)


def month(y: int, m: int) -> TimeValue:
    end = datetime(y + (m == 12), m % 12 + 1, 1, tzinfo=UTC)
    return TimeValue(start=datetime(y, m, 1, tzinfo=UTC), end=end, precision="month")


def year(y: int) -> TimeValue:
    return TimeValue(start=datetime(y, 1, 1, tzinfo=UTC), end=datetime(y + 1, 1, 1, tzinfo=UTC), precision="year")


def test_counts() -> None:
    assert not compatible(c(32, 32), c(42, 42))
    assert compatible(c(32), c(42, 42))  # at least 32 / 42
    assert compatible(c(41), c(42, 42))  # more than 40 / 42
    assert not compatible(c(41), c(32, 32))  # more than 40 / 32
    assert compatible(c(68, 80, True), c(77, 77))  # nearly 80 / 77


def test_times_at_their_precision() -> None:
    assert compatible(year(2014), month(2014, 5))
    assert not compatible(year(2014), month(2015, 12))
    assert not compatible(month(2014, 5), month(2015, 12))


def test_polarity_entities_places() -> None:
    assert not compatible(PolarityValue(positive=True), PolarityValue(positive=False))
    a, b = EntityValue(name="Hassan Daabul", canonical="x"), EntityValue(name="Hassan Daeboul", canonical="y")
    assert compatible(a, b)
    west = PlaceValue(km=55, bearing=270, place="brn")
    assert not compatible(west, PlaceValue(km=55, bearing=180, place="brn"))
    assert compatible(west, PlaceValue(km=50, bearing=290, place="brn"))
    assert compatible(west, PlaceValue(km=72, bearing=135, place="rlt"))  # another reference place


def test_growth_and_vagueness() -> None:
    assert grew(c(5), c(7, 7))  # "at least 5" then 7
    assert not grew(c(7, 7), c(5))
    assert not grew(c(5, 5), c(7, 7))  # exact then exact: a disjoint conflict, not growth of a lower bound
    assert vague(c(24, None, approx=True)) and not vague(c(95, 105, approx=True))

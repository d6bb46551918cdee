"""Weekday evidence: a date named once counts when the text's own weekday name agrees with it."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from agents.core.evidence import Side, compare

THURSDAY = datetime(2021, 6, 10, tzinfo=UTC)  # a Thursday


def side(days: list[datetime], weekdays: dict[str, float], loose: bool = False) -> Side:
    return Side(
        places={"marlby": 1.0}, parents={}, actors={}, days=Counter(days), weekdays=Counter(weekdays), loose_years=loose
    )


def test_a_date_and_its_weekday_named_once_settle_the_day() -> None:
    """ "A quake struck on Thursday, June 10, 2021" against "struck on Sunday": two different quakes."""
    dated = side([THURSDAY], {"thursday": 3.0})
    assert compare(side([], {"sunday": 3.0}, loose=True), dated).when == "conflict"


def test_a_date_named_once_without_its_weekday_settles_nothing() -> None:
    dated = side([THURSDAY], {"monday": 3.0})  # "on Monday, officials said the quake of June 10 ..."
    assert compare(side([], {"sunday": 3.0}, loose=True), dated).when == "unknown"

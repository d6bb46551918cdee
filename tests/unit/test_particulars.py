"""Particulars that tell alike incidents apart: clock times and sums, with margins wider than a contradiction's."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from agents.core import particulars
from schemas import Claim, CountValue, TimeValue


def claim(
    slot: str, typed: CountValue | TimeValue, scope: Literal["main", "other"] = "main", subject: str | None = None
) -> Claim:
    return Claim(
        id=f"c-{slot}-{scope}",
        article_id="a",
        source="s",
        slot=slot,
        value="v",
        typed=typed,
        subject=subject,
        quote="q",
        scope=scope,
    )


def at(h: int, m: int) -> TimeValue:
    t = datetime(2000, 1, 1, h, m, tzinfo=UTC)
    return TimeValue(start=t, end=t.replace(minute=m + 1) if m < 59 else t, precision="minute")


def test_clock_times_and_sums_of_the_main_incident_are_kept() -> None:
    marks = particulars.of_claims(
        [
            claim("time of incident", at(9, 27), subject="local time"),
            claim("stolen (EUR)", CountValue(low=2e6, high=2e6)),
            claim("stolen (USD)", CountValue(low=1.3e8, high=1.3e8), scope="other"),  # an earlier heist
            claim("killed", CountValue(low=3, high=3)),  # counts of people grow: not a particular
        ]
    )
    assert set(marks) == {"clock local time", "sum stolen"}
    assert marks["clock local time"] == [567.0]
    assert marks["sum stolen"] == [6.301]


def test_margins_are_wider_than_a_contradiction() -> None:
    assert particulars.compare({"clock local time": [567.0]}, {"clock local time": [570.0]}) == "agree"
    assert particulars.compare({"clock local time": [567.0]}, {"clock local time": [129.0]}) == "apart"
    assert particulars.compare({"clock local time": [567.0]}, {"clock local time": [660.0]}) == "unknown"
    assert particulars.compare({"clock local time": [1435.0]}, {"clock local time": [5.0]}) == "agree"  # midnight
    assert particulars.compare({"sum stolen": [6.3]}, {"sum stolen": [6.41]}) == "agree"  # €2m and $2.6m
    assert particulars.compare({"sum stolen": [8.03]}, {"sum stolen": [6.3]}) == "apart"  # $108m and €2m
    assert particulars.compare({"clock UTC": [100.0]}, {"clock local time": [600.0]}) == "unknown"  # zones differ
    assert particulars.compare({}, {"sum stolen": [6.3]}) == "unknown"


def test_one_close_value_is_enough_to_agree_and_a_split_says_nothing() -> None:
    event = {"sum stolen": [6.3, 8.0]}
    assert particulars.compare({"sum stolen": [8.1]}, event) == "agree"
    mixed = {"sum stolen": [6.3], "clock local time": [129.0]}
    assert particulars.compare(mixed, {"sum stolen": [6.35], "clock local time": [567.0]}) == "unknown"


def test_an_event_keeps_a_bounded_few() -> None:
    a: particulars.Particulars = {}
    for i in range(20):
        a = particulars.joined(a, {f"sum k{i % 10}": [float(i)]})
    assert len(a) <= particulars.MAX_KEYS
    assert all(len(v) <= particulars.MAX_VALUES for v in a.values())


def test_the_result_of_a_game_tells_two_games_of_one_team_apart() -> None:
    a = particulars.of_text(
        "The Hollins Hawks beat the Marlow Rovers 31-24 on Thursday night to clinch a playoff spot."
    )
    b = particulars.of_text("Rookie Sam Tarrow led the Hawks to a 24-31 win at Marlow, and a playoff berth.")
    c = particulars.of_text("The Hawks clinched a playoff berth with a 20-13 victory over the Dunstan Owls.")
    assert a == b == {"score": [31024.0]}
    assert particulars.compare(a, b) == "agree"
    assert particulars.compare(a, c) == "apart"


def test_records_dates_and_ranges_are_no_result() -> None:
    for text in (
        "The coach was fired after a 9-14 start.",
        "The champion (52-3, 46 KOs) defends his title on 2-3 May.",
        "The film was shot in 2010-2011 with a crew of 30-40.",
    ):
        assert particulars.of_text(text) == {}

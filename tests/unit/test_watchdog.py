"""The stall watch: a backlog with nothing in flight and no commit for the stall time is a stall."""

from __future__ import annotations

from agents.watchdog import StallWatch


def test_a_backlog_that_never_moves_is_reported_once_per_stall_time() -> None:
    w: StallWatch[str] = StallWatch(30.0)
    assert w.observe(0.0, {"a": 5}, {"a": 2}, []) == []
    assert w.observe(29.0, {"a": 5}, {"a": 2}, []) == []
    assert w.observe(30.0, {"a": 5}, {"a": 2}, []) == ["a"]
    assert w.observe(31.0, {"a": 5}, {"a": 2}, []) == [], "forgotten once reported"
    assert w.observe(61.0, {"a": 5}, {"a": 2}, []) == ["a"]


def test_progress_in_flight_work_or_no_backlog_is_not_a_stall() -> None:
    w: StallWatch[str] = StallWatch(10.0)
    w.observe(0.0, {"moving": 9, "busy": 9, "done": 4, "new": 3}, {"moving": 1, "busy": 1, "done": 4, "new": None}, [])
    later = w.observe(
        10.0, {"moving": 9, "busy": 9, "done": 4, "new": 3}, {"moving": 2, "busy": 1, "done": 4, "new": None}, ["busy"]
    )
    assert later == ["new"], "a commit restarts the clock; in-flight work and a caught-up partition are fine"
    assert w.observe(
        20.0, {"moving": 9, "busy": 9, "done": 4, "new": 3}, {"moving": 2, "busy": 1, "done": 4, "new": None}, []
    ) == ["moving"]


def test_a_partition_no_longer_assigned_is_forgotten() -> None:
    w: StallWatch[str] = StallWatch(5.0)
    w.observe(0.0, {"a": 3}, {"a": 0}, [])
    w.observe(3.0, {}, {}, [])
    assert w.observe(6.0, {"a": 3}, {"a": 0}, []) == [], "the clock starts again on reassignment"

"""Fetch pacing: long fetch waits while articles back up, short ones while the worker keeps up."""

from __future__ import annotations

from agents.pacing import fetch_wait_for


def test_a_full_batch_means_a_backlog_and_long_waits() -> None:
    assert fetch_wait_for(16, 16, light=0.01, busy=0.1) == 0.1
    assert fetch_wait_for(15, 16, light=0.01, busy=0.1) == 0.01
    assert fetch_wait_for(1, 1, light=0.01, busy=0.1) == 0.1, "a batch size of 1 is always full"


def test_the_running_consumers_take_a_new_wait() -> None:
    from agents import faust_fixes

    class Fetcher:
        _fetch_max_wait_ms = 50

    class Consumer:
        _fetch_max_wait_ms = 50
        _fetcher = Fetcher()

    c = Consumer()
    before = faust_fixes._fetch_wait_ms
    faust_fixes._consumers.add(c)
    try:
        faust_fixes.pace_fetches(0.2)
        assert c._fetch_max_wait_ms == 200 and c._fetcher._fetch_max_wait_ms == 200
    finally:
        faust_fixes._consumers.discard(c)
        faust_fixes.set_fetch_wait(before / 1000)  # as this process had it

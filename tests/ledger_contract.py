"""The ledger suite, run against the in-memory and the Redis ledger (tests/unit, tests/integration)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from agents.ports import Ledger


async def counts_each_key_once(ledger: Ledger, counters: Callable[[], Coroutine[Any, Any, dict[str, int]]]) -> None:
    assert await ledger.count_once("a1|h1", {"applied": 1, "processed": 1, "processing_ms": 20})
    assert not await ledger.count_once("a1|h1", {"applied": 1, "processed": 1, "processing_ms": 20})
    assert await ledger.count_once("a1|h2", {"applied": 1})
    got = await counters()
    assert got["applied"] == 2 and got["processed"] == 1 and got["processing_ms"] == 20


async def claims_offset_only_moves_forward(ledger: Ledger, counters: Any) -> None:
    assert await ledger.claims_at() is None
    assert await ledger.advance(3) is None
    assert await ledger.advance(1) == 3  # a redelivery: the offset stays
    assert await ledger.claims_at() == 3
    assert await ledger.advance(4, {"handled": 1}) == 3
    assert await ledger.advance(4, {"handled": 1}) == 4
    assert (await counters())["handled"] == 2
    await ledger.reset(None)
    assert await ledger.claims_at() is None


async def settling_counts_once_and_moves_forward(ledger: Ledger, counters: Any) -> None:
    assert await ledger.settle("a1|h1", {"applied": 1, "processed": 1}, 5, {"handled": 1})
    assert not await ledger.settle("a1|h1", {"applied": 1, "processed": 1}, 2, {"handled": 1})  # a redelivery
    assert await ledger.claims_at() == 5
    assert await ledger.settle("a2|h1", {"applied": 1}, 6)
    assert await ledger.claims_at() == 6
    got = await counters()
    assert got["applied"] == 2 and got["processed"] == 1 and got["handled"] == 2


async def a_lost_log_is_remembered_until_reset(ledger: Ledger, counters: Any) -> None:
    assert await ledger.lost() is None
    await ledger.report_lost("topic claims is missing")
    assert await ledger.lost() == "topic claims is missing"
    await ledger.reset(7)
    assert await ledger.lost() is None and await ledger.claims_at() == 7


CHECKS = [
    counts_each_key_once,
    claims_offset_only_moves_forward,
    settling_counts_once_and_moves_forward,
    a_lost_log_is_remembered_until_reset,
]

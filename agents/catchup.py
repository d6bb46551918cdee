"""Merging one claims record into the state, after merging again what Redis lost.

The ledger's claims offset is written after each record's writes, in the same Redis: a Redis that
comes back from its append-only file (a kill loses up to about a second of writes, the newest) brings
back the offset of the last record whose writes it kept. Before each record the resolver compares it
with the record's offset; the records in between are read again from topic ``claims`` and merged
in order, so the state is the one a run without the loss builds (every step is idempotent, and the
alerts get the same ids). The same covers a Redis that lost everything: it replays from the start.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime

from pydantic import ValidationError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from agents import pipeline
from agents.ports import Ledger, StateStore
from schemas import Alert, Assignment, Extracted

ReadClaims = Callable[[int, int], Awaitable[list[tuple[int, bytes]]]]
"""(offset, value) of the records of topic ``claims`` at offsets [start, end), in order."""
HANDLED = "handled"
"""The counter of claims records merged, each delivery and each merge again (the runner's progress);
``applied`` counts each article version once."""
RETRYABLE = (TimeoutError, RedisConnectionError, RedisTimeoutError, OSError)
"""Errors of a server away for a while: the whole record is tried again (``agents.flow.retry.retrying``)."""


class StepFailed(Exception):
    """A step failed on a record for a reason other than a server away: the record is dead-lettered."""

    def __init__(self, step: str, exc: Exception) -> None:
        super().__init__(f"{step} failed: {type(exc).__name__}: {exc}")
        self.step, self.exc = step, exc


PROCESSING_BUCKETS_MS = (50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000)
"""Upper bounds (ms) of the processing-time histogram: ``processing_le_<ms>`` counts the articles merged
within that time, so every worker adds to one histogram in Redis that ``/metrics`` exposes as it is."""


def counts_of(x: Extracted, now: datetime | None = None) -> dict[str, int]:
    """The counters an article bumps when it is merged (``processing_ms``: publish to state, with its
    histogram buckets ``processing_le_<ms>``)."""
    counts = {"applied": 1}
    received = x.article.received_at
    if received is not None:
        ms = max(0, int(((now or datetime.now(UTC)) - received).total_seconds() * 1000))
        counts.update(processing_ms=ms, processed=1)
        counts.update({f"processing_le_{b}": 1 for b in PROCESSING_BUCKETS_MS if ms <= b})
    return counts


async def merge(
    store: StateStore,
    ledger: Ledger,
    x: Extracted,
    offset: int,
    policy: pipeline.ArchivePolicy,
    counts: Mapping[str, int],
) -> tuple[Assignment, list[Alert]]:
    """Resolve and project one record, count its article version once, and record its offset."""
    try:
        a = await pipeline.resolve(store, x, policy)
    except RETRYABLE:
        raise
    except Exception as exc:
        raise StepFailed("resolve", exc) from exc
    try:
        alerts = await pipeline.project(store, a)
    except RETRYABLE:
        raise
    except Exception as exc:
        raise StepFailed("project", exc) from exc
    await ledger.settle(f"{x.article.id}|{x.article.content_hash}", counts, offset, {HANDLED: 1})
    return a, alerts


async def catch_up(
    store: StateStore, ledger: Ledger, read: ReadClaims, offset: int, policy: pipeline.ArchivePolicy
) -> int:
    """Merge again the records before ``offset`` that the state lacks (its ledger is behind); how many."""
    at = await ledger.claims_at()
    start = at + 1 if at is not None else 0
    if start >= offset:
        return 0
    records = await read(start, offset)
    for at_offset, raw in records:
        try:
            x = Extracted.model_validate_json(raw)
        except ValidationError:  # dead-lettered when it first came
            await ledger.advance(at_offset)
            continue
        try:
            await merge(store, ledger, x, at_offset, policy, {"applied": 1})
        except StepFailed:
            await ledger.advance(at_offset)  # dead-lettered when it first came
    return len(records)


async def merge_after_catch_up(
    store: StateStore,
    ledger: Ledger,
    read: ReadClaims | None,
    x: Extracted,
    offset: int,
    policy: pipeline.ArchivePolicy,
    on_caught_up: Callable[[int], None],
) -> tuple[Assignment, list[Alert]]:
    """:func:`catch_up` (when ``read`` is given), then :func:`merge` the record: one attempt, to be retried
    whole while a server is away (the state may have lost writes meanwhile)."""
    if read is not None:
        n = await catch_up(store, ledger, read, offset, policy)
        if n:
            on_caught_up(n)
    return await merge(store, ledger, x, offset, policy, counts_of(x))


def attempt(
    store: StateStore,
    ledger: Ledger,
    read: ReadClaims | None,
    x: Extracted,
    offset: int,
    policy: pipeline.ArchivePolicy,
    on_caught_up: Callable[[int], None],
) -> Callable[[], Awaitable[tuple[Assignment, list[Alert]]]]:
    """:func:`merge_after_catch_up` as a step for ``retrying``."""
    return functools.partial(merge_after_catch_up, store, ledger, read, x, offset, policy, on_caught_up)

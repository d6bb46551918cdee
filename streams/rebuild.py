"""``contraflow rebuild``: replay the log into a fresh Redis projection.

The replay reads topic ``claims``: one partition, so it holds the exact order in which articles
were placed in events, and each record carries the article's receive time. Resolving and
projecting the records again in that order gives the identical state (event ids, claim ids,
contradictions and times). Alerts are logged in Redis again but not republished: the relay
finds the last alert it published on topic ``alerts`` by id and goes on after it.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable, Iterator
from typing import Any

from pydantic import ValidationError

from agents import pipeline
from agents.core.summary import EventQuery
from agents.ports import StateStore
from schemas import Extracted
from streams.kafka_io import read_topic
from streams.logcheck import claims_extent, log_holds
from streams.settings import Settings
from streams.store.ledger import ledger_of

log = logging.getLogger("contraflow.rebuild")
KEPT = frozenset({"sub", "subs", "sub-status", "sub-delivered", "sub-failures", "page", "counters", "counted", "lease"})
"""Key families (after the prefix) that are no part of the projection: webhook subscriptions and their
deliveries, the feed pages remembered, the counters and what they counted, leases. ``clear_projection``
keeps them."""


async def unrebuildable(settings: Settings, store: StateStore) -> str | None:
    """Why the state cannot be rebuilt from the log (``None``: it can): the log is missing, empty or
    shorter than the state, or a worker found it lost."""
    ledger = ledger_of(store)
    lost = await ledger.lost()
    at = await ledger.claims_at()
    loop = asyncio.get_running_loop()
    extent = await loop.run_in_executor(None, claims_extent, settings)
    end = extent[1] if extent else 0
    where = f"topic {settings.topics.claims} " + ("is missing" if extent is None else f"ends at offset {end}")
    if lost:
        return f"a worker found the log lost ({lost})"
    short = at is not None and end <= at
    if short and extent is not None:  # confirm by fetching the record (Tansu may list an earlier end)
        held = await loop.run_in_executor(None, functools.partial(log_holds, settings, at or 0))
        short = not held
    if short:
        return f"the state holds records of the log up to offset {at}, but {where}"
    if at is None and end == 0 and await holds_events(store):
        return f"Redis holds events, but {where}"
    return None


async def holds_events(store: StateStore) -> bool:
    """Whether the store holds any event (archived ones too), read from the summary index: one record."""
    return bool((await store.query_events(EventQuery(archived=True, limit=1))).rows)


async def clear_projection(store: StateStore) -> None:
    """Delete the projection (events, assignments, matching index, alert log, claims offset) and keep
    the rest (:data:`KEPT`); a store that is not in Redis is cleared whole."""
    client: Any = getattr(store, "r", None)
    prefix: str | None = getattr(store, "p", None)
    if client is None or prefix is None:
        await store.clear()
        return
    cursor = 0
    while True:
        cursor, keys = await client.scan(cursor, match=prefix + "*", count=1000)
        doomed = [k for k in keys if _family(k, prefix) not in KEPT]
        if doomed:
            await client.delete(*doomed)
        if cursor == 0:
            break


def _family(key: str | bytes, prefix: str) -> str:
    text = key.decode() if isinstance(key, bytes) else key
    return text[len(prefix) :].split(":", 1)[0]


def _batches(it: Iterator[bytes], size: int = 256) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for raw in it:
        batch.append(raw)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def rebuild(
    settings: Settings, store: StateStore, on_record: Callable[[int], None] | None = None, idle_ms: int = 3000
) -> tuple[int, int]:
    """Replay topic ``claims`` into ``store``; return (records applied, records skipped as invalid).

    The ledger then says how far in the log the state is (and forgets a lost log)."""
    loop = asyncio.get_running_loop()
    batches = _batches(read_topic(settings, settings.topics.claims, idle_ms=idle_ms))
    applied = skipped = 0
    policy = pipeline.archive_policy(settings.archive_after_days, settings.archive_retention_days)
    while True:
        batch = await loop.run_in_executor(None, next, batches, None)
        if batch is None:
            break
        for raw in batch:
            try:
                x = Extracted.model_validate_json(raw)
            except ValidationError as exc:
                skipped += 1
                log.warning("skipped an invalid claims record: %s", exc.errors()[0]["msg"])
                continue
            await pipeline.project(store, await pipeline.resolve(store, x, policy))
            applied += 1
            if on_record:
                on_record(applied)
    read = applied + skipped
    extent = await loop.run_in_executor(None, claims_extent, settings) if read else None
    await ledger_of(store).reset(extent[0] + read - 1 if extent else None)
    return applied, skipped

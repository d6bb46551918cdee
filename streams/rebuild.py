"""``contraflow rebuild``: replay the log into a fresh Redis projection.

The replay reads topic ``claims``: one partition, so it holds the exact order in which articles
were placed in events, and each record carries the article's receive time. Resolving and
projecting the records again in that order gives the identical state (event ids, claim ids,
contradictions and times). Alerts are logged in Redis again but not republished: the relay
finds the last alert it published on topic ``alerts`` by id and goes on after it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator

from pydantic import ValidationError

from agents import pipeline
from schemas import Extracted
from streams.kafka_io import read_topic
from streams.settings import Settings
from streams.store.base import StateStore

log = logging.getLogger("contraflow.rebuild")


def _batches(it: Iterator[bytes], size: int = 256) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for raw in it:
        batch.append(raw)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


async def rebuild(settings: Settings, store: StateStore, on_record: Callable[[int], None] | None = None,
                  idle_ms: int = 3000) -> tuple[int, int]:
    """Replay topic ``claims`` into ``store``; return (records applied, records skipped as invalid)."""
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
    return applied, skipped

"""The watchdog timer: seeks a stalled partition back to its committed offset (see :mod:`agents.watchdog`)."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import faust

from agents.faust_fixes import committed_offsets, has_unacked
from agents.flow.config import AppTopics, FlowSettings
from agents.watchdog import StallWatch

log = logging.getLogger("contraflow.agents")


def register_watchdog(app: faust.App, topics: AppTopics, settings: FlowSettings) -> None:
    """A timer that seeks a stalled partition back to its committed offset (see :mod:`agents.watchdog`)."""
    watch: StallWatch[Any] = StallWatch(settings.stall_seconds)
    ours = {topics.articles.get_topic_name(), topics.claims.get_topic_name()}

    @app.timer(interval=max(1.0, settings.stall_seconds / 4))
    async def watchdog() -> None:
        """Seek a stalled partition back to its committed offset (see :mod:`agents.watchdog`)."""
        consumer: Any = app.consumer  # faust's Consumer: its committed offsets and unacked messages
        tps = [tp for tp in consumer.assignment() if tp.topic in ours]
        if not tps or not app.flow_control.is_active():
            return
        try:
            listed = await consumer.highwaters(*tps)
        except Exception as exc:  # the broker is away: nothing to judge
            log.debug("watchdog: end offsets unavailable (%s)", exc)
            return
        # the end offset as listed, or as the last fetch saw it if later (the embedded Tansu 0.6 lists
        # a partition's end as its last batch's first offset + 1)
        ends = {tp: max(end, consumer.highwater(tp) or 0) for tp, end in listed.items()}
        # where nothing is committed yet, the log's first offset
        committed = committed_offsets(consumer, tps)
        fresh = [tp for tp, c in committed.items() if c is None and ends.get(tp)]
        if fresh:
            try:
                committed.update(await consumer.earliest_offsets(*fresh))
            except Exception:
                return
        # a worker with any message in flight is busy: never interfere with it (a partition queued
        # behind others under load is slow, not stalled); a stall shows once the worker is idle
        in_flight = tps if has_unacked(consumer) else []
        for tp in watch.observe(asyncio.get_running_loop().time(), ends, committed, in_flight):
            offset = committed.get(tp) or 0
            log.warning(
                "partition %s/%d stalled: end offset %d, committed %s, worker idle for %.0fs; seeking back to %d",
                tp.topic,
                tp.partition,
                ends[tp],
                committed.get(tp),
                settings.stall_seconds,
                offset,
            )
            await consumer.seek(tp, offset)

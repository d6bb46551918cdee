"""The ``extract`` agent: articles in, each article's claims out to topic ``claims``, invalid ones dead-lettered."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import AsyncIterable
from datetime import datetime
from typing import Any

import faust
from faust.types import EventT

from agents.core.budget import Budget, OverBudget
from agents.core.budget import check as check_budget
from agents.core.extract import Prepared, prepare
from agents.decode import BadMessage, decode_article
from agents.extract_pool import ExtractPool
from agents.faust_fixes import pace_fetches
from agents.flow.config import AppTopics, FlowSettings
from agents.flow.dead_letters import received_at, send_dead_letter
from agents.pacing import fetch_wait_for
from agents.ports import Counters
from schemas import Article

log = logging.getLogger("contraflow.agents")
SMALL_BATCH = 4
"""Batches of fewer articles are parsed one article at a time (latency at light load); larger ones
go through ``nlp.pipe`` together (throughput under load)."""
Item = tuple[Article, datetime, EventT, Prepared]
"""An article of a batch: decoded, when it was received, its event (to ack) and its prepared text."""
IN_FLIGHT = 2
"""Batches being extracted at once: the NLP process parses the next batch while the worker sends the last
one's claims and faust gathers the one after (the NLP process never waits on the worker)."""


def register_extract(
    app: faust.App,
    topics: AppTopics,
    settings: FlowSettings,
    counters: Counters,
    pool: ExtractPool,
    budget: Budget,
    light: float,
    busy: float,
) -> None:
    """The agent on topic ``articles``, parsing in ``pool``; fetch waits ``light`` or ``busy`` by backlog."""

    async def extract_batch(items: list[Item]) -> list[tuple[bytes | None, EventT, str]]:
        try:
            xs = await pool.extract([(a, t) for a, t, _, _ in items], [p for _, _, _, p in items])
            return [(x, ev, "") for x, (_, _, ev, _) in zip(xs, items, strict=True)]
        except Exception as exc:
            if len(items) == 1:
                log.exception("extraction failed for article %s", items[0][0].id)
                return [(None, items[0][2], f"extraction failed: {type(exc).__name__}: {exc}")]
            out: list[tuple[bytes | None, EventT, str]] = []
            for item in items:  # isolate the article that fails
                out.extend(await extract_batch([item]))
            return out

    @app.agent(topics.articles, name="extract")
    async def extract(stream: AsyncIterable[Any]) -> None:
        paced = light
        pending: deque[asyncio.Future[None]] = deque()
        try:
            await _batches(stream, pending, paced)
        finally:  # stopping: batches not yet sent stay unacked, and come again after a restart
            for task in pending:
                task.cancel()

    async def _batches(stream: AsyncIterable[Any], pending: deque[asyncio.Future[None]], paced: float) -> None:
        async for events in stream.take_events(settings.batch_size, within=settings.batch_window):  # type: ignore[attr-defined]
            wait = fetch_wait_for(len(events), settings.batch_size, light, busy)
            if wait != paced:  # long fetch waits under a backlog, short ones when keeping up (agents.pacing)
                pace_fetches(wait)
                paced = wait
            good: list[Item] = []
            for ev in events:
                try:
                    article = decode_article(ev.value)
                    check_budget(article, budget)  # over its hard budget: dead-lettered unparsed
                except (BadMessage, OverBudget) as exc:
                    log.warning("dead-lettered message at %s/%s: %s", ev.message.partition, ev.message.offset, exc)
                    await send_dead_letter(topics, counters, ev, str(exc))
                    continue
                try:  # text and fingerprint here, while the NLP process parses the batch before
                    good.append((article, received_at(ev), ev, prepare(article)))
                except Exception as exc:
                    log.exception("extraction failed for article %s", article.id)
                    await send_dead_letter(topics, counters, ev, f"extraction failed: {type(exc).__name__}: {exc}")
            for _, _, ev, _ in good:  # faust's ack after this body is no longer final: finish() acks them
                ev.message.incref()
            while pending and pending[0].done():
                pending.popleft().result()  # an error of a finished batch ends the agent, as before
            if len(pending) >= IN_FLIGHT:
                await pending.popleft()
            task = asyncio.ensure_future(finish(good, pending[-1] if pending else None))
            task.add_done_callback(_log_failure)
            pending.append(task)

    def _log_failure(task: asyncio.Future[None]) -> None:
        if not task.cancelled() and task.exception() is not None:
            log.error("sending a batch's claims failed; its articles stay unacked", exc_info=task.exception())

    async def finish(good: list[Item], before: asyncio.Future[None] | None) -> None:
        """Extract ``good``, send its claims after the batch ``before`` sent its own, then ack its events."""
        # a few waiting articles (light load): one at a time, each sent as soon as it is parsed
        chunks = [good] if len(good) >= SMALL_BATCH else [[g] for g in good]
        for chunk in chunks:
            done = await extract_batch(chunk)
            if before is not None:  # claims go out in the order their articles came in
                await before
                before = None
            for (article, _, _, _), (x, ev, reason) in zip(chunk, done, strict=True):
                if x is None:
                    await send_dead_letter(topics, counters, ev, reason)
                    continue
                await topics.claims.send(key=article.id.encode(), value=x)
        if before is not None:
            await before
        for _, _, ev, _ in good:
            ev.ack()

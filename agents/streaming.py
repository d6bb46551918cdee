"""The faust agents: thin adapters that decode, call the pipeline steps, store and send.

articles ─extract─▶ claims (1 partition) ─resolve + project─▶ Redis state + alert log ─relay─▶ alerts
    └─ invalid ─▶ articles.dlq                  └─▶ assignments (key: event id; not read back)
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import socket
import uuid
from collections.abc import AsyncIterable, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any, NoReturn, TypeVar

import faust
from faust.types import EventT
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from agents import catchup, pipeline
from agents.core.budget import Budget, OverBudget
from agents.core.budget import check as check_budget
from agents.decode import BadMessage, decode_article
from agents.extract_pool import ExtractPool
from agents.faust_fixes import pace_fetches, seek_fresh_partitions_to_beginning, set_fetch_wait
from agents.pacing import fetch_wait_for
from agents.relay import LEASE, _before, last_relayed, resume_cursor
from agents.watchdog import StallWatch
from schemas import Article, DeadLetter, Extracted
from streams.app import AppTopics
from streams.settings import Settings
from streams.store.base import StateStore
from streams.store.ledger import Ledger, ledger_of

log = logging.getLogger("contraflow.agents")
RELAY_LEASE_SECONDS = 10.0
RELAY_WAIT_SECONDS = 1.0
RELAY_FIND_SECONDS = 60.0
"""How long a new relay waits for the last alert it published to be logged again (after Redis lost it)."""
DLQ_VALUE_CHARS = 65_536
RETRY_MAX_DELAY = 5.0
LOG_CHECK_SECONDS = 5.0
"""How often a worker asks whether the broker lost its log (a loss is reported within this and a check)."""
SMALL_BATCH = 4
"""Batches of fewer articles are parsed one article at a time (latency at light load); larger ones
go through ``nlp.pipe`` together (throughput under load)."""
T = TypeVar("T")
LogCheck = Callable[[int | None], Awaitable[str | None]]
"""Given the highest offset of ``claims`` in the state, why the broker's log is lost (``None``: it is not)."""


async def retrying(what: str, step: Callable[[], Awaitable[T]]) -> T:
    """Run ``step`` until it succeeds while Redis or the broker is unreachable (backoff up to 5 s).

    Any other error is raised: the caller dead-letters the message instead of losing it.
    """
    delay, failures = 0.1, 0
    while True:
        try:
            result = await step()
        except (TimeoutError, RedisConnectionError, RedisTimeoutError, OSError) as exc:
            failures += 1
            log.warning("%s: %s unavailable (%s); retry %d in %.1fs", what, type(exc).__name__, exc, failures, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_DELAY)
            continue
        if failures:
            log.warning("%s: reconnected after %d failed attempt(s)", what, failures)
        return result


def _received_at(event: EventT) -> datetime:
    ts = event.message.timestamp
    return datetime.fromtimestamp(ts, UTC) if ts else datetime.now(UTC)


def dead_letter(event: EventT, reason: str) -> bytes:
    """The dead-letter record for a message that could not be processed."""
    value = event.value
    if isinstance(value, bytes):
        text = value[:DLQ_VALUE_CHARS].decode("utf-8", errors="replace")
    else:
        text = str(value)[:DLQ_VALUE_CHARS]
    key = event.key.decode("utf-8", errors="replace") if isinstance(event.key, bytes) else None
    msg = event.message
    return (
        DeadLetter(
            reason=reason,
            topic=msg.topic,
            partition=msg.partition,
            offset=msg.offset,
            key=key,
            value=text,
            at=_received_at(event),
        )
        .model_dump_json()
        .encode()
    )


def register_watchdog(app: faust.App, topics: AppTopics, settings: Settings) -> None:
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
        # faust's own view of the committed offsets (loaded on assignment, moved on each commit);
        # where nothing is committed yet, the log's first offset
        committed: dict[Any, int | None] = {tp: consumer._committed_offset.get(tp) for tp in tps}
        fresh = [tp for tp, c in committed.items() if c is None and ends.get(tp)]
        if fresh:
            try:
                committed.update(await consumer.earliest_offsets(*fresh))
            except Exception:
                return
        # a worker with any message in flight is busy: never interfere with it (a partition queued
        # behind others under load is slow, not stalled); a stall shows once the worker is idle
        in_flight = tps if consumer._unacked_messages else []
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


def register(
    app: faust.App,
    topics: AppTopics,
    settings: Settings,
    store: StateStore,
    nlp_loader: Any,
    ledger: Ledger | None = None,
    check_log: LogCheck | None = None,
    exit_lost: Callable[[], NoReturn] | None = None,
    read_claims: catchup.ReadClaims | None = None,
) -> None:
    """Register the agents (extract; resolve, which also projects) and the alert relay on ``app``.

    ``nlp_loader()`` returns the spaCy pipeline. ``ledger``: where the state stands in the log (default:
    beside ``store``). ``check_log``: asked every few seconds whether the broker lost its log; if it did,
    the worker records the reason in the ledger and calls ``exit_lost()`` (stops the process).
    ``read_claims``: reads records of topic ``claims`` again, to merge what Redis lost (:mod:`agents.catchup`).
    """
    ledger = ledger or ledger_of(store)
    light, busy = settings.fetch_waits()  # by broker kind unless set (long on Kafka: it answers at once)
    set_fetch_wait(light)
    seek_fresh_partitions_to_beginning()
    budget = Budget(
        max_tokens=settings.max_tokens,
        max_word_chars=settings.max_word_chars,
        max_sentence_chars=settings.max_sentence_chars,
        max_parse_chars=settings.max_parse_chars,
    )
    pool = ExtractPool(nlp_loader, settings.nlp_processes, budget, settings.nlp_batch_chars, settings.nlp_memory_mb)

    async def extract_batch(items: list[tuple[Article, datetime, EventT]]) -> list[tuple[bytes | None, EventT, str]]:
        try:
            xs = await pool.extract([(a, t) for a, t, _ in items])
            return [(x, ev, "") for x, (_, _, ev) in zip(xs, items, strict=True)]
        except Exception as exc:
            if len(items) == 1:
                log.exception("extraction failed for article %s", items[0][0].id)
                return [(None, items[0][2], f"extraction failed: {type(exc).__name__}: {exc}")]
            out: list[tuple[bytes | None, EventT, str]] = []
            for item in items:  # isolate the article that fails
                out.extend(await extract_batch([item]))
            return out

    @app.task
    async def warm_nlp() -> None:
        """Start the NLP process(es) and load spaCy before the first batch arrives."""
        await pool.warm()

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def on_assigned(app: faust.App, assigned: Any, **kwargs: Any) -> None:
        """Say plainly when this worker (re)joins the group, e.g. after the broker came back."""
        topics_held = sorted({tp.topic for tp in assigned})
        log.warning("consumer group joined: %d partition(s) of %s", len(assigned), ", ".join(topics_held) or "none")

    register_watchdog(app, topics, settings)

    async def log_lost(reason: str) -> None:
        """The broker lost its log: say so, record it, and stop rather than build on another log."""
        log.error(
            "the broker lost its log: %s. This worker stops rather than build the state again on "
            "another log (the state in Redis is kept). Restore the broker's log, or start over with "
            "`contraflow rebuild --clear --force`.",
            reason,
        )
        await retrying("record the lost log", functools.partial(ledger.report_lost, reason))
        pool.close()
        if exit_lost is not None:
            exit_lost()
        raise RuntimeError(f"the broker lost its log: {reason}")

    if check_log is not None:
        guarded = check_log

        @app.timer(interval=LOG_CHECK_SECONDS)
        async def log_guard() -> None:
            """Stop if the broker lost its log (topics missing, shorter than the state, other layouts)."""
            try:
                reason = await guarded(await ledger.claims_at())
            except Exception as exc:  # the broker or Redis is away: nothing to judge
                log.debug("log check: %s", exc)
                return
            if reason:
                await log_lost(reason)

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def stop_nlp(app: faust.App, **kwargs: Any) -> None:
        """The consumer has stopped: stop the NLP process(es) too."""
        pool.close()

    @app.agent(topics.articles, name="extract")
    async def extract(stream: AsyncIterable[Any]) -> None:
        paced = light
        async for events in stream.take_events(settings.batch_size, within=settings.batch_window):  # type: ignore[attr-defined]
            wait = fetch_wait_for(len(events), settings.batch_size, light, busy)
            if wait != paced:  # long fetch waits under a backlog, short ones when keeping up (agents.pacing)
                pace_fetches(wait)
                paced = wait
            good: list[tuple[Article, datetime, EventT]] = []
            for ev in events:
                try:
                    article = decode_article(ev.value)
                    check_budget(article, budget)  # over its hard budget: dead-lettered unparsed
                    good.append((article, _received_at(ev), ev))
                except (BadMessage, OverBudget) as exc:
                    log.warning("dead-lettered message at %s/%s: %s", ev.message.partition, ev.message.offset, exc)
                    await topics.dlq.send(key=ev.key, value=dead_letter(ev, str(exc)))
                    await retrying("count dead letter", lambda: store.bump("dead_lettered"))
            # a few waiting articles (light load): one at a time, each sent as soon as it is parsed
            chunks = [good] if len(good) >= SMALL_BATCH else [[g] for g in good]
            for chunk in chunks:
                for (article, _, _), (x, ev, reason) in zip(chunk, await extract_batch(chunk), strict=True):
                    if x is None:
                        await topics.dlq.send(key=ev.key, value=dead_letter(ev, reason))
                        await retrying("count dead letter", lambda: store.bump("dead_lettered"))
                        continue
                    await topics.claims.send(key=article.id.encode(), value=x)

    async def poison(ev: EventT, step: str, exc: Exception) -> None:
        """A message that a step cannot process: dead-letter it with the reason and go on."""
        log.exception("%s failed on %s/%s/%s", step, ev.message.topic, ev.message.partition, ev.message.offset)
        await topics.dlq.send(key=ev.key, value=dead_letter(ev, f"{step} failed: {type(exc).__name__}: {exc}"))
        await retrying("count dead letter", lambda: store.bump("dead_lettered"))

    @app.task
    async def relay() -> None:
        """Publish the alert log to topic ``alerts`` while this worker holds the relay lease.

        The holder waits on the log (a blocking read) instead of polling it, renews its lease every
        third of its time while idle and checks it again just before publishing: an idle relay costs
        a Redis round trip a second instead of eighty.
        """
        loop = asyncio.get_running_loop()
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        cursor: str | None = None
        searching: float | None = None

        async def logged_at(log_id: str, alert_id: str | None) -> bool:
            """Whether the log holds an entry ``log_id`` (with alert ``alert_id``, if given)."""
            if log_id == "0":
                return False
            at = await store.alerts(after=_before(log_id), limit=1)
            return bool(at) and at[0][0] == log_id and (alert_id is None or at[0][1].id == alert_id)

        renewed = -RELAY_LEASE_SECONDS
        while True:
            try:
                if loop.time() - renewed >= RELAY_LEASE_SECONDS / 3:
                    if not await store.lease(LEASE, owner, RELAY_LEASE_SECONDS):
                        cursor, renewed = None, -RELAY_LEASE_SECONDS
                        await asyncio.sleep(1.0)
                        continue
                    renewed = loop.time()
                if cursor is None:
                    log_id, alert_id = await loop.run_in_executor(None, last_relayed, settings)
                    found = await resume_cursor(store, log_id, alert_id)
                    if alert_id is not None and not await logged_at(found, alert_id):
                        # the last alert published is not in the log: Redis lost it, and the resolver
                        # logs it again (same id) as it merges the lost records again; wait for it
                        searching = searching if searching is not None else loop.time()
                        if loop.time() - searching < RELAY_FIND_SECONDS:
                            await asyncio.sleep(2.0)
                            continue
                        log.warning(
                            "alert relay: alert %s was not logged again in %.0fs; relaying after %s",
                            alert_id,
                            RELAY_FIND_SECONDS,
                            found,
                        )
                    cursor, searching = found, None
                    log.info("alert relay: this worker relays alerts, after log id %s", cursor)
                batch = await store.alerts(after=cursor, limit=200, wait=RELAY_WAIT_SECONDS)
                if not batch:
                    continue
                if cursor != "0" and not await logged_at(cursor, None):
                    log.warning(
                        "alert relay: log entry %s is gone (Redis came back with fewer writes); finding "
                        "the last alert published again",
                        cursor,
                    )
                    cursor, renewed = None, -RELAY_LEASE_SECONDS
                    continue
                if not await store.lease(LEASE, owner, RELAY_LEASE_SECONDS):  # still ours, just before publishing
                    cursor, renewed = None, -RELAY_LEASE_SECONDS
                    continue
                renewed = loop.time()
                pending = [
                    await topics.alerts.send(
                        key=alert.event_id.encode(),
                        value=alert.model_dump_json().encode(),
                        headers={"log_id": log_id.encode(), "alert_id": alert.id.encode()},
                    )
                    for log_id, alert in batch
                ]
                await asyncio.gather(*pending)
                cursor = batch[-1][0]
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("alert relay: %s: %s; starting over in 1s", type(exc).__name__, exc)
                cursor, renewed = None, -RELAY_LEASE_SECONDS
                await asyncio.sleep(1.0)

    policy = pipeline.archive_policy(settings.archive_after_days, settings.archive_retention_days)

    def caught_up(n: int) -> None:
        log.warning(
            "Redis lost the writes of %d claims record(s) (it came back from its append-only file, "
            "or empty): merged them again from topic claims, in order",
            n,
        )

    @app.agent(topics.claims, name="resolve")
    async def resolve(stream: AsyncIterable[Any]) -> None:
        """Place each article in an event, record the placement, and merge its claims into the state.

        Topic ``claims`` is the record that a replay reads (:mod:`streams.rebuild` resolves and
        projects its records in the same way); ``assignments`` gets each placement for other
        consumers. Projecting here rather than in an agent of its own saves a Kafka hop per article.
        """
        async for ev in stream.events():  # type: ignore[attr-defined]
            try:
                x = Extracted.model_validate_json(ev.value)
            except Exception as exc:
                await poison(ev, "resolve", exc)
                await retrying("record offset", functools.partial(ledger.advance, ev.message.offset))
                continue
            try:
                a, alerts = await retrying(
                    "merge", catchup.attempt(store, ledger, read_claims, x, ev.message.offset, policy, caught_up)
                )
            except catchup.StepFailed as failed:
                await poison(ev, failed.step, failed.exc)
                await retrying("record offset", functools.partial(ledger.advance, ev.message.offset))
                continue
            await topics.assignments.send(key=a.event_id.encode(), value=a.placement().model_dump_json().encode())
            if alerts:
                log.info("event %s: %d new alert(s) from article %s", a.event_id, len(alerts), x.article.id)

"""``contraflow worker``: run the agents against the configured broker and Redis."""

from __future__ import annotations

import asyncio
import functools
import logging
import os
import sys
from typing import NoReturn

import faust
from kafka import KafkaConsumer, TopicPartition

from agents.core.nlp import get_nlp
from agents.flow import register
from streams.alert_tail import last_relayed
from streams.app import create_app
from streams.kafka_io import client_config, ensure_topics, resolve_broker
from streams.logcheck import EXIT_LOG_LOST, log_lost
from streams.settings import Settings
from streams.store.ledger import ledger_of
from streams.store.redis import RedisStore

log = logging.getLogger("contraflow.worker")

POLLING_LOGGERS = ("kafka",)
"""kafka-python's loggers. The worker's short-lived kafka-python clients (the log guard's check every few
seconds, the alert relay's tail, topic checks) each log a bootstrap, connect and close at INFO: an idle
worker wrote a dozen lines every 5 seconds. Above DEBUG they log warnings only, so that the log says what
changed (aiokafka's group joins and faust's own lines stay)."""


def quiet_polling_clients(level: str) -> None:
    """At a ``level`` above DEBUG, let :data:`POLLING_LOGGERS` through from WARNING only."""
    if logging.getLevelName(level.upper()) == logging.DEBUG:
        return
    for name in POLLING_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def exit_lost() -> NoReturn:
    """Stop this worker at once with :data:`~streams.logcheck.EXIT_LOG_LOST` (the reason is logged)."""
    logging.shutdown()
    sys.stderr.flush()
    os._exit(EXIT_LOG_LOST)


def read_claims(settings: Settings, start: int, end: int, idle_ms: int = 5000) -> list[tuple[int, bytes]]:
    """(offset, value) of the records of topic ``claims`` at offsets [start, end) (to merge again what Redis lost)."""
    consumer = KafkaConsumer(
        **client_config(settings), group_id=None, enable_auto_commit=False, consumer_timeout_ms=idle_ms
    )
    try:
        tp = TopicPartition(settings.topics.claims, 0)
        consumer.assign([tp])
        consumer.seek(tp, max(start, consumer.beginning_offsets([tp])[tp]))
        out: list[tuple[int, bytes]] = []
        for record in consumer:
            if record.offset >= end:
                break
            out.append((record.offset, record.value))
            if record.offset >= end - 1:
                break
        return out
    finally:
        consumer.close()


async def lost_at_start(settings: Settings) -> str | None:
    """Why this worker must not start (the log was found lost, now or before); records a new finding."""
    assert settings.redis_url
    store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
    try:
        ledger = ledger_of(store)
        before = await ledger.lost()
        if before:
            return f"{before} (found before; `contraflow rebuild --clear --force` starts over)"
        try:
            reason = await asyncio.get_running_loop().run_in_executor(
                None, log_lost, settings, await ledger.claims_at()
            )
        except Exception as exc:  # the broker is not reachable yet: the worker's timer checks again later
            log.warning("could not check the broker's log at start: %s", exc)
            return None
        if reason:
            await ledger.report_lost(reason)
        return reason
    finally:
        await store.close()


def run_worker(settings: Settings) -> None:
    """Start a faust worker with the three agents; returns when the worker stops (SIGINT/SIGTERM)."""
    redis_url = settings.redis_url
    if not redis_url:
        raise ValueError("REDIS_URL is not set")
    quiet_polling_clients(settings.log_level)  # faust's logging setup keeps it: its config names no loggers
    if settings.event_loop == "uvloop":  # before faust creates its loop: a cheaper round trip to Kafka and Redis
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    loop = asyncio.new_event_loop()  # not the current loop: faust makes its own
    try:
        reason = loop.run_until_complete(lost_at_start(settings))
    finally:
        loop.close()
    if reason:  # never recreate the topics under a state they no longer hold
        log.error("the broker lost its log: %s. The worker does not start; the state in Redis is kept.", reason)
        sys.exit(EXIT_LOG_LOST)
    settings = resolve_broker(settings)  # Apache Kafka or Tansu: the fetch waits and the producer follow
    ensure_topics(settings)
    app, topics = create_app(settings)
    store = RedisStore.from_url(redis_url, settings.redis_prefix)

    async def check(claims_at: int | None) -> str | None:
        return await asyncio.get_running_loop().run_in_executor(None, log_lost, settings, claims_at)

    # spaCy loads in the NLP process(es) as the worker starts
    async def read(start: int, end: int) -> list[tuple[int, bytes]]:
        return await asyncio.get_running_loop().run_in_executor(None, read_claims, settings, start, end)

    tail = functools.partial(last_relayed, settings)
    register(
        app,
        topics,
        settings,
        store,
        ledger_of(store),
        get_nlp,
        tail,
        check_log=check,
        exit_lost=exit_lost,
        read_claims=read,
    )

    worker = faust.Worker(
        app, loglevel=settings.log_level.upper(), quiet=True, redirect_stdouts=False, override_logging=True
    )
    worker.execute_from_commandline()

"""``contraflow worker``: run the agents against the configured broker and Redis."""

from __future__ import annotations

import asyncio

import faust

from agents.core.nlp import get_nlp
from agents.streaming import register
from streams.app import create_app
from streams.kafka_io import ensure_topics, resolve_broker
from streams.settings import Settings
from streams.store.redis import RedisStore


def run_worker(settings: Settings) -> None:
    """Start a faust worker with the three agents; returns when the worker stops (SIGINT/SIGTERM)."""
    redis_url = settings.redis_url
    if not redis_url:
        raise ValueError("REDIS_URL is not set")
    if settings.event_loop == "uvloop":  # before faust creates its loop: a cheaper round trip to Kafka and Redis
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    settings = resolve_broker(settings)  # Apache Kafka or Tansu: the fetch waits and the producer follow
    ensure_topics(settings)
    app, topics = create_app(settings)
    store = RedisStore.from_url(redis_url, settings.redis_prefix)
    register(app, topics, settings, store, get_nlp)  # spaCy loads in the NLP process(es) as the worker starts

    worker = faust.Worker(app, loglevel=settings.log_level.upper(), quiet=True, redirect_stdouts=False,
                          override_logging=True)
    worker.execute_from_commandline()

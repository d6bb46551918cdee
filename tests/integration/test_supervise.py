"""`contraflow up`'s watch over the servers it started: Redis is restarted, a lost broker stops all."""

from __future__ import annotations

import os
import signal

import redis

from streams.runner import Stack
from streams.settings import Settings


def test_supervise_restarts_redis_and_stops_on_a_dead_broker() -> None:
    said: list[str] = []
    with Stack(Settings(_env_file=None).with_servers("", ""), workers=0) as stack:
        emb = stack.embedded
        assert emb is not None and emb.redis_proc is not None and emb.broker_proc is not None
        client = redis.Redis.from_url(stack.settings.redis_url or "")
        client.set("kept", "1")
        client.close()
        assert stack.supervise(said.append) is None and not said
        os.kill(emb.redis_proc.pid, signal.SIGKILL)
        emb.redis_proc.wait()
        assert stack.supervise(said.append) is None
        assert said and "restarting it from its append-only file" in said[0]
        client = redis.Redis.from_url(stack.settings.redis_url or "")
        assert client.ping()
        client.close()
        os.kill(emb.broker_proc.pid, signal.SIGKILL)
        emb.broker_proc.wait()
        why = stack.supervise(said.append)
        assert why and "the log is lost" in why

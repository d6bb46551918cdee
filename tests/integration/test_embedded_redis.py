"""The embedded Redis keeps what it acknowledged through a kill -9, and asks for its password."""

from __future__ import annotations

import time

import pytest
import redis

from streams.embedded import Embedded


def test_embedded_redis_survives_kill_and_needs_its_password() -> None:
    with Embedded(broker=False) as emb:
        client = redis.Redis.from_url(emb.redis_url)
        client.set("kept", "yes")
        client.close()
        with pytest.raises(redis.AuthenticationError):
            redis.Redis(port=emb.redis_port).get("kept")
        assert emb.redis_password not in (emb.workdir / "redis.log").read_text(errors="replace")
        time.sleep(1.5)  # appendfsync everysec: what was written a second ago is on disk
        emb.kill_redis()
        emb.start_redis(emb.redis_port)
        client = redis.Redis.from_url(emb.redis_url)
        try:
            assert client.get("kept") == b"yes"
        finally:
            client.close()

"""Real servers for the integration and e2e tiers: embedded ones, or those in KAFKA_BOOTSTRAP / REDIS_URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.embedded import Embedded
from streams.settings import Settings


@pytest.fixture(scope="session")
def servers() -> Iterator[Settings]:
    """Settings pointing at a real broker and Redis, started once per test session when not given."""
    base = Settings()
    need_broker, need_redis = not base.kafka_bootstrap, not base.redis_url
    if not (need_broker or need_redis):
        yield base
        return
    with Embedded(broker=need_broker, redis=need_redis, redis_aof=True) as emb:
        yield base.with_servers(base.kafka_bootstrap or emb.kafka_bootstrap, base.redis_url or emb.redis_url)

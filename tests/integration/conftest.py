"""Integration tier: a real broker of each brand (Tansu, Apache Kafka) and a real Redis, once per session."""

import pytest

from streams.settings import Settings
from tests.servers import servers_each_broker  # noqa: F401


@pytest.fixture(scope="session")
def redis_only(redis_server: str) -> Settings:
    """Settings on the session's Redis, for the tests that need no broker (run once, not per broker)."""
    return Settings().with_servers("", redis_server)

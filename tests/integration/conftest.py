"""Integration tier: a real Kafka-protocol broker and a real Redis, started once per session."""

from tests.servers import servers  # noqa: F401

"""E2E tier: a real Kafka-protocol broker (the embedded Tansu) and a real Redis, once per session."""

from tests.servers import servers_one_broker  # noqa: F401

"""Fault tier: real brokers (Tansu, Apache Kafka), Redis and worker processes, broken on purpose
(``pytest -m faults``)."""

from tests.servers import servers_each_broker  # noqa: F401

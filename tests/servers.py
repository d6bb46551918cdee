"""Real servers for the integration, fault and e2e tiers, started once per test session.

One Redis, and one broker per brand: ``tansu`` (the embedded Tansu, memory storage) and ``kafka``
(Apache Kafka, :mod:`streams.kafka_jvm`, a real log directory). The integration and fault tiers
run on each brand (their ``servers`` is parametrised: ``test_x[tansu]``, ``test_x[kafka]``); e2e
runs on Tansu. ``KAFKA_BOOTSTRAP`` names one broker instead (brand ``given``) and ``REDIS_URL`` one
Redis; ``CONTRAFLOW_TEST_BROKERS=tansu`` (or ``kafka``) runs one brand only. Without Java, or
without Maven and the jars cached, the Kafka tests are skipped, saying why.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from streams.embedded import Embedded
from streams.kafka_jvm import KafkaBroker, missing
from streams.settings import Settings

BRANDS = ("tansu", "kafka")


def brands() -> list[str]:
    """The broker brands this session runs the integration and fault tiers on."""
    if Settings().kafka_bootstrap:
        return ["given"]
    wanted = [b.strip() for b in os.environ.get("CONTRAFLOW_TEST_BROKERS", ",".join(BRANDS)).split(",") if b.strip()]
    unknown = sorted(set(wanted) - set(BRANDS))
    if unknown:
        raise ValueError(f"CONTRAFLOW_TEST_BROKERS: unknown broker(s) {unknown}; known: {', '.join(BRANDS)}")
    return wanted


@dataclass
class Broker:
    """A broker the tests run on: its brand and address (and the Kafka process, to restart it)."""

    brand: str
    bootstrap: str
    kafka: KafkaBroker | None = None


@pytest.fixture(scope="session")
def redis_server() -> Iterator[str]:
    """URL of a real Redis (AOF on): ``REDIS_URL``, else an embedded one."""
    given = Settings().redis_url
    if given:
        yield given
        return
    with Embedded(broker=False, redis=True, redis_aof=True) as emb:
        yield emb.redis_url


@pytest.fixture(scope="session")
def tansu_broker() -> Iterator[str]:
    """Bootstrap address of an embedded Tansu broker (memory storage)."""
    with Embedded(broker=True, redis=False) as emb:
        yield emb.kafka_bootstrap


@pytest.fixture(scope="session")
def kafka_broker() -> Iterator[KafkaBroker]:
    """An Apache Kafka node (skipped, with the reason, where Java or Maven is missing)."""
    reason = missing()
    if reason:
        pytest.skip(f"Apache Kafka tier skipped: {reason}")
    with KafkaBroker() as kafka:
        yield kafka


@pytest.fixture(scope="session", params=brands())
def broker(request: pytest.FixtureRequest) -> Broker:
    """The broker of this parameter: the given one, the session's Tansu or the session's Apache Kafka."""
    brand = request.param
    if brand == "given":
        return Broker("given", Settings().kafka_bootstrap or "")
    if brand == "kafka":
        kafka: KafkaBroker = request.getfixturevalue("kafka_broker")
        return Broker("kafka", kafka.bootstrap, kafka)
    return Broker("tansu", request.getfixturevalue("tansu_broker"))


@pytest.fixture(scope="session", name="servers")
def servers_each_broker(broker: Broker, redis_server: str) -> Settings:
    """Settings on this parameter's broker and the session's Redis (integration and fault tiers)."""
    return Settings().with_servers(broker.bootstrap, redis_server)


@pytest.fixture(scope="session", name="servers")
def servers_one_broker(request: pytest.FixtureRequest, redis_server: str) -> Settings:
    """Settings on the given broker, else the session's Tansu, and the session's Redis (e2e tier)."""
    given = Settings().kafka_bootstrap
    return Settings().with_servers(given or request.getfixturevalue("tansu_broker"), redis_server)

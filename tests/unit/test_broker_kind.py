"""What follows from the broker kind: fetch waits, the benchmark's broker names, the Kafka launcher's config."""

import pytest

from bench.brokers import parse
from streams.kafka_jvm import cluster_id, kafka_version
from streams.settings import Settings


def test_fetch_waits_by_broker_kind_unless_set() -> None:
    assert Settings(broker_kind="tansu").fetch_waits() == (0.01, 0.1)
    assert Settings(broker_kind="kafka").fetch_waits() == (0.5, 0.5)
    assert Settings(broker_kind="auto").fetch_waits() == (0.01, 0.1), "unknown: the short waits, right on both"
    assert Settings(broker_kind="kafka", fetch_wait=0.05, fetch_wait_busy=0.2).fetch_waits() == (0.05, 0.2)


def test_unset_fetch_waits_stay_out_of_a_child_environment() -> None:
    """A worker started by the stack decides its own fetch waits from the broker it finds."""
    env = Settings(kafka_bootstrap="k:1", redis_url="redis://r/0").as_env()
    assert "CONTRAFLOW_FETCH_WAIT" not in env and env["CONTRAFLOW_BROKER_KIND"] == "auto"


def test_bench_broker_names() -> None:
    assert parse("both") == ["tansu", "kafka"] and parse("kafka") == ["kafka"]
    with pytest.raises(ValueError, match="unknown broker"):
        parse("zookeeper")


def test_kafka_launcher_names_a_4x_release_and_kraft_ids() -> None:
    assert kafka_version().startswith("4.")
    ids = {cluster_id() for _ in range(10)}
    assert len(ids) == 10 and all(len(i) == 22 and "=" not in i for i in ids)


def test_kraft_ids_never_start_with_a_dash() -> None:
    """``kafka-storage format -t -x...`` reads an id starting with "-" as an option: one format in 64 failed."""
    assert not any(cluster_id().startswith("-") for _ in range(5000))

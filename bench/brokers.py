"""The brokers the benchmark's end-to-end steps run on: the embedded Tansu, or Apache Kafka.

Apache Kafka is the tests' single KRaft node (:mod:`streams.kafka_jvm`: jars from Maven, a log
directory of its own), started for the run and stopped after it; its process counts as ``broker``
in the CPU figures, as Tansu's does.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

BROKERS = ("tansu", "kafka")


def parse(value: str) -> list[str]:
    """``tansu``, ``kafka``, ``both`` or a comma-separated list: the brokers, in order."""
    names = list(BROKERS) if value == "both" else [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n not in BROKERS]
    if unknown or not names:
        raise ValueError(f"unknown broker(s) {unknown or value!r}; use tansu, kafka or both")
    return names


@contextmanager
def running(name: str) -> Iterator[str | None]:
    """The bootstrap address of broker ``name`` while the block runs (None: the stack embeds Tansu,
    or uses ``KAFKA_BOOTSTRAP`` when set)."""
    if name == "tansu":
        yield None
        return
    from streams.kafka_jvm import KafkaBroker, missing

    reason = missing()
    if reason:
        raise RuntimeError(f"cannot run Apache Kafka: {reason}")
    with KafkaBroker() as kafka:
        yield kafka.bootstrap

"""An outside client (confluent-kafka, what most subscribers use) reading topic ``alerts`` in a group of its own:
its first record arrives within 5 s of subscribing, with the settings the README's example gives."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.servers import Broker

WITHIN = 5.0
README_SETTINGS = {"session.timeout.ms": 6000}
"""The README's "subscribe from outside" example: on the embedded Tansu a group's first join waits about half
the session timeout (23 s at the default 45 s), so the example sets it to 6 s; Apache Kafka needs nothing."""


def test_first_record_within_5_s_of_subscribing(broker: Broker) -> None:
    ck = pytest.importorskip("confluent_kafka")
    topic = f"alerts-outside-{uuid.uuid4().hex[:6]}"
    producer = ck.Producer({"bootstrap.servers": broker.bootstrap})
    producer.produce(topic, b'{"id": "al-1"}')
    assert producer.flush(15) == 0
    extra = README_SETTINGS if broker.brand != "kafka" else {}
    consumer = ck.Consumer(
        {
            "bootstrap.servers": broker.bootstrap,
            "group.id": f"outside-{uuid.uuid4().hex[:6]}",
            "auto.offset.reset": "earliest",
            **extra,
        }
    )
    try:
        t0 = time.monotonic()
        consumer.subscribe([topic])
        first = None
        while first is None and time.monotonic() - t0 < 60:
            msg = consumer.poll(0.2)
            if msg is not None and not msg.error():
                first = time.monotonic() - t0
    finally:
        consumer.close()
    print(
        f"\nfirst record {first:.2f}s after subscribing ({broker.brand}, {extra or 'default settings'})"
        if first is not None
        else "\nno record in 60 s"
    )
    assert first is not None and first < WITHIN, f"first record after {first} s on {broker.brand}"

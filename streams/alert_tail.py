"""The tail of topic ``alerts``: the last alert the relay published, read back from the broker."""

from __future__ import annotations

import time

from kafka import KafkaConsumer, TopicPartition

from streams.kafka_io import client_config
from streams.settings import Settings

TAIL_RECORDS = 200


def last_relayed(settings: Settings, timeout: float = 30.0) -> tuple[str | None, str | None]:
    """(log_id, alert_id) of the last record on the alerts topic, or (None, None) when it is empty.

    Reads from a little before the listed end offset until its position reaches that end. Apache
    Kafka lists the exact end; the embedded Tansu 0.6 lists its last batch's first offset + 1, and a
    fetch returns whole batches, so reaching the listed end has read the last batch there too. A
    broker too slow to answer raises TimeoutError (the relay starts over) rather than giving a stale
    tail, from which the relay would publish alerts again.
    """
    consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False, fetch_max_wait_ms=100)
    try:
        tp = TopicPartition(settings.topics.alerts, 0)
        consumer.assign([tp])
        end = consumer.end_offsets([tp])[tp]
        if not end:
            return None, None
        consumer.seek(tp, max(0, end - TAIL_RECORDS))
        last: tuple[str | None, str | None] = (None, None)
        deadline = time.monotonic() + timeout
        while consumer.position(tp) < end:
            if time.monotonic() > deadline:
                raise TimeoutError(f"alerts topic: read to {consumer.position(tp)} of {end} in {timeout:.0f}s")
            for record in consumer.poll(timeout_ms=500).get(tp, []):
                headers = {k: v.decode() for k, v in (record.headers or [])}
                if "log_id" in headers:
                    last = (headers["log_id"], headers.get("alert_id"))
        return last
    finally:
        consumer.close()

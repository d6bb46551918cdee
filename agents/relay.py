"""The alert relay: publishes the Redis alert log to topic ``alerts``, once per alert.

The project step logs alerts in Redis in the same transaction as the state change; this relay
then publishes them. One worker at a time holds the relay lease. A new leader first reads the
tail of ``alerts`` (one partition, up to its listed end offset) to learn the last alert relayed (each record carries the
``log_id`` and ``alert_id`` headers) and goes on after it, so a crash between publishing and
moving the cursor neither loses nor repeats an alert.
"""

from __future__ import annotations

import logging
import time

from kafka import KafkaConsumer, TopicPartition

from streams.kafka_io import client_config
from streams.settings import Settings
from streams.store.base import StateStore

log = logging.getLogger("contraflow.relay")
LEASE = "alert-relay"
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


def _before(log_id: str) -> str:
    """The Redis stream id just before ``log_id``."""
    ms, _, seq = log_id.partition("-")
    if seq and int(seq) > 0:
        return f"{ms}-{int(seq) - 1}"
    return f"{int(ms) - 1}-18446744073709551615" if int(ms) > 0 else "0"


async def resume_cursor(store: StateStore, log_id: str | None, alert_id: str | None) -> str:
    """Where to go on relaying: after the last relayed alert, found by log id, else by alert id."""
    if log_id is None:
        return "0"
    try:
        at = await store.alerts(after=_before(log_id), limit=1)
    except Exception:
        at = []
    if at and at[0][0] == log_id and (alert_id is None or at[0][1].id == alert_id):
        return log_id
    cursor = "0"
    while True:  # the log was rebuilt: find the alert by id
        page = await store.alerts(after=cursor, limit=1000)
        if not page:
            break
        for cid, alert in page:
            if alert.id == alert_id:
                return cid
        cursor = page[-1][0]
    head = await store.alert_head()
    log.warning("alert relay: last relayed alert %s is not in the log; relaying from the head %s", alert_id, head)
    return head

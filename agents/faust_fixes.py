"""Changes to faust's aiokafka driver (applied once per process by :func:`agents.flow.register`), and the
reads of its private fields the watchdog needs: every use of faust's internals is here."""

from __future__ import annotations

import weakref
from typing import Any

_fetch_wait_ms = 1500
_consumers: weakref.WeakSet[Any] = weakref.WeakSet()


def set_fetch_wait(seconds: float) -> None:
    """How long a fetch of the agents' consumer may wait on the broker for data (faust fixes 1.5 s).

    Kafka answers a waiting fetch as soon as data arrives, but some brokers (the embedded Tansu
    among them) hold it for much of the wait: each hop between two agents then adds hundreds of ms.
    Applies to consumers created from now on and, with :func:`pace_fetches`, to running ones.
    """
    global _fetch_wait_ms
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    _fetch_wait_ms = max(1, round(seconds * 1000))
    if getattr(AIOKafkaConsumerThread, "_contraflow_fetch_wait", False):
        return
    create = AIOKafkaConsumerThread._create_worker_consumer

    def create_worker_consumer(self: Any, transport: Any) -> Any:
        consumer = create(self, transport)
        consumer._fetch_max_wait_ms = _fetch_wait_ms  # read when the consumer starts its fetcher
        _consumers.add(consumer)
        return consumer

    AIOKafkaConsumerThread._create_worker_consumer = create_worker_consumer  # type: ignore[method-assign]
    AIOKafkaConsumerThread._contraflow_fetch_wait = True  # type: ignore[attr-defined]


def pace_fetches(seconds: float) -> None:
    """Change the fetch wait of the running consumers of this process (their next fetch request).

    aiokafka reads its fetcher's ``_fetch_max_wait_ms`` each time it builds a request, from the
    consumer's own thread; an int assignment from another thread is atomic.
    """
    set_fetch_wait(seconds)
    for consumer in list(_consumers):
        consumer._fetch_max_wait_ms = _fetch_wait_ms
        fetcher = getattr(consumer, "_fetcher", None)
        if fetcher is not None:
            fetcher._fetch_max_wait_ms = _fetch_wait_ms


def seek_fresh_partitions_to_beginning() -> None:
    """Make faust's "seek to committed" rewind partitions with nothing committed, too.

    faust drops records fetched while its flow is stopped (a rebalance) and seeks back to the
    committed offsets; aiokafka seeks only where an offset above 0 is committed, so a partition with
    nothing committed (a new group, a new topic, a broker that came back empty) stays past the dropped
    records until the next rebalance. With ``auto_offset_reset=earliest`` such a partition belongs at
    its beginning, which is where this sends it.
    """
    from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread

    if getattr(AIOKafkaConsumerThread, "_contraflow_seek_fresh", False):
        return

    async def seek_all(self: Any) -> Any:
        consumer = self._ensure_consumer()
        committed = await consumer.seek_to_committed()
        fresh = [tp for tp, offset in committed.items() if not offset]
        if fresh and self.app.conf.consumer_auto_offset_reset == "earliest":
            await consumer.seek_to_beginning(*fresh)
        return committed

    async def seek_to_committed(self: Any) -> Any:
        return await self.call_thread(seek_all, self)

    AIOKafkaConsumerThread.seek_to_committed = seek_to_committed  # type: ignore[method-assign]
    AIOKafkaConsumerThread._contraflow_seek_fresh = True  # type: ignore[attr-defined]


def idempotent_producer() -> None:
    """Make faust's producer idempotent (``enable_idempotence``, acks=all) outside transactions too.

    faust asks for it only in its exactly-once mode. With it, a batch the producer sends again after a
    lost connection (a broker restart) is written once: no alert or claim twice on the topic. Only for
    brokers that offer it to aiokafka (Apache Kafka; the embedded Tansu answers InitProducerId with an
    error, and the producer would not start).
    """
    from faust.transport.drivers.aiokafka import Producer

    if getattr(Producer, "_contraflow_idempotent", False):
        return
    extra = Producer._settings_extra

    def settings_extra(self: Any) -> Any:
        return {**extra(self), "acks": "all", "enable_idempotence": True}

    Producer._settings_extra = settings_extra  # type: ignore[method-assign]
    Producer._contraflow_idempotent = True  # type: ignore[attr-defined]


def committed_offsets(consumer: Any, tps: list[Any]) -> dict[Any, int | None]:
    """faust's own view of the consumer's committed offsets (loaded on assignment, moved on each commit)."""
    return {tp: consumer._committed_offset.get(tp) for tp in tps}


def has_unacked(consumer: Any) -> bool:
    """Whether the consumer has any message in flight (delivered, not yet acknowledged)."""
    return bool(consumer._unacked_messages)

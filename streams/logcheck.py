"""Has the broker lost its log? The state in Redis against topic ``claims`` and the topics' layouts.

A Kafka that keeps its log never fails these checks; the embedded memory broker fails them once it
restarts (empty). A worker that finds the log lost stops with the reason (recorded in the ledger,
for ``/healthz`` and ``rebuild``) instead of recreating the topics or building on a new log.
"""

from __future__ import annotations

from kafka import KafkaConsumer, TopicPartition

from streams.kafka_io import client_config
from streams.settings import Settings

EXIT_LOG_LOST = 3
"""A worker's exit code when it stopped on a lost log (``contraflow up`` then stops everything)."""


def layouts(settings: Settings) -> dict[str, int]:
    """Each topic of the pipeline and its number of partitions."""
    t, n = settings.topics, settings.partitions
    return {t.articles: n, t.dlq: 1, t.claims: 1, t.assignments: n, t.alerts: 1}


def claims_extent(settings: Settings) -> tuple[int, int] | None:
    """(first, end) offsets of topic ``claims`` (end: the next offset written), or ``None`` if it is missing."""
    consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False)
    try:
        parts = consumer.partitions_for_topic(settings.topics.claims)
        if not parts:
            return None
        tp = TopicPartition(settings.topics.claims, 0)
        return consumer.beginning_offsets([tp])[tp], consumer.end_offsets([tp])[tp]
    finally:
        consumer.close()


def log_lost(settings: Settings, claims_at: int | None) -> str | None:
    """Why the log is lost for a state holding ``claims`` up to offset ``claims_at`` (``None``: it is not).

    No state (``claims_at`` is ``None``): nothing to lose. Else topic ``claims`` must exist and end
    past ``claims_at``, and each topic that exists must have its partitions (a topic created again by
    a client's request gets the broker's default layout)."""
    if claims_at is None:
        return None
    consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False)
    try:
        consumer.topics()  # fresh metadata
        wrong = []
        for topic, want in layouts(settings).items():
            parts = consumer.partitions_for_topic(topic)
            if topic == settings.topics.claims and not parts:
                return f"topic {topic} is missing, and the state holds its records up to offset {claims_at}"
            if parts and len(parts) != want:
                wrong.append(f"{topic} has {len(parts)} partition(s), not {want}")
        if wrong:
            return "the topics were created again with other layouts: " + "; ".join(wrong)
        tp = TopicPartition(settings.topics.claims, 0)
        end = consumer.end_offsets([tp])[tp]
        if end <= claims_at and not holds(consumer, tp, claims_at):
            return (
                f"topic {settings.topics.claims} ends at offset {end}, but the state holds its records up to "
                f"offset {claims_at}"
            )
        return None
    finally:
        consumer.close()


def holds(consumer: KafkaConsumer, tp: TopicPartition, offset: int, wait_ms: int = 3000) -> bool:
    """Whether the partition has a record at ``offset`` or later, by fetching it (the embedded Tansu lists
    a partition's end as its last batch's first offset + 1, which can be before the real end)."""
    consumer.assign([tp])
    consumer.seek(tp, offset)
    got = consumer.poll(timeout_ms=wait_ms, max_records=1)
    return any(r.offset >= offset for rs in got.values() for r in rs)


def log_holds(settings: Settings, offset: int) -> bool:
    """Whether topic ``claims`` has a record at ``offset`` or later."""
    consumer = KafkaConsumer(**client_config(settings), group_id=None, enable_auto_commit=False)
    try:
        return holds(consumer, TopicPartition(settings.topics.claims, 0), offset)
    finally:
        consumer.close()

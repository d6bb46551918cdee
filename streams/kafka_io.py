"""Plain Kafka clients (kafka-python): topic setup, the article publisher, the alert reader."""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from schemas.article import Article
from streams.settings import Settings

log = logging.getLogger("contraflow.kafka")


def client_config(settings: Settings) -> dict[str, Any]:
    """kafka-python connection options (bootstrap servers, SASL/SSL) from the settings."""
    if not settings.kafka_bootstrap:
        raise ValueError("KAFKA_BOOTSTRAP is not set")
    cfg: dict[str, Any] = {"bootstrap_servers": settings.kafka_bootstrap.split(",")}
    proto = settings.kafka_security_protocol.upper()
    if proto != "PLAINTEXT":
        cfg["security_protocol"] = proto
        if settings.kafka_ssl_cafile:
            cfg["ssl_cafile"] = settings.kafka_ssl_cafile
        if proto.startswith("SASL"):
            cfg["sasl_mechanism"] = settings.kafka_sasl_mechanism
            cfg["sasl_plain_username"] = settings.kafka_sasl_username
            if settings.kafka_sasl_password:
                cfg["sasl_plain_password"] = settings.kafka_sasl_password.get_secret_value()
    return cfg


TANSU_CLUSTER_PREFIX = "tansu"
"""The embedded Tansu names its cluster ``tansu_cluster``; Apache Kafka's KRaft ids are random base64."""


def broker_kind(settings: Settings, timeout: float = 30.0) -> str:
    """``kafka`` or ``tansu``, by the cluster id the broker reports (retried while it is starting)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            admin = KafkaAdminClient(**client_config(settings), client_id="contraflow-admin")
            try:
                cluster = str(admin.describe_cluster().get("cluster_id") or "")
            finally:
                admin.close()
            return "tansu" if cluster.lower().startswith(TANSU_CLUSTER_PREFIX) else "kafka"
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def resolve_broker(settings: Settings) -> Settings:
    """``settings`` with ``broker_kind`` known (asked of the broker when it is ``auto``)."""
    if settings.broker_kind != "auto":
        return settings
    kind = broker_kind(settings)
    log.info("broker at %s is %s", settings.kafka_bootstrap, "Apache Kafka" if kind == "kafka" else "Tansu")
    return settings.model_copy(update={"broker_kind": kind})


def ensure_topics(settings: Settings, timeout: float = 30.0) -> None:
    """Create the pipeline's topics if they do not exist (``claims`` has one partition)."""
    t, n = settings.topics, settings.partitions
    wanted = {t.articles: n, t.dlq: 1, t.claims: 1, t.assignments: n, t.alerts: 1}
    deadline = time.monotonic() + timeout
    while True:
        try:
            admin = KafkaAdminClient(**client_config(settings), client_id="contraflow-admin")
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    try:
        existing = set(admin.list_topics())
        new = [NewTopic(name, parts, 1) for name, parts in wanted.items() if name not in existing]
        if new:
            with contextlib.suppress(TopicAlreadyExistsError):
                admin.create_topics(new)
    finally:
        admin.close()


def article_key(record: dict[str, Any] | str | bytes) -> bytes | None:
    """The message key: the article's id (derived as the worker would when absent)."""
    if isinstance(record, dict):
        try:
            return Article.model_validate(record).id.encode()
        except Exception:
            rid = record.get("id")
            return str(rid).encode() if rid is not None else None
    return None


def publish(
    settings: Settings, records: Iterable[dict[str, Any] | str | bytes], on_sent: Callable[[int], None] | None = None
) -> int:
    """Publish articles to topic ``articles`` (acks=all); return how many were sent."""
    producer = KafkaProducer(
        **client_config(settings), acks="all", linger_ms=5, retries=5, max_request_size=4 * 1024 * 1024
    )
    n = 0
    try:
        futures = []
        for rec in records:
            if isinstance(rec, bytes):
                value = rec
            elif isinstance(rec, str):
                value = rec.encode()
            else:
                value = json.dumps(rec, ensure_ascii=False).encode()
            futures.append(producer.send(settings.topics.articles, key=article_key(rec), value=value))
            n += 1
            if on_sent:
                on_sent(n)
        producer.flush()
        for f in futures:
            f.get(timeout=30)
    finally:
        producer.close()
    return n


def read_topic(settings: Settings, topic: str, follow: bool = False, idle_ms: int = 2000) -> Iterator[bytes]:
    """Every message of ``topic`` from the beginning; with ``follow``, wait for more forever."""
    consumer = KafkaConsumer(
        topic,
        **client_config(settings),
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
        consumer_timeout_ms=-1 if follow else idle_ms,
    )
    try:
        for msg in consumer:
            yield msg.value
    finally:
        consumer.close()

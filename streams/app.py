"""The faust app and its topics, built from :class:`~streams.settings.Settings`."""

from __future__ import annotations

import tempfile
from pathlib import Path

import faust
from faust.types import TopicT

from agents.faust_fixes import idempotent_producer
from agents.flow.config import AppTopics
from streams.settings import Settings


def broker_credentials(settings: Settings) -> faust.types.auth.CredentialsT | None:
    """SASL/SSL credentials from the settings, or ``None`` for PLAINTEXT."""
    proto = settings.kafka_security_protocol.upper()
    if proto == "PLAINTEXT":
        return None
    ssl_context = None
    if "SSL" in proto:
        import ssl

        ssl_context = ssl.create_default_context(cafile=settings.kafka_ssl_cafile)
        if proto == "SSL":
            return faust.SSLCredentials(ssl_context)
    password = settings.kafka_sasl_password.get_secret_value() if settings.kafka_sasl_password else ""
    return faust.SASLCredentials(
        username=settings.kafka_sasl_username or "",
        password=password,
        mechanism=settings.kafka_sasl_mechanism,
        ssl_context=ssl_context,
    )


def create_app(settings: Settings) -> tuple[faust.App, AppTopics]:
    """The faust app (at-least-once, state kept out of faust tables) and its topics.

    ``settings.broker_kind`` as :func:`streams.kafka_io.resolve_broker` found it: on Apache Kafka the
    producer is idempotent (a send retried after a broker restart is written once).
    """
    if not settings.kafka_bootstrap:
        raise ValueError("KAFKA_BOOTSTRAP is not set")
    if settings.broker_kind == "kafka":
        idempotent_producer()
    brokers = ";".join(f"kafka://{h.strip()}" for h in settings.kafka_bootstrap.split(","))
    app = faust.App(
        settings.app_id,
        broker=brokers,
        broker_credentials=broker_credentials(settings),
        store="memory://",
        # faust makes "<app id>-data/v1/tables" even for in-memory tables: not in the user's working directory
        datadir=Path(tempfile.gettempdir()) / f"contraflow-{settings.app_id}-data",
        autodiscover=False,
        processing_guarantee="at_least_once",
        topic_replication_factor=1,
        topic_partitions=settings.partitions,
        topic_allow_declare=True,
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=settings.heartbeat,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        web_enabled=settings.web_port > 0,
        web_port=settings.web_port or 6066,
        web_bind="127.0.0.1",
    )
    t = settings.topics

    def topic(name: str, partitions: int) -> TopicT:
        return app.topic(
            name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw", partitions=partitions
        )

    topics = AppTopics(
        articles=topic(t.articles, settings.partitions),
        dlq=topic(t.dlq, 1),
        claims=topic(t.claims, 1),
        assignments=topic(t.assignments, settings.partitions),
        alerts=topic(t.alerts, 1),
    )
    return app, topics

"""``GET /metrics``: Prometheus text built from the store's counters, the event states and Kafka offsets."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from datetime import UTC, datetime
from typing import Any

from agents.ports import StateStore
from streams.settings import Settings

log = logging.getLogger("contraflow.metrics")
STREAM_ID_RE = re.compile(r"^([0-9]{13})-[0-9]+$")
QUANTILES = (0.5, 0.9, 0.95, 0.99)


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def num(v: float) -> str:
    """A sample value in full: integers as integers, other floats as the shortest text that reads back the same
    (``:g`` kept six digits, so a timestamp lost up to 80 minutes)."""
    f = float(v)
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


class Exposition:
    """Prometheus text exposition format, one family at a time."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def family(
        self, name: str, kind: str, help_text: str, samples: list[tuple[dict[str, str], float]] | float | None
    ) -> None:
        if samples is None:
            return
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} {kind}")
        if not isinstance(samples, list):
            samples = [({}, samples)]
        for labels, value in samples:
            lab = ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
            suffix = "_total" if kind == "counter" and not name.endswith("_total") else ""
            self.lines.append(f"{name}{suffix}{{{lab}}} {num(value)}" if lab else f"{name}{suffix} {num(value)}")

    def summary(self, name: str, help_text: str, values: list[float]) -> None:
        self.lines.append(f"# HELP {name} {help_text}")
        self.lines.append(f"# TYPE {name} summary")
        ordered = sorted(values)
        for q in QUANTILES:
            v = quantile(ordered, q) if ordered else float("nan")
            self.lines.append(f'{name}{{quantile="{q}"}} {num(v)}')
        self.lines.append(f"{name}_sum {num(sum(ordered))}")
        self.lines.append(f"{name}_count {len(ordered)}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def quantile(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted values (nearest rank)."""
    if not ordered:
        return float("nan")
    idx = max(0, min(len(ordered) - 1, round(q * len(ordered) + 0.5) - 1))
    return ordered[idx]


def alert_latencies(rows: list[tuple[str, Any]]) -> list[float]:
    """Seconds from each alert's article reaching Kafka (``created_at``) to the alert being logged in Redis.

    Only stores whose cursors are Redis stream ids (milliseconds since the epoch) tell the latter.
    """
    out = []
    for cursor, alert in rows:
        m = STREAM_ID_RE.match(cursor)
        if m:
            logged = int(m.group(1)) / 1000.0
            out.append(max(0.0, logged - alert.created_at.timestamp()))
    return out


class LagProbe:
    """Consumer lag of the worker group (``app_id``) on the topics it reads, from Kafka offsets."""

    def __init__(self, settings: Settings, ttl: float = 5.0) -> None:
        self.settings = settings
        self.ttl = ttl
        self._cache: tuple[float, dict[str, int] | None] = (0.0, None)
        self._lock = threading.Lock()
        self._admin: Any = None
        self._consumer: Any = None

    def _measure(self) -> dict[str, int]:
        from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
        from kafka.errors import CoordinatorNotAvailableError

        from streams.kafka_io import client_config

        cfg = client_config(self.settings)
        if self._admin is None:
            self._admin = KafkaAdminClient(**cfg, client_id="contraflow-api-lag", request_timeout_ms=5000)
        if self._consumer is None:
            self._consumer = KafkaConsumer(**cfg, group_id=None, enable_auto_commit=False, request_timeout_ms=5000)
        t = self.settings.topics
        group = self.settings.app_id
        try:
            if hasattr(self._admin, "list_group_offsets"):  # kafka-python 3
                committed = self._admin.list_group_offsets({group: None}).get(group, {})
            else:
                committed = self._admin.list_consumer_group_offsets(group)
        except CoordinatorNotAvailableError:  # a fresh cluster: no group has committed yet
            committed = {}
        lag: dict[str, int] = {}
        for topic in (t.articles, t.claims):  # what the worker group reads
            parts = self._consumer.partitions_for_topic(topic) or set()
            tps = [TopicPartition(topic, p) for p in sorted(parts)]
            if not tps:
                continue
            end = self._consumer.end_offsets(tps)
            begin = self._consumer.beginning_offsets(tps)
            total = 0
            for tp in tps:
                meta = committed.get(tp)
                done = meta.offset if meta is not None and meta.offset >= 0 else begin.get(tp, 0)
                total += max(0, end.get(tp, 0) - done)
            lag[topic] = total
        return lag

    def measure(self) -> dict[str, int] | None:
        with self._lock:
            at, cached = self._cache
            if time.monotonic() - at < self.ttl:
                return cached
            try:
                value: dict[str, int] | None = self._measure()
            except Exception as exc:
                log.warning("consumer lag unavailable: %s", exc)
                self.close_clients()
                value = None
            self._cache = (time.monotonic(), value)
            return value

    def close_clients(self) -> None:
        for c in (self._admin, self._consumer):
            if c is not None:
                with contextlib.suppress(Exception):
                    c.close()
        self._admin = self._consumer = None

    def close(self) -> None:
        with self._lock:
            self.close_clients()


async def render(store: StateStore, lag: LagProbe | None, webhooks: dict[str, int]) -> str:
    """The whole exposition."""
    counters = await store.counters()
    totals = await store.totals()  # kept with the summary index: one read, whatever the number of events
    tail = await _recent_alerts(store)
    out = Exposition()
    out.family(
        "contraflow_articles_processed",
        "counter",
        "Articles merged into an event state by the workers.",
        float(counters.get("applied", 0)),
    )
    out.family(
        "contraflow_articles_dead_lettered",
        "counter",
        "Messages sent to articles.dlq.",
        float(counters.get("dead_lettered", 0)),
    )
    out.family(
        "contraflow_articles_received",
        "counter",
        "Articles accepted by POST /articles (all API processes).",
        float(counters.get("api_articles", 0)),
    )
    out.family(
        "contraflow_feed_articles_published",
        "counter",
        "Articles published by `contraflow feeds`.",
        float(counters.get("feed_published", 0)),
    )
    out.family("contraflow_events", "gauge", "Events in the state store.", float(totals["events"]))
    out.family("contraflow_claims", "gauge", "Claims held in event states.", float(totals["claims"]))
    out.family(
        "contraflow_contradictions",
        "gauge",
        "Contradictions held in event states.",
        float(totals["contradictions"]),
    )
    kinds: dict[str, int] = {"conflict": 0, "evolving": 0}
    for name, n in totals.items():
        if name.startswith("kind:"):
            kinds[name[5:]] = kinds.get(name[5:], 0) + n
    out.family(
        "contraflow_contradictions_by_kind",
        "gauge",
        "Contradictions held in event states, by kind.",
        [({"kind": k}, float(v)) for k, v in sorted(kinds.items())],
    )
    out.family("contraflow_alerts", "counter", "Alerts logged (each once).", float(tail[0]))
    if "processing_ms" in counters and counters.get("processed"):
        out.lines += [
            "# HELP contraflow_processing_seconds Worker processing time of articles.",
            "# TYPE contraflow_processing_seconds summary",
            f"contraflow_processing_seconds_sum {num(counters['processing_ms'] / 1000.0)}",
            f"contraflow_processing_seconds_count {num(counters['processed'])}",
        ]
    out.summary(
        "contraflow_alert_processing_seconds",
        "Seconds from an article reaching Kafka to the alert it raised being logged (last 1000 alerts).",
        alert_latencies(tail[1]),
    )
    measured = await asyncio.get_running_loop().run_in_executor(None, lag.measure) if lag else None
    out.family(
        "contraflow_consumer_lag_up",
        "gauge",
        "1 when the consumer lag could be read from Kafka.",
        1.0 if measured is not None else 0.0,
    )
    if measured is not None:
        out.family(
            "contraflow_consumer_lag",
            "gauge",
            "Messages not yet processed by the worker group, by topic.",
            [({"topic": k}, float(v)) for k, v in sorted(measured.items())],
        )
    out.family(
        "contraflow_webhook_deliveries",
        "counter",
        "Webhook deliveries acknowledged (all subscriptions).",
        float(webhooks.get("delivered", 0)),
    )
    out.family(
        "contraflow_webhook_given_up",
        "counter",
        "Webhook deliveries given up after every attempt.",
        float(webhooks.get("given_up", 0)),
    )
    out.family(
        "contraflow_scrape_timestamp_seconds", "gauge", "When this page was made.", datetime.now(UTC).timestamp()
    )
    return out.text()


async def _recent_alerts(store: StateStore, keep: int = 1000) -> tuple[int, list[tuple[str, Any]]]:
    """How many alerts are logged, and the last ``keep`` of them."""
    total, cursor = 0, "0"
    recent: list[tuple[str, Any]] = []
    while True:
        rows = await store.alerts(after=cursor, limit=5000)
        if not rows:
            break
        total += len(rows)
        recent = (recent + rows)[-keep:]
        cursor = rows[-1][0]
    return total, recent

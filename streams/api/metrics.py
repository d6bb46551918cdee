"""``GET /metrics``: the store's counters, the event states and Kafka offsets as Prometheus metrics,
exposed by ``prometheus-client`` (its text or OpenMetrics format, as the scraper asks) beside the client's
standard process, platform and garbage-collector collectors.

Everything contraflow counts lives in Redis, shared by every worker and API process, so each scrape reads a
snapshot of it and a collector made for that scrape yields it: no in-process counters to lose on restart.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client import CollectorRegistry, GCCollector, PlatformCollector, ProcessCollector
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from agents.catchup import PROCESSING_BUCKETS_MS
from agents.ports import StateStore
from streams.settings import Settings

log = logging.getLogger("contraflow.metrics")
STREAM_ID_RE = re.compile(r"^([0-9]{13})-[0-9]+$")
ALERT_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)
"""Upper bounds (s) of the alert-latency histogram, as wide as the processing one."""


def quantile(ordered: list[float], q: float) -> float:
    """The ``q`` quantile of sorted values (nearest rank); for reports (the benchmark, tests), not /metrics."""
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


@dataclass
class Histogram:
    """Cumulative bucket counts over fixed upper bounds, their sum and count: what a Prometheus histogram is."""

    bounds: Sequence[float]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        if not self.counts:
            self.counts = [0] * len(self.bounds)

    def observe_all(self, values: Iterable[float]) -> None:
        for v in values:
            self.total += v
            self.count += 1
            for i, b in enumerate(self.bounds):
                if v <= b:
                    self.counts[i] += 1

    def family(self, name: str, help_text: str) -> HistogramMetricFamily:
        buckets = [(_le(b), float(n)) for b, n in zip(self.bounds, self.counts, strict=True)]
        return HistogramMetricFamily(
            name, help_text, buckets=[*buckets, ("+Inf", float(self.count))], sum_value=self.total
        )


def _le(bound: float) -> str:
    """A bucket bound as the client writes those of its own histograms (``0.5``, ``1.0``)."""
    return floatToGoString(bound)


@dataclass
class Snapshot:
    """What one scrape read: the store's counters and totals, the alert log's latencies, lag and webhooks."""

    counters: dict[str, int]
    totals: dict[str, int]
    alerts: int
    alert_latency: Histogram
    lag: dict[str, int] | None
    webhooks: dict[str, int]
    at: float


class SnapshotCollector(Collector):
    """Yields a :class:`Snapshot` as metric families; every name is the one the hand-made page had."""

    def __init__(self, snap: Snapshot) -> None:
        self.snap = snap

    def collect(self) -> Iterator[Metric]:
        s, c = self.snap, self.snap.counters
        yield CounterMetricFamily(
            "contraflow_articles_processed",
            "Articles merged into an event state by the workers.",
            value=c.get("applied", 0),
        )
        yield CounterMetricFamily(
            "contraflow_articles_dead_lettered", "Messages sent to articles.dlq.", value=c.get("dead_lettered", 0)
        )
        yield CounterMetricFamily(
            "contraflow_articles_received",
            "Articles accepted by POST /articles (all API processes).",
            value=c.get("api_articles", 0),
        )
        yield CounterMetricFamily(
            "contraflow_feed_articles_published",
            "Articles published by `contraflow feeds`.",
            value=c.get("feed_published", 0),
        )
        yield GaugeMetricFamily("contraflow_events", "Events in the state store.", value=s.totals.get("events", 0))
        yield GaugeMetricFamily("contraflow_claims", "Claims held in event states.", value=s.totals.get("claims", 0))
        yield GaugeMetricFamily(
            "contraflow_contradictions",
            "Contradictions held in event states.",
            value=s.totals.get("contradictions", 0),
        )
        kinds: dict[str, int] = {"conflict": 0, "evolving": 0}
        for name, n in s.totals.items():
            if name.startswith("kind:"):
                kinds[name[5:]] = kinds.get(name[5:], 0) + n
        by_kind = GaugeMetricFamily(
            "contraflow_contradictions_by_kind", "Contradictions held in event states, by kind.", labels=["kind"]
        )
        for kind, n in sorted(kinds.items()):
            by_kind.add_metric([kind], n)
        yield by_kind
        yield CounterMetricFamily("contraflow_alerts", "Alerts logged (each once).", value=s.alerts)
        # the workers count each merged article in the bucket counters processing_le_<ms> beside its sum;
        # articles counted before the buckets existed are in the count (+Inf) only
        processing = Histogram(
            [b / 1000.0 for b in PROCESSING_BUCKETS_MS],
            [c.get(f"processing_le_{b}", 0) for b in PROCESSING_BUCKETS_MS],
            c.get("processing_ms", 0) / 1000.0,
            c.get("processed", 0),
        )
        yield processing.family(
            "contraflow_processing_seconds", "Seconds from an article reaching Kafka to its merge into the state."
        )
        yield s.alert_latency.family(
            "contraflow_alert_processing_seconds",
            "Seconds from an article reaching Kafka to the alert it raised being logged (every logged alert).",
        )
        yield GaugeMetricFamily(
            "contraflow_consumer_lag_up",
            "1 when the consumer lag could be read from Kafka.",
            value=1 if s.lag is not None else 0,
        )
        if s.lag is not None:
            lag = GaugeMetricFamily(
                "contraflow_consumer_lag", "Messages not yet processed by the worker group, by topic.", labels=["topic"]
            )
            for topic, n in sorted(s.lag.items()):
                lag.add_metric([topic], n)
            yield lag
        yield CounterMetricFamily(
            "contraflow_webhook_deliveries",
            "Webhook deliveries acknowledged (all subscriptions).",
            value=s.webhooks.get("delivered", 0),
        )
        yield CounterMetricFamily(
            "contraflow_webhook_given_up",
            "Webhook deliveries given up after every attempt.",
            value=s.webhooks.get("given_up", 0),
        )
        yield GaugeMetricFamily("contraflow_scrape_timestamp_seconds", "When this page was made.", value=s.at)


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


async def snapshot(store: StateStore, lag: LagProbe | None, webhooks: dict[str, int]) -> Snapshot:
    """Read what one scrape shows (the lag off the event loop: a blocking Kafka client)."""
    counters = await store.counters()
    totals = await store.totals()  # kept with the summary index: one read, whatever the number of events
    alerts, latency = await _alert_log(store)
    measured = await asyncio.get_running_loop().run_in_executor(None, lag.measure) if lag else None
    return Snapshot(
        counters=dict(counters),
        totals=dict(totals),
        alerts=alerts,
        alert_latency=latency,
        lag=measured,
        webhooks=webhooks,
        at=datetime.now(UTC).timestamp(),
    )


def registry_of(snap: Snapshot) -> CollectorRegistry:
    """A registry for one scrape: the snapshot and the client's standard process, platform and GC collectors."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SnapshotCollector(snap))
    ProcessCollector(registry=registry)
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    return registry


def exposition(snap: Snapshot, accept: str | None = None) -> tuple[bytes, str]:
    """The page and its content type, in the format the ``Accept`` header asks for (text by default,
    OpenMetrics when the scraper prefers it)."""
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry_of(snap)), content_type


async def render(store: StateStore, lag: LagProbe | None, webhooks: dict[str, int]) -> str:
    """The whole page in the Prometheus text format."""
    body, _ = exposition(await snapshot(store, lag, webhooks))
    return body.decode()


async def _alert_log(store: StateStore) -> tuple[int, Histogram]:
    """How many alerts are logged, and the histogram of their latencies: over the whole log, which only
    grows, so the buckets only grow, as a Prometheus histogram's must."""
    total, cursor = 0, "0"
    latency = Histogram(ALERT_BUCKETS)
    while True:
        rows = await store.alerts(after=cursor, limit=5000)
        if not rows:
            break
        total += len(rows)
        latency.observe_all(alert_latencies(rows))
        cursor = rows[-1][0]
    return total, latency

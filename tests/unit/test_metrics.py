"""Issue 37 point 8: ``/metrics`` by prometheus-client, read back with the client's own parsers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.openmetrics.parser import text_string_to_metric_families as openmetrics_families
from prometheus_client.parser import text_string_to_metric_families

from agents.catchup import PROCESSING_BUCKETS_MS
from streams.api.app import create_api
from streams.api.metrics import ALERT_BUCKETS, Histogram, _alert_log
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store.memory import MemoryStore
from tests.unit.test_api import alert, homs, quiet

# every family the hand-made page had (main before issue 37), with its type
NAMES = {
    "contraflow_articles_processed": "counter",
    "contraflow_articles_dead_lettered": "counter",
    "contraflow_articles_received": "counter",
    "contraflow_feed_articles_published": "counter",
    "contraflow_events": "gauge",
    "contraflow_claims": "gauge",
    "contraflow_contradictions": "gauge",
    "contraflow_contradictions_by_kind": "gauge",
    "contraflow_alerts": "counter",
    "contraflow_processing_seconds": "histogram",  # a summary with sum and count before: now with buckets
    "contraflow_alert_processing_seconds": "histogram",  # a summary of the last 1000 before
    "contraflow_consumer_lag_up": "gauge",
    "contraflow_webhook_deliveries": "counter",
    "contraflow_webhook_given_up": "counter",
    "contraflow_scrape_timestamp_seconds": "gauge",
}


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()

    async def fill() -> None:
        await s.apply("ev-homs", lambda _: (homs(), []))
        await s.apply("ev-quiet", lambda _: (quiet(), []))
        # two articles through the workers' counters: 40 ms and 3 s from Kafka to the state
        await s.bump_many({"applied": 2, "processed": 2, "processing_ms": 3040})
        await s.bump_many({f"processing_le_{b}": (b >= 40) + (b >= 3000) for b in PROCESSING_BUCKETS_MS})

    asyncio.run(fill())
    return s


@pytest.fixture
def client(store: MemoryStore) -> Any:
    with TestClient(create_api(Settings(alert_poll=0.01), store, ListSink(), dispatch=False)) as c:
        yield c


def families(text: str) -> dict[str, Any]:
    return {f.name: f for f in text_string_to_metric_families(text)}


def test_metrics_parse_with_every_name_of_before_and_the_standard_collectors(client: TestClient) -> None:
    r = client.get("/metrics")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    got = families(r.text)
    for name, kind in NAMES.items():
        assert name in got, f"{name} kept"
        assert got[name].type == kind, (name, got[name].type)
    assert "process_cpu_seconds" in got and "process_resident_memory_bytes" in got, "the process collector"
    assert "python_info" in got and "python_gc_objects_collected" in got, "the platform and GC collectors"
    value = {(s.name, tuple(sorted(s.labels.items()))): s.value for f in got.values() for s in f.samples}
    assert value[("contraflow_events", ())] == 2
    assert value[("contraflow_claims", ())] == 2
    assert value[("contraflow_contradictions", ())] == 1
    assert value[("contraflow_contradictions_by_kind", (("kind", "conflict"),))] == 1
    assert value[("contraflow_contradictions_by_kind", (("kind", "evolving"),))] == 0
    assert value[("contraflow_articles_processed_total", ())] == 2
    assert value[("contraflow_consumer_lag_up", ())] == 0, "no probe here"
    assert abs(value[("contraflow_scrape_timestamp_seconds", ())] - datetime.now(UTC).timestamp()) < 60


def test_processing_time_is_a_histogram_of_the_workers_bucket_counters(client: TestClient) -> None:
    hist = families(client.get("/metrics").text)["contraflow_processing_seconds"]
    buckets = {s.labels["le"]: s.value for s in hist.samples if s.name.endswith("_bucket")}
    assert buckets["0.05"] == 1 and buckets["2.5"] == 1 and buckets["5.0"] == 2 and buckets["+Inf"] == 2
    counts = [buckets[k] for k in sorted(buckets, key=float)]
    assert counts == sorted(counts), "cumulative"
    sums = {s.name: s.value for s in hist.samples if not s.name.endswith("_bucket")}
    assert sums == {"contraflow_processing_seconds_sum": 3.04, "contraflow_processing_seconds_count": 2}


def test_openmetrics_when_the_scraper_asks_for_it(client: TestClient) -> None:
    r = client.get("/metrics", headers={"Accept": "application/openmetrics-text; version=1.0.0"})
    assert r.headers["content-type"].startswith("application/openmetrics-text")
    got = {f.name: f for f in openmetrics_families(r.text)}
    assert r.text.endswith("# EOF\n")
    assert set(NAMES) <= set(got)


def test_counts_of_fills_the_buckets_a_merge_falls_in() -> None:
    from agents.catchup import counts_of
    from schemas.event import Extracted

    received = datetime.now(UTC)
    article = type("A", (), {"received_at": received})  # counts_of reads only this
    x = Extracted.model_construct(article=article, features=None, claims=[])  # type: ignore[arg-type]
    counts = counts_of(x, now=received + timedelta(milliseconds=300))
    assert counts["processing_ms"] == 300 and counts["processed"] == 1
    assert {k for k in counts if k.startswith("processing_le_")} == {
        f"processing_le_{b}" for b in PROCESSING_BUCKETS_MS if b >= 500
    }


class AlertLog:
    """Alerts under Redis stream ids: the only cursors that tell when an alert was logged."""

    def __init__(self, rows: list[tuple[str, Any]]) -> None:
        self.rows = rows

    async def alerts(self, after: str = "0", limit: int = 1000) -> list[tuple[str, Any]]:
        start = 0 if after == "0" else next(i for i, r in enumerate(self.rows) if r[0] == after) + 1
        return self.rows[start : start + limit]


def test_alert_latency_histogram_covers_the_whole_log() -> None:
    a = alert(homs())
    created = int(a.created_at.timestamp() * 1000)
    rows = [(f"{created + ms}-{i}", a) for i, ms in enumerate([20] * 3 + [700] * 5000 + [45_000])]
    total, hist = asyncio.run(_alert_log(AlertLog(rows)))  # type: ignore[arg-type]
    assert total == 5004 and hist.count == 5004, "past one page of the log"
    by_bound = dict(zip(ALERT_BUCKETS, hist.counts, strict=True))
    assert by_bound[0.05] == 3 and by_bound[1.0] == 5003 and by_bound[60.0] == 5004
    assert hist.total == pytest.approx(3 * 0.02 + 5000 * 0.7 + 45.0)


def test_histogram_family_reads_back() -> None:
    h = Histogram((0.5, 2.0))
    h.observe_all([0.1, 1.0, 9.0])
    from prometheus_client import CollectorRegistry, generate_latest
    from prometheus_client.registry import Collector

    class One(Collector):
        def collect(self) -> Any:
            yield h.family("x_seconds", "x")

    reg = CollectorRegistry()
    reg.register(One())
    fam = families(generate_latest(reg).decode())["x_seconds"]
    assert {s.labels.get("le"): s.value for s in fam.samples if s.name == "x_seconds_bucket"} == {
        "0.5": 1,
        "2.0": 2,
        "+Inf": 3,
    }

"""The service against a real broker and a real Redis: webhooks, SSE resume, feeds, the API's own checks."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from schemas import Alert, Contradiction, ContradictionSide, EventState
from streams.api.app import build_api
from streams.api.sink import KafkaSink
from streams.api.webhooks import SIGNATURE_HEADER, verify
from streams.feeds import Feed, FeedPoller
from streams.kafka_io import ensure_topics, read_topic
from streams.settings import Settings
from streams.store.redis import RedisStore
from tests.http_helpers import ApiServer, FileServer, Receiver, SSEReader, wait_for

pytestmark = pytest.mark.integration
FEEDS = Path(__file__).resolve().parent.parent / "data" / "feeds"
T0 = datetime(2017, 2, 25, 12, tzinfo=UTC)


def isolated(servers: Settings, **extra: object) -> Settings:
    tag = uuid.uuid4().hex[:8]
    return servers.model_copy(
        update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:", **extra}
    )


def log_alerts(settings: Settings, event_id: str, alert_ids: list[str], kind: str = "conflict") -> None:
    """Log alerts in Redis as the worker's projection does (state and alerts in one transaction)."""

    async def go() -> None:
        assert settings.redis_url
        store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
        try:
            for n, aid in enumerate(alert_ids):
                con = Contradiction(
                    id=f"c-{aid}",
                    slot="killed",
                    kind=kind,
                    detected_at=T0,
                    detected_by_article="a2",
                    sides=[
                        ContradictionSide(value="32", claim_ids=["x"], sources=["BBC News"]),
                        ContradictionSide(value=str(40 + n), claim_ids=["y"], sources=["AP"]),
                    ],
                )
                alert = Alert(
                    id=aid, event_id=event_id, created_at=datetime.now(UTC), article_id="a2", contradiction=con
                )
                state = EventState(id=event_id, title="t", updated_at=T0 + timedelta(seconds=time.time() % 10_000))

                def update(
                    _: EventState | None, s: EventState = state, a: Alert = alert
                ) -> tuple[EventState, list[Alert]]:
                    return s, [a]

                await store.apply(event_id, update)
        finally:
            await store.close()

    asyncio.run(go())


@pytest.fixture
def settings(servers: Settings) -> Settings:
    # the receivers listen on 127.0.0.1: allowed here explicitly (the default refuses them, test_web_security)
    s = isolated(
        servers,
        webhook_attempts=3,
        webhook_backoff=0.05,
        webhook_timeout=2.0,
        alert_poll=0.02,
        webhook_allow_private=True,
    )
    ensure_topics(s)
    return s


@pytest.fixture
def api(settings: Settings) -> Iterator[ApiServer]:
    with ApiServer(build_api(settings)) as server:
        yield server


def test_webhook_signed_retried_and_never_twice(settings: Settings) -> None:
    with Receiver(statuses=[500, 503]) as rx, ApiServer(build_api(settings)) as api:
        sub = httpx.post(
            f"{api.url}/subscriptions",
            json={"url": rx.url, "secret": "a-long-secret", "filter": {"event_id": ["ev-1"]}},
        ).json()
        log_alerts(settings, "ev-other", ["al-skip"])
        log_alerts(settings, "ev-1", ["al-1"])
        wait_for(lambda: len(rx.requests) >= 3, what="third attempt")
        time.sleep(0.3)
        assert len(rx.requests) == 3, "acknowledged on the third attempt, then never again"
        for _, headers, body in rx.requests:
            assert verify("a-long-secret", body, headers[SIGNATURE_HEADER])
            assert headers["X-Contraflow-Alert-Id"] == "al-1"
        assert json.loads(rx.requests[0][2])["id"] == "al-1"
        status = wait_for(
            lambda: (s := httpx.get(f"{api.url}/subscriptions/{sub['id']}").json())["status"]["delivered"] == 1 and s,
            what="delivery recorded",
        )["status"]
        assert status["state"] == "ok" and status["given_up"] == 0
        assert [f["error"] for f in status["failures"]] == ["HTTP 503", "HTTP 500"]
    # a restarted API (another dispatcher, same Redis) with the cursor moved back: al-1 is not sent again

    async def rewind() -> None:
        assert settings.redis_url
        store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
        await store.advance_cursor(sub["id"], "0")
        await store.close()

    asyncio.run(rewind())
    with Receiver() as rx2:

        async def move(url: str) -> None:
            assert settings.redis_url
            store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
            stored = await store.get_subscription(sub["id"])
            assert stored is not None
            await store.save_subscription(stored.model_copy(update={"url": url}))
            await store.close()

        asyncio.run(move(rx2.url))
        with ApiServer(build_api(settings)):
            time.sleep(1.5)  # the dispatcher picks the subscription up within a second
            log_alerts(settings, "ev-1", ["al-2"])
            wait_for(lambda: rx2.requests, what="the next alert")
            time.sleep(0.5)
    assert [a["id"] for a in rx2.alerts()] == ["al-2"]


def test_webhook_failures_are_visible(settings: Settings, api: ApiServer) -> None:
    with Receiver() as rx:
        dead = rx.url
    sub = httpx.post(f"{api.url}/subscriptions", json={"url": dead}).json()
    log_alerts(settings, "ev-1", ["al-1", "al-2"])

    def given_up() -> dict[str, object] | None:
        s = httpx.get(f"{api.url}/subscriptions/{sub['id']}").json()["status"]
        return s if s["given_up"] == 2 else None

    status = wait_for(given_up, what="both given up")
    assert status["state"] == "failing" and status["delivered"] == 0
    assert len(status["failures"]) == 6
    assert status["failures"][0]["final"] and status["failures"][0]["alert_id"] == "al-2"
    assert status["failures"][0]["error"] == "connection failed", "no detail of what listens there"
    metrics = httpx.get(f"{api.url}/metrics").text
    assert "contraflow_webhook_given_up_total 2" in metrics


def test_sse_filters_and_resumes_from_last_event_id_without_loss(settings: Settings, api: ApiServer) -> None:
    everything = SSEReader(f"{api.url}/alerts/stream").start()
    only = SSEReader(f"{api.url}/alerts/stream?event_id=ev-a&kind=conflict").start()
    first = SSEReader(f"{api.url}/alerts/stream").start()
    log_alerts(settings, "ev-a", ["a1", "a2"])
    log_alerts(settings, "ev-b", ["b1"])
    log_alerts(settings, "ev-a", ["a3"], kind="evolving")
    wait_for(lambda: len(first.events) >= 2, what="two alerts")
    first.stop()
    seen = [e[1]["id"] for e in first.events]
    last_id = first.events[-1][0]
    log_alerts(settings, "ev-a", ["a4"])
    wait_for(lambda: len(everything.events) == 5, what="all five")
    resumed = SSEReader(f"{api.url}/alerts/stream?limit=10", {"Last-Event-ID": last_id}).start()
    got = wait_for(lambda: len(resumed.events) >= 5 - len(seen) and resumed.events, what="the rest")
    rest = [e[1]["id"] for e in got]
    assert seen + rest == ["a1", "a2", "b1", "a3", "a4"], "nothing lost, nothing repeated"
    assert [e[1]["id"] for e in everything.events] == ["a1", "a2", "b1", "a3", "a4"]
    wait_for(lambda: len(only.events) >= 3, what="filtered")
    assert [e[1]["id"] for e in only.events] == ["a1", "a2", "a4"]
    for r in (everything, only, resumed):
        r.stop()
    assert httpx.get(f"{api.url}/alerts/stream", headers={"Last-Event-ID": "nonsense"}).status_code == 400


def test_post_articles_reaches_the_topic_and_health(settings: Settings, api: ApiServer) -> None:
    r = httpx.post(
        f"{api.url}/articles",
        json=[
            {"source": "S", "body": "Ten people died.", "id": "x1"},
            {"source": "T", "body": "Eleven people died.", "url": "http://t/1"},
        ],
    )
    assert r.status_code == 202
    on_topic = [json.loads(v) for v in read_topic(settings, settings.topics.articles, idle_ms=3000)]
    assert sorted(a["id"] for a in on_topic) == sorted(r.json()["ids"])
    assert httpx.get(f"{api.url}/healthz").json() == {"status": "ok", "redis": True, "kafka": True}
    assert "contraflow_articles_received_total 2" in httpx.get(f"{api.url}/metrics").text


def test_metrics_report_consumer_lag(settings: Settings, api: ApiServer) -> None:
    httpx.post(f"{api.url}/articles", json={"source": "S", "body": "Ten people died.", "id": "x1"})
    text = httpx.get(f"{api.url}/metrics").text
    families = text_string_to_metric_families(text)
    samples = {(s.name, tuple(s.labels.items())): s.value for f in families for s in f.samples}
    assert samples[("contraflow_consumer_lag_up", ())] == 1  # the sample, not its HELP line
    assert samples[("contraflow_consumer_lag", (("topic", settings.topics.articles),))] == 1


def test_feeds_publish_new_pages_skip_known_and_version_changed(settings: Settings, tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    for f in ("world.rss", "world.atom"):
        shutil.copy(FEEDS / f, site / f)
    for f in ("homs-bombings.html", "homs-toll.html", "ferry.html"):
        shutil.copy(FEEDS / f, site / "news" / f)

    async def poll(feeds: list[Feed]) -> tuple[int, int, int]:
        assert settings.redis_url
        store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
        sink = KafkaSink(settings)
        poller = FeedPoller(store, sink)
        try:
            r = await poller.poll(feeds)
            return r.published, r.unchanged, r.versions
        finally:
            await poller.close()
            sink.close()
            await store.close()

    with FileServer(site) as fs:
        feeds = [Feed(f"{fs.url}/world.rss", "Northern Ledger"), Feed(f"{fs.url}/world.atom")]
        assert asyncio.run(poll(feeds)) == (3, 0, 0)
        assert asyncio.run(poll(feeds)) == (0, 3, 0), "same URL, same content: skipped"
        page = site / "news" / "homs-bombings.html"
        page.write_text(page.read_text().replace("at least 32 people", "at least 39 people"))
        assert asyncio.run(poll(feeds)) == (1, 2, 1), "changed page: a new version"
        published = [json.loads(v) for v in read_topic(settings, settings.topics.articles, idle_ms=3000)]
    assert len(published) == 4
    by_url = {a["url"]: a for a in published}
    first = by_url[f"{fs.url}/news/homs-bombings.html"]
    assert first["source"] == "Northern Ledger" and "Syrian state TV said" in first["body"]
    assert "cookies" not in first["body"]
    assert by_url[f"{fs.url}/news/homs-toll.html"]["source"] == "Harbour Post"
    versions = [a for a in published if a["url"] == first["url"]]
    assert len(versions) == 2 and versions[0]["id"] == versions[1]["id"]
    assert "39 people" in versions[1]["body"]

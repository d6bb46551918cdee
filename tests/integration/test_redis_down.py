"""A real redis-server stopped mid-test: 503 with a reason on every route that needs it, and POST /articles
still 202 (the article is on the topic), never a 500."""

from __future__ import annotations

import json
import uuid

import httpx
import pytest

from streams.api.app import build_api
from streams.embedded import Embedded, stop
from streams.kafka_io import ensure_topics, read_topic
from streams.settings import Settings
from tests.http_helpers import ApiServer, SSEReader, wait_for

pytestmark = pytest.mark.integration


def test_redis_stopped_mid_test_503_with_reason_and_no_500_after_publishing(servers: Settings) -> None:
    tag = uuid.uuid4().hex[:8]
    with Embedded(broker=False, redis=True) as redis:
        settings = servers.model_copy(
            update={
                "app_id": f"cf-{tag}",
                "topic_prefix": f"{tag}.",
                "redis_prefix": f"{tag}:",
                "redis_url": redis.redis_url,
            }
        )
        ensure_topics(settings)
        with ApiServer(build_api(settings, dispatch=False)) as api:
            base = api.url
            assert httpx.get(f"{base}/events").status_code == 200
            sse = SSEReader(f"{base}/alerts/stream").start()
            stop(redis.redis_proc)  # Redis goes away; the broker stays
            article = {"id": f"down-{tag}", "source": "S", "body": "Twelve people died."}
            r = httpx.post(f"{base}/articles", json=article, timeout=30)
            assert r.status_code == 202, r.text
            on_topic = [json.loads(v) for v in read_topic(settings, settings.topics.articles, idle_ms=3000)]
            assert [a["id"] for a in on_topic] == [article["id"]], "accepted and on the topic"
            for path in ("/events", "/events/x", "/events/x/history", "/alerts/stream", "/subscriptions", "/metrics"):
                got = httpx.get(f"{base}{path}", timeout=30)
                assert got.status_code == 503, (path, got.status_code, got.text)
                assert "Redis" in got.json()["detail"] and got.headers["retry-after"], path
            health = httpx.get(f"{base}/healthz", timeout=30)
            assert health.status_code == 503 and health.json()["redis"] is False
            sub = httpx.post(f"{base}/subscriptions", json={"url": "https://hooks.example/x"}, timeout=30)
            assert sub.status_code in (422, 503), sub.text  # refused target (no DNS here) or Redis down
            # the open stream ends (the client reconnects after its id), it does not hang
            wait_for(lambda: not sse.thread.is_alive(), timeout=30, what="the SSE stream ended")

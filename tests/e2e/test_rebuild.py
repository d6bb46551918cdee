"""`contraflow rebuild --clear` as a user runs it: it rebuilds the projection and keeps the rest, and
refuses to clear a state that the log cannot rebuild (the memory broker lost its log)."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

import pytest

from schemas.subscription import Subscription
from streams.embedded import Embedded
from streams.files import read_articles
from streams.runner import Stack, expected_ids, wait_processed
from streams.settings import Settings
from streams.store.redis import connected
from tests.conftest import SEEDS
from tests.e2e.test_cli import cli

pytestmark = pytest.mark.e2e


async def _snapshot(settings: Settings) -> tuple[list[str], list[str], dict[str, int], str | None, int]:
    async with connected(settings) as store:
        events = sorted(e.model_dump_json(exclude={"updated_at"}) for e in await store.list_events())
        subs = [s.id for s in await store.list_subscriptions()]
        delivered = (await store.delivery_status("sub-1")).delivered
        return events, subs, await store.counters(), await store.page_hash("https://example.org/feed"), delivered


async def _subscribe(settings: Settings) -> None:
    async with connected(settings) as store:
        await store.save_subscription(
            Subscription(id="sub-1", url="http://127.0.0.1:9/hook", secret="s", created_at=datetime.now(UTC))
        )
        await store.record_delivery("sub-1", "al-x", "0")
        await store.remember_page("https://example.org/feed", "h1")


def test_rebuild_clear_keeps_subscriptions_and_refuses_after_a_lost_log(servers: Settings) -> None:
    tag = uuid.uuid4().hex[:8]
    with Embedded(broker=True, redis=False) as broker:  # a memory broker of this test's own, to lose
        settings = servers.model_copy(
            update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"}
        ).with_servers(broker.kafka_bootstrap, servers.redis_url or "")
        env = settings.as_env()
        records = list(read_articles([SEEDS]))
        with Stack(settings, workers=1):
            assert cli("publish", str(SEEDS), env=env).returncode == 0
            asyncio.run(wait_processed(settings, expected_ids(records)[0], len(records), {}, 300))
        asyncio.run(_subscribe(settings))
        before = asyncio.run(_snapshot(settings))

        out = cli("rebuild", "--clear", env=env)
        assert out.returncode == 0, out.stderr
        assert f"rebuilt the state from {len(records)} record(s)" in out.stderr
        after = asyncio.run(_snapshot(settings))
        assert after[0] == before[0], "the same events"
        assert after[1:] == before[1:] == (["sub-1"], before[2], "h1", 1), "subscriptions, counters, feeds kept"

        broker.restart_broker()  # memory storage: the log is gone
        out = cli("rebuild", "--clear", env=env)
        assert out.returncode != 0 and "refusing to clear" in out.stderr, out.stderr
        assert asyncio.run(_snapshot(settings))[0] == before[0], "nothing was deleted"

        out = cli("rebuild", "--clear", "--force", env=env)
        assert out.returncode == 0, out.stderr
        assert asyncio.run(_snapshot(settings))[0] == [], "forced: cleared, and nothing to rebuild from"


def test_a_webhook_keeps_working_after_rebuild_clear(servers: Settings) -> None:
    """A subscription registered before `rebuild --clear` gets the next alert after it, and nothing twice."""
    import json

    import httpx

    from streams.api.app import build_api
    from tests.http_helpers import ApiServer, Receiver, wait_for

    tag = uuid.uuid4().hex[:8]
    settings = servers.model_copy(
        update={
            "app_id": f"cf-{tag}",
            "topic_prefix": f"{tag}.",
            "redis_prefix": f"{tag}:",
            "webhook_allow_private": True,
        }
    )  # the receiver is on 127.0.0.1
    env = settings.as_env()
    records = list(read_articles([SEEDS]))
    base = next(r for r in records if isinstance(r, dict) and "32" in str(r["body"]))
    update = {
        **base,
        "id": f"update-{tag}",
        "source": "Harbour Gazette",
        "url": None,
        "body": str(base["body"]).replace("32", "57"),
    }
    with Receiver() as rx:
        with Stack(settings, workers=1) as stack, ApiServer(build_api(stack.settings)) as api:
            assert httpx.post(f"{api.url}/subscriptions", json={"url": rx.url}).status_code == 201
            assert cli("publish", str(SEEDS), env=env).returncode == 0
            asyncio.run(wait_processed(settings, expected_ids(records)[0], len(records), {}, 300))
            wait_for(lambda: rx.requests, timeout=60, what="the seeds' alerts delivered")
            time.sleep(2)
            before = len(rx.requests)
        out = cli("rebuild", "--clear", env=env)
        assert out.returncode == 0, out.stderr
        with Stack(settings, workers=1) as stack, ApiServer(build_api(stack.settings)) as api:
            assert httpx.post(f"{api.url}/articles", json=update).status_code == 202
            wait_for(
                lambda: any(json.loads(b)["article_id"] == update["id"] for _, _, b in rx.requests),
                timeout=120,
                what="the alert of the article published after the rebuild",
            )
            time.sleep(2)
    ids = [json.loads(b)["id"] for _, _, b in rx.requests]
    assert before >= 1 and len(ids) > before
    assert len(ids) == len(set(ids)), "no alert delivered twice"

"""The seeds end to end through a real broker, a real Redis and a real worker process."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from schemas import Alert, DeadLetter, EventState
from streams.files import read_articles
from streams.kafka_io import publish, read_topic
from streams.runner import Stack, expected_ids, read_counters, wait_processed
from streams.settings import Settings
from streams.store.redis import connected
from tests.conftest import SEEDS, score_seeds

pytestmark = pytest.mark.integration

BAD: list[Any] = [
    b"not json at all",
    b"\xff\xfe\xfa invalid utf-8",
    {"source": "No Body Daily"},
    {"source": "S", "body": "x", "published_at": "last tuesday"},
]


def isolated(servers: Settings) -> Settings:
    """Settings with a topic prefix, group id and Redis prefix of their own."""
    tag = uuid.uuid4().hex[:8]
    return servers.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})


def process(settings: Settings, records: list[Any], workers: list[Any]) -> list[EventState]:
    ids, _ = expected_ids(records)
    baseline = asyncio.run(read_counters(settings))
    publish(settings, records)
    return asyncio.run(wait_processed(settings, ids, len(records), baseline, 300, workers))


@pytest.fixture(scope="module")
def stack(servers: Settings) -> Iterator[Stack]:
    with Stack(isolated(servers), workers=1) as s:
        yield s


@pytest.fixture(scope="module")
def first_run(stack: Stack) -> list[EventState]:
    records: list[Any] = [*read_articles([SEEDS]), *BAD]
    return process(stack.settings, records, stack.workers)


def alerts_on_topic(settings: Settings) -> list[Alert]:
    return [Alert.model_validate_json(v) for v in read_topic(settings, settings.topics.alerts, idle_ms=3000)]


def test_seeds_grouped_and_toll_contradiction_found(
    first_run: list[EventState], score: ModuleType, shared: Path
) -> None:
    events = [e.model_dump(mode="json") for e in first_run]
    figures = score_seeds(score, shared, events)
    assert figures["bcubed_f1"] == 1.0
    assert figures["gold_found"] >= 1


def test_bad_messages_are_dead_lettered_with_reasons(first_run: list[EventState], stack: Stack) -> None:
    letters = [
        DeadLetter.model_validate_json(v) for v in read_topic(stack.settings, stack.settings.topics.dlq, idle_ms=3000)
    ]
    reasons = sorted(d.reason for d in letters)
    assert len(letters) == len(BAD), reasons
    assert any(r.startswith("not JSON") for r in reasons)
    assert any(r.startswith("not UTF-8") for r in reasons)
    assert any("body: Field required" in r for r in reasons)
    assert any("published_at" in r for r in reasons)
    assert all(d.value for d in letters), "the original message is kept"


def test_alerts_published_once_and_match_the_log(first_run: list[EventState], stack: Stack) -> None:
    on_topic = alerts_on_topic(stack.settings)
    assert on_topic, "the seeds create at least one contradiction"
    assert len({a.id for a in on_topic}) == len(on_topic)

    async def logged() -> list[str]:
        async with connected(stack.settings) as store:
            return [a.id for _, a in await store.alerts()]

    assert [a.id for a in on_topic] == asyncio.run(logged())


def test_republishing_the_same_articles_changes_nothing(first_run: list[EventState], stack: Stack) -> None:
    before_alerts = alerts_on_topic(stack.settings)
    again = process(stack.settings, list(read_articles([SEEDS])), stack.workers)
    strip = [json.loads(e.model_dump_json()) for e in again]
    assert strip == [json.loads(e.model_dump_json()) for e in first_run]
    assert len(alerts_on_topic(stack.settings)) == len(before_alerts)


def test_rebuild_from_the_log_gives_the_identical_state(first_run: list[EventState], stack: Stack) -> None:
    """Replaying topic `claims` into an empty Redis prefix rebuilds every event exactly."""
    from streams.rebuild import rebuild

    async def go() -> list[EventState]:
        async with connected(stack.settings, prefix=f"rebuilt-{uuid.uuid4().hex[:8]}:") as store:
            applied, skipped = await rebuild(stack.settings, store)
            assert skipped == 0 and applied >= 5
            events = await store.list_events()
            await store.clear()
            return events

    live = asyncio.run(wait_processed(stack.settings, set(), 0, {}, 60))
    assert asyncio.run(go()) == live

"""The shared store suite against a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from streams.settings import Settings
from streams.store.redis import RedisStore
from tests.store_contract import CHECKS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_redis_store(servers: Settings, check: Callable[[RedisStore], Coroutine[Any, Any, None]]) -> None:
    async def go() -> None:
        assert servers.redis_url
        store = RedisStore.from_url(servers.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            await check(store)
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_concurrent_applies_do_not_lose_updates(servers: Settings) -> None:
    """Optimistic transactions: 20 concurrent increments of one state all land."""
    from datetime import UTC, datetime

    from schemas import EventState

    async def go() -> None:
        assert servers.redis_url
        store = RedisStore.from_url(servers.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")

        def bump(old: EventState | None) -> tuple[EventState, list[Any]]:
            n = len(old.title) if old else 0
            return EventState(id="e", title="x" * (n + 1), updated_at=datetime.now(UTC)), []

        try:
            await asyncio.gather(*(store.apply("e", bump) for _ in range(20)))
            state = await store.get_event("e")
            assert state is not None and len(state.title) == 20
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_scripts_lost_by_redis_are_loaded_again(servers: Settings) -> None:
    """After SCRIPT FLUSH (or a Redis restart) reads and article merges load their scripts again."""
    from tests.store_contract import check_apply_article_matches_the_pure_merge

    async def go() -> None:
        assert servers.redis_url
        store = RedisStore.from_url(servers.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            await store.r.script_flush()
            await check_apply_article_matches_the_pure_merge(store)
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())

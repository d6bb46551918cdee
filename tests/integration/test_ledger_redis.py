"""The ledger suite against a real Redis (beside a Redis store)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from streams.settings import Settings
from streams.store.ledger import RedisLedger, ledger_of
from streams.store.redis import RedisStore
from tests.ledger_contract import CHECKS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_redis_ledger(servers: Settings, check: Callable[..., Coroutine[Any, Any, None]]) -> None:
    async def go() -> None:
        assert servers.redis_url
        store = RedisStore.from_url(servers.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            ledger = ledger_of(store)
            assert isinstance(ledger, RedisLedger)
            await check(ledger, store.counters)
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())

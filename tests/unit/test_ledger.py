"""The ledger suite against the in-memory ledger (beside a memory store)."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from streams.store.ledger import ledger_of
from streams.store.memory import MemoryStore
from tests.ledger_contract import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_memory_ledger(check: Callable[..., Coroutine[Any, Any, None]]) -> None:
    store = MemoryStore()
    asyncio.run(check(ledger_of(store), store.counters))

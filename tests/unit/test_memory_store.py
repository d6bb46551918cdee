"""The shared store suite against the in-memory store."""

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from streams.store.memory import MemoryStore
from tests.store_contract import CHECKS


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_memory_store(check: Callable[[MemoryStore], Coroutine[Any, Any, None]]) -> None:
    asyncio.run(check(MemoryStore()))

"""Steps retried while Redis or the broker is away; any other error goes to the caller."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger("contraflow.agents")
RETRY_MAX_DELAY = 5.0
T = TypeVar("T")


async def retrying(what: str, step: Callable[[], Awaitable[T]]) -> T:
    """Run ``step`` until it succeeds while Redis or the broker is unreachable (backoff up to 5 s).

    Any other error is raised: the caller dead-letters the message instead of losing it.
    """
    delay, failures = 0.1, 0
    while True:
        try:
            result = await step()
        except (TimeoutError, RedisConnectionError, RedisTimeoutError, OSError) as exc:
            failures += 1
            log.warning("%s: %s unavailable (%s); retry %d in %.1fs", what, type(exc).__name__, exc, failures, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, RETRY_MAX_DELAY)
            continue
        if failures:
            log.warning("%s: reconnected after %d failed attempt(s)", what, failures)
        return result

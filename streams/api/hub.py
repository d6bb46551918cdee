"""Wakes the SSE streams and webhook senders when the alert log grows (one poll per process)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import AsyncIterator

from agents.ports import StateStore
from schemas import Alert
from schemas.subscription import AlertFilter

log = logging.getLogger("contraflow.api")
CURSOR_RE = re.compile(r"^(0|[0-9]{1,20}(-[0-9]{1,20})?)$")
"""A valid alert-log cursor: ``0``, a Redis stream id ``ms-seq``, or an in-memory index."""


class AlertHub:
    """Polls the store's alert-log head every ``poll`` seconds and wakes every waiter when it moves."""

    def __init__(self, store: StateStore, poll: float = 0.05) -> None:
        self.store = store
        self.poll = poll
        self.head = "0"
        self.version = 0
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.closing = False
        """Set when the server stops: open streams end at once instead of holding the shutdown."""

    def close_streams(self) -> None:
        """End every open stream (from any thread, e.g. a signal handler): they return at their next wake."""

        def close() -> None:
            self.closing = True
            self._changed.set()
            self._changed = asyncio.Event()

        if self._loop is not None and self._loop.is_running():
            self._loop.call_soon_threadsafe(close)

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        try:
            self.head = await self.store.alert_head()
        except Exception:
            log.warning("alert log not readable yet", exc_info=True)
        self._task = asyncio.create_task(self._run(), name="alert-hub")

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _run(self) -> None:
        while True:
            try:
                head = await self.store.alert_head()
                if head != self.head:
                    self.head = head
                    self.version += 1
                    self._changed.set()
                    self._changed = asyncio.Event()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("reading the alert log failed", exc_info=True)
                await asyncio.sleep(1)
            await asyncio.sleep(self.poll)

    async def wait(self, timeout: float, seen: int | None = None) -> bool:
        """Wait until the log grows past version ``seen`` (default: now); ``False`` on timeout."""
        if seen is not None and seen != self.version:
            return True
        event = self._changed
        try:
            await asyncio.wait_for(event.wait(), timeout)
            return True
        except TimeoutError:
            return False


async def follow(
    store: StateStore, hub: AlertHub, after: str, flt: AlertFilter, keepalive: float = 15.0, page: int = 500
) -> AsyncIterator[tuple[str, Alert] | None]:
    """Every logged alert after ``after`` that passes ``flt``, forever; ``None`` when idle for ``keepalive`` s."""
    cursor = after
    while not hub.closing:
        seen = hub.version
        rows = await store.alerts(after=cursor, limit=page)
        for cur, alert in rows:
            cursor = cur
            if flt.matches(alert):
                yield cur, alert
        if len(rows) == page:
            continue
        if not await hub.wait(keepalive, seen) and not hub.closing:
            yield None

"""The projection's ledger: how far in topic ``claims`` the state got, what was counted, whether the log was lost.

Beside the state in the same Redis (so a Redis that comes back from its append-only file brings back a
ledger as old as its state). ``claims-at`` is the highest offset of topic ``claims`` merged into the
state: a log whose end is not past it is shorter than the state (the broker lost its log), and
``rebuild --clear`` would then delete what it cannot rebuild. ``counted`` remembers which article
versions were counted, so a redelivery after a crash is not counted twice. ``log-lost`` holds the
reason a worker stopped on a lost log, for ``/healthz`` and ``rebuild``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import redis.asyncio as aioredis

from agents.ports import Ledger
from streams.store import lua

COUNT_ONCE = lua.source("count_once")
"""Count an article version once. KEYS: counted set, counters hash. ARGV: key, then name, n pairs."""

ADVANCE = lua.source("advance")
"""Move the claims offset forward (never back), bump counters with it; return the offset before.
KEYS: claims-at, counters hash. ARGV: offset, then name, n pairs."""

SETTLE = lua.source("settle")
"""``COUNT_ONCE`` then ``ADVANCE`` in one call; return 1 if the version was counted now. KEYS: counted set,
counters hash, claims-at. ARGV: key, offset, the number of counts, the counts' name, n pairs, then the
offset's name, n pairs."""


class MemoryLedger:
    """A :class:`Ledger` in memory (unit tests)."""

    def __init__(self, counters: dict[str, int] | None = None) -> None:
        self.counters: dict[str, int] = counters if counters is not None else {}
        self._counted: set[str] = set()
        self._at: int | None = None
        self._lost: str | None = None

    async def count_once(self, key: str, counts: Mapping[str, int]) -> bool:
        if key in self._counted:
            return False
        self._counted.add(key)
        for name, n in counts.items():
            self.counters[name] = self.counters.get(name, 0) + n
        return True

    async def advance(self, offset: int, counts: Mapping[str, int] | None = None) -> int | None:
        before = self._at
        if before is None or offset > before:
            self._at = offset
        for name, n in (counts or {}).items():
            self.counters[name] = self.counters.get(name, 0) + n
        return before

    async def settle(
        self, key: str, counts: Mapping[str, int], offset: int, progress: Mapping[str, int] | None = None
    ) -> bool:
        first = await self.count_once(key, counts)
        await self.advance(offset, progress)
        return first

    async def claims_at(self) -> int | None:
        return self._at

    async def reset(self, offset: int | None) -> None:
        self._at, self._lost = offset, None

    async def report_lost(self, reason: str) -> None:
        self._lost = reason

    async def lost(self) -> str | None:
        return self._lost


class RedisLedger:
    """A :class:`Ledger` in Redis, under the store's prefix (``counters`` is the store's counters hash)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        self.r, self.p = client, prefix
        self._count = client.register_script(COUNT_ONCE)
        self._advance = client.register_script(ADVANCE)
        self._settle = client.register_script(SETTLE)

    async def count_once(self, key: str, counts: Mapping[str, int]) -> bool:
        args: list[Any] = [key]
        for name, n in counts.items():
            args += [name, n]
        return bool(await self._count(keys=[self.p + "counted", self.p + "counters"], args=args))

    async def advance(self, offset: int, counts: Mapping[str, int] | None = None) -> int | None:
        args: list[Any] = [offset]
        for name, n in (counts or {}).items():
            args += [name, n]
        before = int(await self._advance(keys=[self.p + "claims-at", self.p + "counters"], args=args))
        return None if before < 0 else before

    async def settle(
        self, key: str, counts: Mapping[str, int], offset: int, progress: Mapping[str, int] | None = None
    ) -> bool:
        args: list[Any] = [key, offset, len(counts)]
        for name, n in [*counts.items(), *(progress or {}).items()]:
            args += [name, n]
        keys = [self.p + "counted", self.p + "counters", self.p + "claims-at"]
        return bool(await self._settle(keys=keys, args=args))

    async def claims_at(self) -> int | None:
        raw = await self.r.get(self.p + "claims-at")
        return None if raw is None else int(raw)

    async def reset(self, offset: int | None) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            if offset is None:
                pipe.delete(self.p + "claims-at")
            else:
                pipe.set(self.p + "claims-at", offset)
            pipe.delete(self.p + "log-lost")
            await pipe.execute()

    async def report_lost(self, reason: str) -> None:
        await self.r.set(self.p + "log-lost", reason)

    async def lost(self) -> str | None:
        raw = await self.r.get(self.p + "log-lost")
        if raw is None:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)


def ledger_of(store: Any) -> Ledger:
    """The ledger beside a store: in the same Redis for a Redis store, else in memory."""
    client = getattr(store, "r", None)
    if isinstance(client, aioredis.Redis):
        return RedisLedger(client, getattr(store, "p", "cf:"))
    counters = getattr(store, "_counters", None)  # the memory store's counters: counted there
    return MemoryLedger(counters if isinstance(counters, dict) else None)

"""Named leases in Redis (``lease:{name}``, the owner with a TTL): one holder at a time."""

from __future__ import annotations

import redis.asyncio as aioredis

from streams.store import lua
from streams.store.redis_base import RedisBase

LEASE = lua.source("lease")
"""Take or renew a lease: set it when free, renew its TTL when the owner holds it, else refuse. KEYS: the
lease. ARGV: owner, TTL in milliseconds. Returns 1 when the owner holds the lease now, else 0."""


class RedisLeases(RedisBase):
    """The :class:`~agents.ports.Leases` in Redis."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        super().__init__(client, prefix)
        self._lease = client.register_script(LEASE)

    async def lease(self, name: str, owner: str, ttl: float) -> bool:
        """Take the lease if it is free or ``owner``'s, with a new TTL (one script: atomic)."""
        return bool(await self._lease(keys=[self._k("lease", name)], args=[owner, max(1, int(ttl * 1000))]))

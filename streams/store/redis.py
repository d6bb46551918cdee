"""Redis state store: the projection that a replay of the Kafka log rebuilds.

Keys (all under one prefix, default ``cf:``)::

    event:{id}      JSON head of an EventState  events       ZSET id -> updated_at (epoch s)
    ev:{id}:a       HASH article id -> {"ref", "claims": [[id, slot]...], "n": order}
    ev:{id}:u       HASH source + LF + url -> JSON list of article ids (versions)
    ev:{id}:s:{slot} HASH claim id -> position "|" Claim JSON   ev:{id}:slots  SET of slots
    ev:{id}:sv      HASH slot -> version token of its claim hash (new on each article's write)
    ev:{id}:h       LIST of HistoryEntry JSON   ev:{id}:n    last article order number
    article:{id}    event id of an article     card:{id}    EventCard (card_to_json; matching index)
    posting:{key}   ZSET event id -> anchor    hot          ZSET event id -> last article (epoch s)
    merged          HASH absorbed id -> survivor alerts      STREAM of alerts (field "alert")
    alert-ids       SET of logged alert ids     counters     HASH of progress counters
    sub:{id}        JSON Subscription           subs         ZSET id -> created_at (epoch s)
    sub-status:{id} HASH cursor, given_up, state  sub-delivered:{id}  SET of acknowledged alert ids
    sub-failures:{id} LIST of DeliveryFailure JSON, newest first
    lease:{name}    owner of a lease (with a TTL) page:{url}   content hash last published (feeds)
    orig:{id}       ZSET "band|article" (MinHash bands)  origfp:{id}  HASH article -> [origin, size, signature]
    archived        ZSET archived event id -> updated_at (epoch s); an archived state is kept whole,
                    compressed, in ``event:{id}`` (:data:`~streams.store.redis_codec.COLD`) and its parts are deleted

Beside these, under the same prefix: the summary index (``sum:``, ``sx:``, ``sq:``, ``sw:``;
:mod:`streams.store.redis_summary`) and the projection's ledger (``counted``, ``claims-at``, ``log-lost``;
:mod:`streams.store.ledger`).

:class:`RedisStore` is every port on one client and prefix, one module (a mixin of
:class:`~streams.store.redis_base.RedisBase`) per port or close pair of ports:

* :mod:`~streams.store.redis_events`: event states, read and changed by one update or one article
  (``event:``, ``events``, ``ev:``, ``archived``), with their summary records;
* :mod:`~streams.store.redis_index`: the matching index and archiving (``article:``, ``card:``,
  ``posting:``, ``hot``, ``merged``);
* :mod:`~streams.store.redis_alerts`: the alert log and the counters (``alerts``, ``alert-ids``,
  ``counters``);
* :mod:`~streams.store.origins`: the copies index (``orig:``, ``origfp:``);
* :mod:`~streams.store.redis_subscriptions`, :mod:`~streams.store.redis_leases`,
  :mod:`~streams.store.redis_pages`;
* :mod:`~streams.store.redis_codec`: how states and claims are encoded, and the slot cache.

Their Lua scripts are files of :mod:`streams.store.lua`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aioredis

from streams.settings import Settings
from streams.store.origins import RedisCopies
from streams.store.redis_alerts import RedisCounters
from streams.store.redis_events import RedisEvents
from streams.store.redis_index import RedisIndex
from streams.store.redis_leases import RedisLeases
from streams.store.redis_pages import RedisPages
from streams.store.redis_subscriptions import RedisSubscriptions

__all__ = ["RedisStore", "connected"]


class RedisStore(RedisEvents, RedisIndex, RedisCounters, RedisSubscriptions, RedisLeases, RedisPages, RedisCopies):
    """A :class:`~agents.ports.StateStore` in Redis."""

    @classmethod
    def from_url(cls, url: str, prefix: str = "cf:") -> RedisStore:
        """Connect lazily to the Redis at ``url`` (redis://, rediss:// or unix://)."""
        client = aioredis.Redis.from_url(url, decode_responses=True, health_check_interval=10, retry_on_timeout=True)
        return cls(client, prefix)

    async def clear(self) -> None:
        cursor = 0
        while True:
            cursor, keys = await self.r.scan(cursor, match=self.p + "*", count=1000)
            if keys:
                await self.r.delete(*keys)
            if cursor == 0:
                break

    async def close(self) -> None:
        await self.r.aclose()


@asynccontextmanager
async def connected(settings: Settings, prefix: str | None = None) -> AsyncIterator[RedisStore]:
    """A :class:`RedisStore` on the configured Redis (and key prefix), closed on exit."""
    if not settings.redis_url:
        raise ValueError("REDIS_URL is not set")
    store = RedisStore.from_url(settings.redis_url, settings.redis_prefix if prefix is None else prefix)
    try:
        yield store
    finally:
        await store.close()

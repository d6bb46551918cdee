"""Redis state store: the projection that a replay of the Kafka log rebuilds.

Keys (all under one prefix, default ``cf:``)::

    event:{id}      JSON EventState            events       ZSET id -> updated_at (epoch s)
    article:{id}    event id of an article     card:{id}    JSON EventCard (matching index)
    post:{key}      SET of event ids           alerts       STREAM of alerts (field "alert")
    alert-ids       SET of logged alert ids     counters     HASH of progress counters
    sub:{id}        JSON Subscription           subs         ZSET id -> created_at (epoch s)
    sub-status:{id} HASH cursor, given_up, state  sub-delivered:{id}  SET of acknowledged alert ids
    sub-failures:{id} LIST of DeliveryFailure JSON, newest first
    lease:{name}    owner of a lease (with a TTL) page:{url}   content hash last published (feeds)

Each event update is one optimistic transaction (WATCH/MULTI/EXEC) that writes the state and
logs its alerts together, so a crash never leaves one without the other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.core.matching import EventCard
from schemas import Alert, EventState
from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription
from streams.settings import Settings
from streams.store.base import Applied, Update


class RedisStore:
    """A :class:`~streams.store.base.StateStore` in Redis."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        self.r = client
        self.p = prefix

    @classmethod
    def from_url(cls, url: str, prefix: str = "cf:") -> RedisStore:
        """Connect lazily to the Redis at ``url`` (redis://, rediss:// or unix://)."""
        client = aioredis.Redis.from_url(url, decode_responses=True, health_check_interval=10,
                                         retry_on_timeout=True)
        return cls(client, prefix)

    def _k(self, *parts: str) -> str:
        return self.p + ":".join(parts)

    async def get_event(self, event_id: str) -> EventState | None:
        raw = await self.r.get(self._k("event", event_id))
        return EventState.model_validate_json(raw) if raw else None

    async def list_events(self) -> list[EventState]:
        ids: Any = await self.r.zrevrange(self._k("events"), 0, -1)
        if not ids:
            return []
        raws = await self.r.mget([self._k("event", str(i)) for i in ids])
        return [EventState.model_validate_json(r) for r in raws if r]

    async def apply(self, event_id: str, update: Update) -> Applied:
        key = self._k("event", event_id)
        while True:
            async with self.r.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(key)
                    raw = await pipe.get(key)
                    old = EventState.model_validate_json(raw) if raw else None
                    new, alerts = update(old)
                    if old is not None and new == old:
                        await pipe.unwatch()
                        return Applied(old, [], False)
                    known = await pipe.smismember(self._k("alert-ids"), [a.id for a in alerts]) if alerts else []
                    fresh = [a for a, seen in zip(alerts, known, strict=True) if not seen]
                    pipe.multi()
                    pipe.set(key, new.model_dump_json())
                    pipe.zadd(self._k("events"), {event_id: new.updated_at.timestamp()})
                    for a in fresh:
                        pipe.sadd(self._k("alert-ids"), a.id)
                        pipe.xadd(self._k("alerts"), {"alert": a.model_dump_json()})
                    await pipe.execute()
                    return Applied(new, fresh, True)
                except WatchError:
                    continue

    async def assignment(self, article_id: str) -> str | None:
        value = await self.r.get(self._k("article", article_id))
        return str(value) if value is not None else None

    async def candidates(self, keys: list[str], limit: int = 50) -> list[EventCard]:
        if not keys:
            return []
        async with self.r.pipeline(transaction=False) as pipe:
            for k in keys:
                pipe.smembers(self._k("post", k))
            members = await pipe.execute()
        hits: Counter[str] = Counter()
        for m in members:
            hits.update(m)
        top = sorted(hits, key=lambda e: (-hits[e], e))[:limit]  # deterministic on ties (replays)
        if not top:
            return []
        raws = await self.r.mget([self._k("card", e) for e in top])
        return [EventCard.model_validate_json(r) for r in raws if r]

    async def assign(self, article_id: str, card: EventCard, keys: list[str]) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.set(self._k("article", article_id), card.event_id)
            pipe.set(self._k("card", card.event_id), card.model_dump_json())
            for k in keys:
                pipe.sadd(self._k("post", k), card.event_id)
            await pipe.execute()

    async def alerts(self, after: str = "0", limit: int = 1000) -> list[tuple[str, Alert]]:
        rows: Any = await self.r.xrange(self._k("alerts"), min=f"({after}" if after != "0" else "-", count=limit)
        return [(str(rid), Alert.model_validate_json(fields["alert"])) for rid, fields in rows or []]

    async def bump(self, name: str, n: int = 1) -> None:
        await self.r.hincrby(self._k("counters"), name, n)

    async def counters(self) -> dict[str, int]:
        raw: Any = await self.r.hgetall(self._k("counters"))
        return {str(k): int(v) for k, v in raw.items()}

    async def alert_head(self) -> str:
        rows = await self.r.xrevrange(self._k("alerts"), count=1)
        return str(rows[0][0]) if rows else "0"

    async def save_subscription(self, sub: Subscription) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.set(self._k("sub", sub.id), sub.model_dump_json())
            pipe.zadd(self._k("subs"), {sub.id: sub.created_at.timestamp()})
            pipe.hsetnx(self._k("sub-status", sub.id), "cursor", sub.start)
            await pipe.execute()

    async def get_subscription(self, sub_id: str) -> Subscription | None:
        raw = await self.r.get(self._k("sub", sub_id))
        return Subscription.model_validate_json(raw) if raw else None

    async def list_subscriptions(self) -> list[Subscription]:
        ids = await self.r.zrange(self._k("subs"), 0, -1)
        if not ids:
            return []
        raws = await self.r.mget([self._k("sub", str(i)) for i in ids])
        return [Subscription.model_validate_json(r) for r in raws if r]

    async def delete_subscription(self, sub_id: str) -> bool:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.delete(self._k("sub", sub_id))
            pipe.zrem(self._k("subs"), sub_id)
            pipe.delete(self._k("sub-status", sub_id), self._k("sub-delivered", sub_id),
                        self._k("sub-failures", sub_id))
            existed, *_ = await pipe.execute()
        return bool(existed)

    async def delivery_status(self, sub_id: str) -> DeliveryStatus:
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._k("sub-status", sub_id))
            pipe.scard(self._k("sub-delivered", sub_id))
            pipe.lrange(self._k("sub-failures", sub_id), 0, -1)
            status, delivered, failures = await pipe.execute()
        return DeliveryStatus(
            cursor=status.get("cursor", "0"), delivered=int(delivered), given_up=int(status.get("given_up", 0)),
            state=status.get("state", "ok"), failures=[DeliveryFailure.model_validate_json(f) for f in failures],
        )

    async def was_delivered(self, sub_id: str, alert_id: str) -> bool:
        return bool(await self.r.sismember(self._k("sub-delivered", sub_id), alert_id))

    async def record_delivery(self, sub_id: str, alert_id: str, cursor: str) -> bool:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.sadd(self._k("sub-delivered", sub_id), alert_id)
            pipe.hset(self._k("sub-status", sub_id), mapping={"cursor": cursor, "state": "ok"})
            added, _ = await pipe.execute()
        return bool(added)

    async def record_failure(self, sub_id: str, failure: DeliveryFailure, keep: int = 50) -> None:
        key = self._k("sub-status", sub_id)
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.lpush(self._k("sub-failures", sub_id), failure.model_dump_json())
            pipe.ltrim(self._k("sub-failures", sub_id), 0, keep - 1)
            pipe.hset(key, "state", "failing" if failure.final else "retrying")
            if failure.final:
                pipe.hincrby(key, "given_up", 1)
            await pipe.execute()

    async def advance_cursor(self, sub_id: str, cursor: str) -> None:
        await self.r.hset(self._k("sub-status", sub_id), "cursor", cursor)

    async def lease(self, name: str, owner: str, ttl: float) -> bool:
        key, ms = self._k("lease", name), max(1, int(ttl * 1000))
        if await self.r.set(key, owner, nx=True, px=ms):
            return True
        if await self.r.get(key) == owner:
            await self.r.pexpire(key, ms)
            return True
        return False

    async def page_hash(self, url: str) -> str | None:
        value = await self.r.get(self._k("page", url))
        return str(value) if value is not None else None

    async def remember_page(self, url: str, content_hash: str) -> None:
        await self.r.set(self._k("page", url), content_hash)

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

"""Webhook subscriptions and their deliveries in Redis: ``sub:``, ``subs``, ``sub-status:``, ``sub-delivered:``,
``sub-failures:``."""

from __future__ import annotations

from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription
from streams.store.redis_base import RedisBase


class RedisSubscriptions(RedisBase):
    """The :class:`~agents.ports.Subscriptions` in Redis."""

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
            pipe.delete(
                self._k("sub-status", sub_id), self._k("sub-delivered", sub_id), self._k("sub-failures", sub_id)
            )
            existed, *_ = await pipe.execute()
        return bool(existed)

    async def delivery_status(self, sub_id: str) -> DeliveryStatus:
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._k("sub-status", sub_id))
            pipe.scard(self._k("sub-delivered", sub_id))
            pipe.lrange(self._k("sub-failures", sub_id), 0, -1)
            status, delivered, failures = await pipe.execute()
        return DeliveryStatus(
            cursor=status.get("cursor", "0"),
            delivered=int(delivered),
            given_up=int(status.get("given_up", 0)),
            state=status.get("state", "ok"),
            failures=[DeliveryFailure.model_validate_json(f) for f in failures],
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

"""Redis state store: the projection that a replay of the Kafka log rebuilds.

Keys (all under one prefix, default ``cf:``)::

    event:{id}      JSON EventState            events       ZSET id -> updated_at (epoch s)
    article:{id}    event id of an article     card:{id}    EventCard (card_to_json; matching index)
    posting:{key}   ZSET event id -> anchor    hot          ZSET event id -> last article (epoch s)
    merged          HASH absorbed id -> survivor alerts      STREAM of alerts (field "alert")
    alert-ids       SET of logged alert ids     counters     HASH of progress counters
    sub:{id}        JSON Subscription           subs         ZSET id -> created_at (epoch s)
    sub-status:{id} HASH cursor, given_up, state  sub-delivered:{id}  SET of acknowledged alert ids
    sub-failures:{id} LIST of DeliveryFailure JSON, newest first
    lease:{name}    owner of a lease (with a TTL) page:{url}   content hash last published (feeds)

The matching index (``card:``, ``posting:``, ``hot``) holds only the events that are neither
archived nor merged away; a lookup is one Lua script (:data:`LOOKUP`) that reads at most
``MAX_PER_KEY`` events per posting list and returns at most ``MAX_CANDIDATES`` cards, so its cost
does not grow with the number of events (``bench/matching.py`` measures it).

Each event update is one optimistic transaction (WATCH/MULTI/EXEC) that writes the state and
logs its alerts together, so a crash never leaves one without the other.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.core.matching import (
    MAX_CANDIDATES,
    MAX_PER_KEY,
    EventCard,
    anchor,
    card_from_json,
    card_keys,
    card_to_json,
    day_number,
    index_keys,
    posting_changes,
    window,
)
from schemas import Alert, EventFeatures, EventState
from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription
from streams.settings import Settings
from streams.store.base import Applied, Update

LOOKUP = """
local n = redis.call('ZCARD', ARGV[7]) + 1
local lo, mid, hi, half = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local score, order = {}, {}
for _, k in ipairs(KEYS) do
  local df = redis.call('ZCARD', k)
  if df > 0 then
    local idf = math.log(n / df) + 0.1
    local after = redis.call('ZRANGEBYSCORE', k, mid, hi, 'LIMIT', 0, half)
    for j = 1, #after do
      local e = after[j]
      local s = score[e]
      if s == nil then order[#order + 1] = e; score[e] = idf else score[e] = s + idf end
    end
    local before = redis.call('ZREVRANGEBYSCORE', k, mid, lo, 'LIMIT', 0, half)
    for j = 1, #before do
      local e = before[j]
      local twice = false  -- an event anchored on the article's day is in both lists: counted once
      for q = 1, #after do if after[q] == e then twice = true; break end end
      if not twice then
        local s = score[e]
        if s == nil then order[#order + 1] = e; score[e] = idf else score[e] = s + idf end
      end
    end
  end
end
local out = {}
for _ = 1, math.min(#order, tonumber(ARGV[5])) do  -- the best remaining, ncand times (no full sort)
  local bi, be, bs = 0, nil, -1
  for i = 1, #order do
    local e = order[i]
    if e then
      local s = score[e]
      if s > bs or (s == bs and e < be) then bi, be, bs = i, e, s end
    end
  end
  order[bi] = false
  local raw = redis.call('GET', ARGV[6] .. be)
  if raw then out[#out + 1] = raw end
end
return out
"""
"""Candidate lookup in one round trip. KEYS: the article's posting lists. ARGV: lowest anchor, the
article's day, highest anchor, events read per list on each side of the day, cards returned, card
key prefix, key of the ``hot`` set (its size is N, the number of indexed events). Events are ranked
by the summed rarity (log N/df) of the keys they share with the article, ties by id (the best
``MAX_CANDIDATES`` picked one by one: no sort of all the events read, no table per key). Card keys
are built from the prefix (one Redis, not a cluster)."""


class RedisStore:
    """A :class:`~streams.store.base.StateStore` in Redis."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        self.r = client
        self.p = prefix
        self._lookup = client.register_script(LOOKUP)

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
                    if new.merged_into is None:
                        pipe.zadd(self._k("events"), {event_id: new.updated_at.timestamp()})
                    else:  # merged away: readable by id, no longer listed
                        pipe.zrem(self._k("events"), event_id)
                    for a in fresh:
                        pipe.sadd(self._k("alert-ids"), a.id)
                        pipe.xadd(self._k("alerts"), {"alert": a.model_dump_json()})
                    await pipe.execute()
                    return Applied(new, fresh, True)
                except WatchError:
                    continue

    async def assignment(self, article_id: str) -> str | None:
        value = await self.r.get(self._k("article", article_id))
        eid = str(value) if value is not None else None
        for _ in range(64):  # follow merges to the surviving event
            if eid is None:
                break
            nxt = await self.r.hget(self._k("merged"), eid)
            if nxt is None:
                break
            eid = str(nxt)
        return eid

    async def candidates(self, f: EventFeatures) -> list[EventCard]:
        keys = index_keys(f)
        if not keys:
            return []
        lo, hi = window(f)
        raws: Any = await self._lookup(
            keys=[self._k("posting", k) for k in keys],
            args=[lo, day_number(f.date), hi, max(1, MAX_PER_KEY // 2), MAX_CANDIDATES, self._k("card", ""),
                  self._k("hot")])
        return [card_from_json(raw) for raw in raws if raw]

    def put_card(self, pipe: Any, old: EventCard | None, card: EventCard) -> None:
        """Queue the writes of a new or changed card: the card, its postings moved, its last article time."""
        gone, keep = posting_changes(old, card)
        score = anchor(card)
        pipe.set(self._k("card", card.event_id), card_to_json(card))
        for k in gone:
            pipe.zrem(self._k("posting", k), card.event_id)
        for k in keep:
            pipe.zadd(self._k("posting", k), {card.event_id: score})
        pipe.zadd(self._k("hot"), {card.event_id: card.last_seen.timestamp()})

    def _drop_card(self, pipe: Any, card: EventCard) -> None:
        for k in card_keys(card):
            pipe.zrem(self._k("posting", k), card.event_id)
        pipe.delete(self._k("card", card.event_id))
        pipe.zrem(self._k("hot"), card.event_id)

    async def assign(self, article_id: str, card: EventCard, old: EventCard | None = None,
                     absorbed: Sequence[EventCard] = ()) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            for gone in absorbed:
                if gone.event_id != card.event_id:
                    self._drop_card(pipe, gone)
                    pipe.hset(self._k("merged"), gone.event_id, card.event_id)
            pipe.set(self._k("article", article_id), card.event_id)
            self.put_card(pipe, old, card)
            await pipe.execute()

    async def idle_events(self, before: datetime, limit: int = 16) -> list[str]:
        ids: Any = await self.r.zrangebyscore(self._k("hot"), "-inf", f"({before.timestamp()!r}", start=0, num=limit)
        return [str(e) for e in ids or []]

    async def archive_idle(self, before: datetime, limit: int = 16) -> list[str]:
        ids = await self.idle_events(before, limit)
        if not ids:
            return []
        raws = await self.r.mget([self._k("card", e) for e in ids])
        async with self.r.pipeline(transaction=True) as pipe:
            for e, raw in zip(ids, raws, strict=True):
                if raw:
                    self._drop_card(pipe, card_from_json(raw))
                else:
                    pipe.zrem(self._k("hot"), e)
            await pipe.execute()
        return ids

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

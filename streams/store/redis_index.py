"""The matching index in Redis: article marks, event cards, posting lists, ``hot``; archiving and dropping.

The index (``card:``, ``posting:``, ``hot``) holds only the events that are neither archived nor merged
away; a lookup is one Lua script (:data:`LOOKUP`) that reads at most ``MAX_PER_KEY`` events per posting
list, the rarest lists first until ``MAX_FOUND`` events are found, and returns at most ``MAX_CANDIDATES``
cards, so its cost does not grow with the number of events (``bench/matching.py`` measures it). The
in-memory store ranks the same way in Python (:class:`agents.core.postings.PostingIndex`), and nothing
else looks candidates up: the store contract suite (``tests/store_contract.py``) holds both to one
behaviour, and ``tests/integration/test_redis_store.py`` to the same ranking on a random index.

``article:{id}`` marks the event an article was assigned to and ``merged`` maps an absorbed event to its
survivor. Dropping an archived state (:meth:`RedisIndex.drop_archived`) deletes it with the marks of its
articles.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.core.card_index import (
    MAX_CANDIDATES,
    MAX_FOUND,
    MAX_PER_KEY,
    UNDATED,
    anchor,
    card_keys,
    index_keys,
    posting_changes,
    window,
)
from agents.core.cards import EventCard, card_from_json, card_to_json
from schemas import EventFeatures
from streams.store import lua, redis_summary
from streams.store.redis_base import RedisBase
from streams.store.redis_batch import Batch
from streams.store.redis_codec import COLD, bound, thaw

LOOKUP = lua.source("lookup")
"""Candidate lookup in one round trip. KEYS: the article's posting lists. ARGV: lowest anchor, the
article's day, highest anchor, events read per list on each side of the day, cards returned, card
key prefix, key of the ``hot`` set (its size is N, the number of indexed events), events found after
which no further list is read, "1" to read the undated band (score 0) of each list too. Lists are read
rarest first (fewest events, then the article's order of keys). Events are ranked by the summed rarity
(log N/df) of the keys they share with the article, ties by id (the best ``MAX_CANDIDATES`` picked one
by one: no sort of all the events read, no table per key). Card keys are built from the prefix (one
Redis, not a cluster)."""

DROP_MARKS = lua.source("drop_marks")
"""Delete the article marks (``article:{id}``) that still name the event ARGV[1]."""


class RedisIndex(RedisBase):
    """The :class:`~agents.ports.MatchingIndex` in Redis."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        super().__init__(client, prefix)
        self._lookup = client.register_script(LOOKUP)

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
        lo, mid, hi = window(f)
        raws: Any = await self._lookup(
            keys=[self._k("posting", k) for k in keys],
            args=[
                bound(lo),
                bound(mid),
                bound(hi),
                max(1, MAX_PER_KEY // 2),
                MAX_CANDIDATES,
                self._k("card", ""),
                self._k("hot"),
                MAX_FOUND,
                "1" if lo > UNDATED else "0",
            ],
        )
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

    async def assign(
        self, article_id: str, card: EventCard, old: EventCard | None = None, absorbed: Sequence[EventCard] = ()
    ) -> None:
        writes = Batch()
        for gone in absorbed:
            if gone.event_id != card.event_id:
                self._drop_card(writes, gone)
                writes.hset(self._k("merged"), gone.event_id, card.event_id)
        writes.set(self._k("article", article_id), card.event_id)
        self.put_card(writes, old, card)
        await self._run(writes)

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

    async def drop_archived(self, before: datetime, limit: int = 16) -> list[str]:
        ids: Any = await self.r.zrangebyscore(
            self._k("archived"), "-inf", f"({before.timestamp()!r}", start=0, num=limit
        )
        gone: list[str] = []
        for eid in map(str, ids or []):
            k = self._parts(eid)
            async with self.r.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(k["head"])
                    raw: Any = await pipe.get(k["head"])
                    state = thaw(raw) if raw and raw.startswith(COLD) else None
                    pipe.multi()
                    if state is not None:
                        mine = sorted({a.id for a in state.articles} | {h.article_id for h in state.history})
                        if mine:
                            # an article whose mark names another event since (a merge) keeps it
                            pipe.eval(DROP_MARKS, len(mine), *(self._k("article", i) for i in mine), eid)
                        pipe.delete(k["head"])
                        pipe.zrem(self._k("events"), eid)
                        redis_summary.queue(pipe, self.p, eid, None, [])
                    pipe.zrem(self._k("archived"), eid)
                    await pipe.execute()
                    if state is not None:
                        gone.append(eid)
                except WatchError:
                    continue
        return gone

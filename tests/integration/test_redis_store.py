"""The shared store suite against a real Redis."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from streams.settings import Settings
from streams.store.redis import RedisStore
from tests.store_contract import CHECKS

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_redis_store(redis_only: Settings, check: Callable[[RedisStore], Coroutine[Any, Any, None]]) -> None:
    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            await check(store)
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_concurrent_applies_do_not_lose_updates(redis_only: Settings) -> None:
    """Optimistic transactions: 20 concurrent increments of one state all land."""
    from datetime import UTC, datetime

    from schemas import EventState

    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")

        def bump(old: EventState | None) -> tuple[EventState, list[Any]]:
            n = len(old.title) if old else 0
            return EventState(id="e", title="x" * (n + 1), updated_at=datetime.now(UTC)), []

        try:
            await asyncio.gather(*(store.apply("e", bump) for _ in range(20)))
            state = await store.get_event("e")
            assert state is not None and len(state.title) == 20
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_scripts_lost_by_redis_are_loaded_again(redis_only: Settings) -> None:
    """After SCRIPT FLUSH (or a Redis restart) reads and article merges load their scripts again."""
    from tests.store_contract import check_apply_article_matches_the_pure_merge

    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            await store.r.script_flush()
            await check_apply_article_matches_the_pure_merge(store)
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_slot_cache_follows_the_writes_of_other_stores(redis_only: Settings) -> None:
    """Two stores (two workers) merge articles into one event in turns, with whole-state writes in
    between: each reads from Redis what the other changed and reuses what it wrote itself, and the
    state is the pure merge throughout."""
    from datetime import timedelta

    from agents.core.merge import head_of, merge
    from schemas import Alert, EventState, Extracted
    from tests.store_contract import T0, _articles, merging

    async def go() -> None:
        assert redis_only.redis_url
        prefix = f"test-{uuid.uuid4().hex[:8]}:"
        one, two = RedisStore.from_url(redis_only.redis_url, prefix), RedisStore.from_url(redis_only.redis_url, prefix)
        xs = _articles()

        def again(x: Extracted) -> Extracted:  # the same claims in a new article
            aid = x.article.id + "-again"
            return x.model_copy(
                update={
                    "article": x.article.model_copy(update={"id": aid, "url": None}),
                    "claims": [c.model_copy(update={"id": c.id + "-again", "article_id": aid}) for c in x.claims],
                }
            )

        def rename(s: EventState | None) -> tuple[EventState, list[Alert]]:
            assert s is not None
            return s.model_copy(update={"title": "renamed"}), []

        more = [again(x) for x in xs]
        pure = None
        try:
            for i, x in enumerate([*xs, *more, *more]):
                store = one if (i // 2) % 2 == 0 else two
                at = T0 + timedelta(minutes=i)
                pure, _ = merge(pure, "ev", x, at)
                applied = await store.apply_article(
                    "ev",
                    x.article,
                    {c.slot for c in x.claims},
                    merging(x, at),
                )
                assert applied.state == head_of(pure)
                got = await one.get_event("ev")
                assert got is not None and pure is not None
                assert got.model_dump() == pure.model_dump(), (i, store is one)
                if i == len(xs):  # a whole-state write (as a merge of events makes): versions dropped
                    await two.apply("ev", rename)
                    pure = pure.model_copy(update={"title": "renamed"})
            assert one._slots.hits > 0 and two._slots.hits > 0
        finally:
            await one.clear()
            await one.close()
            await two.close()

    asyncio.run(go())


def test_every_lua_script_compiles(redis_only: Settings) -> None:
    """Every script file loads into a real Redis (SCRIPT LOAD compiles it)."""
    from streams.store import lua

    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            for name in lua.names():
                assert len(await store.r.script_load(lua.source(name))) == 40, name
        finally:
            await store.close()

    asyncio.run(go())


def test_lease_renewal_sets_a_new_ttl(redis_only: Settings) -> None:
    """The owner's renewal sets the lease's TTL anew; another owner's refused try leaves it as it was."""

    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        key = store._k("lease", "relay")
        try:
            assert await store.lease("relay", "a", 2)
            assert 0 < await store.r.pttl(key) <= 2000
            assert await store.lease("relay", "a", 60)
            assert 2000 < await store.r.pttl(key) <= 60000
            assert not await store.lease("relay", "b", 1)
            assert await store.r.get(key) == "a" and await store.r.pttl(key) > 2000
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())


def test_candidates_rank_as_the_memory_store_does(redis_only: Settings) -> None:
    """One lookup, two implementations (the Redis store's script, the memory store's Python): on a seeded
    random index, with cards moved, merged and archived, every article finds the same candidates in
    the same order in both."""
    import random
    from datetime import datetime, timedelta

    from agents.core.card_index import MAX_CANDIDATES
    from agents.core.cards import EventCard
    from schemas import EventFeatures
    from streams.store.memory import MemoryStore
    from tests.store_contract import T0

    rng = random.Random(19)

    def terms() -> list[str]:  # a few common terms, many rare ones
        return sorted({f"w{min(int(rng.paretovariate(0.5)), 999)}" for _ in range(rng.randint(1, 4))})

    def when() -> datetime | None:  # some undated, the others over three years
        return None if rng.random() < 0.15 else T0 + timedelta(days=rng.uniform(-500, 500))

    def card(event_id: str, n: int = 1) -> EventCard:
        d = when()
        return EventCard(
            event_id=event_id,
            features=EventFeatures(entities=terms(), keywords=terms(), date=d),
            n_articles=n,
            last_seen=T0 + timedelta(hours=rng.uniform(0, 100)),
            date_min=d,
            date_max=d,
        )

    async def go() -> None:
        assert redis_only.redis_url
        redis = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        memory = MemoryStore()
        cards: dict[str, EventCard] = {}
        try:
            for i in range(160):
                eid = f"e{i:03d}" if i % 5 else f"e{rng.randrange(max(1, i)):03d}"  # every fifth: a card changed
                old = cards.get(eid)
                merged = f"e{i - 3:03d}" if i % 17 == 16 else ""  # a merge: that event absorbed into this one
                gone = cards.pop(merged, None) if merged != eid else None
                new = card(eid, n=old.n_articles + 1 if old else 1)
                for store in (redis, memory):
                    await store.assign(f"a{i}", new, old, [gone] if gone else [])
                cards[eid] = new
            cut = T0 + timedelta(hours=10)
            assert await redis.archive_idle(cut, limit=8) == await memory.archive_idle(cut, limit=8)
            found = []
            for _ in range(300):
                if rng.random() < 0.5:  # an article of the common terms
                    f = EventFeatures(entities=terms(), keywords=terms(), date=when())
                else:  # an article of rare ones
                    f = EventFeatures(entities=[f"w{rng.randint(2, 150)}" for _ in range(3)], date=when())
                got = [c.event_id for c in await redis.candidates(f)]
                assert got == [c.event_id for c in await memory.candidates(f)], f
                found.append(len(got))
            assert set(found) == set(range(MAX_CANDIDATES + 1))  # none, some and the most found: a test with teeth
        finally:
            await redis.clear()
            await redis.close()

    asyncio.run(go())


def test_a_batch_of_writes_runs_whole_in_redis(redis_only: Settings) -> None:
    """Longer commands than one script call's ``unpack`` takes, and words of every type, as redis-py sends them."""
    from streams.store.redis_batch import CHUNK, Batch

    async def go() -> None:
        assert redis_only.redis_url
        store = RedisStore.from_url(redis_only.redis_url, prefix=f"test-{uuid.uuid4().hex[:8]}:")
        try:
            b = Batch()
            fields = {f"f{i}": f"v\u00e9{i}" for i in range(20 * CHUNK)}
            b.hset(store._k("h"), mapping=fields)
            b.zadd(store._k("z"), {"a": 1.5, "b": 1733011200.0})
            b.set(store._k("n"), 7)
            await store._run(b)
            assert await store.r.hgetall(store._k("h")) == fields
            assert await store.r.zrange(store._k("z"), 0, -1, withscores=True) == [("a", 1.5), ("b", 1733011200.0)]
            assert await store.r.get(store._k("n")) == "7"
        finally:
            await store.clear()
            await store.close()

    asyncio.run(go())

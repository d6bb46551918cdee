"""The resolve and project steps over the in-memory store: archiving, merges, event features.

Hand-made articles (no NLP): features and claims are given, times are arrival times.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from agents import pipeline
from agents.core.matching import IDLE_DAYS
from schemas import ArticleRef, Claim, CountValue, EventFeatures, Extracted
from streams.store.memory import MemoryStore

T0 = datetime(2021, 3, 1, 9, tzinfo=UTC)


def killed(aid: str, n: int, when: datetime) -> Claim:
    return Claim(id=f"{aid}-k", article_id=aid, source=aid.upper(), slot="killed", value=str(n),
                 typed=CountValue(low=n, high=n), quote=f"{n} killed", scope="main",  # type: ignore[arg-type]
                 published_at=when)


def art(aid: str, at: datetime, entities: list[str], places: list[str], *, day: datetime | None = None,
        n: int | None = None, title: str = "") -> Extracted:
    when = day or at
    f = EventFeatures(entities=entities, places=places, incident=["bombing"], keywords=["blast", "market"],
                      date=when, date_source="published", title=title or f"{entities[0]} bombing")
    ref = ArticleRef(id=aid, source=aid.upper(), published_at=when, content_hash="h-" + aid, received_at=at)
    return Extracted(article=ref, features=f, claims=[killed(aid, n, when)] if n is not None else [])


async def feed(store: MemoryStore, *xs: Extracted) -> list[str]:
    out = []
    for x in xs:
        a = await pipeline.resolve(store, x)
        await pipeline.project(store, a)
        out.append(a.event_id)
    return out


def test_idle_events_are_archived_by_arrival_time_and_stay_readable() -> None:
    async def go() -> None:
        store = MemoryStore()
        first, = await feed(store, art("a1", T0, ["kabul police"], ["kabul"], n=5))
        later = T0 + timedelta(days=IDLE_DAYS + 1)
        # the same story named again after the idle time opens a new event: the old one left the index
        second, = await feed(store, art("a2", later, ["kabul police"], ["kabul"], day=T0, n=5))
        assert second != first
        old = await store.get_event(first)
        assert old is not None and old.archived and [a.id for a in old.articles] == ["a1"]
        new = await store.get_event(second)
        assert new is not None and not new.archived
        assert await store.assignment("a1") == first
        # a redelivery changes nothing
        before = await store.list_events()
        assert await feed(store, art("a1", later, ["kabul police"], ["kabul"], day=T0, n=5)) == [first]
        assert await store.list_events() == before

    asyncio.run(go())


def test_an_event_fed_within_the_idle_time_stays() -> None:
    async def go() -> None:
        store = MemoryStore()
        step = timedelta(days=IDLE_DAYS * 0.6)
        xs = [art(f"a{i}", T0 + i * step, ["kabul police"], ["kabul"], day=T0) for i in range(4)]
        ids = await feed(store, *xs)
        assert len(set(ids)) == 1
        state = await store.get_event(ids[0])
        assert state is not None and not state.archived

    asyncio.run(go())

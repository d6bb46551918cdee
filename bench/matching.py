"""Benchmark: event matching against a real Redis holding 10, 10,000 and 100,000 events.

    .venv/bin/python -m bench.matching [--sizes 10,10000,100000] [--queries 300] [--redis-url URL]

Without ``--redis-url`` it starts a private Redis (``streams.embedded``) and stops it at the end.
Events and articles are synthetic: terms drawn from Zipf-like vocabularies (a few places and
keywords are in many events, as "united states" or "police" are), dates spread over ten years.
Each size has its own index (key prefix) in the one Redis; the same query articles (follow-ups
of ten base events and new stories) are matched against each, every article on every size in
turn (the order alternating), so that machine load and the caches, which the product's NLP work
flushes between two matches anyway, affect the sizes alike. Timed: matching alone, i.e. candidate
lookup in the posting lists, reading and scoring the candidate cards (``choose``), ``absorb`` and
writing the card and postings back. Printed: time per article at each size, the ratio of the largest
size to the smallest, Redis memory per event, and how many articles were placed right in the first
round (a follow-up in its base event, a new story in a new event).

The index is the product's: ``streams.store.redis.RedisStore`` (``candidates`` and ``assign``),
under a key prefix per size (see :class:`RedisIndex`).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import redis.asyncio as aioredis

from agents.core.cards import EventCard, absorb, card_from_json, new_event_id
from agents.core.matching import choose
from agents.core.when import WEEKDAY_NAMES
from schemas import EventFeatures
from streams.store.redis import RedisStore

START = datetime(2008, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3650
ARRIVALS = START + timedelta(days=SPAN_DAYS + 1)
"""When the timed articles arrive: after every preloaded event, one a second (arrival times only
grow; the articles' own dates are spread over the ten years like the events')."""
INCIDENTS = [
    "shooting",
    "bombing",
    "explosion",
    "earthquake",
    "crash",
    "ramming",
    "missile",
    "fire",
    "unrest",
    "abduction",
    "assault",
    "rescue",
    "storm",
    "maritime",
    "attack",
]


class RedisIndex:
    """The product's matching index (:class:`streams.store.redis.RedisStore`) under a key prefix.

    Keys (under ``prefix``)::

        card:{event}   EventCard (card_to_json)     posting:{key}   ZSET event -> anchor (epoch days)
        hot            ZSET event -> last article (epoch s)

    A lookup is the store's ``candidates`` (one Lua script: per posting list of the article, the
    ``MAX_PER_KEY`` events anchored nearest its day within ``window``, the rarest lists first until
    ``MAX_FOUND`` events are found; of those, the ``MAX_CANDIDATES`` sharing the rarest keys); a
    match writes back with the store's ``assign`` (assignment, card, postings moved, ``hot``), as
    ``agents.pipeline.resolve`` does.
    """

    def __init__(self, client: aioredis.Redis, prefix: str = "bm:") -> None:
        self.r = client
        self.store = RedisStore(client, prefix)

    async def candidates(self, f: EventFeatures) -> list[EventCard]:
        """The cards worth scoring for an article (one round trip)."""
        return await self.store.candidates(f)

    async def card(self, event_id: str) -> EventCard | None:
        raw = await self.r.get(self.store._k("card", event_id))
        return card_from_json(raw) if raw else None

    async def put(self, old: EventCard | None, card: EventCard) -> None:
        """Write a card and its postings in one transaction (``old``: the card it replaces)."""
        async with self.r.pipeline(transaction=True) as p:
            self.store.put_card(p, old, card)
            await p.execute()

    async def remove(self, event_id: str, article_id: str) -> None:
        """Undo a query: its event out of the index, its assignment forgotten."""
        await self.r.delete(self.store._k("article", article_id))
        card = await self.card(event_id)
        if card is not None:
            async with self.r.pipeline(transaction=True) as p:
                self.store._drop_card(p, card)
                await p.execute()

    async def match(self, f: EventFeatures, article_id: str, at: datetime) -> tuple[str, bool]:
        """Place one article: (event id, opened). The whole of matching, as the pipeline runs it."""
        cands = await self.store.candidates(f)
        chosen = choose(f, cands)
        old = next((c for c in cands if c.event_id == chosen), None)
        eid = chosen or new_event_id(article_id)
        await self.store.assign(article_id, absorb(old, eid, f, at), old)
        return eid, chosen is None


class World:
    """Synthetic vocabularies and articles (seeded, so every size sees the same queries)."""

    def __init__(self, seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.vocab = {"e": 300_000, "p": 20_000, "k": 60_000}

    def _zipf(self, n: int, s: float = 1.05) -> int:
        # inverse-CDF sample of a Zipf-like rank in [0, n)
        u = self.rng.random()
        return min(n - 1, int((n ** (1 - s) * u + (1 - u)) ** (1 / (1 - s))) - 1)

    def article(self, when: datetime, base: EventFeatures | None = None) -> EventFeatures:
        """A new story, or (``base`` given) another article about the same story."""
        rng = self.rng
        if base is None:
            ents = [f"ent{self._zipf(self.vocab['e'], 1.01)}" for _ in range(10)]
            places = [f"place{self._zipf(self.vocab['p'])}" for _ in range(5)]
            kws = [f"kw{self._zipf(self.vocab['k'])}" for _ in range(20)]
            inc = [rng.choice(INCIDENTS)]
        else:
            ents = [*rng.sample(base.entities, k=min(7, len(base.entities))), f"ent{rng.randrange(300_000)}"]
            places = rng.sample(base.places, k=min(4, len(base.places)))
            kws = [*rng.sample(base.keywords, k=min(14, len(base.keywords))), f"kw{rng.randrange(60_000)}"]
            inc = list(base.incident)
        ents, places, kws = (list(dict.fromkeys(x)) for x in (ents, places, kws))
        weights = {f"e:{e}": 1.0 + rng.random() for e in ents}
        weights |= {f"p:{p}": 1.0 + rng.random() for p in places}
        weights |= {f"k:{k}": 1.0 + rng.random() for k in kws}
        weights |= {f"i:{i}": 2.0 for i in inc}
        day = when.replace(hour=0, minute=0, second=0, microsecond=0)
        return EventFeatures(
            entities=ents,
            places=places,
            incident=inc,
            keywords=kws,
            date=when,
            date_source="published",
            mentioned_dates=[day],
            named_days=[day],
            weekdays=[WEEKDAY_NAMES[day.weekday()]],
            actors=ents[:3],
            weights=weights,
            title=" ".join(ents[:2] + places[:1]),
        )

    def when(self) -> datetime:
        return START + timedelta(days=self.rng.random() * SPAN_DAYS)


async def preload(index: RedisIndex, world: World, n: int, start: int, batch: int = 2000) -> list[EventFeatures]:
    """Add events ``start``..``n`` (one article each); return their features."""
    out: list[EventFeatures] = []
    for lo in range(start, n, batch):
        async with index.r.pipeline(transaction=False) as pipe:
            for i in range(lo, min(n, lo + batch)):
                f = world.article(world.when())
                index.store.put_card(pipe, None, absorb(None, f"ev-pre{i}", f, f.date or START))
                out.append(f)
            await pipe.execute()
    return out


async def run(url: str, sizes: list[int], n_queries: int, rounds: int) -> dict[str, object]:
    """Preload one index per size, then time the same queries on each, rounds interleaved."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    await client.flushdb()
    sizes = sorted(sizes)
    indexes: dict[int, RedisIndex] = {}
    base: list[EventFeatures] = []
    memory: dict[int, int] = {}
    for size in sizes:
        index = RedisIndex(client, prefix=f"bm{size}:")
        mem0 = int((await client.info("memory"))["used_memory"])
        feats = await preload(index, World(), size, 0)
        memory[size] = int((await client.info("memory"))["used_memory"]) - mem0
        base = feats[:10]
        indexes[size] = index
    base_cards = [absorb(None, f"ev-pre{i}", f, f.date or START) for i, f in enumerate(base)]
    qworld = World(seed=11)
    queries: list[tuple[str, EventFeatures]] = []
    expected: list[str | None] = []  # the base event a follow-up belongs to; None: a new story
    for q in range(n_queries):
        if q % 2 == 0:
            b = base[q % len(base)]
            assert b.date is not None
            f = qworld.article(b.date + timedelta(days=qworld.rng.random() * 3), base=b)
            expected.append(base_cards[q % len(base)].event_id)
        else:
            f = qworld.article(qworld.when())
            expected.append(None)
        queries.append((f"q{q}", f))

    async def reset(index: RedisIndex) -> None:
        # undo the queries' writes: new events out, base cards back as they were
        for aid, _ in queries:
            await index.remove(new_event_id(aid), aid)
        for c in base_cards:
            await index.put(await index.card(c.event_id), c)

    times: dict[int, list[float]] = {s: [] for s in sizes}
    joined = dict.fromkeys(sizes, 0)
    right = dict.fromkeys(sizes, 0)
    for r in range(rounds + 1):
        for size in sizes:
            await reset(indexes[size])
        spent = dict.fromkeys(sizes, 0.0)
        gc.collect()
        gc.disable()
        for q, (aid, f) in enumerate(queries):
            at = ARRIVALS + timedelta(seconds=q)
            for size in sizes if q % 2 == 0 else sizes[::-1]:  # each article on every size, in turn
                t0 = time.perf_counter()
                eid, opened = await indexes[size].match(f, aid, at)
                spent[size] += time.perf_counter() - t0
                if not r:
                    joined[size] += 0 if opened else 1
                    right[size] += int(opened if expected[q] is None else eid == expected[q])
        gc.enable()
        if r:  # round 0 warms up
            for size in sizes:
                times[size].append(spent[size] / len(queries))
    results: list[dict[str, object]] = []
    for size in sizes:
        cands = [len(await indexes[size].candidates(f)) for _, f in queries[:50]]
        results.append(
            {
                "events": size,
                "ms_per_article": round(min(times[size]) * 1000, 3),
                "ms_per_article_median": round(statistics.median(times[size]) * 1000, 3),
                "ms_per_article_rounds": [round(x * 1000, 3) for x in times[size]],
                "mean_candidates": round(statistics.mean(cands), 1),
                "joined_existing_first_round": joined[size],
                "placed_right_first_round": right[size],
                "redis_bytes_per_event": round(memory[size] / size),
            }
        )
        print(json.dumps(results[-1]), flush=True)
    await client.flushdb(asynchronous=True)
    await client.aclose()
    lo_s, hi_s = sizes[0], sizes[-1]
    paired = [b / a for a, b in zip(times[lo_s], times[hi_s], strict=True)]
    summary: dict[str, Any] = {
        "ratio_largest_to_smallest": round(min(times[hi_s]) / min(times[lo_s]), 3),
        "ratio_of_medians": round(statistics.median(times[hi_s]) / statistics.median(times[lo_s]), 3),
        "ratio_median_of_rounds": round(statistics.median(paired), 3),
        "target": 1.2,
        "sizes": sizes,
        "timing": "ms per article = best round (GC off while timed); each article matched on every size in turn",
    }
    summary["ok"] = summary["ratio_largest_to_smallest"] <= 1.2
    print(json.dumps(summary), flush=True)
    return {"results": results, "summary": summary}


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.matching", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,10000,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--redis-url", default=None, help="an existing Redis (its database is flushed!)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.redis_url:
        asyncio.run(run(args.redis_url, sizes, args.queries, args.rounds))
        return
    from streams.embedded import Embedded

    with Embedded(broker=False) as emb:
        asyncio.run(run(emb.redis_url, sizes, args.queries, args.rounds))


if __name__ == "__main__":
    main()

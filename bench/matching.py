"""Benchmark: event matching against a real Redis holding 10, 10,000 and 100,000 events.

    .venv/bin/python -m bench.matching [--sizes 10,10000,100000] [--queries 300] [--redis-url URL]

Without ``--redis-url`` it starts a private Redis (``streams.embedded``) and stops it at the end.
Events and articles are synthetic: terms drawn from Zipf-like vocabularies (a few places and
keywords are in many events, as "united states" or "police" are), dates spread over ten years.
Each size has its own index (key prefix) in the one Redis; the same query articles (follow-ups
of ten base events and new stories) are matched against each, the sizes interleaved in every
round so that machine load affects them alike. Timed: matching alone, i.e. candidate lookup in
the posting lists, reading and scoring the candidate cards (``choose``), ``absorb`` and writing
the card and postings back. Printed: time per article at each size, the ratio of the largest
size to the smallest, and Redis memory per event.

The index layout is the one proposed for ``streams/store/redis.py`` (see :class:`RedisIndex`).
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

import redis.asyncio as aioredis

from agents.core.matching import (
    MAX_CANDIDATES,
    MAX_PER_KEY,
    EventCard,
    absorb,
    anchor,
    card_from_json,
    card_keys,
    card_to_json,
    choose,
    day_number,
    index_keys,
    new_event_id,
    posting_changes,
    window,
)
from schemas import EventFeatures

START = datetime(2008, 1, 1, tzinfo=UTC)
SPAN_DAYS = 3650
INCIDENTS = ["shooting", "bombing", "explosion", "earthquake", "crash", "ramming", "missile", "fire", "unrest",
             "abduction", "assault", "rescue", "storm", "maritime", "attack"]


LOOKUP = """
local n = redis.call('ZCARD', ARGV[7]) + 1
local score, order = {}, {}
for _, k in ipairs(KEYS) do
  local df = redis.call('ZCARD', k)
  if df > 0 then
    local idf = math.log(n / df) + 0.1
    local seen = {}
    local after = redis.call('ZRANGEBYSCORE', k, ARGV[2], ARGV[3], 'LIMIT', 0, ARGV[4])
    local before = redis.call('ZREVRANGEBYSCORE', k, ARGV[2], ARGV[1], 'LIMIT', 0, ARGV[4])
    for _, lst in ipairs({after, before}) do
      for _, e in ipairs(lst) do
        if not seen[e] then
          seen[e] = true
          if score[e] == nil then score[e] = 0; order[#order + 1] = e end
          score[e] = score[e] + idf
        end
      end
    end
  end
end
table.sort(order, function(x, y) if score[x] ~= score[y] then return score[x] > score[y] end return x < y end)
local out = {}
for i = 1, math.min(#order, tonumber(ARGV[5])) do
  local raw = redis.call('GET', ARGV[6] .. order[i])
  if raw then out[#out + 1] = raw end
end
return out
"""
"""Candidate lookup in one round trip. KEYS: the article's posting lists. ARGV: lowest anchor, the
article's day, highest anchor, events read per list on each side of the day, cards returned, card
key prefix, key of the set of indexed events (its size is N). Events are ranked by the summed
rarity (log N/df) of the keys they share with the article. Card keys are built from the prefix
(one Redis, not a cluster)."""


class RedisIndex:
    """The matching index in Redis: bounded reads, whatever the number of events.

    Keys (under ``prefix``)::

        card:{event}   EventCard (card_to_json)     post:{key}   ZSET event -> anchor (epoch days)
        hot            ZSET event -> last article (epoch s)

    An event is listed under the keys of its card (``card_keys``, at most ``MAX_KEYS``); when its
    card changes, it leaves the keys it lost (``posting_changes``).

    A lookup (one Lua script, :data:`LOOKUP`) reads, for each of the article's keys (at most
    ``MAX_KEYS``), the ``MAX_PER_KEY`` events anchored nearest its day within ``window`` (ZRANGE
    BYSCORE ... LIMIT, half on each side), ranks them by the rarity of the keys they share with
    it (log N/df, df = posting list size) and returns the top ``MAX_CANDIDATES`` cards.
    Archiving an idle event removes it from ``hot``, its posting lists and ``card:``.
    """

    def __init__(self, client: aioredis.Redis, prefix: str = "bm:") -> None:
        self.r = client
        self.p = prefix
        self._lookup = client.register_script(LOOKUP)

    def _k(self, *parts: str) -> str:
        return self.p + ":".join(parts)

    async def candidates(self, f: EventFeatures, keys: list[str]) -> list[EventCard]:
        """The cards worth scoring for an article with these posting keys (one round trip).

        Server side (:data:`LOOKUP`): per posting list, the ``MAX_PER_KEY`` events anchored nearest
        the article's day within ``window`` (half on each side); of those, the ``MAX_CANDIDATES``
        sharing the rarest keys with it. :func:`choose` decides among them.
        """
        if not keys:
            return []
        lo, hi = window(f)
        half = max(1, MAX_PER_KEY // 2)
        raws = await self._lookup(keys=[self._k("post", k) for k in keys],
                                  args=[lo, day_number(f.date), hi, half, MAX_CANDIDATES, self._k("card", ""),
                                        self._k("hot")])
        return [card_from_json(raw) for raw in raws if raw]

    def _put(self, p: aioredis.client.Pipeline, old: EventCard | None, card: EventCard) -> None:
        gone, keep = posting_changes(old, card)
        score = anchor(card)
        p.set(self._k("card", card.event_id), card_to_json(card))
        for k in gone:
            p.zrem(self._k("post", k), card.event_id)
        for k in keep:
            p.zadd(self._k("post", k), {card.event_id: score})
        p.zadd(self._k("hot"), {card.event_id: card.last_seen.timestamp()})

    async def put(self, old: EventCard | None, card: EventCard) -> None:
        """Write a card and its postings in one transaction (``old``: the card it replaces)."""
        async with self.r.pipeline(transaction=True) as p:
            self._put(p, old, card)
            await p.execute()

    async def remove(self, event_id: str) -> None:
        """Take an event out of the index (archive): postings, card, hot list."""
        raw = await self.r.get(self._k("card", event_id))
        if raw is None:
            return
        card = card_from_json(raw)
        async with self.r.pipeline(transaction=True) as p:
            for k in card_keys(card):
                p.zrem(self._k("post", k), event_id)
            p.delete(self._k("card", event_id))
            p.zrem(self._k("hot"), event_id)
            await p.execute()

    async def archive_idle(self, now: datetime, idle: timedelta = timedelta(days=7), batch: int = 500) -> list[str]:
        """Remove from the index the events with no article for ``idle``; return their ids."""
        ids = await self.r.zrangebyscore(self._k("hot"), "-inf", (now - idle).timestamp(), start=0, num=batch)
        for e in ids:
            await self.remove(e)
        return list(ids)

    async def match(self, f: EventFeatures, article_id: str, at: datetime) -> tuple[str, bool]:
        """Place one article: (event id, opened). The whole of matching, as the pipeline runs it."""
        keys = index_keys(f)
        cands = await self.candidates(f, keys)
        chosen = choose(f, cands)
        card = next((c for c in cands if c.event_id == chosen), None)
        eid = chosen or new_event_id(article_id)
        await self.put(card, absorb(card, eid, f, at))
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
        return EventFeatures(entities=ents, places=places, incident=inc, keywords=kws, date=when,
                             date_source="published", mentioned_dates=[when.replace(hour=0, minute=0, second=0)],
                             weights=weights, title=" ".join(ents[:2] + places[:1]))

    def when(self) -> datetime:
        return START + timedelta(days=self.rng.random() * SPAN_DAYS)


async def preload(index: RedisIndex, world: World, n: int, start: int, batch: int = 2000) -> list[EventFeatures]:
    """Add events ``start``..``n`` (one article each); return their features."""
    out: list[EventFeatures] = []
    for lo in range(start, n, batch):
        async with index.r.pipeline(transaction=False) as pipe:
            for i in range(lo, min(n, lo + batch)):
                f = world.article(world.when())
                index._put(pipe, None, absorb(None, f"ev-pre{i}", f, f.date or START))
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
    for q in range(n_queries):
        if q % 2 == 0:
            b = base[q % len(base)]
            assert b.date is not None
            f = qworld.article(b.date + timedelta(days=qworld.rng.random() * 3), base=b)
        else:
            f = qworld.article(qworld.when())
        queries.append((f"q{q}", f))

    async def reset(index: RedisIndex) -> None:
        # undo the queries' writes: new events out, base cards back as they were
        for aid, _ in queries:
            await index.remove(new_event_id(aid))
        for c in base_cards:
            await index.put(await _card(index, c.event_id), c)

    times: dict[int, list[float]] = {s: [] for s in sizes}
    joined = dict.fromkeys(sizes, 0)
    for r in range(rounds + 1):
        for size in sizes:
            index = indexes[size]
            await reset(index)
            gc.collect()
            gc.disable()
            t0 = time.perf_counter()
            for aid, f in queries:
                _, opened = await index.match(f, aid, f.date or START)
                joined[size] += 0 if opened or r else 1
            dt = (time.perf_counter() - t0) / len(queries)
            gc.enable()
            if r:  # round 0 warms up
                times[size].append(dt)
    results: list[dict[str, object]] = []
    for size in sizes:
        cands = [len(await indexes[size].candidates(f, index_keys(f))) for _, f in queries[:50]]
        results.append({
            "events": size, "ms_per_article": round(min(times[size]) * 1000, 3),
            "ms_per_article_median": round(statistics.median(times[size]) * 1000, 3),
            "ms_per_article_rounds": [round(x * 1000, 3) for x in times[size]],
            "mean_candidates": round(statistics.mean(cands), 1),
            "joined_existing_first_round": joined[size],
            "redis_bytes_per_event": round(memory[size] / size),
        })
        print(json.dumps(results[-1]), flush=True)
    await client.flushdb(asynchronous=True)
    await client.aclose()
    lo_s, hi_s = sizes[0], sizes[-1]
    paired = [b / a for a, b in zip(times[lo_s], times[hi_s], strict=True)]
    summary = {
        "ratio_largest_to_smallest": round(min(times[hi_s]) / min(times[lo_s]), 3),
        "ratio_of_medians": round(statistics.median(times[hi_s]) / statistics.median(times[lo_s]), 3),
        "ratio_median_of_rounds": round(statistics.median(paired), 3),
        "target": 1.2, "sizes": sizes,
        "timing": "ms per article = best round (GC off while timed); sizes interleaved in each round",
    }
    summary["ok"] = summary["ratio_largest_to_smallest"] <= 1.2
    print(json.dumps(summary), flush=True)
    return {"results": results, "summary": summary}


async def _card(index: RedisIndex, event_id: str) -> EventCard | None:
    raw = await index.r.get(index._k("card", event_id))
    return card_from_json(raw) if raw else None


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

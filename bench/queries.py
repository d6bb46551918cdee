"""Benchmark: listing and searching events at 10, 10,000 and 100,000 events (issue 21).

    .venv/bin/python -m bench.queries [--sizes 10,10000,100000] [--repeats 200] [--redis-url URL]

Without ``--redis-url`` it starts a private Redis (``streams.embedded``) and stops it at the end.
Each size gets its own key prefix, filled with synthetic summary records through the product's own
write (``streams.store.redis_summary.queue``): 1-4 articles from a few sources, about 40 words from
a Zipf-like vocabulary, updates spread over a year. Two words are planted: ``rareword`` in
``min(N, 40)`` events, ``commonword`` in a third of them.

Timed, each call on every size in turn (the order alternating, so that load drift hits the sizes
alike), GC off:

* the floor: a bare ``MGET`` of 50 summary records through the store's client;
* the store: ``query_events`` listing the newest 50, searching ``q=rareword``, and (for information)
  ``q=commonword``;
* the API, in process (httpx over ASGI, no sockets): ``GET /events?limit=50`` and
  ``GET /events?q=rareword&limit=50``.

Printed per size: median microseconds per call; then the ratios the issue sets: the API calls at the
largest size over the smallest (target <= 2) and the store's calls over the floor of the same size
(target <= 3).
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import json
import random
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import redis.asyncio as aioredis

from agents.core.summary import EventQuery, SummaryRecord
from streams.api.app import create_api
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store import redis_summary
from streams.store.redis import RedisStore

T0 = datetime(2024, 1, 1, tzinfo=UTC)
SOURCES = ["Reuters", "AP", "AFP", "BBC News", "Al Jazeera", "The Guardian", "CNN", "DW"]
RARE, COMMON = "rareword", "commonword"
RARE_EVENTS = 40


def _zipf(rng: random.Random, n: int, s: float = 1.1) -> int:
    u = rng.random()
    return min(n - 1, int((n ** (1 - s) * u + (1 - u)) ** (1 / (1 - s))) - 1)


async def preload(store: RedisStore, n: int, seed: int = 5, batch: int = 1000) -> list[str]:
    """Write ``n`` synthetic summary records (the product's write); return their ids."""
    rng = random.Random(seed)
    ids = [f"ev-{i:06d}" for i in range(n)]
    rare = set(rng.sample(range(n), min(n, RARE_EVENTS)))
    for lo in range(0, n, batch):
        async with store.r.pipeline(transaction=False) as pipe:
            for i in range(lo, min(n, lo + batch)):
                arts = [(f"{ids[i]}-a{j}", rng.choice(SOURCES)) for j in range(rng.randint(1, 4))]
                cc = rng.choice([0, 0, 0, 1, 2])
                rec = SummaryRecord(
                    id=ids[i],
                    title=f"story {i} in place{_zipf(rng, 5000)}",
                    updated_at=T0 + timedelta(seconds=rng.random() * 365 * 86400),
                    articles=arts,
                    contradiction_count=cc,
                    severity=rng.choice(["low", "medium", "high"]) if cc else None,
                    archived=rng.random() < 0.1,
                )
                words = list(dict.fromkeys(f"w{_zipf(rng, 50_000)}" for _ in range(40)))
                words += [RARE] if i in rare else []
                words += [COMMON] if i % 3 == 0 else []
                redis_summary.queue(pipe, store.p, ids[i], rec, words)
            await pipe.execute()
    return ids


Call = Callable[[], Awaitable[Any]]


async def run(url: str, sizes: list[int], repeats: int) -> dict[str, Any]:
    """Fill one prefix per size, then time every call on every size in turn."""
    client = aioredis.Redis.from_url(url, decode_responses=True)
    await client.flushdb()
    sizes = sorted(sizes)
    calls: dict[int, dict[str, Call]] = {}
    https: list[httpx.AsyncClient] = []
    for size in sizes:
        store = RedisStore(client, prefix=f"bq{size}:")
        ids = await preload(store, size)
        keys = [store._k("sum", e) for e in ids[:50]]
        api = create_api(Settings(), store, ListSink(), dispatch=False)
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://bench")
        https.append(http)

        async def get(path: str, http: httpx.AsyncClient = http) -> Any:
            r = await http.get(path)
            assert r.status_code == 200, r.text
            return r.json()

        calls[size] = {
            "floor_mget_50": functools.partial(store.r.mget, keys),
            "store_list_50": functools.partial(store.query_events, EventQuery(limit=50)),
            "store_search_rare": functools.partial(store.query_events, EventQuery(q=RARE, limit=50)),
            "store_search_common": functools.partial(store.query_events, EventQuery(q=COMMON, limit=50)),
            "api_list_50": functools.partial(get, "/events?limit=50"),
            "api_search_rare": functools.partial(get, f"/events?q={RARE}&limit=50"),
        }
    names = list(calls[sizes[0]])
    times: dict[tuple[int, str], list[float]] = {(s, n): [] for s in sizes for n in names}
    for rep in range(repeats + 5):
        gc.collect()
        gc.disable()
        for name in names:
            for size in sizes if rep % 2 == 0 else sizes[::-1]:
                t0 = time.perf_counter()
                await calls[size][name]()
                if rep >= 5:  # the first rounds warm up
                    times[(size, name)].append(time.perf_counter() - t0)
        gc.enable()
    med = {k: statistics.median(v) * 1e6 for k, v in times.items()}
    rows = []
    for size in sizes:
        row = {"events": size, **{f"{n}_us": round(med[(size, n)], 1) for n in names}}
        rows.append(row)
        print(json.dumps(row), flush=True)
    lo, hi = sizes[0], sizes[-1]
    summary: dict[str, Any] = {
        "api_list_ratio_largest_to_smallest": round(med[(hi, "api_list_50")] / med[(lo, "api_list_50")], 3),
        "api_search_ratio_largest_to_smallest": round(med[(hi, "api_search_rare")] / med[(lo, "api_search_rare")], 3),
        **{
            f"store_list_over_floor_{s}": round(med[(s, "store_list_50")] / med[(s, "floor_mget_50")], 3) for s in sizes
        },
        **{
            f"store_search_over_floor_{s}": round(med[(s, "store_search_rare")] / med[(s, "floor_mget_50")], 3)
            for s in sizes
        },
        "targets": {"api_ratio": 2.0, "store_over_floor": 3.0},
        "timing": "median of repeats, GC off",
    }
    summary["ok"] = (
        summary["api_list_ratio_largest_to_smallest"] <= 2.0
        and summary["api_search_ratio_largest_to_smallest"] <= 2.0
        and all(summary[f"store_{k}_over_floor_{s}"] <= 3.0 for k in ("list", "search") for s in sizes)
    )
    print(json.dumps(summary), flush=True)
    for http in https:
        await http.aclose()
    await client.flushdb(asynchronous=True)
    await client.aclose()
    return {"results": rows, "summary": summary}


def main() -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.queries", description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10,10000,100000")
    ap.add_argument("--repeats", type=int, default=200)
    ap.add_argument("--redis-url", default=None, help="an existing Redis (its database is flushed!)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.redis_url:
        asyncio.run(run(args.redis_url, sizes, args.repeats))
        return
    from streams.embedded import Embedded

    with Embedded(broker=False) as emb:
        asyncio.run(run(emb.redis_url, sizes, args.repeats))


if __name__ == "__main__":
    main()

"""The copies index of each event: the MinHash bands of its articles, to find copies of one story.

Per event, a Redis sorted set ``orig:{event}`` of ``band|article`` members (one lexicographic range read
per band) and a hash ``origfp:{event}`` of article id -> JSON ``[origin, shingles, signature]``; the
memory store keeps the same in dictionaries. A lookup reads the article's 32 bands and the fingerprints
of at most ``MAX_CANDIDATES`` articles that share the most bands with it (one script), so its cost does not
grow with the event.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import redis.asyncio as aioredis

from agents.core.origin import MAX_CANDIDATES, Fingerprint
from streams.store import lua
from streams.store.redis_base import RedisBase
from streams.store.redis_batch import Batch

COPIES = lua.source("copies")
"""The lookup in one round trip. KEYS: ``orig:{event}``, ``origfp:{event}``. ARGV: the article to leave
out, the most articles to return, the article's band keys joined by spaces. Returns article id, fingerprint JSON, for
the articles that share the most bands, most first, ties by id (as :func:`_ranked` orders them)."""

Copy = tuple[str, str, Fingerprint]
"""(article id, origin, fingerprint) of an article already in the event."""


def _ranked(hits: Counter[str], exclude: str) -> list[str]:
    hits.pop(exclude, None)
    return [a for a, _ in sorted(hits.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CANDIDATES]]


class MemoryCopies:
    """The copies index in dictionaries (mixed into :class:`~streams.store.memory.MemoryStore`)."""

    def __init__(self) -> None:
        self._bands: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        self._prints: dict[str, dict[str, tuple[str, Fingerprint]]] = defaultdict(dict)

    async def copies(self, event_id: str, bands: Sequence[str], exclude: str) -> list[Copy]:
        """Articles of the event that share bands with a fingerprint, most shared first."""
        index = self._bands.get(event_id, {})
        hits: Counter[str] = Counter(a for b in bands for a in index.get(b, ()))
        prints = self._prints.get(event_id, {})
        return [(a, *prints[a]) for a in _ranked(hits, exclude) if a in prints]

    async def add_copy(self, event_id: str, article_id: str, origin: str, fp: Fingerprint) -> None:
        """Index an article's fingerprint under the event (again: no change)."""
        for b in fp.bands():
            self._bands[event_id][b].add(article_id)
        self._prints[event_id][article_id] = (origin, fp)

    async def fold_copies(self, gone_id: str, into: str) -> None:
        """The copies index of an event merged away joins its survivor's."""
        for b, ids in self._bands.pop(gone_id, {}).items():
            self._bands[into][b] |= ids
        for a, v in self._prints.pop(gone_id, {}).items():
            self._prints[into].setdefault(a, v)


class RedisCopies(RedisBase):
    """The copies index in Redis (mixed into :class:`~streams.store.redis.RedisStore`)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        super().__init__(client, prefix)
        self._copies_script = client.register_script(COPIES)

    async def copies(self, event_id: str, bands: Sequence[str], exclude: str) -> list[Copy]:
        """Articles of the event that share bands with a fingerprint, most shared first."""
        keys = [f"{self.p}orig:{event_id}", f"{self.p}origfp:{event_id}"]
        flat: Any = await self._evalsha(self.r, self._copies_script, keys, [exclude, MAX_CANDIDATES, " ".join(bands)])
        out: list[Copy] = []
        for a, v in zip(flat[::2], flat[1::2], strict=True):
            origin, size, sig = json.loads(v)
            out.append(
                (a.decode() if isinstance(a, bytes) else a, origin, Fingerprint(signature=tuple(sig), size=size))
            )
        return out

    async def add_copy(self, event_id: str, article_id: str, origin: str, fp: Fingerprint) -> None:
        """Index an article's fingerprint under the event (again: no change)."""
        writes = Batch()
        writes.zadd(f"{self.p}orig:{event_id}", {f"{b}|{article_id}": 0 for b in fp.bands()})
        writes.hset(f"{self.p}origfp:{event_id}", article_id, json.dumps([origin, fp.size, list(fp.signature)]))
        await self._run(writes)

    async def fold_copies(self, gone_id: str, into: str) -> None:
        """The copies index of an event merged away joins its survivor's (once per merge of events)."""
        src, dst = f"{self.p}orig:{gone_id}", f"{self.p}orig:{into}"
        await self.r.zunionstore(dst, [dst, src])
        prints: Any = await self.r.hgetall(f"{self.p}origfp:{gone_id}")
        if prints:
            await self.r.hset(f"{self.p}origfp:{into}", mapping=prints)
        await self.r.delete(src, f"{self.p}origfp:{gone_id}")

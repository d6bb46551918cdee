"""What the benchmark reads from Redis while a stack runs: messages handled, articles assigned and merged."""

from __future__ import annotations

from typing import Any


class Probe:
    """Reads what the benchmark needs from Redis (plain client, the store's key layout)."""

    def __init__(self, settings: Any) -> None:
        import redis

        self.r = redis.Redis.from_url(settings.redis_url)
        self.p = settings.redis_prefix

    def handled(self) -> int:
        c = self.r.hgetall(self.p + "counters")
        return sum(int(c.get(k, 0)) for k in (b"applied", b"dead_lettered"))

    def assigned(self, ids: list[str]) -> int:
        n = 0
        for i in range(0, len(ids), 500):
            n += sum(v is not None for v in self.r.mget([self.p + "article:" + a for a in ids[i : i + 500]]))
        return n

    def merged(self, ids: list[str]) -> list[str]:
        """Those of ``ids`` whose event state in Redis lists them."""
        if not ids:
            return []
        events = self.r.mget([self.p + "article:" + a for a in ids])
        placed = [
            (a, e.decode() if isinstance(e, bytes) else str(e))
            for a, e in zip(ids, events, strict=True)
            if e is not None
        ]
        if not placed:
            return []
        pipe = self.r.pipeline(transaction=False)
        for a, e in placed:
            pipe.hexists(f"{self.p}ev:{e}:a", a)  # the event's articles (streams.store.redis)
        return [a for (a, _), held in zip(placed, pipe.execute(), strict=True) if held]

    def close(self) -> None:
        self.r.close()

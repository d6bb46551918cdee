"""The alert log and the counters in Redis: the ``alerts`` stream with the ``alert-ids`` set, the ``counters`` hash.

An alert is logged in the transaction that writes its event's state (:meth:`RedisAlertLog._fresh`,
:meth:`RedisAlertLog._queue_alerts`, from :mod:`streams.store.redis_events`), so a crash never leaves one
without the other; an id already logged is not logged again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from schemas import Alert
from streams.store.redis_base import RedisBase


class RedisAlertLog(RedisBase):
    """The :class:`~agents.ports.AlertLog` in Redis."""

    async def alerts(self, after: str = "0", limit: int = 1000, wait: float = 0.0) -> list[tuple[str, Alert]]:
        rows: Any
        if wait > 0:  # XREAD blocks until an entry after the cursor is logged, or the time is up
            found: Any = await self.r.xread({self._k("alerts"): after}, count=limit, block=max(1, int(wait * 1000)))
            rows = found[0][1] if found else []
        else:
            rows = await self.r.xrange(self._k("alerts"), min=f"({after}" if after != "0" else "-", count=limit)
        return [(str(rid), Alert.model_validate_json(fields["alert"])) for rid, fields in rows or []]

    async def alert_head(self) -> str:
        rows = await self.r.xrevrange(self._k("alerts"), count=1)
        return str(rows[0][0]) if rows else "0"

    async def _fresh(self, pipe: Any, alerts: list[Alert]) -> list[Alert]:
        """The alerts not logged yet (read on ``pipe``, in WATCH mode before MULTI)."""
        known = await pipe.smismember(self._k("alert-ids"), [a.id for a in alerts]) if alerts else []
        return [a for a, seen in zip(alerts, known, strict=True) if not seen]

    def _queue_alerts(self, pipe: Any, fresh: list[Alert]) -> None:
        """Queue the logging of alerts not logged yet (inside MULTI)."""
        for a in fresh:
            pipe.sadd(self._k("alert-ids"), a.id)
            pipe.xadd(self._k("alerts"), {"alert": a.model_dump_json()})


class RedisCounters(RedisBase):
    """The :class:`~agents.ports.Counters` in Redis."""

    async def bump(self, name: str, n: int = 1) -> None:
        await self.r.hincrby(self._k("counters"), name, n)

    async def bump_many(self, counts: Mapping[str, int]) -> None:
        async with self.r.pipeline(transaction=False) as pipe:
            for name, n in counts.items():
                pipe.hincrby(self._k("counters"), name, n)
            await pipe.execute()

    async def counters(self) -> dict[str, int]:
        raw: Any = await self.r.hgetall(self._k("counters"))
        return {str(k): int(v) for k, v in raw.items()}

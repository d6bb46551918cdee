"""What every part of the Redis store shares: the client, the key prefix, key names, running a script."""

from __future__ import annotations

from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError

from streams.store.redis_batch import WRITES, Batch


class RedisBase:
    """One client and one key prefix (``r``, ``p``), under which each part of :class:`~streams.store.redis.RedisStore`
    (a mixin of this) names its keys."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        self.r = client
        self.p = prefix
        self._writes = client.register_script(WRITES)

    async def _evalsha(self, client: Any, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Run a registered script on ``client`` (also a connection in WATCH mode) by its SHA, loading
        it once if Redis lost it; unlike calling the script on a pipeline, adds no SCRIPT EXISTS
        round trip to the pipeline's next execute."""
        try:
            return await client.evalsha(script.sha, len(keys), *keys, *args)
        except NoScriptError:
            await self.r.script_load(script.script)
            return await client.evalsha(script.sha, len(keys), *keys, *args)

    async def _run(self, batch: Batch) -> None:
        """Run a batch of writes now, as one script call (atomic); nothing when empty."""
        if len(batch):
            await self._evalsha(self.r, self._writes, [], [batch.payload()])

    def _k(self, *parts: str) -> str:
        """The key of ``parts`` joined by ":" under the prefix."""
        return self.p + ":".join(parts)

    def _parts(self, event_id: str) -> dict[str, str]:
        """The keys of one event's parts (the layout in :mod:`streams.store.redis`)."""
        ev = self._k("ev", event_id, "")
        return {
            "head": self._k("event", event_id),
            "a": ev + "a",
            "u": ev + "u",
            "slots": ev + "slots",
            "h": ev + "h",
            "n": ev + "n",
            "s": ev + "s:",
            "sv": ev + "sv",
        }

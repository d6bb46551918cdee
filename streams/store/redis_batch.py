"""Write commands sent as one script call: what a transaction of many small writes costs as one command.

A :class:`Batch` takes the writes that the stores would queue on a pipeline (the same method names and
arguments as redis-py's, so the code that builds them serves both) and sends them as one call of
:data:`WRITES`, which runs them in order. Redis runs a script whole, so a batch is atomic; inside a
MULTI it goes as ``EVAL`` (:meth:`Batch.queue`), like every script there, so that a Redis that lost its
script cache cannot fail half a transaction. Each command costs the client one argument list instead of
a command packed, sent and answered (``QUEUED``) of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from streams.store import lua

WRITES = lua.source("writes")
"""Run write commands in order. ARGV: per command, its number of words, then its words (name, key, args)."""
CHUNK = 512
"""Most items (members, fields, values) one command of a batch takes: a longer one is cut in several
(the script's ``unpack`` takes a bounded number of words)."""


class Batch:
    """Write commands collected in order (pipeline-like methods), sent as one :data:`WRITES` call
    (:meth:`queue` inside MULTI, else :meth:`~streams.store.redis_base.RedisBase._run`)."""

    def __init__(self) -> None:
        self.words: list[Any] = []

    def __len__(self) -> int:
        return len(self.words)

    def _add(self, *words: Any) -> None:
        self.words.append(len(words))
        self.words.extend(words)

    def _many(self, name: str, key: str, items: list[Any], width: int = 1) -> None:
        step = CHUNK * width
        for i in range(0, len(items), step):
            self._add(name, key, *items[i : i + step])

    def set(self, key: str, value: Any) -> None:
        self._add("SET", key, value)

    def delete(self, *keys: str) -> None:
        for i in range(0, len(keys), CHUNK):
            self._add("DEL", *keys[i : i + CHUNK])

    def hset(
        self, key: str, field: str | None = None, value: Any = None, mapping: Mapping[str, Any] | None = None
    ) -> None:
        items: list[Any] = [field, value] if field is not None else []
        for f, v in (mapping or {}).items():
            items += [f, v]
        self._many("HSET", key, items, 2)

    def hdel(self, key: str, *fields: str) -> None:
        self._many("HDEL", key, list(fields))

    def sadd(self, key: str, *members: Any) -> None:
        self._many("SADD", key, list(members))

    def rpush(self, key: str, *values: Any) -> None:
        self._many("RPUSH", key, list(values))

    def zadd(self, key: str, mapping: Mapping[str, float]) -> None:
        items: list[Any] = []
        for member, score in mapping.items():
            items += [score, member]
        self._many("ZADD", key, items, 2)

    def zrem(self, key: str, *members: str) -> None:
        self._many("ZREM", key, list(members))

    def xadd(self, key: str, fields: Mapping[str, Any]) -> None:
        self._add("XADD", key, "*", *(w for kv in fields.items() for w in kv))

    def queue(self, pipe: Any) -> None:
        """Queue the batch on a pipeline (inside MULTI: ``EVAL``); nothing when empty."""
        if self.words:
            pipe.eval(WRITES, 0, *self.words)

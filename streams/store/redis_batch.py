"""Write commands sent as one script call: what a transaction of many small writes costs as one command.

A :class:`Batch` takes the writes that the stores would queue on a pipeline (the same method names and
arguments as redis-py's, so the code that builds them serves both) and sends them as one call of
:data:`WRITES`, which runs them in order. Redis runs a script whole, so a batch is atomic; inside a
MULTI it goes as ``EVAL`` (:meth:`Batch.queue`), like every script there, so that a Redis that lost its
script cache cannot fail half a transaction. The commands go as one JSON argument: the client packs
one word, not hundreds, and no command is sent and answered (``QUEUED``) on its own. Every word is
the string redis-py would send for it, so Redis holds the same bytes either way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from streams.store import lua

WRITES = lua.source("writes")
"""Run write commands in order. ARGV: a JSON list of commands, each a list of strings (name, key, args)."""
CHUNK = 512
"""Most items (members, fields, values) one command of a batch takes: a longer one is cut in several
(the script's ``unpack`` takes a bounded number of words)."""


def _word(value: Any) -> str:
    """A word as redis-py's encoder writes it (numbers by ``repr``)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a word for Redis: {value!r}")
    return repr(value)


class Batch:
    """Write commands collected in order (pipeline-like methods), sent as one :data:`WRITES` call
    (:meth:`queue` inside MULTI, else :meth:`~streams.store.redis_base.RedisBase._run`)."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []

    def __len__(self) -> int:
        return len(self.commands)

    def _add(self, *words: Any) -> None:
        self.commands.append([w if type(w) is str else _word(w) for w in words])

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

    def payload(self) -> str:
        """The batch as :data:`WRITES` takes it."""
        return json.dumps(self.commands, ensure_ascii=False, separators=(",", ":"))

    def queue(self, pipe: Any) -> None:
        """Queue the batch on a pipeline (inside MULTI: ``EVAL``); nothing when empty."""
        if self.commands:
            pipe.eval(WRITES, 0, self.payload())

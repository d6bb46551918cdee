"""A batch of writes: each command as the strings redis-py would send, long ones cut (pure, no Redis)."""

from __future__ import annotations

import json

import pytest

from streams.store.redis_batch import CHUNK, Batch


def _commands(b: Batch) -> list[list[str]]:
    out: list[list[str]] = json.loads(b.payload())  # as the script reads them
    return out


def test_commands_keep_their_order_and_words() -> None:
    b = Batch()
    b.set("k", 3)
    b.zadd("z", {"a": 1.5, "b\u00e9\n": 2})
    b.hset("h", "f", "v")
    b.hset("h2", mapping={"x": "1", "y": "2"})
    b.xadd("s", {"alert": "{}"})
    b.delete("k", "z")
    assert _commands(b) == [
        ["SET", "k", "3"],
        ["ZADD", "z", "1.5", "a", "2", "b\u00e9\n"],
        ["HSET", "h", "f", "v"],
        ["HSET", "h2", "x", "1", "y", "2"],
        ["XADD", "s", "*", "alert", "{}"],
        ["DEL", "k", "z"],
    ]


def test_a_long_command_is_cut_into_several_of_the_same_key() -> None:
    b = Batch()
    b.hset("h", mapping={f"f{i}": i for i in range(CHUNK + 3)})
    b.sadd("s", *range(2 * CHUNK + 1))
    cmds = _commands(b)
    assert [c[:2] for c in cmds] == [["HSET", "h"], ["HSET", "h"], ["SADD", "s"], ["SADD", "s"], ["SADD", "s"]]
    assert [len(c) - 2 for c in cmds] == [2 * CHUNK, 6, CHUNK, CHUNK, 1]


def test_an_empty_batch_queues_nothing() -> None:
    class Pipe:
        calls = 0

        def eval(self, *args: object) -> None:
            self.calls += 1

    pipe = Pipe()
    Batch().queue(pipe)
    assert pipe.calls == 0 and len(Batch()) == 0


def test_a_word_that_redis_py_would_refuse_is_refused() -> None:
    with pytest.raises(TypeError):
        Batch().set("k", True)
    with pytest.raises(TypeError):
        Batch().set("k", None)

"""A batch of writes: each command as its word count then its words, long ones cut (pure, no Redis)."""

from __future__ import annotations

from streams.store.redis_batch import CHUNK, Batch


def _commands(b: Batch) -> list[list[object]]:
    out, i = [], 0
    while i < len(b.words):
        n = int(b.words[i])
        out.append(b.words[i + 1 : i + 1 + n])
        i += n + 1
    return out


def test_commands_keep_their_order_and_words() -> None:
    b = Batch()
    b.set("k", 3)
    b.zadd("z", {"a": 1.5, "b": 2})
    b.hset("h", "f", "v")
    b.hset("h2", mapping={"x": "1", "y": "2"})
    b.xadd("s", {"alert": "{}"})
    b.delete("k", "z")
    assert _commands(b) == [
        ["SET", "k", 3],
        ["ZADD", "z", 1.5, "a", 2, "b"],
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

"""The faust and aiokafka internals that agents.faust_fixes patches (and the watchdog reads) are where they were.

These are private names: a faust-streaming or aiokafka release may move one without notice, and the
patch would then fail at a worker's start or, worse, do nothing. When a test here fails, read the new
release's code, change ``agents/faust_fixes.py`` to match, and
move the upper bounds in ``pyproject.toml`` with it.

The methods are read from their source (``ast``), not from the live classes: other tests may have
applied the patches in this process already.
"""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import textwrap

import aiokafka
import faust
from aiokafka.consumer.fetcher import Fetcher
from faust.transport.consumer import Consumer
from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread, Producer

Function = ast.FunctionDef | ast.AsyncFunctionDef


def methods(cls: type) -> dict[str, Function]:
    """The methods ``cls`` defines, as written in its source (not as patched in this process)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    node = tree.body[0]
    assert isinstance(node, ast.ClassDef), cls
    return {n.name: n for n in node.body if isinstance(n, Function)}


def params(fn: Function) -> list[str]:
    """The parameter names, ``*args`` and ``**kwargs`` marked as such."""
    a = fn.args
    names = [p.arg for p in [*a.posonlyargs, *a.args]]
    names += [f"*{a.vararg.arg}"] if a.vararg else []
    names += [p.arg for p in a.kwonlyargs]
    return names + ([f"**{a.kwarg.arg}"] if a.kwarg else [])


def self_attrs(fn: Function, ctx: type[ast.expr_context]) -> set[str]:
    """The ``self.x`` names ``fn`` stores (``ast.Store``) or reads (``ast.Load``)."""
    return {
        n.attr
        for n in ast.walk(fn)
        if isinstance(n, ast.Attribute)
        and isinstance(n.ctx, ctx)
        and isinstance(n.value, ast.Name)
        and n.value.id == "self"
    }


def calls(fn: Function) -> set[str]:
    """The attribute names ``fn`` calls as methods (``x.name(...)``, whatever ``x``)."""
    return {n.func.attr for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)}


def test_faust_builds_its_worker_consumer_where_the_fetch_wait_patch_hooks_in() -> None:
    """set_fetch_wait wraps ``AIOKafkaConsumerThread._create_worker_consumer(self, transport)``."""
    m = methods(AIOKafkaConsumerThread)
    create = m.get("_create_worker_consumer")
    assert isinstance(create, ast.FunctionDef), "faust moved _create_worker_consumer (or made it async)"
    assert params(create) == ["self", "transport"]
    assert "_create_worker_consumer" in calls(m["_create_consumer"]), "faust no longer builds its consumer there"


def test_aiokafka_reads_the_fetch_wait_the_patch_writes() -> None:
    """set_fetch_wait and pace_fetches write ``_fetch_max_wait_ms`` on the consumer and on its ``_fetcher``."""
    consumer = methods(aiokafka.AIOKafkaConsumer)
    assert "_fetch_max_wait_ms" in self_attrs(consumer["__init__"], ast.Store)
    assert "_fetcher" in self_attrs(consumer["__init__"], ast.Store)
    start = consumer["start"]
    assert "_fetch_max_wait_ms" in self_attrs(start, ast.Load), "the fetcher is no longer given the consumer's wait"
    assert "_fetcher" in self_attrs(start, ast.Store)
    fetcher = methods(Fetcher)
    assert "_fetch_max_wait_ms" in self_attrs(fetcher["__init__"], ast.Store)
    readers = [
        name for name, fn in fetcher.items() if name != "__init__" and "_fetch_max_wait_ms" in self_attrs(fn, ast.Load)
    ]
    assert readers, "aiokafka's fetcher no longer reads _fetch_max_wait_ms when it builds a request"


def test_seek_to_committed_is_where_the_fresh_partitions_patch_replaces_it() -> None:
    """seek_fresh_partitions_to_beginning replaces ``seek_to_committed(self)`` with the same calls plus a seek."""
    m = methods(AIOKafkaConsumerThread)
    seek = m.get("seek_to_committed")
    assert isinstance(seek, ast.AsyncFunctionDef), "faust moved seek_to_committed (or made it sync)"
    assert params(seek) == ["self"]
    assert {"call_thread", "_ensure_consumer"} <= calls(seek), "faust seeks another way now"
    handed = {n.attr for n in ast.walk(seek) if isinstance(n, ast.Attribute)}
    assert "seek_to_committed" in handed, "faust no longer hands aiokafka's seek_to_committed to its thread"
    assert params(m["_ensure_consumer"]) == ["self"]
    call_thread = inspect.signature(AIOKafkaConsumerThread.call_thread)
    assert list(call_thread.parameters) == ["self", "fun", "args", "kwargs"]
    for name in ("seek_to_committed", "seek_to_beginning"):
        fn = getattr(aiokafka.AIOKafkaConsumer, name)
        assert inspect.iscoroutinefunction(fn), name
        assert list(inspect.signature(fn).parameters) == ["self", "partitions"], name
    assert hasattr(faust.Settings, "consumer_auto_offset_reset")


def test_the_producer_takes_the_settings_the_idempotence_patch_adds() -> None:
    """idempotent_producer wraps ``Producer._settings_extra(self)``, which every new aiokafka producer reads."""
    m = methods(Producer)
    extra = m.get("_settings_extra")
    assert isinstance(extra, ast.FunctionDef), "faust moved _settings_extra"
    assert params(extra) == ["self"]
    assert "_settings_extra" in calls(m["_new_producer"]), "faust no longer builds its producer from _settings_extra"
    init = inspect.signature(aiokafka.AIOKafkaProducer.__init__).parameters
    assert "acks" in init and "enable_idempotence" in init


def test_the_watchdog_reads_faust_consumer_fields_that_exist() -> None:
    """The watchdog reads ``_committed_offset`` and ``_unacked_messages`` of faust's Consumer (agents.faust_fixes)."""
    init = methods(Consumer)["__init__"]
    assert {"_committed_offset", "_unacked_messages"} <= self_attrs(init, ast.Store)
    for name in ("assignment", "highwaters", "highwater", "earliest_offsets", "seek"):
        assert callable(getattr(Consumer, name, None)), name


def test_the_patches_apply_and_keep_each_signature() -> None:
    """In a fresh interpreter (the producer patch must not leak into tests that talk to Tansu)."""
    script = textwrap.dedent(
        """
        import inspect
        from faust.transport.drivers.aiokafka import AIOKafkaConsumerThread as T, Producer as P
        from agents import faust_fixes as f

        names = [(T, "_create_worker_consumer"), (T, "seek_to_committed"), (P, "_settings_extra")]
        before = [(getattr(c, n), inspect.signature(getattr(c, n))) for c, n in names]
        f.set_fetch_wait(0.05)
        f.seek_fresh_partitions_to_beginning()
        f.idempotent_producer()
        once = [getattr(c, n) for c, n in names]
        f.set_fetch_wait(0.1)  # applied once: a second call wraps nothing again
        f.seek_fresh_partitions_to_beginning()
        f.idempotent_producer()
        assert [getattr(c, n) for c, n in names] == once
        for (c, n), (old, sig) in zip(names, before):
            new = getattr(c, n)
            assert new is not old, n
            assert inspect.iscoroutinefunction(new) == inspect.iscoroutinefunction(old), n
            assert list(inspect.signature(new).parameters) == list(sig.parameters), (n, sig)
        print("patched")
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "patched", proc.stderr[-3000:]

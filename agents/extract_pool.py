"""Where the CPU step runs: spaCy + claim extraction off the worker's event loop.

``processes=0``: one thread of the worker process (the event loop then shares the GIL with spaCy,
which delays every Kafka and Redis round trip of ``resolve`` and ``project``).
``processes=N`` (default 1): N child processes, each loading the pipeline once; a batch is split
into N contiguous parts parsed in parallel. The worker process only decodes, sends and talks to Redis.

Results come back as the ``Extracted`` JSON that goes on topic ``claims`` (no second serialisation).
A child that dies (a crash inside spaCy, the OOM killer) breaks the pool: it is replaced and the
batch is retried article by article, so that only the article that kills it is dead-lettered.

Memory is bounded (``docs/limits.md``): a batch is cut into parts of at most ``batch_chars`` characters
of text (not a count of articles); each child reports its resident memory after each part and a pool
whose child is past ``memory_mb`` is replaced before the next one; a thread in each child ends it at once
past one and a half times ``memory_mb`` (the pool then restarts, as after any crash).
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from spacy.language import Language

from agents.core.budget import DEFAULT, Budget
from agents.core.extract import Prepared, analyse
from agents.lifeline import die_with_parent
from schemas import Article

log = logging.getLogger("contraflow.extract")

Loader = Callable[[], Language]
_child: dict[str, Any] = {}


KILL_FACTOR = 1.5
"""A child past ``KILL_FACTOR`` times the memory ceiling ends at once (its watch thread)."""
WATCH_SECONDS = 0.05


def rss_mb(pid: int | str = "self") -> int:
    """Resident memory of a process in MiB (``VmRSS`` in ``/proc``; 0 where there is none)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return 0


def _watch_memory(limit_mb: int) -> None:
    while True:
        if rss_mb() > limit_mb:
            log.error("NLP process past %d MiB: ending it", limit_mb)
            os._exit(70)
        time.sleep(WATCH_SECONDS)


def _init_child(loader: Loader, parent: int | None = None, kill_mb: int = 0) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when to stop
    _child["loader"] = loader
    if kill_mb:
        threading.Thread(target=_watch_memory, args=(kill_mb,), daemon=True, name="memory-watch").start()


def _nlp(loader: Loader | None = None) -> Language:
    if "nlp" not in _child:
        _child["nlp"] = (loader or _child["loader"])()
    return _child["nlp"]


def warm(loader: Loader | None = None) -> None:
    """Load the pipeline and parse one sentence (in the process or thread that will parse)."""
    _nlp(loader)("Warm up: 3 people were killed, police said.")


def extract_json(
    items: Sequence[tuple[Article, datetime]],
    loader: Loader | None = None,
    budget: Budget = DEFAULT,
    prepared: Sequence[Prepared] | None = None,
) -> list[bytes]:
    """Step 1 on a batch; each result as the JSON of its ``Extracted``."""
    return [x.model_dump_json().encode() for x in analyse(_nlp(loader), items, budget=budget, prepared=prepared)]


def _extract_measured(
    items: Sequence[tuple[Article, datetime]], budget: Budget, prepared: Sequence[Prepared] | None
) -> tuple[list[bytes], int]:
    """:func:`extract_json` in a child, with the child's resident memory after it (MiB)."""
    return extract_json(items, budget=budget, prepared=prepared), rss_mb()


def _size(item: tuple[Article, datetime]) -> int:
    return len(item[0].body) + len(item[0].title or "")


def by_chars(items: Sequence[tuple[Article, datetime]], limit: int) -> list[list[tuple[Article, datetime]]]:
    """``items`` cut, in order, into parts of at most ``limit`` characters of text (an article over it alone)."""
    parts: list[list[tuple[Article, datetime]]] = []
    size = 0
    for item in items:
        n = _size(item)
        if not parts or size + n > limit:
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += n
    return parts


class ExtractPool:
    """Runs :func:`extract_json` in a thread (``processes=0``) or in ``processes`` child processes."""

    def __init__(
        self,
        loader: Loader,
        processes: int = 1,
        budget: Budget = DEFAULT,
        batch_chars: int = 250_000,
        memory_mb: int = 0,
    ) -> None:
        self.loader = loader
        self.processes = processes
        self.budget = budget
        self.batch_chars = batch_chars
        self.memory_mb = memory_mb
        self.kill_mb = int(memory_mb * KILL_FACTOR)
        self.recycled = 0
        self.executor: Executor = self._new()

    def _new(self) -> Executor:
        if self.processes <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=mp.get_context("spawn"),
            initializer=_init_child,
            initargs=(self.loader, os.getpid(), self.kill_mb),
        )

    def pids(self) -> list[int]:
        """The NLP processes' ids (none for a thread)."""
        procs: dict[int, Any] = getattr(self.executor, "_processes", None) or {}
        return list(procs)

    async def warm(self) -> None:
        """Start the processes and load the pipeline in each before the first batch."""
        loop = asyncio.get_running_loop()
        n = max(1, self.processes)
        loader = self.loader if self.processes <= 0 else None
        await asyncio.gather(*(loop.run_in_executor(self.executor, warm, loader) for _ in range(n)))

    async def extract(
        self, items: Sequence[tuple[Article, datetime]], prepared: Sequence[Prepared] | None = None
    ) -> list[bytes]:
        """The batch through step 1, in parts of at most ``batch_chars`` characters (each split across the
        processes); raises when any part fails. ``prepared``: each article's ``prepare``, made by the caller."""
        out: list[bytes] = []
        at = 0
        for part in by_chars(items, self.batch_chars):
            out += await self._extract(part, None if prepared is None else prepared[at : at + len(part)])
            at += len(part)
        return out

    async def _extract(
        self, items: Sequence[tuple[Article, datetime]], prepared: Sequence[Prepared] | None
    ) -> list[bytes]:
        loop = asyncio.get_running_loop()
        if self.processes <= 0:
            return await loop.run_in_executor(self.executor, extract_json, items, self.loader, self.budget, prepared)
        n = min(self.processes, len(items))
        size = -(-len(items) // n)
        parts = [
            (list(items[i : i + size]), None if prepared is None else list(prepared[i : i + size]))
            for i in range(0, len(items), size)
        ]
        try:
            done = await asyncio.gather(
                *(loop.run_in_executor(self.executor, _extract_measured, p, self.budget, r) for p, r in parts)
            )
        except BrokenProcessPool:
            log.error("an NLP process died; starting a new pool")
            self._replace()
            raise
        peak = max(mb for _, mb in done)
        if self.memory_mb and peak > self.memory_mb:
            log.warning("an NLP process holds %d MiB (ceiling %d MiB); starting a new pool", peak, self.memory_mb)
            self._replace()
        return [x for part, _ in done for x in part]

    def _replace(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)
        self.executor = self._new()
        self.recycled += 1

    def close(self) -> None:
        """Stop the thread or the processes."""
        self.executor.shutdown(wait=False, cancel_futures=True)

"""Where the CPU step runs: spaCy + claim extraction off the worker's event loop.

``processes=0``: one thread of the worker process (the event loop then shares the GIL with spaCy,
which delays every Kafka and Redis round trip of ``resolve`` and ``project``).
``processes=N`` (default 1): N child processes, each loading the pipeline once; a batch is split
into N contiguous parts parsed in parallel. The worker process only decodes, sends and talks to Redis.

Results come back as the ``Extracted`` JSON that goes on topic ``claims`` (no second serialisation).
A child that dies (a crash inside spaCy, the OOM killer) breaks the pool: it is replaced and the
batch is retried article by article, so that only the article that kills it is dead-lettered.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import datetime
from typing import Any

from spacy.language import Language

from agents import pipeline
from schemas import Article
from streams.embedded import die_with_parent

log = logging.getLogger("contraflow.extract")

Loader = Callable[[], Language]
_child: dict[str, Any] = {}


def _init_child(loader: Loader, parent: int | None = None) -> None:
    die_with_parent(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the worker decides when to stop
    _child["loader"] = loader


def _nlp(loader: Loader | None = None) -> Language:
    if "nlp" not in _child:
        _child["nlp"] = (loader or _child["loader"])()
    return _child["nlp"]


def warm(loader: Loader | None = None) -> None:
    """Load the pipeline and parse one sentence (in the process or thread that will parse)."""
    _nlp(loader)("Warm up: 3 people were killed, police said.")


def extract_json(items: Sequence[tuple[Article, datetime]], loader: Loader | None = None) -> list[bytes]:
    """Step 1 on a batch; each result as the JSON of its ``Extracted``."""
    return [x.model_dump_json().encode() for x in pipeline.extract(_nlp(loader), items)]


class ExtractPool:
    """Runs :func:`extract_json` in a thread (``processes=0``) or in ``processes`` child processes."""

    def __init__(self, loader: Loader, processes: int = 1) -> None:
        self.loader = loader
        self.processes = processes
        self.executor: Executor = self._new()

    def _new(self) -> Executor:
        if self.processes <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        return ProcessPoolExecutor(max_workers=self.processes, mp_context=mp.get_context("spawn"),
                                   initializer=_init_child, initargs=(self.loader, os.getpid()))

    async def warm(self) -> None:
        """Start the processes and load the pipeline in each before the first batch."""
        loop = asyncio.get_running_loop()
        n = max(1, self.processes)
        loader = self.loader if self.processes <= 0 else None
        await asyncio.gather(*(loop.run_in_executor(self.executor, warm, loader) for _ in range(n)))

    async def extract(self, items: Sequence[tuple[Article, datetime]]) -> list[bytes]:
        """The batch through step 1 (split across the processes); raises when any part fails."""
        loop = asyncio.get_running_loop()
        if self.processes <= 0:
            return await loop.run_in_executor(self.executor, extract_json, items, self.loader)
        n = min(self.processes, len(items))
        size = -(-len(items) // n)
        parts = [list(items[i:i + size]) for i in range(0, len(items), size)]
        try:
            done = await asyncio.gather(*(loop.run_in_executor(self.executor, extract_json, p) for p in parts))
        except BrokenProcessPool:
            log.error("an NLP process died; starting a new pool")
            self.executor.shutdown(wait=False, cancel_futures=True)
            self.executor = self._new()
            raise
        return [x for part in done for x in part]

    def close(self) -> None:
        """Stop the thread or the processes."""
        self.executor.shutdown(wait=False, cancel_futures=True)

"""The dev stack: embedded servers (unless configured), worker processes, and waiting for results."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType
from typing import Any

from agents.decode import decode_article
from schemas import Article, EventState
from streams.embedded import Embedded, spawn, stop
from streams.kafka_io import ensure_topics
from streams.settings import Settings
from streams.store.redis import connected

log = logging.getLogger("contraflow.runner")
SETTLE_SECONDS = 10.0
MAX_RESTARTS_PER_MINUTE = 5


def worker_command() -> list[str]:
    """The command that starts one worker process (settings come through its environment)."""
    return [sys.executable, "-m", "streams.cli", "worker"]


class Stack(AbstractContextManager["Stack"]):
    """Broker, Redis and ``workers`` worker processes; embedded servers for what is not configured."""

    def __init__(self, settings: Settings, workers: int = 1, workdir: Path | None = None) -> None:
        self.base = settings
        self.n_workers = workers
        self.embedded: Embedded | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self.restarts: list[float] = []
        self.settings = settings
        self._tmp = tempfile.TemporaryDirectory(prefix="contraflow-") if workdir is None else None
        self.workdir = workdir or Path(self._tmp.name)  # type: ignore[union-attr]

    def __enter__(self) -> Stack:
        need_broker = not self.base.kafka_bootstrap
        need_redis = not self.base.redis_url
        try:
            if need_broker or need_redis:
                self.embedded = Embedded(self.workdir / "servers", broker=need_broker, redis=need_redis).start()
                self.settings = self.base.with_servers(
                    self.base.kafka_bootstrap or self.embedded.kafka_bootstrap,
                    self.base.redis_url or self.embedded.redis_url,
                )
            ensure_topics(self.settings)
            for _ in range(self.n_workers):
                self.start_worker()
        except BaseException:
            self.close()
            raise
        return self

    @property
    def logdir(self) -> Path:
        """Where the servers and workers write their logs."""
        return self.workdir

    def start_worker(self) -> subprocess.Popen[bytes]:
        """Start one more worker process (its log goes to ``worker-N.log`` in the work dir)."""
        n = len(self.workers)
        log_path = self.logdir / f"worker-{n}.log"
        proc = spawn(worker_command(), log_path, env=self.settings.as_env())
        self.workers.append(proc)
        return proc

    def supervise(self, say: Any = log.warning) -> str | None:
        """Look at the processes this stack started once: restart a Redis or a worker that died (``say``
        tells), and return why everything must stop instead (``None``: all is well).

        The embedded broker keeps its log in memory: when it dies the log is gone, and a worker that
        stopped on a lost log would stop again, so both stop the stack rather than restart."""
        from streams.logcheck import EXIT_LOG_LOST

        emb = self.embedded
        if emb is not None and emb.broker_proc is not None and emb.broker_proc.poll() is not None:
            return (
                f"the embedded broker exited (code {emb.broker_proc.returncode}); it kept its log in memory, "
                f"so the log is lost (see {emb.workdir / 'broker.log'}). The state in Redis is kept; "
                "`contraflow rebuild --clear --force` starts over"
            )
        if emb is not None and emb.redis_proc is not None and emb.redis_proc.poll() is not None:
            say(
                f"the embedded Redis exited (code {emb.redis_proc.returncode}); restarting it from its "
                f"append-only file (see {emb.workdir / 'redis.log'})"
            )
            emb.start_redis(emb.redis_port)
        for i, w in enumerate(self.workers):
            code = w.poll()
            if code is None:
                continue
            if code == EXIT_LOG_LOST:
                return f"worker {i} stopped: the broker lost its log (see {self.logdir / f'worker-{i}.log'})"
            self.restarts.append(time.monotonic())
            recent = [t for t in self.restarts if time.monotonic() - t < 60.0]
            if len(recent) > MAX_RESTARTS_PER_MINUTE:
                return f"worker {i} exited (code {code}) {len(recent)} times in a minute (see its log)"
            say(f"worker {i} exited (code {code}); starting it again (see {self.logdir / f'worker-{i}.log'})")
            self.workers[i] = spawn(worker_command(), self.logdir / f"worker-{i}.log", env=self.settings.as_env())
        return None

    def close(self) -> None:
        """Stop the workers, then the servers."""
        for w in self.workers:
            if w.poll() is None:
                w.terminate()
        for w in self.workers:
            stop(w, timeout=15)
        if self.embedded:
            self.embedded.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def expected_ids(records: Sequence[dict[str, Any] | str | bytes]) -> tuple[set[str], int]:
    """Ids of the valid articles among ``records`` (as the worker decodes them), and how many are invalid."""
    ids: set[str] = set()
    bad = 0
    for r in records:
        try:
            ids.add((Article.model_validate(r) if isinstance(r, dict) else decode_article(r)).id)
        except Exception:
            bad += 1
    return ids, bad


async def wait_processed(
    settings: Settings,
    ids: set[str],
    total: int,
    baseline: dict[str, int],
    timeout: float,
    workers: list[subprocess.Popen[bytes]] | None = None,
    on_progress: Any = None,
) -> list[EventState]:
    """Wait until every valid article is in its event's state and every message was handled; return all events."""
    deadline = time.monotonic() + timeout
    settled_since: float | None = None
    async with connected(settings) as store:
        while True:
            counters = await store.counters()
            # "handled": each claims record merged, however often (a republished article counts again)
            handled = sum(counters.get(k, 0) - baseline.get(k, 0) for k in ("handled", "dead_lettered"))
            events = await store.list_events()
            merged = {a.id for e in events for a in e.articles}
            if on_progress:
                on_progress(min(handled, total))
            if handled >= total:
                if ids <= merged:
                    return events
                # Every message was handled, yet some valid articles are in no event: they were
                # dead-lettered by a later step. Give redeliveries a moment, then report them.
                settled_since = settled_since or time.monotonic()
                if time.monotonic() - settled_since > SETTLE_SECONDS:
                    missing = sorted(ids - merged)
                    log.warning(
                        "%d valid article(s) were dead-lettered (see %s): %s",
                        len(missing),
                        settings.topics.dlq,
                        ", ".join(missing[:10]),
                    )
                    return events
            if workers and all(w.poll() is not None for w in workers):
                raise RuntimeError("every worker process exited; see the worker logs")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{len(ids & merged)} of {len(ids)} articles merged, {handled} of {total} "
                    f"messages handled after {timeout:.0f}s"
                )
            await asyncio.sleep(0.2)


async def read_counters(settings: Settings) -> dict[str, int]:
    """The store's counters now (the baseline before publishing)."""
    async with connected(settings) as store:
        return await store.counters()

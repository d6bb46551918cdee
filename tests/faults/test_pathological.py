"""Pathological articles on a real stack: a normal article queued behind them is processed within 5 s
of its arrival, and the NLP process's memory stays under 2 GB (issue 25, bounded cost per article)."""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
import uuid
from pathlib import Path

import pytest

from agents.extract_pool import rss_mb
from schemas import DeadLetter
from streams.kafka_io import publish, read_topic
from streams.runner import Stack, expected_ids, read_counters
from streams.settings import Settings
from streams.store.redis import connected
from tests.conftest import SEEDS
from tests.faults.scenario import isolated, run

pytestmark = pytest.mark.faults
WITHIN = 5.0
MEMORY_MB = 2048


def normal_article() -> dict[str, str]:
    first = json.loads(Path(SEEDS).read_text(encoding="utf-8").splitlines()[0])
    return {
        "id": f"normal-{uuid.uuid4().hex[:8]}",
        "source": "Wire",
        "title": first.get("title") or "News",
        "body": first["body"],
    }


def one_word(n: int = 200_000) -> dict[str, str]:
    return {"id": f"word-{uuid.uuid4().hex[:8]}", "source": "S", "body": "X" + "y" * (n - 1)}


def token_dense(i: int, n: int = 187_000) -> dict[str, str]:
    r = random.Random(i)
    words = ["a", "1", ",", ".", "X", "of", "7.", "-", "Al", "(", ")"]
    body = " ".join(r.choice(words) for _ in range(n // 2))[:n]
    return {"id": f"dense-{i}-{uuid.uuid4().hex[:6]}", "source": "S", "body": body}


def children(pid: int) -> list[int]:
    """The process's descendants (from /proc)."""
    out: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            for c in (task / "children").read_text().split():
                out += [int(c), *children(int(c))]
    except OSError:
        pass
    return out


class PeakRss:
    """The largest resident memory of any descendant of ``pid`` (the NLP processes), sampled every 50 ms."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            for c in children(self.pid):
                self.peak = max(self.peak, rss_mb(c))
            time.sleep(0.05)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def seconds_to_state(settings: Settings, article_id: str, timeout: float = 120.0) -> float:
    """Seconds from now until the article is in its event's state."""

    async def wait() -> float:
        t0 = time.monotonic()
        async with connected(settings) as store:
            while time.monotonic() - t0 < timeout:
                event_id = await store.assignment(article_id)
                if event_id is not None:
                    state = await store.get_event(event_id)
                    if state is not None and any(a.id == article_id for a in state.articles):
                        return time.monotonic() - t0
                await asyncio.sleep(0.05)
        raise TimeoutError(f"article {article_id} not processed after {timeout:.0f}s")

    return asyncio.run(wait())


def behind(stack: Stack, heavy: list[dict[str, str]]) -> float:
    """Publish ``heavy``, then a normal article; seconds from the normal article's arrival to its state."""
    s = stack.settings
    publish(s, heavy)
    normal = normal_article()
    publish(s, [normal])
    return seconds_to_state(s, normal["id"])


def test_normal_article_behind_pathological_ones(servers: Settings) -> None:
    s = isolated(servers)
    with Stack(s, workers=1) as stack:
        run(s, [json.loads(line) for line in Path(SEEDS).read_text(encoding="utf-8").splitlines()], stack=stack)
        peak = PeakRss(stack.workers[0].pid)
        before = asyncio.run(read_counters(stack.settings))
        word = behind(stack, [one_word()])
        dense = [token_dense(i) for i in range(80)]
        size_mb = sum(len(json.dumps(d)) for d in dense) / 1e6
        after_dense = behind(stack, dense)
        counters = asyncio.run(read_counters(stack.settings))
        rss = peak.stop()
        assert all(w.poll() is None for w in stack.workers), "the worker stopped"
        letters = [DeadLetter.model_validate_json(v) for v in read_topic(stack.settings, stack.settings.topics.dlq)]
    handled = sum(counters.get(k, 0) - before.get(k, 0) for k in ("applied", "dead_lettered"))
    ids, _ = expected_ids(dense)
    print(
        f"\nFAULTS pathological: behind a 200,000-character word {word:.2f}s; behind 80 token-dense articles "
        f"({size_mb:.1f} MB) {after_dense:.2f}s; NLP process peak RSS {rss} MiB; dead letters {len(letters)}"
    )
    assert word < WITHIN, f"normal article behind a 200,000-character word took {word:.1f}s"
    assert after_dense < WITHIN, f"normal article behind 80 token-dense articles took {after_dense:.1f}s"
    assert 0 < rss < MEMORY_MB, f"NLP process peak RSS {rss} MiB"
    assert handled >= 1 + 80 + 2, "every article was processed or dead-lettered"
    over = [d for d in letters if d.reason.startswith("over budget")]
    assert len(over) == len(ids) == 80 and all("tokens (limit" in d.reason for d in over)


def test_normal_article_behind_a_15_mb_post(servers: Settings) -> None:
    """One POST /articles of 80 long token-dense articles (about 15 MB), then a normal article by POST: the
    API takes both, the worker dead-letters the 80 over budget and processes the normal one within 5 s."""
    import httpx

    from streams.api.app import build_api
    from tests.http_helpers import ApiServer

    s = isolated(servers)
    dense = [token_dense(i) for i in range(80)]
    body = json.dumps(dense).encode()
    with Stack(s, workers=1) as stack, ApiServer(build_api(stack.settings, dispatch=False)) as api:
        run(s, [json.loads(line) for line in Path(SEEDS).read_text(encoding="utf-8").splitlines()], stack=stack)
        peak = PeakRss(stack.workers[0].pid)
        with httpx.Client(base_url=api.url, timeout=60) as client:
            big = client.post("/articles", content=body, headers={"Content-Type": "application/json"})
            normal = normal_article()
            took = client.post("/articles", json=normal)
            took_at = time.monotonic()
        seconds = (time.monotonic() - took_at) + seconds_to_state(stack.settings, normal["id"])
        rss = peak.stop()
        assert all(w.poll() is None for w in stack.workers), "the worker stopped"
    print(
        f"\nFAULTS 15 MB POST: {len(body) / 1e6:.1f} MB answered {big.status_code}; the normal article after it "
        f"in its state {seconds:.2f}s after its POST; NLP process peak RSS {rss} MiB"
    )
    assert big.status_code == 202 and took.status_code == 202, (big.status_code, big.text[:200])
    assert len(body) > 14_000_000
    assert seconds < WITHIN, f"normal article behind a 15 MB POST took {seconds:.1f}s"
    assert 0 < rss < MEMORY_MB, f"NLP process peak RSS {rss} MiB"


def test_nlp_memory_under_long_articles(servers: Settings) -> None:
    """Long articles within the hard budget are parsed (bounded) and the NLP process stays under 2 GB."""
    prose = " ".join(json.loads(line)["body"] for line in Path(SEEDS).read_text(encoding="utf-8").splitlines())
    long_ = [
        {"id": f"long-{i}-{uuid.uuid4().hex[:6]}", "source": f"S{i}", "body": (prose * 60)[i : i + 190_000]}
        for i in range(24)
    ]
    s = isolated(servers)
    with Stack(s, workers=1) as stack:
        peak = PeakRss(stack.workers[0].pid)
        outcome = run(s, long_, stack=stack, rate=50.0, timeout=400.0)
        rss = peak.stop()
    merged = {a.id for e in outcome.events for a in e.articles}
    print(f"\nFAULTS long articles: {len(long_)} of 190,000 characters processed, NLP process peak RSS {rss} MiB")
    assert {a["id"] for a in long_} <= merged
    assert 0 < rss < MEMORY_MB, f"NLP process peak RSS {rss} MiB"


def test_pool_replaces_a_process_past_its_memory_ceiling() -> None:
    """Past the ceiling after a batch: a new process for the next one; past 1.5 times it: the process ends,
    the batch fails (the worker then retries it article by article) and the next batch goes on."""
    from concurrent.futures.process import BrokenProcessPool
    from datetime import UTC, datetime

    from agents.core.nlp import get_nlp
    from agents.extract_pool import ExtractPool
    from schemas import Article

    items = [(Article.model_validate(normal_article()), datetime(2020, 1, 1, tzinfo=UTC))]

    async def scenario() -> None:
        pool = ExtractPool(get_nlp, processes=1, memory_mb=100_000)
        try:
            assert len(await pool.extract(items)) == 1 and pool.recycled == 0
            first = pool.pids()
            pool.memory_mb = 1  # every process is now past its ceiling: replaced after each batch
            assert len(await pool.extract(items)) == 1 and pool.recycled == 1
            assert len(await pool.extract(items)) == 1 and pool.recycled == 2 and pool.pids() != first
            pool.memory_mb, pool.kill_mb = 100_000, 50  # a process ends as soon as it holds 50 MiB
            pool._replace()
            with pytest.raises(BrokenProcessPool):
                await pool.extract(items)
            pool.kill_mb = 0
            pool._replace()
            assert len(await pool.extract(items)) == 1
        finally:
            pool.close()

    asyncio.run(scenario())

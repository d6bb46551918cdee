"""Crashes and restarts: the state and the alerts stay exactly right (real processes, kill -9)."""

from __future__ import annotations

import os
import random
import signal
import time
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from streams.embedded import Embedded
from streams.kafka_jvm import KafkaBroker
from streams.runner import Stack
from streams.settings import Settings
from tests.corpus import corpus, shared_available
from tests.faults.scenario import Outcome, canonical, isolated, log_tails, run
from tests.servers import Broker

pytestmark = [pytest.mark.faults, pytest.mark.skipif(not shared_available(), reason="needs ../shared dev set")]
N = 500
SEED = int(os.environ.get("CONTRAFLOW_FAULT_SEED", "20261121"))


def report(name: str, **figures: Any) -> None:
    print(f"\nFAULTS {name}: " + " ".join(f"{k}={v}" for k, v in figures.items()))


def assert_same(clean: Outcome, broken: Outcome) -> None:
    assert canonical(broken.events) == canonical(clean.events)
    ids = [a.id for a in broken.topic_alerts]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"alerts published twice: {dupes[:5]}"
    assert sorted(ids) == sorted(a.id for a in broken.logged_alerts), "topic and log disagree"
    assert sorted(ids) == sorted(a.id for a in clean.topic_alerts), "an alert is missing or extra"


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return corpus(N)


@pytest.fixture
def own_broker(servers: Settings, broker: Broker) -> Iterator[Settings]:
    """``servers`` with a broker of this test's own (a fresh embedded one) on Tansu: a scenario that kills
    workers then runs on a group coordinator holding nothing else. Apache Kafka (the session's, or the
    one KAFKA_BOOTSTRAP names) serves many groups at once, as in production."""
    if broker.brand != "tansu":
        yield servers
        return
    with Embedded(broker=True, redis=False) as emb:
        yield servers.with_servers(emb.kafka_bootstrap, servers.redis_url or "")


@pytest.fixture(scope="module")
def clean_one_partition(servers: Settings, records: list[dict[str, Any]]) -> Outcome:
    return run(isolated(servers, partitions=1), records)


def killer(
    times: int, rng: random.Random, victims: Callable[[Stack], list[int]] | None = None, restart: bool = True
) -> Callable[[Stack], None]:
    """Chaos: ``times`` times, wait a random while, kill -9 a worker, start a new one."""

    def chaos(stack: Stack) -> None:
        for _ in range(times):
            time.sleep(rng.uniform(3.0, 8.0))
            alive = [i for i, w in enumerate(stack.workers) if w.poll() is None]
            pick = (victims(stack) if victims else alive) or alive
            i = rng.choice(pick)
            os.kill(stack.workers[i].pid, signal.SIGKILL)
            stack.workers[i].wait()
            if restart:
                stack.start_worker()

    return chaos


def test_worker_killed_five_times_mid_stream(
    own_broker: Settings, records: list[dict[str, Any]], clean_one_partition: Outcome
) -> None:
    rng = random.Random(SEED)
    broken = run(isolated(own_broker, partitions=1), records, rate=25.0, chaos=killer(5, rng))
    report(
        "kill-9 x5, 1 worker",
        articles=N,
        crashes=5,
        alerts=len(broken.topic_alerts),
        events=len(broken.events),
        seed=SEED,
    )
    assert_same(clean_one_partition, broken)


def holder(stack: Stack) -> list[int]:
    """The worker that holds the partitions now (by the last group join each worker logged)."""
    held = []
    for i, w in enumerate(stack.workers):
        if w.poll() is not None:
            continue
        joins = [
            ln
            for ln in (stack.logdir / f"worker-{i}.log").read_text(errors="replace").splitlines()
            if "consumer group joined" in ln
        ]
        topics = joins[-1].split(" of ", 1)[-1].strip().split(", ") if joins else []
        if any(t.endswith("articles") for t in topics):
            held.append(i)
    return held


def test_one_of_two_workers_killed(
    own_broker: Settings, records: list[dict[str, Any]], clean_one_partition: Outcome
) -> None:
    """Two workers, one partition per topic: kill the one holding them; the other takes over.

    One partition keeps the arrival order of a clean run, so the outcome must be identical."""
    rng = random.Random(SEED + 1)
    broken = run(
        isolated(own_broker, partitions=1),
        records,
        workers=2,
        rate=25.0,
        chaos=killer(1, rng, victims=holder, restart=False),
    )
    report(
        "2 workers, the active one killed",
        articles=N,
        crashes=1,
        alerts=len(broken.topic_alerts),
        events=len(broken.events),
    )
    assert_same(clean_one_partition, broken)


def test_redis_restart_mid_stream(
    servers: Settings, records: list[dict[str, Any]], clean_one_partition: Outcome
) -> None:
    with Embedded(broker=False, redis=True, redis_aof=True) as redis:
        settings = isolated(servers, partitions=1).with_servers(servers.kafka_bootstrap or "", redis.redis_url)

        def chaos(stack: Stack) -> None:
            time.sleep(6.0)
            redis.restart_redis(down_seconds=3.0)

        broken = run(settings, records, rate=25.0, chaos=chaos)
    report("redis restart", articles=N, restarts=1, alerts=len(broken.topic_alerts))
    assert_same(clean_one_partition, broken)


# The memory broker lost and back: the worker now stops on the lost log (tests/faults/test_durability.py).


def test_broker_restarts_with_its_log(
    servers: Settings, broker: Broker, records: list[dict[str, Any]], clean_one_partition: Outcome
) -> None:
    """Apache Kafka killed (SIGKILL) mid-stream and started again on its log: the same state as a clean
    run, every alert on the topic exactly once, the worker never stops."""
    if broker.brand != "kafka":
        pytest.skip("needs a broker that keeps its log across a restart (Apache Kafka, started by the tests)")
    with KafkaBroker() as kafka:
        settings = isolated(servers, partitions=1).with_servers(kafka.bootstrap, servers.redis_url or "")
        downs: list[float] = []

        def chaos(stack: Stack) -> None:
            time.sleep(6.0)
            t = time.monotonic()
            kafka.restart(down_seconds=3.0, kill=True)
            downs.append(time.monotonic() - t)
            assert all(w.poll() is None for w in stack.workers), log_tails(stack)

        broken = run(settings, records, rate=25.0, chaos=chaos)
    report(
        "kafka killed and back with its log",
        articles=N,
        broker_restarts=1,
        down_s=f"{downs[0]:.1f}",
        alerts=len(broken.topic_alerts),
    )
    assert_same(clean_one_partition, broken)

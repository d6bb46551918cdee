"""End to end on a fresh :class:`~streams.runner.Stack`: warm-up, throughput, then latency at half load.

The stack runs on the embedded broker and Redis unless ``KAFKA_BOOTSTRAP`` / ``REDIS_URL`` are set
(or a broker is given), with an app id, topic and Redis prefixes of its own either way.
"""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from bench import corpus
from bench.cpu import tree_cpu
from bench.probe import Probe

log = logging.getLogger("bench")
BROKER_WARM_ARTICLES = 300
"""Articles of the unmeasured run that warms a JVM broker up (:func:`end_to_end`)."""


def _isolated_settings(run: str, bootstrap: str | None = None) -> Any:
    """Settings from the environment (on ``bootstrap`` when given), with an app id and prefixes of their own."""
    from streams.settings import Settings

    base = Settings()
    if bootstrap:
        base = base.model_copy(update={"kafka_bootstrap": bootstrap})
    return base.model_copy(
        update={
            "app_id": f"bench-{run}",
            "topic_prefix": f"{base.topic_prefix}bench-{run}." if base.kafka_bootstrap else base.topic_prefix,
            "redis_prefix": f"bench:{run}:",
        }
    )


def _producer(settings: Any) -> Any:
    from kafka import KafkaProducer

    from streams.kafka_io import client_config

    return KafkaProducer(
        **client_config(settings), acks="all", linger_ms=0, retries=5, max_request_size=4 * 1024 * 1024
    )


def _value(art: dict[str, Any]) -> bytes:
    return json.dumps(art, ensure_ascii=False).encode()


def wait_handled(probe: Probe, target: int, timeout: float, stack: Any, poll: float = 0.02) -> float:
    """Wait until ``target`` messages are handled; the monotonic time it was seen."""
    deadline = time.monotonic() + timeout
    while True:
        now = time.monotonic()
        if probe.handled() >= target:
            return now
        if now > deadline:
            raise TimeoutError(
                f"only {probe.handled()} of {target} messages handled after {timeout:.0f}s (logs in {stack.logdir})"
            )
        if all(w.poll() is not None for w in stack.workers):
            raise RuntimeError(f"every worker exited; see the logs in {stack.logdir}")
        time.sleep(poll)


def warm_up(stack: Any, probe: Probe, base: list[dict[str, Any]], run: str) -> None:
    """One article per partition, processed: every worker has joined, loaded spaCy and parsed once."""
    s = stack.settings
    prod = _producer(s)
    arts = corpus.build(s.partitions, f"{run}-warm", base)
    before = probe.handled()
    try:
        for p, art in enumerate(arts):
            prod.send(s.topics.articles, key=art["id"].encode(), value=_value(art), partition=p)
        prod.flush()
    finally:
        prod.close()
    wait_handled(probe, before + len(arts), 300, stack)


def throughput(stack: Any, probe: Probe, arts: list[dict[str, Any]], timeout: float) -> tuple[float, dict[str, float]]:
    """Publish every article at once; articles per second until the last one is merged.

    Also the CPU ms per article of what the stack runs, by role (worker, nlp, broker, redis).
    """
    from streams.kafka_io import publish

    before = probe.handled()
    t0, c0 = time.monotonic(), tree_cpu()
    publish(stack.settings, arts)
    t1 = wait_handled(probe, before + len(arts), timeout, stack)
    c1 = tree_cpu()
    cpu = {k: (v - c0.get(k, 0.0)) * 1000 / len(arts) for k, v in c1.items()}
    ids = [a["id"] for a in arts]
    placed = probe.assigned(ids)
    if placed != len(ids):
        raise RuntimeError(f"{len(ids) - placed} of {len(ids)} articles were handled but never assigned")
    return len(arts) / (t1 - t0), cpu


def latency(stack: Any, probe: Probe, arts: list[dict[str, Any]], rate: float, timeout: float) -> list[float]:
    """Publish at ``rate`` articles/s; milliseconds from each publish to its merge into the event state."""
    prod = _producer(stack.settings)
    topic = stack.settings.topics.articles
    sent: dict[str, float] = {}
    done: dict[str, float] = {}
    start = time.monotonic()
    i = 0
    try:
        while len(done) < len(arts):
            now = time.monotonic()
            if i < len(arts) and now >= start + i / rate:
                art = arts[i]
                sent[art["id"]] = time.monotonic()
                prod.send(topic, key=art["id"].encode(), value=_value(art))
                i += 1
                continue
            pending = [a for a in sent if a not in done]
            seen = time.monotonic()
            for a in probe.merged(pending):
                done[a] = seen
            if now - start > timeout:
                raise TimeoutError(f"latency run: {len(done)} of {len(arts)} merged after {timeout:.0f}s")
            time.sleep(0.002)
    finally:
        prod.close()
    return [(done[a] - sent[a]) * 1000 for a in sent]


def pct(xs: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``xs``."""
    s = sorted(xs)
    return s[min(len(s) - 1, max(0, round(q * len(s) + 0.5) - 1))]


def e2e(
    arts: list[dict[str, Any]],
    base: list[dict[str, Any]],
    workers: int,
    run: str,
    lat_arts: list[dict[str, Any]] | None = None,
    bootstrap: str | None = None,
) -> dict[str, Any]:
    """End to end on a fresh stack with ``workers`` workers (and the latency run when asked)."""
    from streams.runner import Stack

    settings = _isolated_settings(f"{run}-{workers}w", bootstrap)
    out: dict[str, Any] = {}
    with Stack(settings, workers=workers) as stack:
        probe = Probe(stack.settings)
        try:
            t = time.monotonic()
            warm_up(stack, probe, base, f"{run}-{workers}w")
            log.info("%d worker(s) ready after %.1fs; publishing %d articles", workers, time.monotonic() - t, len(arts))
            aps, out["cpu_ms"] = throughput(stack, probe, arts, timeout=max(300.0, len(arts)))
            out["aps"] = aps
            log.info("%d worker(s): %.2f articles/s", workers, aps)
            if lat_arts:
                rate = aps / 2
                log.info("latency: %d articles at %.2f/s", len(lat_arts), rate)
                ms = latency(stack, probe, lat_arts, rate, timeout=max(300.0, 4 * len(lat_arts) / rate))
                out.update(
                    latency_rate=rate,
                    p50_ms=pct(ms, 0.50),
                    p95_ms=pct(ms, 0.95),
                    p99_ms=pct(ms, 0.99),
                    max_ms=max(ms),
                    latency_articles=len(ms),
                )
        finally:
            probe.close()
    return out


def end_to_end(
    ceil: dict[str, Any],
    arts: list[dict[str, Any]],
    base: list[dict[str, Any]],
    run_id: str,
    lat: list[dict[str, Any]] | None,
    plain: bool,
    bootstrap: str | None,
) -> dict[str, Any]:
    """The end-to-end figures on one broker (1 worker with the latency run, then 2), as ratios to ``ceil``.

    On a broker started for the run (Apache Kafka: a JVM), an unmeasured 1-worker run of
    :data:`BROKER_WARM_ARTICLES` articles goes first, so that the figures are those of a broker whose
    hot paths are compiled, as a broker in service has them, not of its JIT compiler's first minute."""
    res: dict[str, Any] = {}
    if bootstrap is not None:
        log.info("warming the broker up: %d articles, 1 worker, not measured", min(len(arts), BROKER_WARM_ARTICLES))
        e2e(arts[:BROKER_WARM_ARTICLES], base, 1, f"{run_id}-jit", None, bootstrap)
    one = e2e(arts, base, 1, run_id, lat, bootstrap)
    res["e2e_aps_1w"], res["e2e_cpu_ms_1w"] = one["aps"], sum(one["cpu_ms"].values())
    res["e2e_cpu_ms_by_role_1w"] = one["cpu_ms"]
    for k in ("latency_rate", "p50_ms", "p95_ms", "p99_ms", "max_ms", "latency_articles"):
        if k in one:
            res[k] = one[k]
    two = e2e(arts, base, 2, run_id, None, bootstrap)
    res["e2e_aps_2w"], res["e2e_cpu_ms_2w"] = two["aps"], sum(two["cpu_ms"].values())
    res["e2e_cpu_ms_by_role_2w"] = two["cpu_ms"]
    res["cpu_ratio_1w"] = ceil["ceiling_cpu_ms"] / res["e2e_cpu_ms_1w"]
    res["cpu_ratio_2w"] = ceil["ceiling_cpu_ms"] / res["e2e_cpu_ms_2w"]
    res["ratio_1w"] = res["e2e_aps_1w"] / ceil["ceiling_aps"]
    if "extract_ceiling_aps" in ceil:  # the pipeline's own cost: Kafka, faust, Redis, matching
        res["ratio_extract_1w"] = res["e2e_aps_1w"] / ceil["extract_ceiling_aps"]
    res["ratio_2w"] = res["e2e_aps_2w"] / ceil["ceiling_aps_2p"]
    res["scaling_2w"] = res["e2e_aps_2w"] / res["e2e_aps_1w"]
    res["ceiling_scaling_2p"] = ceil["ceiling_aps_2p"] / ceil["ceiling_aps"]
    if plain:
        res["ratio_plain_1w"] = res["e2e_aps_1w"] / ceil["plain_ceiling_aps"]
        res["ratio_plain_2w"] = res["e2e_aps_2w"] / ceil["plain_ceiling_aps_2p"]
    if "p50_ms" in res:
        res["p50_x_one"] = res["p50_ms"] / ceil["nlp_one_article_ms"]
        res["p99_x_one"] = res["p99_ms"] / ceil["nlp_one_article_ms"]
    return res

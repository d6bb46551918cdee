"""The ceiling: the product's NLP stage alone (no claims, no Kafka or Redis), in 1 or more processes.

``agents.core.extract.parse`` (the two-stage parse) with the product's pipeline, or the plain model's
``nlp.pipe`` (every default component, no contraflow component); one model per process, timed from
a common start after loading.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
import time
from typing import Any


def _load(plain: bool) -> Any:
    if plain:
        import spacy

        from agents.core.nlp import MODEL

        return spacy.load(MODEL)
    from agents.core.nlp import build_nlp

    return build_nlp()


def _ceiling_child(
    texts: list[Any], plain: bool, batch_size: int, barrier: Any, out: Any, one: list[Any] | None, whole: bool = False
) -> None:
    nlp = _load(plain)
    if plain:
        stage = nlp.pipe
    elif whole:  # what the NLP process of a worker does: parse, claims, features, origin, the message's JSON
        from datetime import UTC, datetime

        from agents.core.extract import analyse
        from schemas import Article

        def stage(xs: list[Any], batch_size: int) -> Any:
            items = [(Article.model_validate(x), datetime.now(UTC)) for x in xs]
            return (x.model_dump_json() for x in analyse(nlp, items, batch_size=batch_size))

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
    texts: list[Any], procs: int, plain: bool, batch_size: int, one: list[Any] | None = None, whole: bool = False
) -> tuple[float, float | None, float]:
    """Articles per second of bare ``nlp.pipe`` over ``texts`` in ``procs`` processes.

    Also the one-article time (ms) when ``one`` is given, and the CPU ms per article. ``whole``: ``texts``
    are articles (dicts) and the stage is the whole extraction step, as a worker's NLP process runs it.
    """
    ctx = mp.get_context("spawn")
    barrier, out = ctx.Barrier(procs), ctx.Queue()
    shares = [texts[i::procs] for i in range(procs)]
    children = [
        ctx.Process(
            target=_ceiling_child, args=(shares[i], plain, batch_size, barrier, out, one if i == 0 else None, whole)
        )
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

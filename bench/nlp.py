"""The NLP stage alone, in this process: plain model vs the product's parse (and claims + features).

    .venv/bin/python -m bench.nlp [--rounds 3] [--batch 16] [--dev PATH]

Corpus: the distinct articles of :mod:`bench.corpus` (dev set + seeds), normalised as the worker
does. Articles per second, best of ``--rounds``, wall and CPU (``process_time``) time:

- ``plain``: ``spacy.load(MODEL).pipe`` with every default component (the plain ceiling);
- ``parse``: :func:`agents.core.extract.parse` with the product pipeline (the product ceiling);
- ``parse+claims+features``: what the worker's extract step runs per article
  (:func:`agents.core.extract.analyse`).

Ratios are to ``plain``. The rounds interleave the three measurements so that other load on the
machine disturbs them alike.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import corpus


def _timed(fn: Callable[[], object]) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - t0, time.process_time() - c0


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m bench.nlp", description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--dev", type=Path, default=corpus.DEV_ARTICLES, help="dev-set articles (.jsonl)")
    args = ap.parse_args(argv)

    import spacy

    from agents.core.extract import analyse, parse
    from agents.core.nlp import MODEL, build_nlp
    from agents.core.text import article_text
    from schemas import Article

    base = corpus.base_articles(args.dev)
    texts = [article_text(a.get("title"), a["body"]) for a in base]
    when = datetime(2000, 1, 1, tzinfo=UTC)
    items = [(Article.model_validate(a), when) for a in base]
    plain, product = spacy.load(MODEL), build_nlp()
    runs: dict[str, Callable[[], object]] = {
        "plain": lambda: list(plain.pipe(texts, batch_size=args.batch)),
        "parse": lambda: list(parse(product, texts, batch_size=args.batch)),
        "parse+claims+features": lambda: analyse(product, items, batch_size=args.batch),
    }
    for fn in runs.values():  # warm up
        fn()
    best: dict[str, tuple[float, float]] = {k: (float("inf"), float("inf")) for k in runs}
    for _ in range(args.rounds):
        for name, fn in runs.items():
            wall, cpu = _timed(fn)
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    n = len(texts)
    print(
        f"{n} articles, {sum(len(t.split()) for t in texts) / n:.0f} words each, batch {args.batch}, "
        f"best of {args.rounds}"
    )
    pw, pc = best["plain"]
    for name, (wall, cpu) in best.items():
        print(f"{name:<24} {n / wall:7.2f} art/s  x{pw / wall:.2f}   (CPU {n / cpu:7.2f} art/s  x{pc / cpu:.2f})")


if __name__ == "__main__":
    main()

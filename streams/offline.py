"""Run the pure core in-process over article files, with an in-memory store (no servers).

    python -m streams.offline PATH... [--gold-events] [--batch N] > out.json

Prints ``{"events": [...]}`` as ``contraflow run --json`` does, for tuning extraction and
matching against ``score.py``. ``--gold-events`` groups articles by their ``event`` answer key
(evaluation files only) to measure claims independently of event matching.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import ValidationError

from agents import pipeline
from agents.core.nlp import get_nlp
from schemas import Article, Assignment
from streams.files import read_articles
from streams.store.memory import MemoryStore

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


async def run(paths: list[Path], gold_events: bool = False, batch: int = 16) -> dict[str, object]:
    """Process the articles in file order; return the final state of every event."""
    store = MemoryStore()
    nlp = get_nlp()
    raw = [r for r in read_articles(paths) if isinstance(r, dict)]
    items: list[tuple[Article, datetime]] = []
    gold: dict[str, str] = {}
    for i, r in enumerate(raw):
        try:
            art = Article.model_validate(r)
        except ValidationError as exc:
            print(f"skipped invalid article #{i}: {exc.errors()[0]['msg']}", file=sys.stderr)
            continue
        items.append((art, EPOCH + timedelta(seconds=i)))
        if "event" in r:
            gold[art.id] = str(r["event"])
    for start in range(0, len(items), batch):
        for x in pipeline.extract(nlp, items[start : start + batch]):
            if gold_events:
                a = Assignment(event_id="gold-" + gold.get(x.article.id, x.article.id), extracted=x)
            else:
                a = await pipeline.resolve(store, x)
            await pipeline.project(store, a)
    events = await store.list_events()
    return {"events": [e.model_dump(mode="json") for e in events]}


def main(argv: list[str] | None = None) -> None:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(prog="python -m streams.offline", description=__doc__.split("\n\n")[0])
    ap.add_argument("paths", nargs="+", type=Path)
    ap.add_argument("--gold-events", action="store_true", help="group by the files' `event` answer key")
    ap.add_argument("--batch", type=int, default=16)
    args = ap.parse_args(argv)
    out = asyncio.run(run(args.paths, args.gold_events, args.batch))
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()

"""The benchmark corpus: the dev set and the seeds, read at run time, repeated to N articles.

The article texts are never copied into the repository: the dev set is read from
``../shared/eval/dev/articles.jsonl`` relative to the repository root (``--dev`` to point elsewhere).
Copy ``k`` of an article gets the id ``bench-<run>-<k>-<id>``, a source varied by copy
(``"<source> #k"``) and a distinct URL; the ``event`` answer key and every field that is not an
article field are dropped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV_ARTICLES = ROOT.parent / "shared" / "eval" / "dev" / "articles.jsonl"
SEED_ARTICLES = ROOT / "seeds" / "articles.jsonl"
FIELDS = ("id", "source", "url", "title", "published_at", "body")


class CorpusMissing(FileNotFoundError):
    """A corpus file is not where the benchmark expects it."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The JSON objects of a ``.jsonl`` file (a clear error when it is absent)."""
    if not path.is_file():
        raise CorpusMissing(
            f"benchmark corpus file not found: {path}\n"
            "The benchmark reads the dev set from ../shared/eval/dev/articles.jsonl (relative to the "
            "repository root) and the seeds from seeds/articles.jsonl; pass --dev PATH to use another file."
        )
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def base_articles(dev: Path = DEV_ARTICLES, seeds: Path = SEED_ARTICLES) -> list[dict[str, Any]]:
    """The distinct source articles: dev set then seeds, article fields only."""
    out = []
    for rec in [*read_jsonl(dev), *read_jsonl(seeds)]:
        out.append({k: rec[k] for k in FIELDS if rec.get(k) is not None})
    return out


def build(n: int, run: str, base: list[dict[str, Any]], first_copy: int = 0) -> list[dict[str, Any]]:
    """``n`` articles: the base articles repeated, each copy with a new id, source and URL."""
    out = []
    for i in range(n):
        k, rec = first_copy + i // len(base), base[i % len(base)]
        art = dict(rec)
        art["id"] = f"bench-{run}-{k}-{rec['id']}"
        if k:
            art["source"] = f"{rec['source']} #{k}"
            if rec.get("url"):
                sep = "&" if "?" in rec["url"] else "?"
                art["url"] = f"{rec['url']}{sep}copy={k}"
        out.append(art)
    return out

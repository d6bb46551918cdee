"""Real articles for load and fault tests: the dev set and the seeds, repeated with new ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import SEEDS, SHARED

FIELDS = ("id", "source", "url", "title", "published_at", "body")


def base_articles() -> list[dict[str, Any]]:
    """The seeds and, when the shared folder is there, the dev set (without the answer key)."""
    rows = [json.loads(line) for line in SEEDS.read_text().splitlines() if line.strip()]
    dev = SHARED / "eval" / "dev" / "articles.jsonl"
    if dev.exists():
        rows += [json.loads(line) for line in dev.read_text().splitlines() if line.strip()]
    return [{k: r.get(k) for k in FIELDS} for r in rows]


def corpus(n: int, tag: str = "r") -> list[dict[str, Any]]:
    """``n`` articles: the base articles repeated, each copy with a new id and URL."""
    base = base_articles()
    out = []
    for i in range(n):
        a = dict(base[i % len(base)])
        copy = i // len(base)
        if copy:
            a["id"] = f"{a['id']}-{tag}{copy}"
            if a.get("url"):
                a["url"] = f"{a['url']}#{tag}{copy}"
        out.append(a)
    return out


def shared_available() -> bool:
    """Whether the dev set is there (CI has it beside the repository)."""
    return Path(SHARED / "eval" / "dev" / "articles.jsonl").exists()

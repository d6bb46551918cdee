"""Reading articles from files: ``.jsonl`` (one per line), ``.json`` (one or a list), ``.txt``, folders."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SUFFIXES = (".jsonl", ".json", ".txt")


def expand(paths: list[Path]) -> list[Path]:
    """Files named, and the article files inside folders named (sorted by name)."""
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix in SUFFIXES))
        else:
            out.append(p)
    return out


def txt_article(path: Path, text: str, source: str | None) -> dict[str, Any]:
    """An article from a plain-text file: id from the file name, title from the first line."""
    first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    title = first if len(first.split()) >= 4 and len(first) < 300 else None
    return {"id": path.stem, "source": source or "unknown", "title": title, "body": text}


def read_articles(paths: list[Path], source: str | None = None) -> Iterator[dict[str, Any] | str]:
    """Yield each article as a dict (not yet validated), or the raw line when it is not JSON.

    Raw lines are published as they are: the worker sends them to the dead-letter topic.
    """
    for path in expand(paths):
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".txt":
            yield txt_article(path, text, source)
        elif path.suffix == ".jsonl":
            for line in text.splitlines():
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError:
                        yield line
        else:
            try:
                data = json.loads(text)
            except json.JSONDecodeError:
                yield text
                continue
            yield from (data if isinstance(data, list) else [data])

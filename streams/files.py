"""Reading articles from files: ``.jsonl`` (one per line), ``.json`` (one or a list), ``.txt``, folders."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agents.core.text import strip_boilerplate
from schemas.article import source_unknown, unknown_source
from schemas.ids import digest

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


_SOURCE_LINE = re.compile(
    r"\b(?:from|by) the (?:source|outlet|publisher) ['\"\u2018\u201c]"
    r"(?P<s>[^'\"\u2019\u201d]{2,60})|^(?:source|publisher|outlet)\s*:\s*(?P<s2>[^\n]{2,60})$",
    re.I | re.M,
)
_URL = re.compile(r"https?://(?:www\.)?(?P<host>[a-z0-9.-]+\.[a-z]{2,})", re.I)
_PROVENANCE = re.compile(
    r"\b(?:first published|was published|originally published|seen on|retrieved|"
    r"this article is from)\b",
    re.I,
)


_NOT_OUTLETS = frozenset(
    [
        "t.co",
        "bit.ly",
        "goo.gl",
        "ow.ly",
        "tinyurl.com",
        "buff.ly",
        "dlvr.it",
        "twitter.com",
        "pic.twitter.com",
        "x.com",
        "facebook.com",
        "instagram.com",
        "youtube.com",
        "youtu.be",
    ]
)
"""Hosts of link shorteners and embedded social posts: a scraped page links them, but they are not its outlet
(an embedded tweet made an article's source ``t.co``)."""


def txt_source(text: str) -> str | None:
    """The outlet a scraped text names: a provenance line ("from the source 'guardian'"), else the host of its
    first link that is not a shortener or a social post."""
    m = _SOURCE_LINE.search(text)
    if m:
        return (m.group("s") or m.group("s2")).strip()
    hosts = (u.group("host").lower() for u in _URL.finditer(text))
    return next((h for h in hosts if h not in _NOT_OUTLETS), None)


def txt_title(text: str) -> str | None:
    """The headline of a scraped text: its first line of four words or more that is no boilerplate or
    provenance line ("This article is from the source ... and was first published on ...")."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for ln in strip_boilerplate(lines)[:5]:
        if _PROVENANCE.search(ln) or _URL.search(ln):
            continue
        if len(ln.split()) >= 4 and len(ln) < 300:
            return ln
        break
    return None


def txt_article(path: Path, text: str, source: str | None) -> dict[str, Any]:
    """An article from a plain-text file. Its id is the file name with a digest of the file's full path, so
    that two files of one name in two folders are two articles (and the same file published again is a
    new version of one); the title is the headline line; the source is ``source``, else the outlet the text
    names, else its first link's host, else ``unknown (FILE NAME)``: listed under that name, never counted as
    an independent origin (``schemas.article.source_unknown``)."""
    ident = f"{path.stem}-{digest(str(path.resolve()))[:10]}"
    found = source or txt_source(text) or unknown_source(path.name)
    return {"id": ident, "source": found, "title": txt_title(text), "body": text}


def unnamed(records: list[dict[str, Any] | str]) -> list[str]:
    """The sources of the articles among ``records`` that name no outlet ("unknown (story.txt)")."""
    return [s for r in records if isinstance(r, dict) and isinstance(s := r.get("source"), str) and source_unknown(s)]


def unnamed_warning(records: list[dict[str, Any] | str], option: bool) -> str | None:
    """What to tell the user when some articles name no outlet (``option``: the command has ``--source``)."""
    names = unnamed(records)
    if not names:
        return None
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    fix = "--source NAME, or " if option else ""
    return (
        f"warning: {len(names)} article(s) name no outlet: {shown}. They are listed so, and never count as an "
        f"independent origin; to name the outlet: {fix}a line `Source: NAME` in a .txt file"
    )


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

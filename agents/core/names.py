"""Names to show for entity keys: matching keys entities by alias-resolved skeletons ("pndr"),
an event's state shows them as written in its articles ("George Papandreou")."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from agents.core.features import alias_key, clean_key

_SPAN = re.compile(r"[A-Z][\w'\u2019.&-]*(?:\s+(?:(?:of|the|al|bin|de|la|van|von)\s+)?[A-Z][\w'\u2019.&-]*)*")
MAX_SPANS = 400
"""Capitalised spans read per text at most (bounded work on long articles)."""
MAX_WORDS = 5
"""Longest part of a span tried as a name."""


@functools.lru_cache(maxsize=1 << 16)
def key_of(name: str) -> str:
    """The matching key of a name as written (as an entity's key is made)."""
    return alias_key(clean_key(name))


@functools.lru_cache(maxsize=1 << 16)
def _last_key(name: str) -> str | None:
    parts = clean_key(name).split()
    return alias_key(parts[-1]) if len(parts) == 2 and len(parts[-1]) > 2 else None


def _sentences(span: str) -> list[list[str]]:
    """The words of a span, cut after a word that ends a sentence ("Mattis." but not "U.S.")."""
    out: list[list[str]] = [[]]
    for w in span.split():
        core = w.rstrip(".")
        if core:
            out[-1].append(core if "." not in core else w)
        if w.endswith(".") and "." not in core and len(core) > 2:
            out.append([])
    return [ws for ws in out if ws]


def show(keys: Iterable[str], text: str, known: Iterable[str] = ()) -> list[str]:
    """The names to show for entity keys: a name shown before (``known``), else the best form in
    ``text`` (a person's first and last name, "George Papandreou" for the key of "Papandreou";
    else the fewest capitalised words with that key, first found), else the key itself."""
    keys = list(keys)
    names: dict[str, str] = {}
    for n in known:
        for k in (key_of(n), _last_key(n)):
            if k:
                names.setdefault(k, n)
    wanted = {k for k in keys if k not in names}
    best: dict[str, tuple[int, int, int, str]] = {}
    if wanted and text:
        for i, m in enumerate(_SPAN.finditer(text)):
            if i >= MAX_SPANS:
                break
            for words in _sentences(m.group(0)):
                for size in range(1, min(len(words), MAX_WORDS) + 1):
                    for start in range(len(words) - size + 1):
                        part = " ".join(words[start : start + size])
                        for prio, k in ((0, _last_key(part)), (1, key_of(part))):
                            if k in wanted and (k not in best or (prio, i, size) < best[k][:3]):
                                best[k] = (prio, i, size, part)
    names |= {k: v[3] for k, v in best.items()}
    return [names.get(k, k) for k in keys]

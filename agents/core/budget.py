"""Per-article budgets: what one article may cost, so that no article stalls the ones queued behind it.

Two kinds of limit (defaults in :class:`Budget`, settings in ``streams/settings.py``, figures in
``docs/limits.md``):

- **Hard**: an article whose body holds more than ``max_tokens`` tokens (words and punctuation marks,
  counted before parsing, markup removed) is not parsed at all: :func:`check` raises
  :class:`OverBudget` and the worker dead-letters it with the reason.
- **Soft**: what is parsed of an accepted article is bounded. :func:`bounded` blanks (same length, so
  that offsets and quotes still refer to the article text) every word longer than ``max_word_chars``
  characters and everything past the first ``max_parse_chars`` characters; the sentence filter
  (:mod:`agents.core.select`) leaves out sentences longer than ``max_sentence_chars``. Claims are then
  read from the rest; the article is processed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from agents.core.text import html_to_text, looks_like_html
from schemas import Article

_TOKEN = re.compile(r"\w+|[^\w\s]")
_LONG_WORD = r"(?<!\S)\S{%d,}"  # whole runs of non-space only, so each run is read once


@dataclass(frozen=True)
class Budget:
    """What one article may cost (see the module docstring)."""

    max_tokens: int = 60_000
    """Hard: more tokens in the body and the article is dead-lettered unparsed."""
    max_word_chars: int = 100
    """Soft: longer words (runs of non-space) are blanked before parsing."""
    max_sentence_chars: int = 3_000
    """Soft: longer sentences are not parsed (their claims are not read)."""
    max_parse_chars: int = 50_000
    """Soft: characters of the article text parsed at most (the title and the start of the body)."""


DEFAULT = Budget()


class OverBudget(ValueError):
    """An article over its hard budget; ``str(exc)`` is the reason for the dead-letter topic."""


def count_tokens(text: str) -> int:
    """Words and punctuation marks in ``text`` (about what the tokenizer makes of it; linear time)."""
    return len(_TOKEN.findall(text))


def check(article: Article, budget: Budget) -> None:
    """Raise :class:`OverBudget` when the article is over its hard budget (cheap: before any parsing)."""
    body = html_to_text(article.body) if looks_like_html(article.body) else article.body
    n = count_tokens(body) + (count_tokens(article.title) if article.title else 0)
    if n > budget.max_tokens:
        raise OverBudget(f"over budget: {n} tokens (limit {budget.max_tokens})")


def bounded(text: str, budget: Budget) -> str:
    """``text`` with what is not parsed blanked (same length): words longer than ``max_word_chars`` and
    everything past ``max_parse_chars``; ``text`` itself when nothing is over."""
    if len(text) > budget.max_parse_chars:
        cut = budget.max_parse_chars
        text = text[:cut] + " " * (len(text) - cut - 1) + "\n"
    if len(text) > budget.max_word_chars:
        text = re.sub(_LONG_WORD % (budget.max_word_chars + 1), lambda m: " " * len(m.group(0)), text)
    return text

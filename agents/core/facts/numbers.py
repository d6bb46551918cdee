"""Numbers and count intervals: "thirty-one", "1,600", "at least 32" = [32, inf)."""

from __future__ import annotations

import re

from agents.core.lexicon import MULTIPLIERS, QUALIFIERS, VAGUE, VAGUE_RANGES, WORDS
from schemas import CountValue


def parse_number(text: str) -> float | None:
    """A number from digits ("1,600", "6.1") or words ("thirty-one", "two hundred")."""
    t = text.lower().replace(",", "").strip()
    try:
        return float(t)
    except ValueError:
        pass
    total, cur = 0.0, 0.0
    for w in re.split(r"[\s-]+", t):
        if w in ("and", "a"):
            continue
        if w in MULTIPLIERS and w != "hundred":
            total += max(cur, 1) * MULTIPLIERS[w]
            cur = 0
        elif w == "hundred":
            cur = max(cur, 1) * 100
        elif w in WORDS:
            cur += WORDS[w]
        else:
            try:
                cur += float(w)
            except ValueError:
                return None
    return total + cur


def count_value(span_text: str, label: str, extra: int = 0) -> tuple[CountValue, str] | None:
    """The interval and reader's label of a quantity span (``label`` from the quantity matcher)."""
    low = span_text.lower().strip()
    if label == "none":
        return CountValue(low=0, high=0), "none"
    qual = ""
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if low.startswith(q + " "):
            qual, low = q, low[len(q) + 1 :]
            break
    words = low.split()
    if low in VAGUE_RANGES or (words and words[-1] in VAGUE):
        lo, hi = VAGUE_RANGES.get(low, VAGUE_RANGES.get(words[-1], (2, None)))
        return CountValue(
            low=lo + extra, high=None if hi is None else hi + extra, approx=True
        ), f"{qual + ' ' if qual else ''}{low}"
    n = parse_number(low)
    if n is None:
        return None
    n += extra
    shown = f"{n:g}"
    if label == "ge":
        v = CountValue(low=n)
        return v, f"at least {shown}"
    if label == "gt":
        return CountValue(low=n + (1 if n == int(n) else 0.01)), f"more than {shown}"
    if label == "lt_approx":
        return CountValue(low=round(n * 0.85), high=n, approx=True), f"nearly {shown}"
    if label == "le":
        return CountValue(low=0, high=n), f"up to {shown}"
    if label == "lt":
        return CountValue(low=0, high=n - 1), f"fewer than {shown}"
    if label == "approx":
        d = max(1.0, round(n * 0.05))
        return CountValue(low=n - d, high=n + d, approx=True), f"about {shown}"
    return CountValue(low=n, high=n), shown


NUMBER = (
    r"(?:\d[\d,]*(?:\.\d+)?|(?:" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")(?:-(?:one|two|three|four|"
    r"five|six|seven|eight|nine))?)"
)
"""A number in digits or words ("1.2", "1,600", "twenty-six"), as a regular expression."""


def rounding(text: str) -> float:
    """Half the step of a figure's last stated digit ("1.2" -> 0.05, "12" -> 0.5, "twelve" -> 0.5)."""
    t = text.replace(",", "")
    if "." in t and t.replace(".", "").isdigit():
        return 0.5 * 10 ** -len(t.split(".")[1])
    return 0.5


def measure_value(
    n_text: str, qualifier: str = "", n2_text: str | None = None, factor: float = 1.0, share: float = 0.9
) -> CountValue | None:
    """A measured figure as an interval in canonical units, widened by its rounding and its qualifier.

    "1.2 miles" = 1.2 ± 0.045 miles; "about 20 miles" = 20 ± 10 %; "more than 85" = (85, inf); "24 to 30" = [24, 30].
    ``share`` (below 1) keeps figures that round to neighbouring values ("2.5", "2.6") apart.
    """
    n = parse_number(n_text)
    if n is None:
        return None
    d = rounding(n_text) * share
    q = qualifier.lower().strip()
    if n2_text is not None:
        n2 = parse_number(n2_text)
        if n2 is None or n2 < n:
            return None
        return CountValue(low=(n - d) * factor, high=(n2 + d) * factor, approx=True)
    label = QUALIFIERS.get(q, "eq") if q not in ("only", "just") else "eq"
    if label in ("approx",):
        d = max(d, 0.1 * n)
        return CountValue(low=(n - d) * factor, high=(n + d) * factor, approx=True)
    if label == "lt_approx":
        return CountValue(low=n * 0.85 * factor, high=(n + d) * factor, approx=True)
    if label in ("ge", "gt"):
        return CountValue(low=(n - d) * factor)
    if label in ("le", "lt"):
        return CountValue(low=0, high=(n + d) * factor)
    return CountValue(low=(n - d) * factor, high=(n + d) * factor)

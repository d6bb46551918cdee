"""The particulars that tell two alike incidents apart: the clock time it happened, the sums at stake.

Two jewel heists in one city, two quakes at one volcano field: place, actors and kind agree, and the
shared words make the content score. What differs is stated in their claims: one struck at 2:09 a.m.,
the other at 9:27 a.m.; one took $108 million, the other $2.6 million. :func:`of_claims` keeps those
main-scope figures of an article (or, summed up, of an event); :func:`compare` says whether two sides'
particulars ``agree``, lie ``apart`` or say nothing (``unknown``).

The margins are far wider than a contradiction's: two outlets that give 9:27 and 9:30, or $2.6 million
and two million euros, report one incident and disagree (or round); hours apart, or a sum ten times
another, is another incident. Counts of people are left out: a toll of 2 that becomes 32 is one
incident reported as it grows.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from agents.core.lexicon import CURRENCIES
from schemas import Claim, CountValue, TimeValue

Particulars = dict[str, list[float]]
"""Key ("clock local time", "sum stolen") -> the values stated (minutes of the day, log10 of a sum)."""

CLOCK_APART = 180.0
"""Minutes between two clock times of one zone past which they are two incidents."""
CLOCK_SAME = 45.0
"""Minutes within which two clock times agree."""
SUM_APART = 1.0
"""log10 distance of two sums (any currencies) past which they are two incidents: ten times."""
SUM_SAME = 0.35
"""log10 distance within which two sums agree (about 2.2 times: currencies and rounding)."""
MAX_VALUES = 6
"""Values kept per key."""
MAX_KEYS = 8
"""Keys kept per side."""

_CODES = frozenset(CURRENCIES.values())

SCORE_KEY = "score"
"""The result of a game ("a 31-24 win", "beat Drake 65-53"): two games of one team are told apart by it."""
SCORE_CHARS = 1200
"""Only the head of a text is read for a game's result (later ones are other games, records, history)."""
MAX_SCORES = 2
"""Results kept per article (the lead's first ones)."""
_RESULT = r"(\d{1,3})\s?-\s?(\d{1,3})"
_SCORES = (
    re.compile(rf"\b{_RESULT}\s+(?:win|victory|loss|defeat|triumph|rout|upset|road win|home win)\b", re.I),
    re.compile(
        r"\b(?:beat|beats|beating|defeated|defeats|edged|edges|routed|routs|downed|downs|topped|tops|stunned|"
        rf"blanked|outlasted|held off|past)\s+(?:the\s+)?(?:[A-Z][\w.'&-]*\s+){{0,4}}{_RESULT}\b"
    ),
)


def _sum_key(slot: str) -> str | None:
    """ "stolen" for a money slot "stolen (USD)" (sums compare across currencies at these margins)."""
    head, _, tail = slot.rpartition(" (")
    return f"sum {head}" if head and tail.endswith(")") and tail[:-1] in _CODES else None


def _particular(c: Claim) -> tuple[str, float] | None:
    v = c.typed
    if isinstance(v, TimeValue) and c.slot == "time of incident" and v.precision == "minute":
        mid = v.start + (v.end - v.start) / 2
        return f"clock {c.subject or 'local time'}", float(mid.hour * 60 + mid.minute)
    if isinstance(v, CountValue) and (key := _sum_key(c.slot)) is not None:
        lo, hi = v.low, v.high
        x = math.sqrt(lo * hi) if lo and hi else (lo or hi)
        if x and x > 0:
            return key, round(math.log10(x), 3)
    return None


def of_claims(claims: Iterable[Claim]) -> Particulars:
    """An article's particulars: its main-scope clock times of the incident and sums of money (hedged ones too:
    "believed to be $160 million" still tells which heist it is)."""
    out: Particulars = {}
    for c in claims:
        if c.scope != "main":
            continue
        found = _particular(c)
        if found is None:
            continue
        key, x = found
        if key not in out and len(out) >= MAX_KEYS:
            continue
        values = out.setdefault(key, [])
        if x not in values and len(values) < MAX_VALUES:
            values.append(x)
    return out


def of_text(text: str) -> Particulars:
    """The results of a game that a text's head states in so many words ("a 31-24 win", "beat Drake 65-53"),
    as ``winner * 1000 + loser``; records ("a 9-14 start") and dates are not in these patterns."""
    head = text[:SCORE_CHARS]
    found: list[tuple[int, float]] = []
    for pattern in _SCORES:
        for m in pattern.finditer(head):
            hi, lo = sorted((int(m.group(1)), int(m.group(2))), reverse=True)
            found.append((m.start(), float(hi * 1000 + lo)))
    values: list[float] = []
    for _, x in sorted(found):
        if x not in values and len(values) < MAX_SCORES:
            values.append(x)
    return {SCORE_KEY: values} if values else {}


def joined(a: Mapping[str, list[float]], b: Mapping[str, list[float]]) -> Particulars:
    """Both sides' particulars together (bounded, the first ones kept): an event's after one more article."""
    out: Particulars = {k: list(v) for k, v in a.items()}
    for k, values in b.items():
        if k not in out and len(out) >= MAX_KEYS:
            continue
        mine = out.setdefault(k, [])
        for x in values:
            if x not in mine and len(mine) < MAX_VALUES:
                mine.append(x)
    return out


def _distance(key: str, x: float, y: float) -> float:
    d = abs(x - y)
    return min(d, 1440.0 - d) if key.startswith("clock") else d


def _margins(key: str) -> tuple[float, float]:
    if key == SCORE_KEY:
        return 0.0, 0.5  # one result, or another game
    return (CLOCK_SAME, CLOCK_APART) if key.startswith("clock") else (SUM_SAME, SUM_APART)


def compare(a: Mapping[str, list[float]], b: Mapping[str, list[float]]) -> str:
    """``agree`` when some shared key has values close on both sides and none lies apart; ``apart`` when
    every value of some shared key lies far from every value of the other side's, and no key agrees;
    else ``unknown``."""
    agree = apart = False
    for key in a.keys() & b.keys():
        same, far = _margins(key)
        gaps = [_distance(key, x, y) for x in a[key] for y in b[key]]
        if not gaps:
            continue
        if min(gaps) <= same:
            agree = True
        elif min(gaps) > far:
            apart = True
    if agree and not apart:
        return "agree"
    if apart and not agree:
        return "apart"
    return "unknown"

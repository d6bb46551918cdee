"""When two claim values can both be true (the contradiction rule of one slot)."""

from __future__ import annotations

import datetime as dt
from difflib import SequenceMatcher

from agents.core import aliases
from schemas import CategoryValue, CountValue, DayValue, EntityValue, PlaceValue, PolarityValue, TimeValue, Value


def _overlap(lo1: float | None, hi1: float | None, lo2: float | None, hi2: float | None) -> bool:
    lo_a = float("-inf") if lo1 is None else lo1
    hi_a = float("inf") if hi1 is None else hi1
    lo_b = float("-inf") if lo2 is None else lo2
    hi_b = float("inf") if hi2 is None else hi2
    return lo_a <= hi_b and lo_b <= hi_a


def compatible(a: Value, b: Value) -> bool:
    """True when both values can hold at once (values of different kinds never conflict)."""
    if isinstance(a, CountValue) and isinstance(b, CountValue):
        return _overlap(a.low, a.high, b.low, b.high)
    if isinstance(a, TimeValue) and isinstance(b, TimeValue):
        return a.start < b.end and b.start < a.end
    if isinstance(a, PolarityValue) and isinstance(b, PolarityValue):
        return a.positive == b.positive
    if isinstance(a, EntityValue) and isinstance(b, EntityValue):
        return a.canonical == b.canonical or aliases.same(a.name, b.name)
    if isinstance(a, CategoryValue) and isinstance(b, CategoryValue):
        return _category_compatible(a, b)
    if isinstance(a, DayValue) and isinstance(b, DayValue):
        return _day_compatible(a, b)
    if isinstance(a, PlaceValue) and isinstance(b, PlaceValue):
        if a.place != b.place:
            return True  # measured from different places: not comparable
        turn = abs(a.bearing - b.bearing) % 360
        turn = min(turn, 360 - turn)
        if a.low is not None and b.low is not None:
            return turn <= 45 and _overlap(a.low, a.high, b.low, b.high)
        far = abs(a.km - b.km) > max(10.0, 0.3 * max(a.km, b.km))
        return turn <= 45 and not far
    return True


SIMILAR = 0.8
"""Similarity (difflib ratio) from which two different strings are taken for spellings of one name."""


def similar(a: str, b: str) -> bool:
    """Two spellings of one name: "Salahuddin" / "Salahaddin", "LaTonya" / "Latoya" (not "Ravi" / "Manpreet").

    Names of two words are compared by part: one part the same, the other two spellings ("Mark Jones" and
    "Mary Jones" are two people)."""
    pa, pb = a.lower().replace("-", "").split(), b.lower().replace("-", "").split()
    if len(pa) == 2 and len(pb) == 2:
        return (pa[0] == pb[0] and _near(pa[1], pb[1])) or (pa[1] == pb[1] and _near(pa[0], pb[0]))
    return _near("".join(pa), "".join(pb))


def one_edit(x: str, y: str) -> bool:
    """``x`` and ``y`` differ by one letter inserted, deleted, replaced or two swapped ("Wolfe" / "Wolff")."""
    if x == y or abs(len(x) - len(y)) > 1:
        return False
    i = 0
    while i < min(len(x), len(y)) and x[i] == y[i]:
        i += 1
    return x[i + 1 :] == y[i + 1 :] or x[i:] == y[i + 1 :] or x[i + 1 :] == y[i:] or x[i : i + 2] == y[i : i + 2][::-1]


def name_spelling(a: str, b: str) -> bool:
    """Two spellings of one person's name ("Duncan Rait" / "Duncan Raite", "Ilene Wolfe" / "Ilene Wolff",
    "Anthony Calamita" / "Anthony LaCalamita", "LaTonya Brown" / "Latoya Brown").

    The first names the same, the surnames one letter apart or at least 0.8 alike; or the surnames the same
    and the first names at least 0.85 alike, neither the other's start (a short form, "Phil" / "Philip", or
    another name, "Paul" / "Paula", "Daniel" / "Danielle"), and not two short names that their last letter
    tells apart ("Mark" / "Mary"): "Charlie" / "Charlene" are two people."""
    pa, pb = a.lower().replace("-", "").split(), b.lower().replace("-", "").split()
    if len(pa) != 2 or len(pb) != 2 or pa == pb:
        return False
    if pa[0] == pb[0]:
        x, y = pa[1], pb[1]
        return min(len(x), len(y)) >= 4 and (one_edit(x, y) or SequenceMatcher(None, x, y).ratio() >= SIMILAR)
    if pa[1] == pb[1]:
        x, y = pa[0], pb[0]
        return (
            min(len(x), len(y)) >= 4
            and not (x.startswith(y) or y.startswith(x))
            and not (len(x) <= 5 and len(y) <= 5 and x[:-1] == y[:-1])
            and SequenceMatcher(None, x, y).ratio() >= 0.85
        )
    return False


def _near(x: str, y: str) -> bool:
    return x != y and min(len(x), len(y)) >= 4 and SequenceMatcher(None, x, y).ratio() >= SIMILAR


def spelling(a: Value, b: Value) -> bool:
    """The two values are two spellings of one name (a finding of its own, not a conflict)."""
    return (
        isinstance(a, CategoryValue)
        and isinstance(b, CategoryValue)
        and a.rule == "name"
        and (
            name_spelling(a.canonical, b.canonical)
            or (len(a.canonical.split()) != 2 and similar(a.canonical, b.canonical))
        )
    )


def _words(s: str) -> set[str]:
    return {w for w in s.lower().replace("-", " ").split() if w}


def _category_compatible(a: CategoryValue, b: CategoryValue) -> bool:
    if a.canonical == b.canonical:
        return True
    if a.rule == "place":
        wa, wb = _words(a.canonical), _words(b.canonical)
        return wa <= wb or wb <= wa or similar(a.canonical, b.canonical)
    if a.rule == "type":
        ha, hb = (a.terms or [a.canonical])[0], (b.terms or [b.canonical])[0]
        return (
            "generic" in a.terms[1:]
            or "generic" in b.terms[1:]
            or ha == hb
            or _words(a.canonical) <= _words(b.canonical)
            or _words(b.canonical) <= _words(a.canonical)
        )
    if a.rule == "name":
        return not spelling(a, b)  # different names are two things; two spellings disagree
    if a.rule == "grades":
        return not a.terms or not b.terms or _grades_meet(a.terms, b.terms)
    return False


def _grades_meet(a: list[str], b: list[str]) -> bool:
    """Grades "murder:3" and "murder" meet (the degree unsaid); "murder" and "manslaughter" do not."""
    for x in a:
        for y in b:
            kx, _, dx = x.partition(":")
            ky, _, dy = y.partition(":")
            if kx == ky and (not dx or not dy or dx == dy):
                return True
    return False


def _day_compatible(a: DayValue, b: DayValue) -> bool:
    if a.weekday is not None and b.weekday is not None:
        return a.weekday == b.weekday
    if a.month is not None and b.month is not None and a.day is not None and b.day is not None:
        if (a.month, a.day) != (b.month, b.day):
            return False
        return a.year is None or b.year is None or a.year == b.year
    for x, y in ((a, b), (b, a)):
        if x.weekday is not None and y.year and y.month and y.day:
            return dt.date(y.year, y.month, y.day).weekday() == x.weekday
    if a.weekday is not None and b.weekday is not None:
        return a.weekday == b.weekday
    return True


_KEYS: dict[int, tuple[Value, str]] = {}
_KEYS_LIMIT = 200_000


def value_key(v: Value) -> str:
    """A key equal for values that say the same thing (memoised per value object: values never change)."""
    hit = _KEYS.get(id(v))
    if hit is not None and hit[0] is v:
        return hit[1]
    if len(_KEYS) >= _KEYS_LIMIT:
        _KEYS.clear()
    key = _value_key(v)
    _KEYS[id(v)] = (v, key)  # the value is held, so its id is not reused while memoised
    return key


def _value_key(v: Value) -> str:
    if isinstance(v, CountValue):
        return f"count:{v.low}:{v.high}"
    if isinstance(v, TimeValue):
        return f"time:{v.start.isoformat()}:{v.end.isoformat()}"
    if isinstance(v, PolarityValue):
        return f"polarity:{v.positive}"
    if isinstance(v, PlaceValue):
        return f"place:{v.place}:{round(v.km)}:{round(v.bearing)}"
    if isinstance(v, CategoryValue):
        return f"category:{v.rule}:{v.canonical}"
    if isinstance(v, DayValue):
        return f"day:{v.weekday}:{v.year}:{v.month}:{v.day}"
    return f"entity:{v.canonical}"


def width(v: Value) -> float:
    """How much a value admits (narrower values are more specific)."""
    if isinstance(v, CountValue):
        lo = 0.0 if v.low is None else v.low
        return float("inf") if v.high is None else v.high - lo
    if isinstance(v, TimeValue):
        return (v.end - v.start).total_seconds()
    return 0.0


def stated(v: Value) -> float | None:
    """The figure a count states as established so far: its lower bound, for exact and "at least" counts."""
    if isinstance(v, CountValue) and not v.approx and v.low is not None:
        return v.low
    return None


def grew(earlier: Value, later: Value) -> bool:
    """True when ``later`` states a higher count than ``earlier`` stated as a lower bound ("at least 5" → 7).

    Such values are compatible as intervals, but the figure reported grew as reporting went on: an
    ``evolving`` disagreement, only ever flagged between claims published at different times.
    """
    a, b = stated(earlier), stated(later)
    if a is None or b is None or not isinstance(earlier, CountValue) or not isinstance(later, CountValue):
        return False
    return earlier.high is None and b > a


def vague(v: Value) -> bool:
    """An open-ended approximate count ("dozens", "hundreds", "several"): never a side of a contradiction."""
    return isinstance(v, CountValue) and v.approx and v.high is None

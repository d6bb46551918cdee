"""When two claim values can both be true (the contradiction rule of one slot)."""

from __future__ import annotations

from agents.core import aliases
from schemas import CountValue, EntityValue, PlaceValue, PolarityValue, TimeValue, Value


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

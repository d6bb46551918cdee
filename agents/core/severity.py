"""How much a disagreement matters: ``high``, ``medium`` or ``low``, from what it is about.

- ``high``: casualties (killed, injured, missing), who did it and who claimed it, the incident's time,
  day and place;
- ``medium``: every other count and measure, sums of money, charges, conditions, people's homes and ages;
- ``low``: figures about another incident or a background subject, spellings of one name, descriptors
  (colour, type, weapon, vehicle, target).
"""

from __future__ import annotations

from typing import Literal

from schemas.event import SEVERITY_RANK, severity_rank

Severity = Literal["high", "medium", "low"]

HIGH_SLOTS = frozenset(
    {"killed", "injured", "missing", "responsibility", "perpetrator", "time of incident", "day of incident", "location"}
)
LOW_SLOTS = frozenset({"colour", "type", "weapon", "vehicle", "target", "name", "population"})
LOW_PREFIXES = ("colour of", "type of", "damaged:", "destroyed:", "affected:")


def severity_of(slot: str, subject: str | None, kind: str) -> Severity:
    """The severity of a contradiction of ``slot`` (and ``subject``) of ``kind``."""
    if (
        kind == "spelling"
        or slot in LOW_SLOTS
        or slot.startswith(LOW_PREFIXES)
        or (subject or "").startswith("other: ")
    ):
        return "low"
    if slot in HIGH_SLOTS:
        return "high"
    return "medium"


def at_least(severity: str | None, minimum: str | None) -> bool:
    """Whether ``severity`` (absent: ``high``, as before severities existed) reaches ``minimum``."""
    if minimum is None:
        return True
    return severity_rank(severity) >= SEVERITY_RANK.get(minimum, 0)

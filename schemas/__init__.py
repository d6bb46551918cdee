"""Pydantic v2 models of contraflow's messages and state (field names follow CONTRACT.md)."""

from schemas.alert import Alert, DeadLetter
from schemas.article import Article, ArticleRef
from schemas.claim import (
    CategoryValue,
    Claim,
    CountValue,
    DayValue,
    EntityValue,
    PlaceValue,
    PolarityValue,
    TimeValue,
    Value,
)
from schemas.event import (
    Assignment,
    Contradiction,
    ContradictionSide,
    EventFeatures,
    EventState,
    EventSummary,
    Extracted,
    HistoryEntry,
    Placement,
    SlotValue,
)

__all__ = [
    "Alert",
    "Article",
    "ArticleRef",
    "Assignment",
    "CategoryValue",
    "Claim",
    "Contradiction",
    "ContradictionSide",
    "CountValue",
    "DayValue",
    "DeadLetter",
    "EntityValue",
    "EventFeatures",
    "EventState",
    "EventSummary",
    "Extracted",
    "HistoryEntry",
    "PlaceValue",
    "Placement",
    "PolarityValue",
    "SlotValue",
    "TimeValue",
    "Value",
]

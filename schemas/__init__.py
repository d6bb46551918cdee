"""Pydantic v2 models of contraflow's messages and state (field names follow CONTRACT.md)."""

from schemas.alert import Alert, DeadLetter
from schemas.article import Article, ArticleRef
from schemas.claim import Claim, CountValue, EntityValue, PlaceValue, PolarityValue, TimeValue, Value
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
    "Claim",
    "Contradiction",
    "ContradictionSide",
    "CountValue",
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

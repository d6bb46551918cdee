"""Alerts (CONTRACT.md "Out: an alert") and dead letters."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel

from schemas.event import Contradiction


class Alert(BaseModel):
    """Published once when an arriving article creates a contradiction or adds a side to one."""

    id: str
    event_id: str
    created_at: datetime
    article_id: str
    change: Literal["new", "new_side"] = "new"
    contradiction: Contradiction


class DeadLetter(BaseModel):
    """Message on topic ``articles.dlq``: what could not be processed, and why."""

    reason: str
    topic: str
    partition: int | None = None
    offset: int | None = None
    key: str | None = None
    value: str
    """The original message, decoded leniently and cut to 64 KiB."""
    at: datetime

"""Alert subscriptions: the filter shared by the SSE stream and webhooks, and webhook delivery records."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from schemas.alert import Alert
from schemas.event import SEVERITY_RANK, severity_rank


class AlertFilter(BaseModel):
    """Which alerts a subscriber wants; an empty filter matches every alert.

    ``kind`` is the contradiction's kind (``conflict``: sources disagree; ``evolving``: a figure
    that grew over time), ``change`` whether the alert is a new contradiction or a new side of one,
    ``severity`` the least severity wanted, ``min_origins`` the least number of independent origins
    (copies of one wire story count once) that the contradiction's sides hold between them.
    """

    event_id: list[str] = Field(default_factory=list, description="Only alerts about these events.")
    kind: list[Literal["conflict", "evolving"]] = Field(default_factory=list)
    change: list[Literal["new", "new_side"]] = Field(default_factory=list)
    slot: list[str] = Field(default_factory=list, description='Only these slots, e.g. "killed".')
    severity: Literal["low", "medium", "high"] | None = Field(
        default=None, description="Only contradictions of at least this severity."
    )
    min_origins: int | None = Field(
        default=None,
        ge=1,
        description="Only contradictions whose sides hold at least this many independent "
        "origins between them (2: two wires or outlets of their own disagree).",
    )

    def matches(self, alert: Alert) -> bool:
        """Whether ``alert`` passes this filter."""
        con = alert.contradiction
        return (
            (not self.event_id or alert.event_id in self.event_id)
            and (not self.kind or con.kind in self.kind)
            and (not self.change or alert.change in self.change)
            and (not self.slot or con.slot in self.slot)
            and (self.severity is None or severity_rank(con.severity) >= SEVERITY_RANK[self.severity])
            and (self.min_origins is None or con.independent_origins() >= self.min_origins)
        )


class Subscription(BaseModel):
    """A webhook: where to POST alerts, which ones, and the secret that signs them."""

    id: str
    url: str
    filter: AlertFilter = Field(default_factory=AlertFilter)
    secret: str
    created_at: datetime
    start: str = "0"
    """The alert-log cursor the subscription starts after (the log's head when it was created)."""


class DeliveryFailure(BaseModel):
    """One failed delivery attempt (kept, newest first, in the subscription's status)."""

    alert_id: str
    at: datetime
    attempt: int
    error: str
    final: bool = False
    """True when the delivery was given up after its last attempt."""


class DeliveryStatus(BaseModel):
    """What the webhook dispatcher has done for one subscription."""

    cursor: str = "0"
    """Cursor of the last alert handled (delivered, given up, or filtered out)."""
    delivered: int = 0
    given_up: int = 0
    failures: list[DeliveryFailure] = Field(default_factory=list)
    state: Literal["ok", "retrying", "failing"] = "ok"

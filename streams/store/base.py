"""The interface every state store implements.

The store holds the projection of the Kafka log: event states, the article → event assignments,
the matching index (cards and postings), and the log of published alerts. Every write that
belongs to one article is atomic, and applying the same article twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from agents.core.matching import EventCard
from schemas import Alert, EventState

Update = Callable[[EventState | None], tuple[EventState, list[Alert]]]
"""A pure update of one event's state: the new state and the alerts it raises."""


@dataclass(frozen=True)
class Applied:
    """What :meth:`StateStore.apply` did."""

    state: EventState | None
    alerts: list[Alert] = field(default_factory=list)
    changed: bool = False


class StateStore(Protocol):
    """Event states, assignments, the matching index and the alert log."""

    async def get_event(self, event_id: str) -> EventState | None:
        """One event's state, or ``None``."""
        ...

    async def list_events(self) -> list[EventState]:
        """Every event's state, newest update first."""
        ...

    async def apply(self, event_id: str, update: Update) -> Applied:
        """Atomically replace one event's state by ``update(state)`` and log its alerts.

        Alerts whose id is already in the log are not logged again.
        """
        ...

    async def assignment(self, article_id: str) -> str | None:
        """The event an article was assigned to, if any."""
        ...

    async def candidates(self, keys: list[str], limit: int = 50) -> list[EventCard]:
        """The cards of the events posted under any of ``keys``, most shared keys first."""
        ...

    async def assign(self, article_id: str, card: EventCard, keys: list[str]) -> None:
        """Record the assignment, store the event's card and post it under ``keys`` (one transaction)."""
        ...

    async def alerts(self, after: str = "0", limit: int = 1000) -> list[tuple[str, Alert]]:
        """Logged alerts after the cursor ``after``, as (cursor, alert), oldest first."""
        ...

    async def bump(self, name: str, n: int = 1) -> None:
        """Add ``n`` to a named counter (progress and metrics; not part of the projection)."""
        ...

    async def counters(self) -> dict[str, int]:
        """Every named counter."""
        ...

    async def clear(self) -> None:
        """Delete everything this store holds."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

"""In-memory state store, for unit tests and the in-process runner."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict

from agents.core.matching import EventCard
from schemas import Alert, EventState
from streams.store.base import Applied, Update


class MemoryStore:
    """A :class:`~streams.store.base.StateStore` held in dictionaries."""

    def __init__(self) -> None:
        self._events: dict[str, EventState] = {}
        self._assign: dict[str, str] = {}
        self._cards: dict[str, EventCard] = {}
        self._postings: dict[str, set[str]] = defaultdict(set)
        self._alerts: list[Alert] = []
        self._alert_ids: set[str] = set()
        self._counters: Counter[str] = Counter()
        self._lock = asyncio.Lock()

    async def get_event(self, event_id: str) -> EventState | None:
        return self._events.get(event_id)

    async def list_events(self) -> list[EventState]:
        return sorted(self._events.values(), key=lambda s: (s.updated_at, s.id), reverse=True)

    async def apply(self, event_id: str, update: Update) -> Applied:
        async with self._lock:
            old = self._events.get(event_id)
            new, alerts = update(old)
            if old is not None and new == old:
                return Applied(old, [], False)
            self._events[event_id] = new
            fresh = [a for a in alerts if a.id not in self._alert_ids]
            for a in fresh:
                self._alert_ids.add(a.id)
                self._alerts.append(a)
            return Applied(new, fresh, True)

    async def assignment(self, article_id: str) -> str | None:
        return self._assign.get(article_id)

    async def candidates(self, keys: list[str], limit: int = 50) -> list[EventCard]:
        hits: Counter[str] = Counter()
        for k in keys:
            hits.update(self._postings.get(k, ()))
        return [self._cards[e] for e, _ in hits.most_common(limit) if e in self._cards]

    async def assign(self, article_id: str, card: EventCard, keys: list[str]) -> None:
        self._assign[article_id] = card.event_id
        self._cards[card.event_id] = card
        for k in keys:
            self._postings[k].add(card.event_id)

    async def alerts(self, after: str = "0", limit: int = 1000) -> list[tuple[str, Alert]]:
        start = int(after) if after.isdigit() else 0
        return [(str(i + 1), a) for i, a in enumerate(self._alerts[start : start + limit], start=start)]

    async def bump(self, name: str, n: int = 1) -> None:
        self._counters[name] += n

    async def counters(self) -> dict[str, int]:
        return dict(self._counters)

    async def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    async def close(self) -> None:
        return None

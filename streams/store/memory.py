"""In-memory state store, for unit tests and the in-process runner."""

from __future__ import annotations

import asyncio
import heapq
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from agents.core.cards import EventCard
from agents.core.merge import apply_delta, head_of, view_of
from agents.core.postings import PostingIndex
from agents.core.summary import (
    TOTALS,
    EventPage,
    EventQuery,
    SummaryRecord,
    event_words,
    query_words,
    record_of,
    set_for,
    sets_of,
    totals_change,
)
from agents.ports import Applied, ArticleUpdate, Update
from schemas import Alert, ArticleRef, EventFeatures, EventState
from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription
from streams.store.origins import MemoryCopies


class MemoryStore(MemoryCopies):
    """A :class:`~agents.ports.StateStore` held in dictionaries."""

    def __init__(self) -> None:
        super().__init__()
        self._events: dict[str, EventState] = {}
        self._assign: dict[str, str] = {}
        self._index = PostingIndex()
        self._merged: dict[str, str] = {}
        self._hot: dict[str, float] = {}
        self._hot_heap: list[tuple[float, str]] = []
        self._alerts: list[Alert] = []
        self._alert_ids: set[str] = set()
        self._counters: Counter[str] = Counter()
        self._lock = asyncio.Lock()
        self._subs: dict[str, Subscription] = {}
        self._status: dict[str, DeliveryStatus] = {}
        self._delivered: dict[str, set[str]] = defaultdict(set)
        self._leases: dict[str, tuple[str, float]] = {}
        self._pages: dict[str, str] = {}
        self._summaries: dict[str, SummaryRecord] = {}
        self._words: dict[str, frozenset[str]] = {}
        self._totals: Counter[str] = Counter()

    async def get_event(self, event_id: str) -> EventState | None:
        return self._events.get(event_id)

    async def list_events(self) -> list[EventState]:
        live = (s for s in self._events.values() if s.merged_into is None)
        return sorted(live, key=lambda s: (s.updated_at, s.id), reverse=True)

    async def apply(self, event_id: str, update: Update) -> Applied:
        async with self._lock:
            old = self._events.get(event_id)
            new, alerts = update(old)
            if old is not None and new == old:
                return Applied(old, [], False)
            return Applied(new, self._commit(event_id, new, alerts), True)

    def _commit(self, event_id: str, new: EventState, alerts: list[Alert]) -> list[Alert]:
        self._events[event_id] = new
        self._summarise(event_id, new)
        fresh = [a for a in alerts if a.id not in self._alert_ids]
        for a in fresh:
            self._alert_ids.add(a.id)
            self._alerts.append(a)
        return fresh

    async def apply_article(
        self, event_id: str, ref: ArticleRef, slots: Iterable[str], update: ArticleUpdate
    ) -> Applied:
        async with self._lock:
            old = self._events.get(event_id)
            delta, alerts = update(view_of(old, ref, slots) if old is not None else None)
            if delta is None:
                return Applied(head_of(old) if old is not None else None, [], False)
            new = apply_delta(old, delta)
            if old is not None and new == old:
                return Applied(head_of(old), [], False)
            return Applied(delta.head, self._commit(event_id, new, alerts), True)

    async def merged_into(self, event_id: str) -> str | None:
        state = self._events.get(event_id)
        return state.merged_into if state is not None else None

    async def assignment(self, article_id: str) -> str | None:
        eid = self._assign.get(article_id)
        for _ in range(64):
            if eid is None or eid not in self._merged:
                break
            eid = self._merged[eid]
        return eid

    async def candidates(self, f: EventFeatures) -> list[EventCard]:
        return self._index.lookup(f)

    def _touch(self, card: EventCard) -> None:
        ts = card.last_seen.timestamp()
        if self._hot.get(card.event_id) != ts:
            self._hot[card.event_id] = ts
            heapq.heappush(self._hot_heap, (ts, card.event_id))

    def _drop(self, event_id: str) -> None:
        self._index.remove(event_id)
        self._hot.pop(event_id, None)

    async def assign(
        self, article_id: str, card: EventCard, old: EventCard | None = None, absorbed: Sequence[EventCard] = ()
    ) -> None:
        for gone in absorbed:
            if gone.event_id != card.event_id:
                self._drop(gone.event_id)
                self._merged[gone.event_id] = card.event_id
        self._assign[article_id] = card.event_id
        self._index.put(card)
        self._touch(card)

    def _idle(self, before: datetime, limit: int) -> list[tuple[float, str]]:
        # a heap of (last article, id): stale entries are dropped, the idle ones popped (bounded work)
        cut = before.timestamp()
        out: list[tuple[float, str]] = []
        heap = self._hot_heap
        while heap and len(out) < limit and heap[0][0] < cut:
            ts, eid = heapq.heappop(heap)
            if self._hot.get(eid) == ts:
                out.append((ts, eid))
        return out

    async def idle_events(self, before: datetime, limit: int = 16) -> list[str]:
        found = self._idle(before, limit)
        for entry in found:  # put back: nothing changes
            heapq.heappush(self._hot_heap, entry)
        return [eid for _, eid in found]

    async def drop_archived(self, before: datetime, limit: int = 16) -> list[str]:
        async with self._lock:
            old = sorted((s.updated_at, s.id) for s in self._events.values() if s.archived and s.updated_at < before)
            gone = [eid for _, eid in old[:limit]]
            for eid in gone:
                state = self._events.pop(eid)
                self._summarise(eid, None)
                for aid in {a.id for a in state.articles} | {h.article_id for h in state.history}:
                    if self._assign.get(aid) == eid:
                        del self._assign[aid]
            return gone

    def _summarise(self, event_id: str, state: EventState | None) -> None:
        """Keep the summary index of one event (the whole state is at hand in memory: rebuilt each time)."""
        before = self._summaries.get(event_id)
        if state is None or state.merged_into is not None:
            self._summaries.pop(event_id, None)
            self._words.pop(event_id, None)
            self._totals.update(totals_change(before, None))
            return
        self._summaries[event_id] = record_of(state)
        self._totals.update(totals_change(before, self._summaries[event_id]))
        self._words[event_id] = frozenset(event_words(state.title, state.id, state.articles, state.claims))

    async def totals(self) -> dict[str, int]:
        return {name: self._totals.get(name, 0) for name in TOTALS} | {
            k: v for k, v in sorted(self._totals.items()) if k not in TOTALS
        }

    async def query_events(self, query: EventQuery) -> EventPage:
        # In memory every record is looked at (tests and offline runs); the Redis store reads sorted sets.
        wanted = set_for(query)
        if wanted is None:
            return EventPage([], 0)
        need = set(query_words(query.q))
        found = sorted(
            (
                (r.updated_at, r.id)
                for r in self._summaries.values()
                if wanted in sets_of(r)
                and (query.since is None or r.updated_at >= query.since)
                and need <= self._words.get(r.id, frozenset())
            ),
            reverse=True,
        )
        page = found[query.offset : query.offset + query.limit]
        return EventPage([self._summaries[e].row() for _, e in page], len(found))

    async def archive_idle(self, before: datetime, limit: int = 16) -> list[str]:
        found = self._idle(before, limit)
        for _, eid in found:
            self._drop(eid)
        return [eid for _, eid in found]

    async def alerts(self, after: str = "0", limit: int = 1000, wait: float = 0.0) -> list[tuple[str, Alert]]:
        start = int(after) if after.isdigit() else 0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + wait
        while len(self._alerts) <= start and loop.time() < deadline:
            await asyncio.sleep(0.005)
        return [(str(i + 1), a) for i, a in enumerate(self._alerts[start : start + limit], start=start)]

    async def bump(self, name: str, n: int = 1) -> None:
        self._counters[name] += n

    async def bump_many(self, counts: Mapping[str, int]) -> None:
        self._counters.update(counts)

    async def counters(self) -> dict[str, int]:
        return dict(self._counters)

    async def alert_head(self) -> str:
        return str(len(self._alerts))

    async def save_subscription(self, sub: Subscription) -> None:
        self._subs[sub.id] = sub
        self._status.setdefault(sub.id, DeliveryStatus(cursor=sub.start))

    async def get_subscription(self, sub_id: str) -> Subscription | None:
        return self._subs.get(sub_id)

    async def list_subscriptions(self) -> list[Subscription]:
        return sorted(self._subs.values(), key=lambda s: (s.created_at, s.id))

    async def delete_subscription(self, sub_id: str) -> bool:
        self._status.pop(sub_id, None)
        self._delivered.pop(sub_id, None)
        return self._subs.pop(sub_id, None) is not None

    async def delivery_status(self, sub_id: str) -> DeliveryStatus:
        st = self._status.get(sub_id, DeliveryStatus())
        return st.model_copy(update={"delivered": len(self._delivered.get(sub_id, ())), "failures": list(st.failures)})

    async def was_delivered(self, sub_id: str, alert_id: str) -> bool:
        return alert_id in self._delivered.get(sub_id, ())

    async def record_delivery(self, sub_id: str, alert_id: str, cursor: str) -> bool:
        if alert_id in self._delivered[sub_id]:
            return False
        self._delivered[sub_id].add(alert_id)
        st = self._status.setdefault(sub_id, DeliveryStatus())
        st.cursor, st.state = cursor, "ok"
        return True

    async def record_failure(self, sub_id: str, failure: DeliveryFailure, keep: int = 50) -> None:
        st = self._status.setdefault(sub_id, DeliveryStatus())
        st.failures = [failure, *st.failures][:keep]
        st.state = "failing" if failure.final else "retrying"
        if failure.final:
            st.given_up += 1

    async def advance_cursor(self, sub_id: str, cursor: str) -> None:
        self._status.setdefault(sub_id, DeliveryStatus()).cursor = cursor

    async def lease(self, name: str, owner: str, ttl: float) -> bool:
        now = time.monotonic()
        held = self._leases.get(name)
        if held is not None and held[0] != owner and held[1] > now:
            return False
        self._leases[name] = (owner, now + ttl)
        return True

    async def page_hash(self, url: str) -> str | None:
        return self._pages.get(url)

    async def remember_page(self, url: str, content_hash: str) -> None:
        self._pages[url] = content_hash

    async def clear(self) -> None:
        self.__init__()  # type: ignore[misc]

    async def close(self) -> None:
        return None

"""The ports the steps need: small store interfaces, each with a Redis and an in-memory implementation.

The store holds the projection of the Kafka log: event states, the article → event assignments,
the matching index (cards and postings), and the log of published alerts. Every write that
belongs to one article is atomic, and applying the same article twice changes nothing. The
implementations live in :mod:`streams.store` (Redis, memory); the steps see only these protocols.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from agents.core.cards import EventCard
from agents.core.merge import EventDelta, EventView
from agents.core.origin import Fingerprint
from agents.core.summary import EventPage, EventQuery
from schemas import Alert, ArticleRef, EventFeatures, EventState
from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription

Update = Callable[[EventState | None], tuple[EventState, list[Alert]]]
"""A pure update of one event's state: the new state and the alerts it raises."""
ArticleUpdate = Callable[[EventView | None], tuple[EventDelta | None, list[Alert]]]
"""A pure update of one event by one article, from the event's view: the change (``None``: none) and its alerts."""


@dataclass(frozen=True)
class Applied:
    """What :meth:`StateStore.apply` did."""

    state: EventState | None
    alerts: list[Alert] = field(default_factory=list)
    changed: bool = False


class EventStore(Protocol):
    """Event states: read, and changed atomically by one update or one article."""

    async def get_event(self, event_id: str) -> EventState | None:
        """One event's state, or ``None``."""
        ...

    async def list_events(self) -> list[EventState]:
        """Every event's state, newest update first; events merged into another (``merged_into``) are left out."""
        ...

    async def query_events(self, query: EventQuery) -> EventPage:
        """One page of the events' summaries, newest update first, filtered (:mod:`agents.core.summary`):
        read from the summary index, never the events' states, at a cost that does not grow with their number
        (the Redis store; the in-memory one looks at every record). Merged-away events are not listed."""
        ...

    async def totals(self) -> dict[str, int]:
        """The projection's totals: ``events``, ``claims``, ``contradictions`` and ``kind:<kind>`` per kind of
        contradiction, kept with the summary index (merged-away events are not counted): one read."""
        ...

    async def apply(self, event_id: str, update: Update) -> Applied:
        """Atomically replace one event's state by ``update(state)`` and log its alerts.

        An ``archived`` state may be kept in a compact form (compressed, one value): reading it
        costs more, which suits what is read rarely.

        Alerts whose id is already in the log are not logged again.
        """
        ...

    async def apply_article(
        self, event_id: str, ref: ArticleRef, slots: Iterable[str], update: ArticleUpdate
    ) -> Applied:
        """Atomically change one event by one article and log the alerts (as :meth:`apply`).

        ``update`` gets the event's :class:`~agents.core.merge.EventView` for ``ref`` (``None``
        for a new event): its head, the held articles ``ref`` repeats or replaces, and the held
        claims of ``slots`` and of those articles, so the work does not grow with the event.
        ``Applied.state`` is the new head (the state without articles, claims and history).
        """
        ...

    async def merged_into(self, event_id: str) -> str | None:
        """The event that ``event_id``'s state says it was merged into (``None``: none, or no state)."""
        ...


class MatchingIndex(Protocol):
    """Article → event assignments and the events' cards, found by posting keys; archiving takes events out."""

    async def assignment(self, article_id: str) -> str | None:
        """The event an article was assigned to, if any (the survivor when that event was merged away)."""
        ...

    async def candidates(self, f: EventFeatures) -> list[EventCard]:
        """The cards worth scoring for an article, read with bounded work whatever the number of events.

        Per posting key of ``index_keys(f)``, the ``MAX_PER_KEY`` events anchored nearest the
        article's day within ``window(f)`` (half on each side); of those, at most
        ``MAX_CANDIDATES``, ranked by the summed rarity (log N/df) of the keys they share with the
        article, ties by id. Archived and merged-away events are not found.
        """
        ...

    async def assign(
        self, article_id: str, card: EventCard, old: EventCard | None = None, absorbed: Sequence[EventCard] = ()
    ) -> None:
        """Record the assignment and store the event's card (one transaction).

        ``old`` is the card it replaces (``None`` for a new event): the event leaves the posting
        lists it lost and is listed under the ones it gained (``posting_changes``), and its last
        article time is kept for archiving. ``absorbed``: events merged into this one (their cards
        as stored), which leave the index; ``assignment`` of their articles gives this event.
        """
        ...

    async def idle_events(self, before: datetime, limit: int = 16) -> list[str]:
        """The ids of at most ``limit`` indexed events whose last article arrived before ``before``
        (oldest first, ties by id): those :meth:`archive_idle` would take. Changes nothing."""
        ...

    async def drop_archived(self, before: datetime, limit: int = 16) -> list[str]:
        """Delete at most ``limit`` archived states whose last update is before ``before`` (oldest
        first), with the assignments of the articles they hold or held (their history); return their
        ids. Readable no more."""
        ...

    async def archive_idle(self, before: datetime, limit: int = 16) -> list[str]:
        """Take out of the index at most ``limit`` events whose last article arrived before ``before``
        (oldest first, ties by id); return their ids. Their states stay readable by id."""
        ...


class CopiesIndex(Protocol):
    """Per event, the fingerprints and origins of its articles (syndicated copy)."""

    async def copies(self, event_id: str, bands: Sequence[str], exclude: str) -> list[tuple[str, str, Fingerprint]]:
        """(article id, origin, fingerprint) of the event's articles sharing MinHash bands with ``bands``, the
        most shared first, at most ``agents.core.origin.MAX_CANDIDATES`` (``streams.store.origins``)."""
        ...

    async def add_copy(self, event_id: str, article_id: str, origin: str, fp: Fingerprint) -> None:
        """Index an article's fingerprint and origin under its event (again: no change)."""
        ...

    async def fold_copies(self, gone_id: str, into: str) -> None:
        """The copies index of an event merged away joins its survivor's."""
        ...


class AlertLog(Protocol):
    """The log of alerts raised, in order, with a cursor."""

    async def alerts(self, after: str = "0", limit: int = 1000, wait: float = 0.0) -> list[tuple[str, Alert]]:
        """Logged alerts after the cursor ``after``, as (cursor, alert), oldest first.

        With ``wait`` > 0 and none logged after the cursor yet, wait up to ``wait`` seconds for one
        (the alert relay reads this way instead of polling).
        """
        ...

    async def alert_head(self) -> str:
        """The cursor of the newest logged alert (``"0"`` when there is none): "from now on"."""
        ...


class Counters(Protocol):
    """Named counters (progress and metrics; not part of the projection)."""

    async def bump(self, name: str, n: int = 1) -> None:
        """Add ``n`` to a named counter (progress and metrics; not part of the projection)."""
        ...

    async def bump_many(self, counts: Mapping[str, int]) -> None:
        """Add to several named counters at once (one round trip)."""
        ...

    async def counters(self) -> dict[str, int]:
        """Every named counter."""
        ...


class Subscriptions(Protocol):
    """Webhook subscriptions and their deliveries (the service's dispatcher)."""

    async def save_subscription(self, sub: Subscription) -> None:
        """Create or replace a subscription."""
        ...

    async def get_subscription(self, sub_id: str) -> Subscription | None:
        """One subscription, or ``None``."""
        ...

    async def list_subscriptions(self) -> list[Subscription]:
        """Every subscription, oldest first."""
        ...

    async def delete_subscription(self, sub_id: str) -> bool:
        """Delete a subscription and its delivery records; whether it existed."""
        ...

    async def delivery_status(self, sub_id: str) -> DeliveryStatus:
        """What was delivered to a subscription, its cursor and its recent failures (newest first)."""
        ...

    async def was_delivered(self, sub_id: str, alert_id: str) -> bool:
        """Whether the alert was acknowledged by the subscriber already."""
        ...

    async def record_delivery(self, sub_id: str, alert_id: str, cursor: str) -> bool:
        """Record an acknowledged delivery and move the cursor; ``False`` if it was recorded before."""
        ...

    async def record_failure(self, sub_id: str, failure: DeliveryFailure, keep: int = 50) -> None:
        """Log a failed attempt (the newest ``keep`` are kept); a final one counts as given up."""
        ...

    async def advance_cursor(self, sub_id: str, cursor: str) -> None:
        """Move a subscription's cursor past alerts it does not want or that were given up."""
        ...


class Leases(Protocol):
    """Named leases: one holder at a time (the alert relay's leader)."""

    async def lease(self, name: str, owner: str, ttl: float) -> bool:
        """Take or renew the named lease for ``ttl`` seconds; ``False`` while another owner holds it."""
        ...


class PageMemory(Protocol):
    """Live feeds: what was published of each page."""

    async def page_hash(self, url: str) -> str | None:
        """The content hash last published for a page URL, or ``None``."""
        ...

    async def remember_page(self, url: str, content_hash: str) -> None:
        """Remember the content hash published for a page URL."""
        ...


class StateStore(
    EventStore, MatchingIndex, CopiesIndex, AlertLog, Counters, Subscriptions, Leases, PageMemory, Protocol
):
    """Every port of the projection's store, in one Redis (or in memory)."""

    async def clear(self) -> None:
        """Delete everything this store holds."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...


class Ledger(Protocol):
    """Where the projection stands against the log."""

    async def count_once(self, key: str, counts: Mapping[str, int]) -> bool:
        """Add ``counts`` to the store's counters the first time ``key`` (an article version) is given;
        whether it was the first time."""
        ...

    async def advance(self, offset: int, counts: Mapping[str, int] | None = None) -> int | None:
        """Record that the record at ``offset`` of topic ``claims`` is in the state, and add ``counts`` to
        the counters in the same write (progress that a loss takes back with the offset); the offset before."""
        ...

    async def settle(
        self, key: str, counts: Mapping[str, int], offset: int, progress: Mapping[str, int] | None = None
    ) -> bool:
        """:meth:`count_once` then :meth:`advance`, in one write: a merged record's last step."""
        ...

    async def claims_at(self) -> int | None:
        """The highest offset of topic ``claims`` in the state (``None``: none recorded)."""
        ...

    async def reset(self, offset: int | None) -> None:
        """Set the claims offset (after a rebuild) and forget a lost log."""
        ...

    async def report_lost(self, reason: str) -> None:
        """Record that the log was lost (the worker stopped), with the reason."""
        ...

    async def lost(self) -> str | None:
        """Why the log was found lost, if it was."""
        ...


AlertTail = Callable[[], tuple[str | None, str | None]]
"""(log_id, alert_id) of the last alert published on topic ``alerts`` ((None, None): none); blocking I/O."""

"""The state merge: ``merge(state, extracted) -> (state, new contradictions)``.

Pure and idempotent: merging an article that the state already holds (same id, same content
hash) changes nothing. A newer version of an article (same id or same source and url) replaces
that article's claims and never contradicts them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from agents.core.compare import value_key
from agents.core.contradictions import best_values, contradictions_of, find_contradictions, groups_of
from schemas import (
    ArticleRef,
    Claim,
    Contradiction,
    EventState,
    Extracted,
    HistoryEntry,
    SlotValue,
)
from schemas.ids import digest

_T = TypeVar("_T", Contradiction, SlotValue)


def _same_article(a_id: str, a_url: str | None, a_source: str, ref: ArticleRef) -> bool:
    return a_id == ref.id or (bool(ref.url) and a_url == ref.url and a_source == ref.source)


@dataclass(frozen=True)
class EventView:
    """What merging one article reads of an event's state: a store reads this much, never the whole state.

    Contradictions and best values are found per slot, so only the held claims of the slots the
    article touches (its claims' slots and those of the articles it replaces) take part.
    """

    head: EventState
    """The state without its articles, claims and history (:func:`head_of`)."""
    articles: int
    """How many articles the event holds."""
    last_seq: int
    """The seq of the last history entry (0: none)."""
    same: list[ArticleRef]
    """Held articles with the article's id, or with its source and url (a repeat or an older version)."""
    slots: frozenset[str]
    """The slots whose held claims are in ``claims``."""
    claims: list[Claim]
    """Every held claim of ``slots``, in the state's order."""


@dataclass(frozen=True)
class EventDelta:
    """A change of one event's state: a new head; articles dropped (with their claims), appended; history appended."""

    head: EventState
    drop: list[str] = field(default_factory=list)
    articles: list[ArticleRef] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)


def claims_delta(view: EventView | None, delta: EventDelta) -> int:
    """How many claims the event gains by ``delta`` (the dropped articles' claims are in the view)."""
    dropped = set(delta.drop)
    return len(delta.claims) - (sum(c.article_id in dropped for c in view.claims) if view is not None else 0)


def head_of(state: EventState) -> EventState:
    """The state without its articles, claims and history (what grows with the event)."""
    return state.model_copy(update={"articles": [], "claims": [], "history": []})


def same_article(held: ArticleRef, ref: ArticleRef) -> bool:
    """``held`` is ``ref`` or an earlier version of it (same id, or same source and url)."""
    return _same_article(held.id, held.url, held.source, ref)


def view_of(state: EventState, ref: ArticleRef, slots: Iterable[str]) -> EventView:
    """The view of a whole state that merging ``ref`` (its claims in ``slots``) needs."""
    same = [a for a in state.articles if same_article(a, ref)]
    ids = {a.id for a in same}
    touched = frozenset(slots) | {c.slot for c in state.claims if c.article_id in ids}
    return EventView(
        head=head_of(state),
        articles=len(state.articles),
        last_seq=state.history[-1].seq if state.history else 0,
        same=same,
        slots=touched,
        claims=[c for c in state.claims if c.slot in touched],
    )


def apply_delta(state: EventState | None, delta: EventDelta) -> EventState:
    """The state after ``delta``."""
    if state is None:
        return delta.head.model_copy(
            update={"articles": list(delta.articles), "claims": list(delta.claims), "history": list(delta.history)}
        )
    drop = set(delta.drop)
    return delta.head.model_copy(
        update={
            "articles": [a for a in state.articles if a.id not in drop] + delta.articles,
            "claims": [c for c in state.claims if c.article_id not in drop] + delta.claims,
            "history": state.history + delta.history,
        }
    )


def _by_slot(items: list[_T]) -> list[_T]:
    """Stable sort by slot: the per-slot blocks found anew join the untouched ones in (slot, subject) order."""
    return sorted(items, key=lambda i: i.slot)


def merge_article(
    view: EventView | None, event_id: str, x: Extracted, at: datetime
) -> tuple[EventDelta | None, list[tuple[Contradiction, str]]]:
    """Merge one article's claims into an event, from the :class:`EventView` of its state.

    Returns the change (``None``: the article is held already with the same content) and the
    contradictions this article created (``"new"``) or gave a new side (``"new_side"``). Work is
    proportional to the claims of the slots the article touches, not to the whole event.
    """
    ref = x.article
    if view is None:
        view = EventView(
            head=EventState(id=event_id, title=x.features.title, updated_at=at),
            articles=0,
            last_seq=0,
            same=[],
            slots=frozenset(c.slot for c in x.claims),
            claims=[],
        )
    if any(a.id == ref.id and a.content_hash == ref.content_hash for a in view.same):
        return None, []
    missing = {c.slot for c in x.claims} - view.slots
    if missing:
        raise ValueError(f"the view lacks the claims of slots {sorted(missing)}")
    head = view.head
    replaced = {a.id for a in view.same if same_article(a, ref)}
    claims = [c for c in view.claims if c.article_id not in replaced] + list(x.claims)
    added_by_this = {value_key(c.typed) for c in x.claims}
    known = [c for c in head.contradictions if c.slot in view.slots]
    groups = groups_of(claims)
    found, changes = contradictions_of(event_id, known, claims, at, ref.id, added_by_this, groups=groups)
    entry = HistoryEntry(
        seq=view.last_seq + 1,
        at=at,
        article_id=ref.id,
        change="opened" if not view.articles else ("version" if replaced else "article"),
        claims_added=len(x.claims),
        new_contradictions=[c.id for c, _ in changes],
    )
    new_head = head.model_copy(
        update={
            "title": head.title or x.features.title,
            "updated_at": at,
            "contradictions": _by_slot([c for c in head.contradictions if c.slot not in view.slots] + found),
            "best": _by_slot([b for b in head.best if b.slot not in view.slots] + best_values(claims, groups)),
        }
    )
    delta = EventDelta(head=new_head, drop=sorted(replaced), articles=[ref], claims=list(x.claims), history=[entry])
    return delta, changes


def merge(
    state: EventState | None, event_id: str, x: Extracted, at: datetime
) -> tuple[EventState, list[tuple[Contradiction, str]]]:
    """Merge one article's claims into an event's state.

    Returns the new state and the contradictions this article created (``"new"``) or gave a
    new side (``"new_side"``). An article already merged with the same content changes nothing.
    (:func:`merge_article` on the state's :func:`view_of`, then :func:`apply_delta`.)
    """
    view = view_of(state, x.article, {c.slot for c in x.claims}) if state is not None else None
    delta, changes = merge_article(view, event_id, x, at)
    if delta is None:
        assert state is not None
        return state, []
    return apply_delta(state, delta), changes


def merge_events(
    state: EventState | None, event_id: str, gone: EventState, at: datetime, article_id: str
) -> tuple[EventState, list[tuple[Contradiction, str]]]:
    """Fold the whole of an absorbed event (``gone``) into the surviving event ``event_id``.

    Articles and claims are united (the survivor's copy wins for an article both hold), the
    contradictions are found again over the union under the survivor's id, and the merge is an
    entry of the history (``change="merged"``, ``merged_from``). Returns the new state and the
    contradictions the merge created or gave a new side, under the survivor's id (those the
    absorbed event had found keep their detection time and article). Idempotent: merging the same event again changes
    nothing. The absorbed state itself is left to the caller (``merged_into``).
    """
    if state is None:
        state = EventState(id=event_id, title=gone.title, updated_at=at, features=gone.features)
    if gone.id == event_id or any(h.change == "merged" and h.merged_from == gone.id for h in state.history):
        return state, []
    have = {a.id for a in state.articles}
    articles = state.articles + [a for a in gone.articles if a.id not in have]
    seen = {c.id for c in state.claims}
    added = [c for c in gone.claims if c.article_id not in have and c.id not in seen]
    claims = state.claims + added
    # the absorbed event's contradictions, by the id each has under the survivor
    by_id = {c.id: c for c in gone.contradictions}
    earlier: dict[str, Contradiction] = {}
    for gcid, (slot, key, _found) in find_contradictions(gone.id, gone.claims).items():
        if gcid in by_id:
            earlier[digest(event_id, slot, key or "")] = by_id[gcid]
    everything = {value_key(c.typed) for c in claims}  # a side the survivor lacked is news to its readers
    contradictions, changes = contradictions_of(
        event_id, state.contradictions, claims, at, article_id, everything, earlier
    )
    history = [
        *state.history,
        HistoryEntry(
            seq=len(state.history) + 1,
            at=at,
            article_id=article_id,
            change="merged",
            merged_from=gone.id,
            claims_added=len(added),
            new_contradictions=[c.id for c, _ in changes],
        ),
    ]
    new_state = state.model_copy(
        update={
            "title": state.title or gone.title,
            "updated_at": max(state.updated_at, at),
            "articles": articles,
            "claims": claims,
            "contradictions": contradictions,
            "best": best_values(claims),
            "history": history,
        }
    )
    return new_state, changes

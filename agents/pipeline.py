"""The application service: the three pipeline steps over the pure core and a state store.

The faust agents (``agents/streaming.py``) and the in-process runner (``agents/offline.py``)
both call these, so what is measured offline is what runs on the broker.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from spacy.language import Language

from agents.core.extract import analyse
from agents.core.matching import IDLE_DAYS, absorb, choose, new_event_id
from agents.core.merge import merge
from schemas import Alert, Article, Assignment, Contradiction, EventState, Extracted
from schemas.ids import digest
from streams.store.base import StateStore


def extract(nlp: Language, items: Sequence[tuple[Article, datetime]]) -> list[Extracted]:
    """Step 1 (CPU): parse a batch of articles and extract claims and matching features."""
    return analyse(nlp, items)


ARCHIVE_BATCH = 16
"""Idle events taken out of the index per article at most (bounded work; the backlog drains over articles)."""


async def resolve(store: StateStore, x: Extracted) -> Assignment:
    """Step 2 (serialised): place an article in an existing event or open a new one.

    An article seen before (a redelivery or a new version) keeps its event. Before matching,
    events idle for ``IDLE_DAYS`` before the article's arrival leave the index (arrival times,
    never the wall clock, so a replay decides alike).
    """
    known = await store.assignment(x.article.id)
    if known is not None:
        return Assignment(event_id=known, extracted=x, opened=False)
    at = x.article.received_at or x.features.date
    assert at is not None
    await archive(store, at)
    candidates = await store.candidates(x.features)
    chosen = choose(x.features, candidates)
    old = next((c for c in candidates if c.event_id == chosen), None)
    event_id = chosen or new_event_id(x.article.id)
    card = absorb(old, event_id, x.features, at)
    await store.assign(x.article.id, card, old)
    return Assignment(event_id=event_id, extracted=x, opened=chosen is None)


async def archive(store: StateStore, at: datetime) -> list[str]:
    """Take out of the index the events idle since before ``at`` - ``IDLE_DAYS``; mark their states archived."""
    gone = await store.archive_idle(at - timedelta(days=IDLE_DAYS), ARCHIVE_BATCH)
    for eid in gone:
        if await store.get_event(eid) is not None:
            await store.apply(eid, _archived)
    return gone


def _archived(state: EventState | None) -> tuple[EventState, list[Alert]]:
    assert state is not None
    return state.model_copy(update={"archived": True}), []


def alert_for(state: EventState, con: Contradiction, change: str, article_id: str, at: datetime) -> Alert:
    """The alert for a contradiction that an article created or gave a new side, claims inline."""
    claims = {c.id: c for c in state.claims}
    sides = [s.model_copy(update={"claims": [claims[i] for i in s.claim_ids if i in claims]}) for s in con.sides]
    values = "|".join(sorted(s.value for s in con.sides))
    return Alert(
        id="al-" + digest(state.id, con.id, change, values if change == "new_side" else ""),
        event_id=state.id, created_at=at, article_id=article_id, change=change,
        contradiction=con.model_copy(update={"sides": sides}),
    )


async def project(store: StateStore, a: Assignment) -> list[Alert]:
    """Step 3 (per event): merge the claims into the event's state; return the new alerts.

    Idempotent: an article already merged with the same content changes nothing and raises none.
    """
    x = a.extracted
    at = x.article.received_at or x.features.date
    assert at is not None

    def update(state: EventState | None) -> tuple[EventState, list[Alert]]:
        new, changes = merge(state, a.event_id, x, at)
        return new, [alert_for(new, con, change, x.article.id, at) for con, change in changes]

    applied = await store.apply(a.event_id, update)
    return applied.alerts

"""The application service: the three pipeline steps over the pure core and a state store.

The faust agents (``agents/flow/``) and the in-process runner (``streams/offline.py``)
both call these, so what is measured offline is what runs on the broker.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from spacy.language import Language

from agents.core import names, particulars
from agents.core.cards import IDLE_DAYS, EventCard, absorb, merge_cards, new_event_id
from agents.core.event_merges import merges_after, survivor
from agents.core.extract import analyse
from agents.core.matching import decide, explain
from agents.core.merge import EventDelta, EventView, merge_article, merge_events
from agents.core.origin import Fingerprint, origin_of
from agents.ports import StateStore
from schemas import Alert, Article, Assignment, Claim, Contradiction, EventFeatures, EventState, Extracted
from schemas.ids import digest


def extract(nlp: Language, items: Sequence[tuple[Article, datetime]]) -> list[Extracted]:
    """Step 1 (CPU): parse a batch of articles and extract claims and matching features."""
    return analyse(nlp, items)


SHOWN = 5
"""Entities, places and keywords an event's state shows (its card's first ones)."""
ARCHIVE_BATCH = 16
"""Idle events taken out of the index per article at most (bounded work; the backlog drains over articles)."""


@dataclasses.dataclass(frozen=True)
class ArchivePolicy:
    """When events leave the index (idle ``idle_days``) and when archived states leave the store.

    ``retention_days``: an archived event whose last article arrived that long before the newest
    article is dropped from the store, its articles' assignments with it (``None``: kept forever).
    Times are arrival times, never the wall clock, so a replay of the log keeps and drops alike.
    """

    idle_days: float = IDLE_DAYS
    retention_days: float | None = None


KEEP_FOREVER = ArchivePolicy()


def archive_policy(after_days: float, retention_days: float) -> ArchivePolicy:
    """The policy of the settings ``archive_after_days`` and ``archive_retention_days`` (0: keep forever)."""
    return ArchivePolicy(idle_days=after_days, retention_days=retention_days or None)


async def resolve(store: StateStore, x: Extracted, policy: ArchivePolicy = KEEP_FOREVER) -> Assignment:
    """Step 2 (serialised): place an article in an existing event or open a new one.

    An article seen before (a redelivery or a new version) keeps its event. Before matching,
    events idle for ``policy.idle_days`` before the article's arrival leave the index, and
    archived events past ``policy.retention_days`` leave the store (arrival times, never the wall
    clock, so a replay decides alike).
    """
    known = await store.assignment(x.article.id)
    if known is not None:
        return Assignment(event_id=known, extracted=x, opened=False)
    at = x.article.received_at or x.features.date
    assert at is not None
    await archive(store, at, policy)
    candidates = await store.candidates(x.features)
    marks = particulars.joined(particulars.of_claims(x.claims), particulars.of_text(x.text))
    chosen, scored = decide(x.features, candidates, marks)
    old = next((c for c in candidates if c.event_id == chosen), None)
    event_id = chosen or new_event_id(x.article.id)
    card = absorb(old, event_id, x.features, at, marks)
    # later evidence: the event's new card may show other candidates to be the same event
    stored: dict[str, EventCard | None] = {o.event_id: o for o in candidates}
    stored[event_id] = old
    merged: list[str] = []
    for o in candidates:
        if o.event_id == event_id or not merges_after(card, [o]):
            continue
        keep, gone = survivor(card, o)
        card = merge_cards(keep, gone)
        merged.append(gone.event_id)
    absorbed = [c for g in merged if (c := stored[g]) is not None]  # the new event never reached the index
    await store.assign(x.article.id, card, stored[card.event_id], absorbed)
    why = explain(chosen, scored, opened=event_id)
    if merged:
        why += f"; then merged {', '.join(merged)} into {card.event_id}"
    return Assignment(
        event_id=card.event_id,
        extracted=x,
        opened=chosen is None and card.event_id == event_id,
        merged=[c.event_id for c in absorbed],
        features=summary(card),
        why=why,
    )


def summary(card: EventCard) -> EventFeatures:
    """What an event's state shows of its card: title, main entities, places, incident types, keywords, date."""
    f = card.features
    return EventFeatures(
        entities=f.entities[:SHOWN],
        places=f.places[:SHOWN],
        incident=f.incident[:2],
        keywords=f.keywords[:SHOWN],
        date=card.date_min or f.date,
        date_source=f.date_source,
        title=f.title,
    )


async def archive(store: StateStore, at: datetime, policy: ArchivePolicy = KEEP_FOREVER) -> list[str]:
    """Take out of the index the events idle since before ``at`` - ``idle_days``; mark their states archived
    (the store keeps an archived state compact: :meth:`~agents.ports.StateStore.apply`). Drop
    archived events past the retention (:class:`ArchivePolicy`), a bounded batch per call.

    The states are marked first and the events leave the index after, so a crash in between
    leaves them indexed and marked: the next call finds them idle again, marking them changes
    nothing, and they leave the index then. (The other order could leave an event out of the
    index and never marked.)
    """
    if policy.retention_days is not None:
        await store.drop_archived(at - timedelta(days=policy.retention_days), ARCHIVE_BATCH)
    cut = at - timedelta(days=policy.idle_days)
    idle = await store.idle_events(cut, ARCHIVE_BATCH)
    if not idle:
        return []
    for eid in idle:
        await _mark_archived(store, eid)
    gone = await store.archive_idle(cut, len(idle))
    for eid in gone:
        if eid not in idle:  # the index changed in between (resolve is serialised: not expected)
            await _mark_archived(store, eid)
    return gone


async def _mark_archived(store: StateStore, event_id: str) -> None:
    if await store.get_event(event_id) is not None:
        await store.apply(event_id, _archived)


def _archived(state: EventState | None) -> tuple[EventState, list[Alert]]:
    assert state is not None
    return state.model_copy(update={"archived": True}), []


def alert_for(
    event_id: str, con: Contradiction, change: str, article_id: str, at: datetime, claims: Mapping[str, Claim]
) -> Alert:
    """The alert for a contradiction that an article created or gave a new side, claims inline (from ``claims``)."""
    sides = [s.model_copy(update={"claims": [claims[i] for i in s.claim_ids if i in claims]}) for s in con.sides]
    values = "|".join(sorted(s.value for s in con.sides))
    return Alert(
        id="al-" + digest(event_id, con.id, change, values if change == "new_side" else ""),
        event_id=event_id,
        created_at=at,
        article_id=article_id,
        change=change,
        contradiction=con.model_copy(update={"sides": sides}),
    )


async def project(store: StateStore, a: Assignment) -> list[Alert]:
    """Step 3 (per event): merge the claims into the event's state; return the new alerts.

    Events merged away (``a.merged``) are folded into the surviving event first: their articles
    and claims join it, the merge is an entry of its history and their states get ``merged_into``
    (still readable by id). An article assigned to an event that was merged away since goes to
    the survivor. Alerts name the surviving event. Idempotent: an article already merged with the
    same content, or an event already folded in, changes nothing and raises no alert.
    """
    x = a.extracted
    at = x.article.received_at or x.features.date
    assert at is not None
    target = await surviving(store, a.event_id) if a.merged else a.event_id  # else the view tells (below)
    alerts: list[Alert] = []
    for gone_id in a.merged:
        gone = await store.get_event(gone_id)
        if gone is not None and gone.id != target:
            alerts += await _fold(store, target, gone, x.article.id, at)
            await store.fold_copies(gone_id, target)
        await store.apply(gone_id, functools.partial(_merged_into, gone_id, target, at))
    x = await with_origin(store, target, x)

    def update(view: EventView | None) -> tuple[EventDelta | None, list[Alert]]:
        if view is not None and view.head.merged_into not in (None, target):
            raise _Moved(view.head.merged_into)
        delta, changes = merge_article(view, target, x, at)
        if a.features is not None:
            head = delta.head if delta is not None else view.head if view is not None else None
            assert head is not None
            known = view.head.features.entities if view is not None else []
            shown = a.features.model_copy(update={"entities": names.show(a.features.entities, x.text, known)})
            if head.features != shown:
                head = head.model_copy(update={"features": shown, "title": head.title or shown.title})
                delta = dataclasses.replace(delta, head=head) if delta is not None else EventDelta(head=head)
        if delta is None:
            return None, []
        held = {c.id: c for c in view.claims} if view is not None else {}
        held.update((c.id, c) for c in x.claims)
        return delta, [
            alert_for(target, con, change, x.article.id, at, held) for con, change in changes if con.kind != "spelling"
        ]

    while True:
        try:
            applied = await store.apply_article(target, x.article, {c.slot for c in x.claims}, update)
            return alerts + applied.alerts
        except _Moved as moved:  # merged away since this article was assigned: to the survivor
            target = await surviving(store, moved.event_id)


async def with_origin(store: StateStore, event_id: str, x: Extracted) -> Extracted:
    """The article with its origin: its credit, else the origin of the event's article it copies (MinHash),
    else its outlet; its claims carry it. The article is indexed for the copies that follow. Idempotent and,
    on a replay in log order, the same decisions (each article is compared only with those before it)."""
    ref = x.article
    fp = Fingerprint(signature=tuple(x.signature), size=x.shingles) if x.signature else None
    found = await store.copies(event_id, fp.bands(), exclude=ref.id) if fp is not None else []
    origin, copy_of = (
        origin_of(ref.source, ref.origin, found, fp) if fp is not None else (ref.origin or ref.source, None)
    )
    if fp is not None:
        await store.add_copy(event_id, ref.id, origin, fp)
    if origin == ref.origin and copy_of == ref.copy_of and all(c.origin == origin for c in x.claims):
        return x
    return x.model_copy(
        update={
            "article": ref.model_copy(update={"origin": origin, "copy_of": copy_of}),
            "claims": [c.model_copy(update={"origin": origin}) for c in x.claims],
        }
    )


class _Moved(Exception):
    """The event was merged into ``event_id`` (raised from an update, before anything is written)."""

    def __init__(self, event_id: str) -> None:
        super().__init__(event_id)
        self.event_id = event_id


async def surviving(store: StateStore, event_id: str) -> str:
    """The event that ``event_id`` was merged into, following ``merged_into`` (itself if none)."""
    for _ in range(64):
        nxt = await store.merged_into(event_id)
        if nxt is None or nxt == event_id:
            break
        event_id = nxt
    return event_id


async def _fold(store: StateStore, target: str, gone: EventState, article_id: str, at: datetime) -> list[Alert]:
    def update(state: EventState | None) -> tuple[EventState, list[Alert]]:
        new, changes = merge_events(state, target, gone, at, article_id)
        claims = {c.id: c for c in new.claims}
        return new, [
            alert_for(target, con, change, article_id, at, claims) for con, change in changes if con.kind != "spelling"
        ]

    return (await store.apply(target, update)).alerts


def _merged_into(gone_id: str, target: str, at: datetime, state: EventState | None) -> tuple[EventState, list[Alert]]:
    if state is None:  # merged before its first article was projected: that article will follow
        state = EventState(id=gone_id, updated_at=at)
    return state.model_copy(update={"merged_into": target}), []

"""The state merge: ``merge(state, extracted) -> (state, new contradictions)``.

Pure and idempotent: merging an article that the state already holds (same id, same content
hash) changes nothing. A newer version of an article (same id or same source and url) replaces
that article's claims and never contradicts them.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from datetime import datetime

from agents.core.compare import compatible, value_key, width
from schemas import (
    Claim,
    Contradiction,
    ContradictionSide,
    EventState,
    Extracted,
    HistoryEntry,
    SlotValue,
)
from schemas.ids import digest


def _same_article(a_id: str, a_url: str | None, a_source: str, x: Extracted) -> bool:
    ref = x.article
    return a_id == ref.id or (bool(ref.url) and a_url == ref.url and a_source == ref.source)


def _groups(claims: list[Claim]) -> dict[tuple[str, str | None], list[Claim]]:
    groups: dict[tuple[str, str | None], list[Claim]] = defaultdict(list)
    for c in claims:
        if c.scope == "main":
            groups[(c.slot, c.subject)].append(c)
    return groups


def _sides(claims: list[Claim]) -> list[list[Claim]]:
    """Partition the claims of one slot into sides of mutually compatible values.

    Values that are compatible with every other value (e.g. "dozens") take no side.
    """
    by_value: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        by_value[value_key(c.typed)].append(c)
    values = list(by_value.values())
    contested = [g for g in values if any(not compatible(g[0].typed, h[0].typed) for h in values if h is not g)]
    contested.sort(key=lambda g: (width(g[0].typed), -len(g), g[0].id))
    sides: list[list[list[Claim]]] = []
    for g in contested:
        for side in sides:
            if all(compatible(g[0].typed, h[0].typed) for h in side):
                side.append(g)
                break
        else:
            sides.append([g])
    return [[c for g in side for c in g] for side in sides]


def _side_label(side: list[Claim]) -> str:
    seen: list[str] = []
    for c in side:
        if c.value not in seen:
            seen.append(c.value)
    return " / ".join(seen)


def _kind(sides: list[list[Claim]]) -> str:
    """``evolving`` when a count only grew as reporting went on; else ``conflict``."""
    def when(c: Claim) -> datetime | None:
        return c.published_at

    firsts = []
    for side in sides:
        times = [when(c) for c in side]
        if any(t is None for t in times):
            return "conflict"
        firsts.append((min(t for t in times if t is not None), side))
    firsts.sort(key=lambda p: p[0])
    lows = []
    for _, side in firsts:
        v = side[0].typed
        lows.append(getattr(v, "low", None))
    if all(x is not None for x in lows) and all(a < b for a, b in itertools.pairwise(lows)):  # type: ignore[operator]
        if len({t for t, _ in firsts}) == len(firsts):
            return "evolving"
    return "conflict"


def find_contradictions(event_id: str, claims: list[Claim]) -> dict[str, list[list[Claim]]]:
    """Contradiction id -> sides, for every slot whose claims cannot all be true."""
    out: dict[str, list[list[Claim]]] = {}
    for (slot, subject), group in sorted(_groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        sides = _sides(group)
        if len(sides) >= 2:
            out[digest(event_id, slot, subject or "")] = sides
    return out


def best_values(claims: list[Claim]) -> list[SlotValue]:
    """Per slot, the value held by the most sources (ties: the most specific)."""
    out: list[SlotValue] = []
    for (slot, subject), group in sorted(_groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        by_value: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_value[value_key(c.typed)].append(c)
        best = max(by_value.values(), key=lambda g: (len({c.source for c in g}), -width(g[0].typed), g[0].id))
        out.append(SlotValue(slot=slot, subject=subject, value=best[0].value,
                             sources=sorted({c.source for c in best}), claim_ids=[c.id for c in best]))
    return out


def merge(
    state: EventState | None, event_id: str, x: Extracted, at: datetime
) -> tuple[EventState, list[tuple[Contradiction, str]]]:
    """Merge one article's claims into an event's state.

    Returns the new state and the contradictions this article created (``"new"``) or gave a
    new side (``"new_side"``). An article already merged with the same content changes nothing.
    """
    ref = x.article
    if state is None:
        state = EventState(id=event_id, title=x.features.title, updated_at=at)
    for a in state.articles:
        if a.id == ref.id and a.content_hash == ref.content_hash:
            return state, []
    replaced = {a.id for a in state.articles if _same_article(a.id, a.url, a.source, x)}
    articles = [a for a in state.articles if a.id not in replaced] + [ref]
    claims = [c for c in state.claims if c.article_id not in replaced] + list(x.claims)

    old = {c.id: c for c in state.contradictions}
    found = find_contradictions(event_id, claims)
    claim_by_id = {c.id: c for c in claims}
    contradictions: list[Contradiction] = []
    changes: list[tuple[Contradiction, str]] = []
    for cid, sides in found.items():
        prev = old.get(cid)
        new_sides = [
            ContradictionSide(value=_side_label(s), claim_ids=[c.id for c in s],
                              sources=sorted({c.source for c in s}))
            for s in sides
        ]
        slot, subject = sides[0][0].slot, sides[0][0].subject
        con = Contradiction(
            id=cid, slot=slot, subject=subject, kind=_kind(sides),  # type: ignore[arg-type]
            detected_at=prev.detected_at if prev else at,
            detected_by_article=prev.detected_by_article if prev else ref.id,
            sides=new_sides,
        )
        contradictions.append(con)
        if prev is None:
            changes.append((con, "new"))
        else:
            before = {value_key(claim_by_id[i].typed) for s in prev.sides for i in s.claim_ids if i in claim_by_id}
            now = {value_key(claim_by_id[i].typed) for s in new_sides for i in s.claim_ids}
            added_by_this = {value_key(c.typed) for c in x.claims}
            if (now - before) & added_by_this:
                changes.append((con, "new_side"))

    history = [*state.history, HistoryEntry(
        seq=len(state.history) + 1, at=at, article_id=ref.id,
        change="opened" if not state.articles else ("version" if replaced else "article"),
        claims_added=len(x.claims), new_contradictions=[c.id for c, _ in changes],
    )]
    new_state = state.model_copy(update={
        "title": state.title or x.features.title,
        "updated_at": at,
        "articles": articles,
        "claims": claims,
        "contradictions": contradictions,
        "best": best_values(claims),
        "history": history,
    })
    return new_state, changes

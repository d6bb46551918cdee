"""The state merge: ``merge(state, extracted) -> (state, new contradictions)``.

Pure and idempotent: merging an article that the state already holds (same id, same content
hash) changes nothing. A newer version of an article (same id or same source and url) replaces
that article's claims and never contradicts them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from agents.core import aliases
from agents.core.compare import compatible, grew, vague, value_key, width
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

UNCOMPARED: frozenset[str] = frozenset({"target", "weapon", "vehicle"})
UNCOMPARED_PREFIXES: tuple[str, ...] = ("damaged:", "destroyed:", "affected:")
"""Slots kept for the best-values table but never alerted on: damage tallies vary by area and hour, and
an attack can have several targets and weapons, so two different ones are no contradiction."""


ANY_SUBJECT = "*"
"""A claim about any subject of its slot ("no group has claimed responsibility") joins every subject's group."""


def _same_article(a_id: str, a_url: str | None, a_source: str, x: Extracted) -> bool:
    ref = x.article
    return a_id == ref.id or (bool(ref.url) and a_url == ref.url and a_source == ref.source)


def _subject_key(subject: str | None) -> str | None:
    """Subjects are grouped by their alias-resolved key (Daabul and Daeboul are one person)."""
    if subject is None or subject == ANY_SUBJECT:
        return subject
    return aliases.canonical(subject)


def _groups(claims: list[Claim]) -> dict[tuple[str, str | None], list[Claim]]:
    groups: dict[tuple[str, str | None], list[Claim]] = defaultdict(list)
    wildcards = [c for c in claims if c.subject == ANY_SUBJECT and c.scope == "main"]
    for c in claims:
        if c.subject == ANY_SUBJECT:
            continue
        if c.scope == "main" and c.slot not in UNCOMPARED and not c.slot.startswith(UNCOMPARED_PREFIXES):
            groups[(c.slot, _subject_key(c.subject))].append(c)
    for w in wildcards:
        targets = [k for k in groups if k[0] == w.slot]
        for k in targets or [(w.slot, ANY_SUBJECT)]:
            groups[k].append(w)
    return groups


def _when(c: Claim) -> datetime | None:
    return c.published_at


def _evolves(a: Claim, b: Claim) -> bool:
    """A count that grew between two reports published at different times (earlier lower bound, later higher)."""
    ta, tb = _when(a), _when(b)
    if ta is None or tb is None or ta == tb:
        return False
    first, second = (a, b) if ta < tb else (b, a)
    return grew(first.typed, second.typed)


def _tension(g: list[Claim], h: list[Claim]) -> bool:
    """Two value groups cannot both stand: disjoint values, or a count that grew between reports."""
    if not compatible(g[0].typed, h[0].typed):
        return True
    return any(_evolves(a, b) for a in g for b in h)


def _sides(claims: list[Claim]) -> list[list[Claim]]:
    """Partition the claims of one slot into sides of values that can stand together.

    Values in tension with no other value (e.g. "dozens", "at least 32" next to 32 and 42) take no side.
    """
    by_value: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if not vague(c.typed):
            by_value[value_key(c.typed)].append(c)
    values = list(by_value.values())
    contested = [g for g in values if any(_tension(g, h) for h in values if h is not g)]
    contested.sort(key=lambda g: (width(g[0].typed), -len(g), g[0].id))
    sides: list[list[list[Claim]]] = []
    for g in contested:
        for side in sides:
            if not any(_tension(g, h) for h in side):
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
    """``evolving`` when every disagreement is between reports at different times, the later one higher."""
    for i, s1 in enumerate(sides):
        for s2 in sides[i + 1:]:
            for a in s1:
                for b in s2:
                    if compatible(a.typed, b.typed) and not _evolves(a, b):
                        continue
                    ta, tb = _when(a), _when(b)
                    if ta is None or tb is None or ta == tb:
                        return "conflict"
                    first, second = (a, b) if ta < tb else (b, a)
                    lo1, lo2 = getattr(first.typed, "low", None), getattr(second.typed, "low", None)
                    if lo1 is None or lo2 is None or lo2 <= lo1:
                        return "conflict"
    return "evolving"


def find_contradictions(
    event_id: str, claims: list[Claim]
) -> dict[str, tuple[str, str | None, list[list[Claim]]]]:
    """Contradiction id -> (slot, subject, sides), for every slot and subject whose claims cannot all be true."""
    out: dict[str, tuple[str, str | None, list[list[Claim]]]] = {}
    for (slot, subject), group in sorted(_groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        sides = _sides(group)
        if len(sides) >= 2:
            out[digest(event_id, slot, subject or "")] = (slot, subject, sides)
    return out


def best_values(claims: list[Claim]) -> list[SlotValue]:
    """Per slot and subject, the value held by the most sources (ties: the latest report, then the most specific).

    Open-ended vague values ("dozens") are only chosen when nothing more precise was reported.
    """
    out: list[SlotValue] = []
    for (slot, _key), group in sorted(_groups(claims).items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        by_value: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_value[value_key(c.typed)].append(c)
        floor = datetime.min.replace(tzinfo=UTC)
        best = max(by_value.values(), key=lambda g: (
            not vague(g[0].typed), len({c.source for c in g}), max(c.published_at or floor for c in g),
            -width(g[0].typed), g[0].id))
        subject = next((c.subject for c in group if c.subject != ANY_SUBJECT), None)
        out.append(SlotValue(slot=slot, subject=subject, value=best[0].value,
                             sources=sorted({c.source for c in best}), claim_ids=[c.id for c in best]))
    return out


def _contradictions(
    event_id: str, known: list[Contradiction], claims: list[Claim], at: datetime, article_id: str,
    added: set[str], earlier: dict[str, Contradiction] | None = None,
) -> tuple[list[Contradiction], list[tuple[Contradiction, str]]]:
    """The contradictions of an event's claims, and those that are new (``"new"``) or gained a side
    with one of the ``added`` values (``"new_side"``). ``earlier``: contradictions known under
    other ids (an absorbed event's, by the id it would have here): they keep their detection time
    and article, and are new here (the alert names this event)."""
    old = {c.id: c for c in known}
    found = find_contradictions(event_id, claims)
    claim_by_id = {c.id: c for c in claims}
    contradictions: list[Contradiction] = []
    changes: list[tuple[Contradiction, str]] = []
    for cid, (slot, _key, sides) in found.items():
        subject = next((c.subject for s in sides for c in s if c.subject != ANY_SUBJECT), None)
        prev = old.get(cid)
        first = prev or (earlier or {}).get(cid)
        new_sides = [
            ContradictionSide(value=_side_label(s), claim_ids=[c.id for c in s],
                              sources=sorted({c.source for c in s}))
            for s in sides
        ]
        con = Contradiction(
            id=cid, slot=slot, subject=subject, kind=_kind(sides),
            detected_at=first.detected_at if first else at,
            detected_by_article=first.detected_by_article if first else article_id,
            sides=new_sides,
        )
        contradictions.append(con)
        if prev is None:
            changes.append((con, "new"))
        else:
            before = {value_key(claim_by_id[i].typed) for s in prev.sides for i in s.claim_ids if i in claim_by_id}
            now = {value_key(claim_by_id[i].typed) for s in new_sides for i in s.claim_ids}
            if (now - before) & added:
                changes.append((con, "new_side"))
    return contradictions, changes


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

    added_by_this = {value_key(c.typed) for c in x.claims}
    contradictions, changes = _contradictions(event_id, state.contradictions, claims, at, ref.id, added_by_this)

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
    for gcid, (slot, key, _sides) in find_contradictions(gone.id, gone.claims).items():
        if gcid in by_id:
            earlier[digest(event_id, slot, key or "")] = by_id[gcid]
    everything = {value_key(c.typed) for c in claims}  # a side the survivor lacked is news to its readers
    contradictions, changes = _contradictions(event_id, state.contradictions, claims, at, article_id, everything,
                                              earlier)
    history = [*state.history, HistoryEntry(
        seq=len(state.history) + 1, at=at, article_id=article_id, change="merged", merged_from=gone.id,
        claims_added=len(added), new_contradictions=[c.id for c, _ in changes],
    )]
    new_state = state.model_copy(update={
        "title": state.title or gone.title,
        "updated_at": max(state.updated_at, at),
        "articles": articles,
        "claims": claims,
        "contradictions": contradictions,
        "best": best_values(claims),
        "history": history,
    })
    return new_state, changes

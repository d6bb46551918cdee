"""Contradictions and best values: which claims of an event disagree, how (``conflict``, ``evolving``), and
what is best known per slot, with independent origins counted."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

from agents.core import aliases
from agents.core.compare import compatible, grew, spelling, stated, vague, value_key, width
from agents.core.entity_groups import name_entities, subject_of
from agents.core.labels import label_of
from agents.core.severity import severity_of
from schemas import (
    Claim,
    Contradiction,
    ContradictionSide,
    SlotValue,
)
from schemas.article import source_unknown
from schemas.ids import digest

UNCOMPARED: frozenset[str] = frozenset({"target", "weapon", "vehicle"})
UNCOMPARED_PREFIXES: tuple[str, ...] = ("damaged:", "destroyed:", "affected:")
"""Slots kept for the best-values table but never alerted on: damage tallies vary by area and hour, and
an attack can have several targets and weapons, so two different ones are no contradiction."""
BACKGROUND = "other: "
"""Subject prefix of a background fact dated apart ("other: june 2012"): compared only with facts of that date."""
ANY_SUBJECT = "*"
"""A claim about any subject of its slot ("no group has claimed responsibility") joins every subject's group."""


def _subject_key(subject: str | None) -> str | None:
    """Subjects are grouped by their alias-resolved key (Daabul and Daeboul are one person)."""
    if subject is None or subject == ANY_SUBJECT:
        return subject
    return aliases.canonical(subject)


Groups = dict[tuple[str, str | None], list[Claim]]
"""Claims by (slot, alias-resolved subject): what is compared (:func:`groups_of`)."""


def groups_of(claims: list[Claim]) -> Groups:
    groups: dict[tuple[str, str | None], list[Claim]] = defaultdict(list)
    wildcards = [c for c in claims if c.subject == ANY_SUBJECT and c.scope == "main"]
    entities = name_entities(claims)
    for c in claims:
        if c.subject == ANY_SUBJECT:
            continue
        comparable = c.scope == "main" or (c.subject or "").startswith(BACKGROUND)
        if comparable and c.slot not in UNCOMPARED and not c.slot.startswith(UNCOMPARED_PREFIXES):
            subject = subject_of(c, entities)
            groups[(c.slot, subject if subject is not c.subject else _subject_key(subject))].append(c)
    for w in wildcards:
        targets = [k for k in groups if k[0] == w.slot]
        for k in targets or [(w.slot, ANY_SUBJECT)]:
            groups[k].append(w)
    return groups


def _when(c: Claim) -> datetime | None:
    return c.published_at


def origin_of(c: Claim) -> str:
    """The claim's origin: its article's wire service or outlet, else its source."""
    return c.origin or c.source


def by_origin(claims: list[Claim]) -> dict[str, list[str]]:
    """Outlets grouped by the independent origin whose reporting they carry. An article whose source names no
    outlet ("unknown (story.txt)") and credits no one is no origin: it stays among a side's sources only."""
    out: dict[str, set[str]] = defaultdict(set)
    for c in claims:
        origin = origin_of(c)
        if not source_unknown(origin):
            out[origin].add(c.source)
    return {o: sorted(v) for o, v in sorted(out.items())}


def evolves(a: Claim, b: Claim) -> bool:
    """A count that grew between two reports published at different times (earlier lower bound, later higher)."""
    ta, tb = _when(a), _when(b)
    if ta is None or tb is None or ta == tb:
        return False
    first, second = (a, b) if ta < tb else (b, a)
    return grew(first.typed, second.typed)


def _growing(g: list[Claim]) -> tuple[Claim | None, datetime | None, datetime | None]:
    """A claim of ``g`` stating a figure (exact or lower bound); the first and last publication of those."""
    rep: Claim | None = None
    lo: datetime | None = None
    hi: datetime | None = None
    for c in g:
        t = _when(c)
        if t is None or stated(c.typed) is None:
            continue
        rep = rep or c
        lo = t if lo is None or t < lo else lo
        hi = t if hi is None or t > hi else hi
    return rep, lo, hi


def _aged_between(g: list[Claim], h: list[Claim]) -> bool:
    """Two ages of one person that the time between two reports explains ("Orozco, 27" at the shooting,
    "Orozco, 29" at the sentencing two years later)."""
    for a in g:
        for b in h:
            x, y = getattr(a.typed, "low", None), getattr(b.typed, "low", None)
            if a.published_at is None or b.published_at is None or x is None or y is None:
                continue
            years = abs((a.published_at - b.published_at).days) / 365.25
            # a birthday may fall between two reports half a year or more apart, not between two of a week
            if years >= 0.5 and abs(x - y) <= int(years) + 1:
                return True
    return False


def tension(g: list[Claim], h: list[Claim]) -> bool:
    """Two value groups cannot both stand: disjoint values, or a count that grew between reports.

    Exactly ``any(evolves(a, b) for a in g for b in h)`` for the growth test, in linear time: within a
    value group every claim that states a figure has the same bounds, so a pair that grew exists iff
    one group's earliest such claim precedes the other's latest and the figure grew that way.
    """
    if not compatible(g[0].typed, h[0].typed):
        return g[0].slot != "age" or not _aged_between(g, h)
    rg, g_lo, g_hi = _growing(g)
    rh, h_lo, h_hi = _growing(h)
    if rg is None or rh is None:
        return False
    assert g_lo is not None and g_hi is not None and h_lo is not None and h_hi is not None
    return (g_lo < h_hi and grew(rg.typed, rh.typed)) or (h_lo < g_hi and grew(rh.typed, rg.typed))


def sides_of(claims: list[Claim]) -> list[list[Claim]]:
    """Partition the claims of one slot into sides of values that can stand together.

    Values in tension with no other value (e.g. "dozens", "at least 32" next to 32 and 42) take no side.
    """
    by_value: dict[str, list[Claim]] = defaultdict(list)
    for c in claims:
        if not vague(c.typed):
            by_value[value_key(c.typed)].append(c)
    values = list(by_value.values())
    contested = [g for g in values if any(tension(g, h) for h in values if h is not g)]
    contested.sort(key=lambda g: (width(g[0].typed), -len(g), g[0].id))
    sides: list[list[list[Claim]]] = []
    for g in contested:
        for side in sides:
            if not any(tension(g, h) for h in side):
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


def _distinct(side: list[Claim]) -> list[Claim]:
    """One claim per typed value, publication time and origin: all that :func:`_kind` compares of a claim."""
    seen: dict[tuple[object, ...], Claim] = {}
    for c in side:
        values = (tuple(v) if isinstance(v, list) else v for v in c.typed.__dict__.values())
        seen.setdefault((type(c.typed), *values, c.published_at, origin_of(c)), c)
    return list(seen.values())


def _kind(sides: list[list[Claim]]) -> str:
    """``evolving`` when every disagreement is between reports at different times, the later one higher;
    ``spelling`` when every disagreement is between two spellings of one name."""
    distinct = [_distinct(s) for s in sides]
    pairs = [(a.typed, b.typed) for i, s1 in enumerate(distinct) for s2 in distinct[i + 1 :] for a in s1 for b in s2]
    if any(spelling(a, b) for a, b in pairs) and all(spelling(a, b) or compatible(a, b) for a, b in pairs):
        return "spelling"
    for i, s1 in enumerate(distinct):
        for s2 in distinct[i + 1 :]:
            for a in s1:
                for b in s2:
                    if compatible(a.typed, b.typed) and not evolves(a, b):
                        continue
                    if origin_of(a) == origin_of(b):
                        continue  # two copies of one origin's story: the wire updated it
                    ta, tb = _when(a), _when(b)
                    if ta is None or tb is None or ta == tb:
                        return "conflict"
                    first, second = (a, b) if ta < tb else (b, a)
                    lo1, lo2 = getattr(first.typed, "low", None), getattr(second.typed, "low", None)
                    if lo1 is None or lo2 is None or lo2 <= lo1:
                        return "conflict"
    return "evolving"


INCIDENT_SLOTS: frozenset[str] = frozenset(
    {"killed", "injured", "missing", "arrested", "attackers", "time of incident", "day of incident", "location"}
    | {"magnitude", "responsibility", "perpetrator", "released in exchange"}
)
"""Slots whose identity is the incident itself: one value per incident, whatever the wording. Every other
slot is a key made from an article's words ("rebound (with)", "size of model", "age" of a person), which
identifies one fact only while each article that uses it gives it one value."""


LEAD_CHARS = 600
"""An article's lead, about its title and first four sentences: where it reports the incident itself."""


def ambiguous_keys(claims: list[Claim]) -> set[tuple[str, str | None]]:
    """The (slot, subject) keys that some article states with two values that cannot both hold, neither in
    its lead.

    Such a key names several things in that article ("a 36-yard field goal ... a 45-yard field goal", "the
    11-inch and 13-inch models"), so two outlets' values of it are no evidence of a disagreement: where a
    fact's identity is uncertain the event says nothing. A value in the article's lead is its report of the
    incident (a later different one is another thing, or a correction), so it leaves the key sure. Incident
    slots are exempt (their later figures are another incident's, set apart by scope), and so are names
    (a name's key is its entity)."""
    seen: dict[tuple[str, str | None, str], list[Claim]] = defaultdict(list)
    out: set[tuple[str, str | None]] = set()
    for c in claims:
        if c.slot in INCIDENT_SLOTS or c.slot == "name" or c.subject == ANY_SUBJECT:
            continue
        if (c.subject or "").startswith(BACKGROUND):
            continue
        seen[(c.slot, _subject_key(c.subject), c.article_id)].append(c)
    for (slot, subject, _article), held in seen.items():
        if (slot, subject) in out or len(held) < 2 or min(c.start for c in held) < LEAD_CHARS:
            continue
        if any(not compatible(a.typed, b.typed) for i, a in enumerate(held) for b in held[i + 1 :]):
            out.add((slot, subject))
    return out


def unnamed_of_many(groups: Groups) -> set[tuple[str, str | None]]:
    """The keys without a subject of slots that two or more named subjects share in the event.

    "Charles ran for 86 yards on 22 carries" and "Thomas finished on 147 carries" make ``carry (in)`` a key
    of several people, so "on 83 carries" with no one named could be anyone's: no fact to compare. The
    incident's own slots are exempt (a total beside its named subgroups is the incident's total)."""
    named: dict[str, set[str]] = defaultdict(set)
    for slot, subject in groups:
        if subject is not None and subject != ANY_SUBJECT and slot not in INCIDENT_SLOTS:
            named[slot].add(subject)
    return {(slot, None) for slot, subjects in named.items() if len(subjects) >= 2 and (slot, None) in groups}


def _shown(key: str | None, sides: list[list[Claim]]) -> str | None:
    """A group keyed by an entity (a person's name) is shown as the entity's name is first written."""
    if key is None:
        return None
    for side in sides:
        for c in side:
            if getattr(c.typed, "canonical", None) == key:
                return c.value
    return key


def find_contradictions(
    event_id: str, claims: list[Claim], groups: Groups | None = None
) -> dict[str, tuple[str, str | None, list[list[Claim]]]]:
    """Contradiction id -> (slot, subject, sides), for every slot and subject whose claims cannot all be true."""
    out: dict[str, tuple[str, str | None, list[list[Claim]]]] = {}
    groups = groups_of(claims) if groups is None else groups
    unsure = ambiguous_keys(claims) | unnamed_of_many(groups)
    for (slot, subject), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        if (slot, subject) in unsure:
            continue
        sides = sides_of(group)
        if len(sides) >= 2:
            out[digest(event_id, slot, subject or "")] = (slot, subject, sides)
    return out


def best_values(claims: list[Claim], groups: Groups | None = None) -> list[SlotValue]:
    """Per slot and subject, the value held by the most independent origins (ties: the latest report, so that a
    wire's update wins over its earlier copies; then the most outlets, then the most specific).

    Open-ended vague values ("dozens") are only chosen when nothing more precise was reported.
    """
    out: list[SlotValue] = []
    groups = groups_of(claims) if groups is None else groups
    for (slot, _key), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
        by_value: dict[str, list[Claim]] = defaultdict(list)
        for c in group:
            by_value[value_key(c.typed)].append(c)
        floor = datetime.min.replace(tzinfo=UTC)
        best = max(
            by_value.values(),
            key=lambda g: (
                not vague(g[0].typed),
                len(by_origin(g)),
                max(c.published_at or floor for c in g),
                len({c.source for c in g}),
                -width(g[0].typed),
                g[0].id,
            ),
        )
        subject = next((c.subject for c in group if c.subject != ANY_SUBJECT), None)
        out.append(
            SlotValue(
                slot=slot,
                subject=subject,
                value=best[0].value,
                sources=sorted({c.source for c in best}),
                claim_ids=[c.id for c in best],
                origins=len(by_origin(best)),
                by_origin=by_origin(best),
            )
        )
    return out


def _one_origin(sides: list[list[Claim]]) -> str | None:
    """The origin whose copies every disagreement is between, if only one ("AP updated its figure")."""
    origins = {origin_of(c) for s in sides for c in s}
    return next(iter(origins)) if len(origins) == 1 else None


def contradictions_of(
    event_id: str,
    known: list[Contradiction],
    claims: list[Claim],
    at: datetime,
    article_id: str,
    added: set[str],
    earlier: dict[str, Contradiction] | None = None,
    groups: Groups | None = None,
) -> tuple[list[Contradiction], list[tuple[Contradiction, str]]]:
    """The contradictions of an event's claims, and those that are new (``"new"``) or gained a side
    with one of the ``added`` values (``"new_side"``). ``earlier``: contradictions known under
    other ids (an absorbed event's, by the id it would have here): they keep their detection time
    and article, and are new here (the alert names this event)."""
    old = {c.id: c for c in known}
    found = find_contradictions(event_id, claims, groups)
    claim_by_id = {c.id: c for c in claims}
    contradictions: list[Contradiction] = []
    changes: list[tuple[Contradiction, str]] = []
    for cid, (slot, key, sides) in found.items():
        subject = next((c.subject for s in sides for c in s if c.subject != ANY_SUBJECT), None) or _shown(key, sides)
        prev = old.get(cid)
        first = prev or (earlier or {}).get(cid)
        new_sides = [
            ContradictionSide(
                value=_side_label(s),
                claim_ids=[c.id for c in s],
                sources=sorted({c.source for c in s}),
                origins=len(by_origin(s)),
                by_origin=by_origin(s),
            )
            for s in sides
        ]
        kind = _kind(sides)
        con = Contradiction(
            id=cid,
            slot=slot,
            subject=subject,
            label=label_of(slot, subject),
            kind=kind,
            severity=severity_of(slot, subject, kind),
            origin=_one_origin(sides),
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

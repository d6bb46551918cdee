"""One article, one statement per fact: a later statement that contradicts the article's first one is set apart.

An article that gives two incompatible values for one open fact key (a depth of 2.7 miles, then 1.4
miles for a foreshock; a haul of 2 million euros, then 103 million for last summer's heist) is most
often speaking of two things that the key does not tell apart. Its first statement (the title, then the
text in order) is the one about the article's own incident; the later ones are kept with scope
``other``, never compared.
"""

from __future__ import annotations

import re

from agents.core.compare import compatible, value_key
from agents.core.contradictions import BACKGROUND
from schemas import Claim

SINGLE_FACTS = frozenset({"time of incident", "location", "magnitude"})
"""Typed slots of which an article states one value for its own incident (a later one is another quake's)."""


def headline_end(text: str) -> int:
    """Where an article's headline ends: its title, or a first line without a sentence's final stop."""
    first = text.lstrip("\n").split("\n", 1)[0].rstrip()
    offset = len(text) - len(text.lstrip("\n"))
    return offset + len(first) if first and first[-1] not in ".!?\"'" else 0


def one_per_value(claims: list[Claim], keys: set[str], title_end: int) -> list[Claim]:
    """One claim per fact and value per article: a headline that repeats what the text states gives way to the
    text's statement (the one with its attribution and context)."""
    body: set[tuple[str, str | None, str]] = set()
    for c in claims:
        if c.slot in keys and c.start >= title_end:
            body.add((c.slot, c.subject, value_key(c.typed)))
    return [
        c
        for c in claims
        if not (c.slot in keys and c.start < title_end and (c.slot, c.subject, value_key(c.typed)) in body)
    ]


def first_statements(claims: list[Claim], open_keys: set[str]) -> list[Claim]:
    """``claims`` with each later main-scope claim of an open key that contradicts the key's first one set apart."""
    first: dict[tuple[str, str | None], list[Claim]] = {}
    apart: set[int] = set()
    for k in sorted(range(len(claims)), key=lambda k: claims[k].start):
        c = claims[k]
        if c.slot not in open_keys or c.scope != "main":
            continue
        held = first.setdefault((c.slot, c.subject), [])
        if held and not all(compatible(h.typed, c.typed) for h in held):
            apart.add(k)
        else:
            held.append(c)
    return [c.model_copy(update={"scope": "other"}) if k in apart else c for k, c in enumerate(claims)]


_DATED = re.compile(
    r"\b(?:(?:in|on|of)\s+)?(?P<mon>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?(?:\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?)?,?\s+"
    r"(?P<year>(?:19|20)\d\d)\b",
    re.I,
)


def dated_background(claims: list[Claim]) -> list[Claim]:
    """A background figure whose own words date it to a month ("in June 2012, a 3.0 quake struck") becomes a fact
    of that other incident (subject ``other: june 2012``), compared only with what other reports say of it."""
    out = []
    for c in claims:
        m = _DATED.search(c.quote) if c.scope == "other" and c.subject is None else None
        if m is None:
            out.append(c)
            continue
        day = f" {int(m.group('day'))}" if m.group("day") else ""
        when = f"{m.group('mon')[:3].lower()}{day} {m.group('year')}"
        out.append(c.model_copy(update={"subject": f"{BACKGROUND}{when}"}))
    return out

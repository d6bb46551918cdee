"""Names: the people of the incident (where they live, how old they are, how their names are spelled) and
the names given to things ("a dhow named Salahuddin").

- ``home`` (subject: the person): "Anthony LaSalle, 36, of Minneapolis", "Chohan, who lived in South Ozone
  Park", "a resident of College Point". Places compare as places: one inside the other ("Richmond Hill",
  "South Richmond Hill") or two spellings of one ("Schenectady", "Schnectady") agree.
- ``age`` (subject: the person): "Anthony LaSalle, 36,".
- ``name`` (subject: the person's initials, or ``name of <thing>``): every full name as written. Two spellings of
  one name ("Rait" / "Raite", "LaTonya" / "Latoya", "Salahuddin" / "Salahaddin") are a finding of their own
  (``kind: spelling``); two different names are two people or things, never a conflict.

A person is keyed by first and last name; a surname alone ("LaSalle, of Bloomington") takes the first
name the article gives that surname elsewhere.
"""

from __future__ import annotations

import re
import unicodedata

from spacy.tokens import Span

from agents.core.facts.doc import doc_ents, doc_text, segment, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import MONTH_NAMES, NAME_STOPWORDS, NAMED_THINGS, TITLES, WEEKDAYS
from schemas import CategoryValue, CountValue

_NAME = r"(?P<name>[A-Z][\w'-]*(?:\s+(?:[A-Z]\.|[A-Z][\w'-]*)){0,3})"
_PLACE = r"(?P<place>[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*){0,3})"
_PEOPLE_HINT = re.compile(r"(?=[,oflr])(?:,\s*\d{1,3},|\b(?:of|from)\s+[A-Z]|\bliv(?:ed|es)\b|\bresid)")
"""The entry test of :func:`people`: an age or a home."""
_HOME = re.compile(
    _NAME
    + r"(?:,\s*(?:an?\s+)?(?P<age>\d{1,3})(?:-year-old)?)?,\s+(?:(?:an?\s+)?(?:resident|native) of|of|from)\s+"
    + _PLACE
    + r"|"
    + _NAME.replace("name", "name2")
    + r",?\s+(?:who\s+)?(?:lived|lives|resided|resides)\s+"
    r"(?:[a-z][\w\s-]{0,25}?\s)?in\s+" + _PLACE.replace("place", "place2")
)
_AGE = re.compile(_NAME + r",\s*(?P<age>\d{1,3}),")
_NAMED = re.compile(
    r"\b(?P<thing>[a-z]+)(?:\s*,(?P<aside>[^,.]{0,40}),)?\s+(?:(?:was|is|has been|had been)\s+)?"
    r"(?:named|called|dubbed|christened|identified as)\s+(?:the\s+)?[\"']?"
    r"(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})"
)
_NOT_PLACE = re.compile(r"^(?:The|A|An|His|Her|Their|Police|Department|County Sheriff|University)\b")


def name_key(name: str) -> str:
    """One key for the ways one spelling is written: case, accents, hyphens ("François Hollande" = "Francois
    Hollande", "Kim Jong-Un" = "Kim Jong-un")."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    return re.sub(r"[-'\u2019]", "", plain.lower())


def _words(name: str) -> list[str]:
    """The words of a name without titles, initials and a possessive ("Raj K. Chohan's" -> Raj, Chohan)."""
    name = re.sub(r"['\u2019]s?$", "", name.strip())
    name = re.sub(r",?\s+(?:Jr\.?|Sr\.?|II|III|IV)$", "", name)
    out = [w for w in name.split() if not re.fullmatch(r"[A-Z]\.?", w)]
    while out and out[0].lower().rstrip(".") in TITLES:
        out = out[1:]
    return out


def _is_name(words: list[str]) -> bool:
    return (
        bool(words)
        and all(w[0].isupper() and w.lower() not in NAME_STOPWORDS for w in words)
        and not any(w.lower() in MONTH_NAMES or w.lower() in WEEKDAYS for w in words)
    )


_FULL = re.compile(r"\b([A-Z][a-z]+)\s+(?:[A-Z]\.\s+)?([A-Z][a-z]*[A-Z]?[a-z'-]+)\b")


def full_names(ctx: Ctx) -> dict[str, str]:
    """Surname -> "first last" of the people the article names in full: its PERSON entities, then any
    "First Last" the tagger missed (a surname alone later in the text takes this first name)."""
    cached = ctx.doc.user_data.get("cf_full_names")
    if cached is not None:
        return cached
    out: dict[str, str] = {}
    for e in doc_ents(ctx.doc):
        if e.label_ != "PERSON":
            continue
        w = _words(e.text)
        if len(w) >= 2 and _is_name(w):
            out.setdefault(w[-1].lower(), f"{w[0]} {w[-1]}")
    for m in _FULL.finditer(doc_text(ctx.doc)):
        w = [m.group(1), m.group(2)]
        if _is_name(w) and w[0].lower() not in TITLES:
            out.setdefault(w[1].lower(), f"{w[0]} {w[1]}")
    ctx.doc.user_data["cf_full_names"] = out
    return out


def person_key(ctx: Ctx, name: str) -> tuple[str, str] | None:
    """(key, display) of a person's name: first and last name, lower case."""
    w = _words(name)
    if not _is_name(w):
        return None
    full = f"{w[0]} {w[-1]}" if len(w) >= 2 else full_names(ctx).get(w[-1].lower(), w[-1])
    return full.lower(), full


def _looks_like_person(ctx: Ctx, sent: Span, a: int, b: int, age: str | None) -> bool:
    if age:
        return True
    lo, hi = sent.start_char + a, sent.start_char + b
    if any(e.label_ == "PERSON" and e.start_char < hi and lo < e.end_char for e in doc_ents(ctx.doc)):
        return True
    last = _words(sent_text(sent)[a:b])
    return bool(last) and last[-1].lower() in full_names(ctx)


def people(ctx: Ctx, sent: Span) -> None:
    """Homes and ages of named people."""
    text = sent_text(sent)
    if not _PEOPLE_HINT.search(text):
        return
    taken: set[str] = set()
    for m in _HOME.finditer(text):
        name, place, at = (
            (m.group("name"), m.group("place"), m.start("name"))
            if m.group("name")
            else (m.group("name2"), m.group("place2"), m.start("name2"))
        )
        end = at + len(name)
        if not _looks_like_person(ctx, sent, at, end, m.group("age")) or _NOT_PLACE.match(place):
            continue
        who = person_key(ctx, name)
        p0 = sent.start_char + (m.start("place") if m.group("name") else m.start("place2"))
        if (
            who is None
            or not _is_name(place.split())
            or any(e.label_ in ("ORG", "PERSON", "NORP") and e.start_char <= p0 < e.end_char for e in doc_ents(ctx.doc))
        ):
            continue
        key = who[0]
        taken.add(key)
        _claim(
            ctx,
            sent,
            "home",
            key,
            place.strip(),
            CategoryValue(label=place.strip(), canonical=place.lower(), rule="place"),
            m.start(),
            m.end(),
        )


def _claim(
    ctx: Ctx, sent: Span, slot: str, subject: str, label: str, value: CategoryValue | CountValue, a: int, b: int
) -> None:
    ctx.open_slots.add(slot)
    q0, q1 = segment(sent_text(sent), a, b)
    add_claim(
        ctx,
        slot,
        label,
        value,
        sent,
        *trim(ctx.doc, sent.start_char + min(q0, a), sent.start_char + q1),
        subject=subject,
        attributed_to=attribution(sent.root, sent),
        key=f"{slot}:{sent.start_char + a}",
        scope=sentence_scope(ctx, sent, sent.start_char + a, ignore=(sent.start_char + a, sent.start_char + b)),
    )


def name_claims(ctx: Ctx) -> None:
    """Names given to things ("a dhow named Salahuddin"); people's names are ``entities``' claims."""
    text = doc_text(ctx.doc)
    for m in _NAMED.finditer(text):
        words = [m.group("thing").lower(), *reversed((m.group("aside") or "").lower().split())]
        thing = next((NAMED_THINGS[w] for w in words if w in NAMED_THINGS), None)
        if thing is None:
            continue
        span = ctx.doc.char_span(m.start(), m.end(), alignment_mode="expand")
        if span is None:
            continue
        name = m.group("name")
        sent = span.sent
        add_claim(
            ctx,
            f"name of {thing}",
            name,
            CategoryValue(label=name, canonical=name_key(name), rule="name"),
            sent,
            *trim(ctx.doc, m.start(), m.end()),
            key=f"named:{m.start()}",
            attributed_to=attribution(sent.root, sent),
            scope=sentence_scope(ctx, sent, m.start()),
        )

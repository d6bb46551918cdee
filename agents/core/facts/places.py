"""Places of the incident: distance and bearing from a named place, offshore or inland."""

from __future__ import annotations

import re

from spacy.tokens import Span

from agents.core import aliases
from agents.core.facts.doc import sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import NUMBER, measure_value, parse_number
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import BEARINGS
from schemas import PolarityValue
from schemas.claim import PlaceValue

_DIR = r"(?:north|south|east|west)(?:[- ]?(?:north|south|east|west)){0,2}"
_OTHER_QUAKES = re.compile(r"\b(?:aftershock|foreshock|previous|last year|in (?:19|20)\d\d)\b")
_DIST = re.compile(
    r"\b(?P<q>(?:about|around|approximately|roughly|some|nearly|almost|just|only|more than|over|less than|under)\s+)?"
    rf"(?P<n>{NUMBER})\s*(?:-\s*)?(?P<u>km|kms|kilometres|kilometers|miles|mi|nautical miles|nm)\b"
    rf"(?:\s*\([^)]{{0,30}}\))?\s+(?P<d>{_DIR})\s+of\s+(?:the\s+)?"
    r"(?:(?:town|city|village|capital|port|district|regency|island|coast)\s+of\s+)?"
    r"(?P<p>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}))",
    re.I,
)
_DIR_HINT = re.compile(r"\b(?=[nsew])(?:north|south|east|west)\w*\s+of\b", re.I)
_PLACE_NOUNS = {
    "community",
    "town",
    "city",
    "village",
    "area",
    "base",
    "port",
    "island",
    "capital",
    "county",
    "district",
    "province",
    "region",
    "neighborhood",
    "neighbourhood",
    "suburb",
    "hamlet",
    "resort",
    "station",
    "airport",
    "camp",
    "plant",
    "school",
    "hospital",
    "home",
    "house",
}
"""Nouns whose position a distance may give instead of the incident's ("a small town 4 miles east of X")."""


def _of_a_place(ctx: Ctx, at: int) -> bool:
    """The distance gives the position of a place or building named before it, not of the incident."""
    span = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
    if span is None:
        return False
    t = span.root
    for _ in range(4):
        if (
            t.dep_ in ("appos", "npadvmod", "amod", "nummod", "advmod", "prep", "pobj", "compound", "quantmod")
            and t.head is not t
        ):
            t = t.head
            if t.pos_ == "NOUN" and t.lemma_.lower() in _PLACE_NOUNS:
                return True
        else:
            break
    return False


def places(ctx: Ctx, sent: Span) -> None:
    """Distance and bearing from a named place ("55 km west of Bireun", "150 nautical miles east of Aden"),
    offshore vs inland. A distance that places a town or building ("Cobb, 4 miles east of X") is left out."""
    text = sent_text(sent)
    low = text.lower()
    if _OTHER_QUAKES.search(low):
        return
    for m in _DIST.finditer(text) if _DIR_HINT.search(text) else ():
        unit = m.group("u").lower()
        factor = 1.852 if unit.startswith("nautical") or unit == "nm" else (1.609344 if unit.startswith("mi") else 1.0)
        dist = measure_value(m.group("n"), m.group("q") or "", factor=factor)
        n = parse_number(m.group("n"))
        d = re.sub(r"[- ]+", "-", m.group("d").lower())
        bearing = BEARINGS.get(d, BEARINGS.get(d.replace("-", "")))
        if bearing is None or dist is None or n is None:
            continue
        place = m.group("p")
        if not place[0].isupper() or _of_a_place(ctx, sent.start_char + m.start("n")):
            continue
        key = aliases.canonical(place, ctx.learned)
        s0 = sent.start_char
        km = n * factor
        add_claim(
            ctx,
            "location",
            f"{(m.group('q') or '')}{m.group('n')} {m.group('u')} {d} of {place}",
            PlaceValue(km=km, bearing=bearing, place=key, low=dist.low, high=dist.high),
            sent,
            *trim(ctx.doc, s0 + m.start(), s0 + m.end()),
            key=str(m.start()),
            scope=sentence_scope(
                ctx,
                sent,
                sent.start_char + m.start(),
                ignore=(sent.start_char + m.start("p"), sent.start_char + m.end("p")),
            ),
            attributed_to=attribution(sent.root, sent),
        )
    if re.search(r"\b(?:quake|earthquake|tremor)\b", low) or "epicent" in low:
        pos = re.search(
            r"\b(?:struck|hit|occurred|centred|centered|located)\s+off\b|\boff the (?:coast|shore)\b|"
            r"\boffshore\b|\bat sea\b|\bunder the sea\b|\bseabed\b",
            low,
        )
        neg = re.search(r"\b(?:struck|hit|occurred|was|located|centred|centered)\s+(?:inland|on land)\b", low)
        if pos or neg:
            value = "offshore" if pos else "inland"
            add_claim(
                ctx,
                "location",
                value,
                PolarityValue(positive=bool(pos), label=value),
                sent,
                *trim(ctx.doc, sent.start_char, sent.end_char),
                attributed_to=attribution(sent.root, sent),
                scope=sentence_scope(ctx, sent, sent.start_char + (pos or neg).start()),  # type: ignore[union-attr]
                key="offshore",
            )

"""Places of the incident: distance and bearing from a named place, offshore or inland."""

from __future__ import annotations

import re

from spacy.tokens import Span

from agents.core import aliases
from agents.core.facts.doc import sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import BEARINGS
from schemas import PolarityValue
from schemas.claim import PlaceValue

_DIST = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?)\s*(?:-\s*)?(?P<u>km|kms|kilometres|kilometers|miles|mi)\b(?:\s*\([^)]{0,30}\))?\s+"
    r"(?P<d>(?:north|south|east|west)(?:-?(?:north|south|east|west)){0,2})\s+of\s+(?:the\s+)?"
    r"(?:(?:town|city|village|capital|port|district|regency)\s+of\s+)?(?P<p>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}))",
    re.I,
)


def places(ctx: Ctx, sent: Span) -> None:
    """Distance and bearing from a named place ("55 km west of Bireun"), offshore vs inland."""
    text = sent_text(sent)
    low = text.lower()
    if not re.search(r"quake|epicent|struck|strike|hit|tremor|located|centred|centered", low):
        return
    if re.search(r"\b(?:aftershock|previous|last year|in (?:19|20)\d\d)\b", low):
        return
    for m in _DIST.finditer(text):
        n = float(m.group("n").replace(",", ""))
        km = n * 1.609 if m.group("u").lower().startswith("mi") else n
        d = m.group("d").lower()
        bearing = BEARINGS.get(d)
        if bearing is None:
            continue
        place = m.group("p")
        if not place[0].isupper():
            continue
        key = aliases.canonical(place, ctx.learned)
        s0 = sent.start_char
        add_claim(ctx, "location", f"{n:g} {m.group('u')} {d} of {place}",
             PlaceValue(km=km, bearing=bearing, place=key), sent, *trim(ctx.doc, s0, sent.end_char),
             key=str(m.start()), scope=sentence_scope(ctx, sent, sent.start_char + m.start()),
             attributed_to=attribution(sent.root, sent))
    if re.search(r"\b(?:quake|earthquake|tremor)\b", low) or "epicent" in low:
        pos = re.search(r"\b(?:struck|hit|occurred|centred|centered|located)\s+off\b|\boff the (?:coast|shore)\b|"
                        r"\boffshore\b|\bat sea\b|\bunder the sea\b|\bseabed\b", low)
        neg = re.search(r"\b(?:struck|hit|occurred|was|located|centred|centered)\s+(?:inland|on land)\b", low)
        if pos or neg:
            value = "offshore" if pos else "inland"
            add_claim(ctx, "location", value, PolarityValue(positive=bool(pos), label=value), sent,
                 *trim(ctx.doc, sent.start_char, sent.end_char), attributed_to=attribution(sent.root, sent),
                 scope=sentence_scope(ctx, sent, sent.start_char + (pos or neg).start()),  # type: ignore[union-attr]
                 key="offshore")

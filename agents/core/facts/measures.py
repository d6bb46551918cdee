"""Measures of the incident and its places: magnitude, population."""

from __future__ import annotations

import re

from spacy.tokens import Span

from agents.core import aliases
from agents.core.facts.doc import sent_ents, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import parse_number
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import SERIES_RE
from schemas import CountValue

_MAG = re.compile(r"\b(?:magnitude[- ](?P<a>\d(?:\.\d)?)|(?P<b>\d\.\d)[- ]magnitude|(?P<c>\d\.\d) on the richter|"
                  r"measuring (?P<d>\d\.\d)|(?P<e>\d\.\d)[- ]richter)", re.I)


def magnitude(ctx: Ctx, sent: Span) -> None:
    low = sent_text(sent).lower()
    if "aftershock" in low or not re.search(r"quake|tremor|magnitude|richter", low) or SERIES_RE.search(low) \
            or re.search(r"\d\.\d\s*(?:and|or|to|-)\s*\d\.\d", low):
        return
    found = [(float(next(g for g in m.groups() if g)), m.start()) for m in _MAG.finditer(sent_text(sent))]
    if len({v for v, _ in found}) != 1:
        return
    v, at = found[0]
    clause = sent.root
    scope = sentence_scope(ctx, sent, sent.start_char + at)
    add_claim(ctx, "magnitude", f"{v:g}", CountValue(low=v - 0.15, high=v + 0.15), sent,
         *trim(ctx.doc, sent.start_char, sent.end_char), attributed_to=attribution(clause, sent), scope=scope)


_POPULATION = re.compile(
    r"\b(?:(?:a |its |the )?population of|home to|(?:a|the) (?:city|town|province|region|country|island|district|"
    r"state|village) of)\s+(?P<q>about |around |some |nearly |almost |more than |over |roughly |approximately |"
    r"an estimated |at least )?(?P<n>\d[\d,.]*)\s*(?P<m>million|thousand|m\b)?\s*(?P<u>people|residents|inhabitants)?",
    re.I,
)


def population(ctx: Ctx, sent: Span) -> None:
    """Size of a place: "a city of 1.2 million people", "its population of about 300,000"."""
    text = sent_text(sent)
    if not re.search(r"population|home to|people|residents|inhabitants", text, re.I):
        return
    for m in _POPULATION.finditer(text):
        if not (m.group("u") or "population" in m.group(0).lower()):
            continue
        n = parse_number(m.group("n").rstrip(".,"))
        if n is None:
            continue
        mult = {"million": 1_000_000, "m": 1_000_000, "thousand": 1000}.get((m.group("m") or "").lower(), 1)
        n *= mult
        if n < 100:
            continue
        at = sent.start_char + m.start()
        places = [e for e in sent_ents(sent) if e.label_ in ("GPE", "LOC") and e.start_char < at]
        if not places:
            continue
        place = places[-1].text
        qual = (m.group("q") or "").strip().lower()
        d = n * 0.1  # populations are rounded and counted in different years
        label = f"{qual + ' ' if qual else ''}{n:,.0f}"
        add_claim(ctx, "population", label, CountValue(low=n - d, high=n + d, approx=True), sent,
             *trim(ctx.doc, sent.start_char, sent.end_char), subject=aliases.primary(place, ctx.learned),
             key=str(at), attributed_to=attribution(sent.root, sent))

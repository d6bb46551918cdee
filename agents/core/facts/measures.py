"""Measures of the incident, its things and its places: magnitude, dimensions with units, population."""

from __future__ import annotations

import re

from spacy.tokens import Span

from agents.core import aliases
from agents.core.facts.doc import clause_head, has_word, segment, sent_ents, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import NUMBER, measure_value, parse_number, rounding
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import (
    BACKGROUND_RE,
    CUMULATIVE_RE,
    DIMENSIONS,
    INCIDENT_NOUNS,
    INCIDENT_WORDS,
    REVISION_RE,
    SERIES_RE,
    UNIT_DIMENSION,
    UNITS,
)
from schemas import CountValue

_MAG = re.compile(
    r"\b(?:(?:preliminary |initial |revised )?magnitude(?:[- ]| of (?:about |around )?)(?P<a>\d(?:\.\d)?)\b|"
    r"(?P<b>\d\.\d)[- ]?magnitude|(?P<c>\d\.\d) on the richter|measuring (?:about |around )?(?P<d>\d\.\d)|"
    r"(?P<e>\d\.\d)[- ]richter|\bm ?(?P<f>\d\.\d)\b|(?P<g>\d\.\d)[- ](?:quake|earthquake|temblor|tremor|shaker|"
    r"jolt)|(?P<h>\d\.\d) in magnitude|magnitude was (?:put at |measured at )?(?P<i>\d\.\d))",
    re.I,
)
_QUAKE = re.compile(r"(?=[jmqrst])(?:quake|tremor|temblor|magnitude|richter|shaker|jolt|seismic)", re.I)
_OTHER_QUAKE = re.compile(r"\b(?:aftershocks?|foreshocks?|followed by|preceded by)\b", re.I)


def magnitude(ctx: Ctx, sent: Span) -> None:
    """The quake's magnitude: "a magnitude-6.1 earthquake", "a preliminary magnitude of 4.4", "a 4.4 quake".

    Stated to one decimal, so 4.2 and 4.4 disagree; a sentence that tells of other quakes (aftershocks,
    a series) or gives two magnitudes holds no claim, and a record or limit ("the largest ever recorded
    there was 4.5", "a maximum magnitude of 7.5") is kept apart.
    """
    text = sent_text(sent)
    if (
        not _QUAKE.search(text)
        or _OTHER_QUAKE.search(text)
        or SERIES_RE.search(text)
        or re.search(r"\d\.\d\s*(?:and|or|to|-)\s*\d\.\d", text)
    ):
        return
    found = [(next(g for g in m.groups() if g), m.start()) for m in _MAG.finditer(text)]
    if len({float(v) for v, _ in found}) > 1:  # "rated at 4.2, originally 4.4": the figure not revised since
        found = [(v, at) for v, at in found if not REVISION_RE.search(text[max(0, at - 50) : at])]
    if len({float(v) for v, _ in found}) != 1:
        return
    shown, at = found[0]
    v = float(shown)
    clause = sent.root
    scope = "other" if BACKGROUND_RE.search(text) else sentence_scope(ctx, sent, sent.start_char + at)
    d = rounding(shown) * 0.9 if "." in shown else 0.15
    ctx.open_slots.add("magnitude")
    q0, q1 = _magnitude_words(text, at)
    add_claim(
        ctx,
        "magnitude",
        f"{v:g}",
        CountValue(low=v - d, high=v + d),
        sent,
        *trim(ctx.doc, sent.start_char + q0, sent.start_char + q1),
        attributed_to=attribution(clause, sent),
        scope=scope,
    )


def _magnitude_words(text: str, at: int) -> tuple[int, int]:
    """The words of a magnitude: "a preliminary magnitude of 4.4", "the 4.2-magnitude earthquake", "measuring 4.6"."""
    m = _MAG.match(text, at)
    end = m.end() if m else at
    tail = re.match(r"[- ]?(?:magnitude\s+)?(?:quake|earthquake|temblor|tremor|shaker|jolt)\b", text[end:], re.I)
    if tail:
        end += tail.end()
    head = re.search(
        r"(?:\b(?:an?|the)\s+)?(?:(?:preliminary|initial|revised|strong|powerful|light|moderate|"
        r"small)\s+)?$",
        text[max(0, at - 30) : at],
        re.I,
    )
    start = at - (len(head.group(0)) if head else 0)
    return start, end


_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True) if len(u) > 2 or u == "km")
_QUAL = (
    r"(?P<q>(?:about|around|approximately|roughly|nearly|almost|some|more than|over|less than|under|up to|"
    r"at least|at most|only|just|an estimated|some)\s+)?"
)
_MEASURE = re.compile(
    _QUAL + rf"(?P<n>{NUMBER}|half an?|an?)(?:\s*-?\s*(?:to|and|or)\s*(?P<n2>{NUMBER}))?(?P<h>\s*-\s*|\s+|(?<=\d))"
    rf"(?P<u>{_UNIT_ALT})(?P<half> and a half)?\b",
    re.I,
)
"""A figure and its unit: spaced ("6 miles"), hyphened ("a 10-metre dhow") or, after digits, written against it
("2km", "40mph", "20km/h")."""
_UNIT_WORDS = frozenset(w for u in UNITS for w in u.split())
"""A cheap first test: does the sentence name a unit at all ("10-metre" is three tokens, "metre" one)."""
_DIRECTION = re.compile(r"^\s*(?:\([^)]{0,30}\)\s*)?(?:north|south|east|west)", re.I)
_DIM_BEFORE = re.compile(
    r"\b(?P<d>" + "|".join(k for k, v in DIMENSIONS.items() if k == v) + r")\s+(?:of|was|is|at|"
    r"measured at|put at|estimated at)\s*(?:about |around |some |approximately )?$",
    re.I,
)
_DIM_AFTER = re.compile(r"^\s*(?P<d>deep|long|high|tall|wide|in (?:depth|length|diameter|height|width))\b", re.I)
_BELOW = re.compile(r"^\s*(?:below|beneath|under(?:ground)?)\s+(?:the\s+)?(?:surface|ground|sea|seabed|earth)", re.I)
_SPEED = re.compile(r"\bat\s+(?:speeds? of\s+)?(?:about |around |up to )?$", re.I)


def _dimension(text: str, m: re.Match[str], kind: str) -> str | None:
    before, after = text[max(0, m.start() - 40) : m.start()], text[m.end() : m.end() + 40]
    if _DIRECTION.match(after):
        return None  # a position from a place (:mod:`agents.core.facts.places`)
    if dm := _DIM_BEFORE.search(before):
        return DIMENSIONS[dm.group("d").lower()]
    if dm := _DIM_AFTER.match(after):
        word = dm.group("d").lower().split()[-1]
        return DIMENSIONS.get(word, word)
    if kind == "length" and _BELOW.match(after):
        return "depth"
    if kind == "speed" and _SPEED.search(before):
        return "speed"
    return None


def dimensions(ctx: Ctx, sent: Span) -> None:
    """Measures with a unit: "a depth of 1.2 miles", "six miles below the surface", "a 10-metre dhow", "at 50 mph".

    Units are converted (miles, nautical miles, feet and metres to km); what is measured comes from the
    words around the figure, and a thing named by a measured noun ("a 30-foot dhow") joins the key.
    """
    if not has_word(sent, _UNIT_WORDS):
        return
    text = sent_text(sent)
    for m in _MEASURE.finditer(text):
        unit = m.group("u").lower()
        kind, factor = UNITS[unit]
        n_text = m.group("n").lower()
        if n_text.startswith("half"):
            n_text = "0.5"
        elif n_text in ("a", "an"):
            n_text = "1.5" if m.group("half") else "1"
        elif m.group("half"):
            continue
        dim = _dimension(text, m, kind)
        thing: str | None = None
        at = sent.start_char + m.start("n")
        tok = ctx.doc.char_span(sent.start_char + m.start("u"), sent.start_char + m.end("u"), alignment_mode="expand")
        if dim is None and "-" in m.group("h") and tok is not None and tok.end < len(ctx.doc):
            nxt = ctx.doc[tok.end]  # "a 10-metre dhow", "a 24- to 30-foot dhow": the noun after the measure
            if nxt.pos_ == "NOUN" and nxt.lower_ not in UNITS:
                dim, thing = UNIT_DIMENSION.get(kind), nxt.lemma_.lower()
        if dim is None or n_text in ("a", "an"):
            continue
        value = measure_value(n_text, m.group("q") or "", m.group("n2"), factor)
        if value is None:
            continue
        if tok is not None and thing is None:
            subj = next((c for c in clause_head(tok.root).children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if (
                subj is not None
                and subj.pos_ == "NOUN"
                and subj.lemma_.lower() not in INCIDENT_NOUNS | INCIDENT_WORDS
                and dim != "depth"
            ):
                thing = subj.lemma_.lower()
        slot = dim if thing is None else f"{dim} of {thing}"
        clause = clause_head(tok.root) if tok is not None else sent.root
        region = text[max(0, m.start() - 80) : m.end() + 40]
        scope = (
            "other"
            if CUMULATIVE_RE.search(region) or BACKGROUND_RE.search(region) or _OTHER_QUAKE.search(text)
            else sentence_scope(ctx, sent, at)
        )
        ctx.open_slots.add(slot)
        q0, q1 = segment(text, m.start() - _reach_back(text, m), m.end() + _reach_on(text, m))
        add_claim(
            ctx,
            slot,
            text[m.start() : m.end()].strip(),
            value,
            sent,
            *trim(ctx.doc, sent.start_char + q0, sent.start_char + q1),
            attributed_to=attribution(clause, sent),
            scope=scope,
            key=f"dim:{at}",
        )


def _reach_back(text: str, m: re.Match[str]) -> int:
    """How far before a measure its words begin ("a depth of 1.2 miles")."""
    dm = _DIM_BEFORE.search(text[max(0, m.start() - 40) : m.start()])
    return len(text[max(0, m.start() - 40) : m.start()]) - dm.start() if dm else 0


def _reach_on(text: str, m: re.Match[str]) -> int:
    """How far after a measure its words go on ("12 miles deep", "six miles below the surface", "a 10-metre dhow")."""
    after = text[m.end() : m.end() + 40]
    dm = _DIM_AFTER.match(after) or _BELOW.match(after) or re.match(r"^\s*[a-z]+", after, re.I)
    return dm.end() if dm else 0


_PEOPLED = re.compile(r"(?=[hipr])(?:population|home to|people|residents|inhabitants)", re.I)
_POPULATION = re.compile(
    r"\b(?:(?:a |its |the )?population of|home to|(?:a|the) (?:city|town|province|region|country|island|district|"
    r"state|village) of)\s+(?P<q>about |around |some |nearly |almost |more than |over |roughly |approximately |"
    r"an estimated |at least )?(?P<n>\d[\d,.]*)\s*(?P<m>million|thousand|m\b)?\s*(?P<u>people|residents|inhabitants)?",
    re.I,
)


def population(ctx: Ctx, sent: Span) -> None:
    """Size of a place: "a city of 1.2 million people", "its population of about 300,000"."""
    text = sent_text(sent)
    if not _PEOPLED.search(text):
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
        add_claim(
            ctx,
            "population",
            label,
            CountValue(low=n - d, high=n + d, approx=True),
            sent,
            *trim(ctx.doc, sent.start_char, sent.end_char),
            subject=aliases.primary(place, ctx.learned),
            key=str(at),
            attributed_to=attribution(sent.root, sent),
        )

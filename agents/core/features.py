"""Event features of one article: entities, actors, places and where they lie, incident type,
keywords, date and the days its lead names (see issues 4 and 21).

Everything here is cheap and local to one parsed ``Doc``: a walk over its entities and tokens,
a few regular expressions for dates (:mod:`agents.core.when`), ships and place containment
(:mod:`agents.core.places`), no second model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import lru_cache

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LIKE_URL, LOWER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Span

from agents.core import places as _places
from agents.core.aliases import canonical
from agents.core.lexicon import GENERIC_KEYWORDS, INCIDENT_LEXICON, MONTH_NAMES, NOT_ACTORS, NOT_NAMES, PLACE_ALIASES
from agents.core.when import (
    LEAD_CHARS,
    article_date,
    explicit_days,
    mentioned_dates,
    named_days,
    reference_day,
    weekdays,
)
from schemas import ArticleRef, EventFeatures

MAX_ENTITIES = 15
MAX_PLACES = 10
MAX_KEYWORDS = 25
MAX_ACTORS = 12
_ACTOR_LABELS = {"PERSON", "ORG", "FAC"}
"""Entities that can be an incident's actors (victims, suspects, groups, organisations, places hit); ships too."""
_SHIP = re.compile(
    r"\b(?=[BFHIKMPRSTUdfntvw])(?:INS|HMS|USS|USNS|HMAS|HMCS|HMNZS|MV|M/V|MS|MT|SS|RMS|FV|PNS|BNS|KRI|ROKS|TCG|"
    r"Indian Naval Ship|naval ship|warship|frigate|destroyer|vessel|tanker|ferry|freighter)\s+"
    r"((?:[A-Z][\w'-]+)(?:\s+[A-Z][\w'-]+){0,2})"
)
_ENT_LABELS = {"PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"}
_PLACE_LABELS = {"GPE", "LOC"}


_ARTICLE = re.compile(r"^(the|a|an)\s+")
_POSSESSIVE = re.compile(r"'s$|'$")
_DROPPED = str.maketrans("", "", '"“”()[]#@')


def clean_key(text: str) -> str:
    t = text.lower().strip().replace("\u2019", "'")
    t = _ARTICLE.sub("", t)
    t = _POSSESSIVE.sub("", t)
    # str.split() and the pattern \s agree on what is white space; single spaces at the ends are stripped below
    t = " ".join(t.translate(_DROPPED).split()).strip(" .,-:;")
    return t


@lru_cache(maxsize=65536)
def alias_key(key: str) -> str:
    out = canonical(key)
    return clean_key(out) if out else key


def entity_key(ent: Span) -> str | None:
    """The matching key of a named entity, or ``None`` for noise (numbers, handles, fragments)."""
    key = clean_key(ent.text)
    if len(key) < 2 or not re.search(r"[a-z]", key) or len(key) > 60:
        return None
    if ent.label_ in _PLACE_LABELS:
        return _places.place_key(PLACE_ALIASES.get(key, key))
    if ent.label_ == "PERSON":
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) > 2:
            key = parts[-1]
    return alias_key(key)


def _lead_weight(start: int, title_end: int) -> float:
    if start < title_end:
        return 3.0
    return 1.5 if start < LEAD_CHARS else 1.0


_ATTRS = [LEMMA, LOWER, POS, IS_ALPHA, IS_STOP, IS_PUNCT, IS_SPACE, LIKE_NUM, LIKE_URL, IDX]
_CONTENT_POS = {NOUN, PROPN}


def _word_counts(doc: Doc, title_end: int) -> tuple[Counter[str], Counter[str]]:
    """(incident kinds, content lemmas) of a doc, weighted by position; one pass over its arrays."""
    strings = doc.vocab.strings
    lexicon = {strings[w]: k for w, k in INCIDENT_LEXICON.items()}
    incident: Counter[str] = Counter()
    hashes: Counter[int] = Counter()
    for lemma, lower, pos, alpha, stop, punct, space, num, url, idx in doc.to_array(_ATTRS).tolist():
        if punct or space or num or url:
            continue
        w = 3.0 if idx < title_end else (1.5 if idx < LEAD_CHARS else 1.0)
        kind = lexicon.get(lemma) or lexicon.get(lower)
        if kind:
            incident[kind] += w  # type: ignore[assignment]  # weights are floats
        if pos in _CONTENT_POS and alpha and not stop:
            hashes[lemma] += w  # type: ignore[assignment]  # weights are floats
    words: Counter[str] = Counter()
    for h, w in hashes.items():
        lemma = strings[h].lower()
        if len(lemma) > 2 and lemma not in GENERIC_KEYWORDS:
            words[lemma] += w
    return incident, words


TITLE_CHARS = 160
"""Longest title kept."""
TITLE_LINES = 8
"""Lines of the text's head looked at for a title when the article has no usable one."""
_MONTH_WORDS = tuple(m[:3] for m in MONTH_NAMES)


def headline_like(line: str) -> bool:
    """Whether a line can be a title: at least three words and 15 characters of text, at most 30
    words, mostly letters, and not a dateline ("April 16, 2018 at 2:18 pm") or a byline ("By AP")."""
    words = line.split()
    if not 3 <= len(words) <= 30 or len(line) < 15:
        return False
    letters = sum(c.isalpha() for c in line)
    if letters < 0.6 * len(line.replace(" ", "")):
        return False
    low = line.casefold()
    if low.startswith(("by ", "updated", "published", "posted", "share ", "photo", "image", "copyright")):
        return False
    alpha_words = [w for w in re.findall(r"[a-z]+", low) if w not in ("at", "am", "pm", "on")]
    return not all(w[:3] in _MONTH_WORDS for w in alpha_words)  # a date and time only


def _plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def choose_title(title: str | None, text: str, names: list[str]) -> str:
    """An article's title: its own ``title`` when it looks like a headline; else, of the first
    lines of its text, the first headline-like one naming one of ``names`` (its main entities and
    places), else the first headline-like one, else the first line. Page furniture ("clear",
    "Share this article", a slogan, a dateline) is passed over."""
    if title and headline_like(title.strip()):
        return title.strip()[:TITLE_CHARS]
    lines = [ln.strip() for ln in text[:2000].split("\n") if ln.strip()][:TITLE_LINES]
    fitting = [ln for ln in lines if headline_like(ln)]
    wanted = [f" {_plain_words(n)} " for n in names if _plain_words(n)]
    for ln in fitting:
        padded = f" {_plain_words(clean_key(ln))} "
        if any(n in padded for n in wanted):
            return ln[:TITLE_CHARS]
    if fitting:
        return fitting[0][:TITLE_CHARS]
    return ((title or "").strip() or (lines[0] if lines else ""))[:TITLE_CHARS]


def _ships(text: str) -> list[tuple[int, int, str]]:
    """Named ships ("INS Sukanya", "the warship Mysore"): (start, end, key of the name)."""
    out = []
    for m in _SHIP.finditer(text):
        name = m.group(1)
        inner = _SHIP.match(name)  # "warship INS Mysore": the name after the prefix
        start = m.start(1) + (inner.start(1) if inner else 0)
        name = inner.group(1) if inner else name
        first = name.split()[0].lower()
        if first in NOT_NAMES:
            continue
        key = alias_key(clean_key(name))
        if len(key) >= 2:
            out.append((start, start + len(name), key))
    return out


@lru_cache(maxsize=1)
def _not_actor_keys() -> frozenset[str]:
    return frozenset(alias_key(clean_key(n)) for n in NOT_ACTORS) | NOT_ACTORS


_LOCATIVE = frozenset({"in", "near", "outside"})
ROLE_MENTIONS = 2
"""Mentions in a place's role that make a name a place: one alone is as often "in Congress", "in Batman"."""
"""Words before a place's name: "in Dunmore", "near Brindle" are places, whatever the parser called them."""


def _locative(ent: Span) -> bool:
    """A one-word name the parser took for a person or a group, in the role of a place: right after "in",
    "near" or "outside" ("a fire in Dunmore", "police in Kelvash"), not a possessive ("in Smith's house").
    No gazetteer has every village: the role tells (see :func:`_role_places` for the whole text)."""
    if ent.label_ not in ("PERSON", "ORG") or len(ent) != 1 or ent.start == 0:
        return False
    before = ent.doc[ent.start - 1]
    if before.lower_ not in _LOCATIVE:
        return False
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if after is not None and after.text in ("'s", "\u2019s", "'"):
        return False
    return all(t.is_title and t.is_alpha for t in ent)


def _role_places(ents: Iterable[Span]) -> set[str]:
    """Keys of names that the text uses only as places: every mention of the name is a place entity or in
    the role of one (:func:`_locative`), twice at least. "Shares in Apple" is no place when the text also
    says "Apple said"."""
    role: Counter[str] = Counter()
    other: set[str] = set()
    for e in ents:
        if e.label_ not in ("PERSON", "ORG"):
            continue
        if _locative(e):
            role[clean_key(e.text)] += 1
        else:
            key = clean_key(e.text)
            other.update((key, key.split()[-1]) if key else ())  # "Mark Teixeira" also rules out "in Teixeira"
    return {k for k, n in role.items() if n >= ROLE_MENTIONS} - other


def features_from_doc(doc: Doc, ref: ArticleRef, received_at: datetime) -> EventFeatures:
    """What event matching uses of one article (its text: ``doc.user_data["cf_text"]`` when set)."""
    text = doc.user_data.get("cf_text") or doc.text
    title_end = text.find("\n\n") if ref.title else 0
    title_end = max(title_end, 0)
    ents: Counter[str] = Counter()
    actors: Counter[str] = Counter()
    places: Counter[str] = Counter()
    mentions: list[_places.Ent] = []
    ships = _ships(text[:50_000])
    ship_keys = {k for _, _, k in ships}
    for start, _end, ship in ships:
        w = _lead_weight(start, title_end)
        ents[ship] += w  # type: ignore[assignment]  # weights are floats
        actors[ship] += w  # type: ignore[assignment]
    not_actors = _not_actor_keys()
    doc_ents = doc.ents
    place_names = {clean_key(e.text) for e in doc_ents if e.label_ in _PLACE_LABELS}
    role_places = _role_places(doc_ents)
    for ent in doc_ents:
        if ent.label_ not in _ENT_LABELS and ent.label_ not in _PLACE_LABELS:
            continue
        is_place = (
            ent.label_ in _PLACE_LABELS
            or (ent.label_ != "NORP" and clean_key(ent.text) in place_names)
            or clean_key(ent.text) in role_places
        )
        key = entity_key(ent) if ent.label_ in _PLACE_LABELS or not is_place else _places.place_key(clean_key(ent.text))
        if not key:
            continue
        w = _lead_weight(ent.start_char, title_end)
        skey = alias_key(key) if is_place else key
        if skey in ship_keys or any(s <= ent.start_char < e for s, e, _ in ships):
            continue  # a ship's name, counted above ("INS Mysore" is no place)
        if is_place:  # a place, also where the parser took one of its mentions for a name
            places[key] += w  # type: ignore[assignment]  # weights are floats
            mentions.append((ent.start_char, ent.end_char, key, ent.label_))
        else:
            ents[key] += w  # type: ignore[assignment]  # weights are floats
            if (
                ent.label_ in _ACTOR_LABELS
                and key not in not_actors
                and (ent.label_ == "PERSON" or len(ent.text.split()) > 1)
            ):  # one capitalised word: often a place
                actors[key] += w  # type: ignore[assignment]
    parents = _places.learn_parents(text, mentions)
    incident, words = _word_counts(doc, title_end)
    top = incident.most_common(1)[0][1] if incident else 0.0
    kinds = [k for k, c in incident.most_common() if c >= max(3.0, 0.3 * top)][:4]
    date, source = article_date(text, ref, received_at)
    day_ref = reference_day(text, date, source)
    explicit = explicit_days(text, day_ref or date)
    resolved_days = mentioned_dates(text, day_ref or date, day_ref is not None, explicit)
    ent_top = ents.most_common(MAX_ENTITIES)
    place_top = places.most_common(MAX_PLACES)
    kw_top = words.most_common(MAX_KEYWORDS)
    weights: dict[str, float] = {}
    for prefix, items in (("e:", ent_top), ("p:", place_top), ("k:", kw_top)):
        for key, c in items:
            weights[prefix + key] = round(1.0 + _log2(c), 3)
    for k in kinds:
        weights["i:" + k] = round(1.0 + _log2(incident[k]), 3)
    kept = {p for p, _ in place_top}
    title = choose_title(ref.title, text, [e for e, _ in ent_top[:8]] + [p for p, _ in place_top[:5]])
    return EventFeatures(
        entities=[e for e, _ in ent_top],
        places=[p for p, _ in place_top],
        incident=kinds,
        keywords=[k for k, _ in kw_top],
        date=date,
        date_source=source,
        title=title,
        mentioned_dates=resolved_days,
        weights=weights,
        actors=[a for a, _ in actors.most_common(MAX_ACTORS) if "e:" + a in weights],
        parents={c: p for c, p in parents.items() if c in kept},
        weekdays=weekdays(text),
        ships=[k for k, _ in Counter(k for _, _, k in ships).most_common(4)],
        named_days=named_days(text, day_ref or date, explicit),
    )


def _log2(x: float) -> float:
    import math

    return math.log2(x) if x > 1 else 0.0

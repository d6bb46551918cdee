"""Event features of one article: entities, places, incident type, keywords, date (see issue 4).

Everything here is cheap and local to one parsed ``Doc``: a walk over its entities and tokens,
a few regular expressions for dates, no second model.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LIKE_URL, LOWER, POS
from spacy.symbols import NOUN, PROPN
from spacy.tokens import Doc, Span

from schemas import ArticleRef, EventFeatures

try:  # the alias table is owned by another module; use it when present
    from agents.core import aliases as _aliases
except ImportError:  # pragma: no cover - depends on the other helper's progress
    _aliases = None  # type: ignore[assignment]

MAX_ENTITIES = 15
MAX_PLACES = 10
MAX_KEYWORDS = 25
LEAD_CHARS = 1500
"""Mentions in the title and the first characters of the body weigh more."""
TEXT_DATE_CHARS = 1200
"""Where a date in the text may stand for the article's own date (a dateline, a caption)."""

_ENT_LABELS = {"PERSON", "ORG", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"}
_PLACE_LABELS = {"GPE", "LOC"}

_PLACE_ALIASES = {
    "us": "united states", "u.s.": "united states", "usa": "united states", "u.s.a.": "united states",
    "america": "united states", "the united states": "united states", "uk": "united kingdom",
    "u.k.": "united kingdom", "britain": "united kingdom", "great britain": "united kingdom",
    "dprk": "north korea", "n. korea": "north korea", "pyongyang": "north korea",
    "south korea": "south korea", "rok": "south korea", "uae": "united arab emirates",
}

_INCIDENT_LEXICON: dict[str, str] = {}
for _kind, _words in {
    "shooting": "shooting shooter gunman gunmen gunfire shoot sniper rifle massacre",
    "bombing": "bomb bombing bomber explosive ied firebomb car-bomb detonate",
    "explosion": "explosion explode blast",
    "earthquake": "earthquake quake tremor aftershock seismic magnitude epicenter epicentre tsunami",
    "crash": "crash derail derailment collision collide overturn wreck",
    "ramming": "truck lorry ram plough plow",
    "missile": "missile ballistic icbm irbm warhead",
    "fire": "fire blaze arson firework fireworks flame burn",
    "unrest": "riot rioter protest protester demonstrator clash unrest",
    "abduction": "kidnap kidnapping abduct abduction hostage captive captivity schoolgirl",
    "assault": "assault grope groping rape harassment molest",
    "rescue": "rescue rescuer trapped well",
    "storm": "storm hurricane typhoon cyclone flood flooding tornado",
    "maritime": "ship vessel boat cruise ferry barge",
    "attack": "attack attacker terror terrorist terrorism jihadist militant insurgent",
}.items():
    for _w in _words.split():
        _INCIDENT_LEXICON[_w] = _kind

_GENERIC = frozenset({
    "advertisement", "agency", "area", "article", "caption", "case", "child", "children", "city", "click",
    "comment", "comments", "copyright", "country", "day", "days", "email", "end", "evening", "facebook",
    "families", "family", "follow", "government", "group", "home", "hour", "hours", "house", "image",
    "incident", "international", "life", "link", "lives", "local", "lot", "man", "media", "medium", "member",
    "members", "men", "minister", "minute", "minutes", "month", "months", "morning", "mr", "mrs", "ms",
    "national", "news", "newsletter", "night", "number", "official", "officials", "part", "people", "percent",
    "photo", "place", "police", "president", "report", "reports", "said", "say", "says", "share", "side",
    "source", "sources", "spokesman", "spokesperson", "start", "state", "statement", "thing", "time", "times",
    "today", "told", "twitter", "video", "way", "week", "weeks", "woman", "women", "world", "year", "years",
})

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MON = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DMY = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+((?:19|20)\d\d)\b", re.I)
_MDY = re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b", re.I)
_MD = re.compile(rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*(?:19|20)\d\d)", re.I)
_DM = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?!,?\s*(?:19|20)\d\d)", re.I)
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b")
_URL_YMD = re.compile(
    r"/((?:19|20)\d\d)[/-](\d\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[/-](\d\d)(?:/|\b)",
    re.I,
)
_WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}
_WEEKDAY_RE = re.compile(r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)
_URL_IN_TEXT = re.compile(r"https?://\S+")
_HOLIDAYS = {
    "new year's eve": (12, 31), "new years eve": (12, 31), "new year's day": (1, 1), "christmas eve": (12, 24),
    "christmas day": (12, 25), "christmas": (12, 25), "boxing day": (12, 26), "bastille day": (7, 14),
    "independence day": (7, 4), "fourth of july": (7, 4), "halloween": (10, 31), "valentine's day": (2, 14),
}
_HOLIDAY_RE = re.compile("|".join(sorted((re.escape(h) for h in _HOLIDAYS), key=len, reverse=True)), re.I)


def _clean(text: str) -> str:
    t = text.lower().strip().replace("\u2019", "'")
    t = re.sub(r"^(the|a|an)\s+", "", t)
    t = re.sub(r"'s$|'$", "", t)
    t = re.sub(r"[\"“”()\[\]#@]", "", t)
    t = re.sub(r"\s+", " ", t).strip(" .,-:;")
    return t


@lru_cache(maxsize=65536)
def _alias(key: str) -> str:
    if _aliases is not None:
        for name in ("canonical", "resolve", "alias_key", "key"):
            fn = getattr(_aliases, name, None)
            if callable(fn):
                try:
                    out = fn(key)
                except Exception:
                    return key
                return _clean(str(out)) if out else key
    return key


def entity_key(ent: Span) -> str | None:
    """The matching key of a named entity, or ``None`` for noise (numbers, handles, fragments)."""
    key = _clean(ent.text)
    if len(key) < 2 or not re.search(r"[a-z]", key) or len(key) > 60:
        return None
    if ent.label_ in _PLACE_LABELS:
        return _PLACE_ALIASES.get(key, key)
    if ent.label_ == "PERSON":
        parts = key.split()
        if len(parts) >= 2 and len(parts[-1]) > 2:
            key = parts[-1]
    return _alias(key)


def _year_for(month: int, day: int, ref: datetime) -> datetime | None:
    """The date with this month and day nearest before ``ref`` (or just after it)."""
    for year in (ref.year, ref.year - 1, ref.year + 1):
        try:
            d = datetime(year, month, day, tzinfo=UTC)
        except ValueError:
            return None
        if -timedelta(days=3) <= ref - d <= timedelta(days=330):
            return d
    return None


def _full_dates(text: str) -> list[datetime]:
    out: list[tuple[int, datetime]] = []
    for m in _DMY.finditer(text):
        d = _mk(int(m.group(3)), _MONTHS[m.group(2).lower()[:3]], int(m.group(1)))
        if d:
            out.append((m.start(), d))
    for m in _MDY.finditer(text):
        d = _mk(int(m.group(3)), _MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
        if d:
            out.append((m.start(), d))
    for m in _ISO.finditer(text):
        d = _mk(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            out.append((m.start(), d))
    return [d for _, d in sorted(out, key=lambda x: x[0])]


def _mk(year: int, month: int, day: int) -> datetime | None:
    try:
        return datetime(year, month, day, tzinfo=UTC)
    except ValueError:
        return None


def url_date(url: str | None) -> datetime | None:
    """A date written in a URL path (``/2017/10/02/``, ``/2017/feb/25/``, ``/2016-07/15/``)."""
    if not url:
        return None
    m = _URL_YMD.search(url)
    if m:
        mon = m.group(2)
        month = int(mon) if mon.isdigit() else _MONTHS.get(mon.lower()[:3], 0)
        d = _mk(int(m.group(1)), month, int(m.group(3)))
        if d:
            return d
    return None


def article_date(text: str, ref: ArticleRef, received_at: datetime) -> tuple[datetime, str]:
    """The article's date and where it came from: published, else text or URL, else arrival."""
    if ref.published_at:
        return ref.published_at, "published"
    d = url_date(ref.url)
    if d:
        return d, "url"
    lead = text[:TEXT_DATE_CHARS]
    for m in _URL_IN_TEXT.finditer(lead):
        d = url_date(m.group(0))
        if d:
            return d, "url"
    dates = _full_dates(lead)
    if dates:
        return max(dates), "text"
    when = received_at if received_at.tzinfo else received_at.replace(tzinfo=UTC)
    return when, "arrival"


def mentioned_dates(text: str, date: datetime, resolve_weekdays: bool) -> list[datetime]:
    """Days the lead of the text names: full dates, month-day and holidays (year from ``date``), weekdays.

    Weekdays ("on Saturday") are resolved against ``date`` (the last such day on or before it,
    or the next day, for time zones) and only when ``date`` is a real publication date.
    """
    lead = text[:LEAD_CHARS]
    found: Counter[datetime] = Counter()
    d: datetime | None
    for d in _full_dates(lead):
        found[d] += 1
    for rx, mi, di in ((_MD, 1, 2), (_DM, 2, 1)):
        for m in rx.finditer(lead):
            day = int(m.group(di))
            if not 1 <= day <= 31:
                continue
            d = _year_for(_MONTHS[m.group(mi).lower()[:3]], day, date)
            if d:
                found[d] += 1
    for m in _HOLIDAY_RE.finditer(lead):
        month, day = _HOLIDAYS[m.group(0).lower().replace("\u2019", "'")]
        d = _year_for(month, day, date)
        if d:
            found[d] += 1
    if resolve_weekdays:
        base = datetime(date.year, date.month, date.day, tzinfo=UTC)
        for m in _WEEKDAY_RE.finditer(lead):
            wd = _WEEKDAYS[m.group(1).lower()]
            back = (base.weekday() - wd) % 7
            d = base + timedelta(days=1) if back == 6 else base - timedelta(days=back)
            found[d] += 1
    return [d for d, c in found.most_common(6) for _ in range(min(c, 3))]


def _lead_weight(start: int, title_end: int) -> float:
    if start < title_end:
        return 3.0
    return 1.5 if start < LEAD_CHARS else 1.0


_ATTRS = [LEMMA, LOWER, POS, IS_ALPHA, IS_STOP, IS_PUNCT, IS_SPACE, LIKE_NUM, LIKE_URL, IDX]
_CONTENT_POS = {NOUN, PROPN}


def _word_counts(doc: Doc, title_end: int) -> tuple[Counter[str], Counter[str]]:
    """(incident kinds, content lemmas) of a doc, weighted by position; one pass over its arrays."""
    strings = doc.vocab.strings
    lexicon = {strings[w]: k for w, k in _INCIDENT_LEXICON.items()}
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
        if len(lemma) > 2 and lemma not in _GENERIC:
            words[lemma] += w
    return incident, words


TITLE_CHARS = 160
"""Longest title kept."""
TITLE_LINES = 8
"""Lines of the text's head looked at for a title when the article has no usable one."""
_MONTH_WORDS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


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
        padded = f" {_plain_words(_clean(ln))} "
        if any(n in padded for n in wanted):
            return ln[:TITLE_CHARS]
    if fitting:
        return fitting[0][:TITLE_CHARS]
    return ((title or "").strip() or (lines[0] if lines else ""))[:TITLE_CHARS]


def features_from_doc(doc: Doc, ref: ArticleRef, received_at: datetime) -> EventFeatures:
    """What event matching uses of one article."""
    text = doc.text
    title_end = text.find("\n\n") if ref.title else 0
    title_end = max(title_end, 0)
    ents: Counter[str] = Counter()
    places: Counter[str] = Counter()
    for ent in doc.ents:
        if ent.label_ not in _ENT_LABELS and ent.label_ not in _PLACE_LABELS:
            continue
        key = entity_key(ent)
        if not key:
            continue
        w = _lead_weight(ent.start_char, title_end)
        (places if ent.label_ in _PLACE_LABELS else ents)[key] += w  # type: ignore[assignment]  # weights are floats
    incident, words = _word_counts(doc, title_end)
    top = incident.most_common(1)[0][1] if incident else 0.0
    kinds = [k for k, c in incident.most_common() if c >= max(3.0, 0.3 * top)][:4]
    date, source = article_date(text, ref, received_at)
    mentions = mentioned_dates(text, date, resolve_weekdays=source == "published")
    ent_top = ents.most_common(MAX_ENTITIES)
    place_top = places.most_common(MAX_PLACES)
    kw_top = words.most_common(MAX_KEYWORDS)
    weights: dict[str, float] = {}
    for prefix, items in (("e:", ent_top), ("p:", place_top), ("k:", kw_top)):
        for key, c in items:
            weights[prefix + key] = round(1.0 + _log2(c), 3)
    for k in kinds:
        weights["i:" + k] = round(1.0 + _log2(incident[k]), 3)
    title = choose_title(ref.title, text, [e for e, _ in ent_top[:8]] + [p for p, _ in place_top[:5]])
    return EventFeatures(
        entities=[e for e, _ in ent_top],
        places=[p for p, _ in place_top],
        incident=kinds,
        keywords=[k for k, _ in kw_top],
        date=date,
        date_source=source,
        title=title,
        mentioned_dates=mentions,
        weights=weights,
    )


def _log2(x: float) -> float:
    import math

    return math.log2(x) if x > 1 else 0.0

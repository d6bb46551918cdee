"""Entities: the people an article names, read from its whole text, and what it says of them.

Two outlets that name one person state facts of the same entity whatever else their sentences say, so
these facts need no cue words: every person the article names in full gives a ``name`` claim (its
spelling, compared across the event by :mod:`agents.core.entity_groups`), and every age it gives a named
person gives an ``age`` claim whose subject is that person ("Robert Buckley, 32," / "31-year-old Robert
Buckley" / "Sixty-year-old Sharron Smith").

A run of capitalised words is a person's name when the article gives evidence of a person for it: the
tagger's PERSON entity with the same surname, an age next to it, a title before it, or a speech verb
next to it. Leading words of a longer run that are common English words (WordNet's lemmas, as the
model's lemmatizer ships them: "Police Inspector Dave Gaskin", "Englishman Robert Buckley") are roles,
not names. Headlines (title-case lines) are skipped: "Lohan Checks Into Rehab" names no one called
Checks. The text is read whole, parsed or not: a name needs no parse, so the two-stage parse's
sentence choice does not limit it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from agents.core.facts.doc import doc_ents, doc_text, trim
from agents.core.facts.evidence import Ctx, add_claim
from agents.core.facts.names import name_key
from agents.core.facts.numbers import parse_number
from agents.core.lexicon import MONTH_NAMES, NAME_STOPWORDS, TITLES, WEEKDAYS
from agents.core.nlp import common_words
from agents.core.when import LEAD_CHARS
from schemas import CategoryValue, CountValue

_WORD = r"[A-Z](?:[a-z]+(?:['\u2019-]?[A-Z][a-z]+)?|'[A-Z][a-z]+)"
"""One word of a name: "Rait", "LaCalamita", "McDermott", "O'Brien", "Jean-Paul"."""
_SUFFIX = r"(?:,?\s+(?:Jr\.?|Sr\.?|II|III|IV)(?![\w]))"
_RUN = re.compile(rf"(?<![\w.'\u2019-])(?:{_WORD}|[A-Z]\.)(?:[ \t]+(?:{_WORD}|[A-Z]\.))+{_SUFFIX}?")
"""A run of capitalised words (initials allowed inside), the candidates of a name."""
_NUM = r"(?:\d{1,3}|[A-Za-z]+(?:-[a-z]+)?)"
_YEAR_OLD = re.compile(rf"(?<![\w-])(?P<age>{_NUM})[- ]years?[- ]old\s+$")
"""An age compound just before a name ("31-year-old ", "Sixty-year-old ")."""
_AGE_AFTER = re.compile(r"^,\s*(?:aged\s+)?(?P<age>\d{1,3})\s*(?:,|\.|;|\)|\s+(?:and|of|from|was|is|who|died)\b)")
"""An age in apposition just after a name ("Robert Buckley, 32, died")."""
_SPEECH_NEAR = re.compile(r"^,?\s+(?:said|says|told|added|explained|confirmed)\b")
_SPEECH_BEFORE = re.compile(
    r"\b(?:said|says|told|according to|identified (?:\w+ )?as|named as|named|name (?:is|was)|names? of)\s+$"
)
_SENT_END = re.compile(r"(?<!\b[A-Z])[.!?][\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n+")
_LEADING_ROLE_WORDS = 3
_TAGGED_CHARS = LEAD_CHARS - 300
"""Entities read from the tagger end here: inside the stretch every parse of the article parses."""


@dataclass(frozen=True)
class Mention:
    """A person's name as written, with where it is."""

    first: str
    last: str
    start: int
    end: int
    key: str = field(init=False)
    """One key for the ways one spelling is written (``names.name_key`` of "first last")."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", name_key(f"{self.first} {self.last}"))

    @property
    def shown(self) -> str:
        return f"{self.first} {self.last}"


def _common(word: str, doc: Doc) -> bool:
    """A common English word (a noun or adjective of WordNet, as the model's lemmatizer ships them: see
    ``agents.core.nlp.add_common_words``), or a title."""
    w = word.lower().rstrip(".")
    return w in TITLES or w in NAME_STOPWORDS or w in common_words(doc.vocab)


def _headlines(text: str) -> list[tuple[int, int]]:
    """Stretches of the text set in title case (a headline or a subhead): no sentence there names a person."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        # a paragraph of sentences is no headline: only short lines are read word by word
        if 20 < len(line) < 200 and not _SENTENCES_IN.search(line):
            words = _LONG_WORD.findall(line)
            if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words) and len(line.split()) <= 20:
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


_SENTENCES_IN = re.compile(r"[.!?]\s+[A-Z]")
_LONG_WORD = re.compile(r"[A-Za-z][\w'-]{3,}")


_SUFFIXES = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})
_NOT_NAME = frozenset(NAME_STOPWORDS) | frozenset(WEEKDAYS) | frozenset(MONTH_NAMES)


def _initial(w: str) -> bool:
    return len(w) == 2 and w[1] == "." and w[0].isupper()


def _names_in(run: str, doc: Doc) -> tuple[int, list[str]] | None:
    """The offset and words of the name in a run, without leading titles and role words and initials."""
    words = run.split()
    while words and words[-1].lstrip(",") in _SUFFIXES:
        words.pop()
    words = [w.rstrip(",") for w in words]
    # initials count for nothing when deciding whether a leading word is a role ("Jack B. Weinstein")
    while len(words) > 2 and _initial(words[-2]):
        words.pop(-2)
    skip = 0
    while len(words) - skip > 2 and skip < _LEADING_ROLE_WORDS and _common(words[skip], doc):
        skip += 1
    while len(words) - skip >= 2 and words[skip].lower().rstrip(".") in TITLES:
        skip += 1
    name = [w for w in words[skip:] if not _initial(w)]
    if len(name) < 2:
        return None
    low = [w.lower() for w in name]
    if any(w in _NOT_NAME for w in low) or low[0] in TITLES or low[-1] in TITLES:
        return None  # "Texas Gov.", "Dr": a title, not a name
    offset = sum(len(w) + 1 for w in words[:skip])
    return offset, name


def mentions(ctx: Ctx) -> list[Mention]:
    """The people the article names in full ("first last", middle names and suffixes left out), in order."""
    cached = ctx.doc.user_data.get("cf_mentions")
    if cached is not None:
        return list(cached)
    text = doc_text(ctx.doc)
    heads = _headlines(text)
    # the tagger's entities of the lead only: a two-stage parse always parses it, so what is found does not
    # depend on which later sentences the parse chose
    ents = [e for e in doc_ents(ctx.doc) if e.end_char < _TAGGED_CHARS]
    persons = {e.text.split()[-1].strip("'\u2019s").lower() for e in ents if e.label_ == "PERSON" and e.text}
    whole = {name_key(e.text) for e in ents if e.label_ == "PERSON"}
    others = [(e.start_char, e.end_char) for e in ents if e.label_ not in ("PERSON", "CARDINAL", "DATE", "TIME")]
    found: list[Mention] = []
    candidates: list[tuple[Mention, bool]] = []
    for m in _RUN.finditer(text):
        if any(a <= m.start() < b for a, b in heads):
            continue
        got = _names_in(m.group(0), ctx.doc)
        if got is None:
            continue
        offset, name = got
        start = m.start() + offset
        end = m.end()
        first, last = name[0], re.sub(r"['\u2019]s$", "", name[-1])
        mention = Mention(first, last, start, end)
        before, after = text[max(0, start - 40) : start], text[end : end + 40]
        titled = m.start() < start and name_key(text[m.start() : start].split()[-1].rstrip(".")) in TITLES
        aged = bool(_YEAR_OLD.search(before)) or bool(_AGE_AFTER.match(after))
        if not (aged or titled) and any(a < end and start < b for a, b in others):
            continue  # a nationality, an organisation, a place, a work: not a person
        if _common(first, ctx.doc) and _common(last, ctx.doc) and mention.key not in whole:
            continue  # "North Korean", "Tony Awards", "Tar Heels": words, unless the tagger saw a person
        evident = (
            aged
            or titled
            or last.lower() in persons
            or bool(_SPEECH_NEAR.match(after))
            or bool(_SPEECH_BEFORE.search(before))
        )
        candidates.append((mention, evident))
    evident_names = {c.key for c, ok in candidates if ok}
    evident_last = {c.last.lower() for c, ok in candidates if ok}
    for c, ok in candidates:
        if ok or c.key in evident_names or c.last.lower() in evident_last:
            found.append(c)
    ctx.doc.user_data["cf_mentions"] = tuple(found)
    return found


def _sentence(text: str, pos: int) -> tuple[int, int]:
    """The sentence of the text around ``pos`` (the text may be unparsed there)."""
    start = 0
    for m in _SENT_END.finditer(text, max(0, pos - 600), min(len(text), pos + 3)):
        if m.end() > pos:
            break
        start = m.end()
    nxt = _SENT_END.search(text, pos)
    end = nxt.start() + 1 if nxt else len(text)
    return start, min(end, len(text))


def _span(ctx: Ctx, start: int, end: int) -> Span | None:
    return ctx.doc.char_span(start, end, alignment_mode="expand")


def _surnames(found: list[Mention]) -> dict[str, Mention]:
    out: dict[str, Mention] = {}
    for m in found:
        out.setdefault(m.last.lower(), m)
    return out


def _ages(ctx: Ctx, found: list[Mention]) -> Iterator[tuple[Mention, int, int, int]]:
    """(person, age, start, end) for each age the text gives a named person, before or after the name."""
    text = doc_text(ctx.doc)
    by_last = _surnames(found)
    for m in found:
        before = text[max(0, m.start - 40) : m.start]
        pre = _YEAR_OLD.search(before)
        if pre:
            n = parse_number(pre.group("age"))
            if n is not None and float(n).is_integer() and 0 < n < 120:
                yield m, int(n), m.start - len(before) + pre.start(), m.end
        post = _AGE_AFTER.match(text[m.end : m.end + 40])
        if post:
            yield m, int(post.group("age")), m.start, m.end + post.end("age")
    # a surname alone with its age ("Buckley, 32,") is the person the article named in full
    for s in re.finditer(r"(?<![\w.])([A-Z][\w'\u2019-]+),\s*(\d{1,3}),", text):
        full = by_last.get(s.group(1).lower())
        if full is not None and not any(x.start <= s.start() < x.end for x in found):
            yield full, int(s.group(2)), s.start(), s.end() - 1


def entity_claims(ctx: Ctx) -> None:
    """``name`` claims for the people the article names and ``age`` claims for the ages it gives them."""
    text = doc_text(ctx.doc)
    found = mentions(ctx)
    seen: set[str] = set()
    for m in found:
        if m.key in seen:
            continue
        seen.add(m.key)
        s0, s1 = _sentence(text, m.start)
        sent = _span(ctx, s0, s1)
        if sent is None:
            continue
        add_claim(
            ctx,
            "name",
            m.shown,
            CategoryValue(label=m.shown, canonical=m.key, rule="name"),
            sent,
            *trim(ctx.doc, s0, s1),
            key=f"name:{m.key}",
            scope="main",
        )
    ages: set[tuple[str, int]] = set()
    for m, n, a, _end in _ages(ctx, found):
        if not 0 < n < 120 or (m.key, n) in ages:
            continue
        ages.add((m.key, n))
        s0, s1 = _sentence(text, a)
        sent = _span(ctx, s0, s1)
        if sent is None:
            continue
        ctx.open_slots.add("age")
        add_claim(
            ctx,
            "age",
            str(n),
            CountValue(low=n, high=n),
            sent,
            *trim(ctx.doc, s0, s1),
            subject=m.shown,
            key=f"age:{a}",
            # an age is the person's, whatever incident its sentence tells of ("the day after Rait's death,
            # 31-year-old Robert Fenn fell"); so its scope is the article's own
            scope="main",
        )

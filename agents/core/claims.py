"""Claim extraction: a pure function from a parsed article to typed claims with evidence.

Counts come from one general rule: a number expression found by the ``contraflow_quantities``
matcher ("at least 32", "more than 40", "nearly 80", "dozens", "no one", "thirty-one") is tied through
the dependency parse to its *counted noun* ("32 people", "five of their fighters") and to its *verb
frame*: the predicate it is subject or object of ("killing 32", "51 were taken to hospital"), an
adjectival complement ("24 dead", "leaving 14 missing"), or a tally noun moved by a verb ("put the toll
at 42", "the number of dead rose to 23"). The slot is looked up from the frame's lemma in
:data:`FRAMES`; a new kind of figure is a new row there, not new code. Groups within the total ("six
children", "four seriously injured") get a ``subject`` and are only compared with the same group.

Slots (value type; examples):

- ``killed``: count interval; "killing at least 32", "more than 40 died", "put the toll at 42",
  "claimed 32 lives", "the number of dead rose to 23".
- ``injured``: count interval, labelled "taken to hospital" when so; "wounding more than 20",
  "51 were taken to hospital", "suffered injuries".
- ``missing``, ``arrested``: count interval; "leaving two others missing", "police arrested five men".
- ``attackers``: count interval; "five suicide bombers had carried out the attack", "at least six
  assailants attacked", "five of their fighters had taken part".
- ``responsibility`` (subject: the group; ``*`` for "no group has claimed"): polarity, labelled claimed /
  not claimed / not explicitly claimed / denied; "X claimed responsibility", "X said it carried out the
  attacks", "stopped short of claiming", "did not make any claims for the assault", "no connection to".
- ``perpetrator``: named entity; "X carried out the attack", "the attack was carried out by X".
- ``released in exchange``: polarity; "exchanged for four militants", "this is not a swap" (only in
  articles about captives or hostages).
- ``time of incident`` (subject: "local time" or "UTC"): minute precision, widened for "around",
  "shortly after", "just before"; "the quake struck at 06:15 GMT", "around 10:45 p.m.".
- ``location``: offshore / inland polarity, or distance and bearing from a named place (compared only
  from the same place, bearings more than 45 degrees apart conflict); "struck off the coast",
  "55 km west of Bireun".
- ``magnitude``: interval of ±0.15; "a magnitude-6.1 earthquake" (not when the lead tells of a series).
- ``population`` (subject: the place): interval of ±10 %; "home to 4.5 million people".
- ``<state> since`` (subject: the place or thing): time at year or month precision; "under government
  control since May 2014", "has been closed since 2015".
- ``damaged:<thing>``, ``target``, ``weapon``, ``vehicle``: descriptive, kept for the best values and never
  alerted on (tallies of damage vary by area and hour; an attack can have several targets and weapons).

Counts are intervals: "at least N" = [N, ∞), "more than N" = [N+1, ∞), "nearly N" = [0.85·N, N],
"up to N" = [0, N], "about N" = N ± 5 %, "dozens" = [24, ∞) (vague: never a side of a contradiction),
"a senior officer and at least 31 others" = [32, ∞), "none" = [0, 0].

Every claim carries ``attributed_to`` (the subject of a governing "said"/"told"/"reported"/"put",
or "according to X"), ``hedge`` ("reportedly", "believed to", "some reports say", ...), ``scope``
and ``quote`` with character offsets into ``doc.text`` (the sentence, or the clause when a sentence
holds several claims). ``scope`` is ``other`` for figures about other incidents: an earlier year or
month, "last week", "a similar attack", another place than the lead's (when no lead place is in the
clause), a war's or campaign's total, the wider riots/violence, "another 13 killed" by another actor,
an indefinite "a/an <incident>" introduced after the lead, "Label: N killed" lists of past incidents.
Embedded clauses that do not hold the figure are left out of these checks. Hypotheticals ("could
die"), questions ("how many"), subsets ("four of whom"), breakdowns ("41 at one mosque and seven at
the other") and ages ("the driver, 42,") are no claims.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from spacy.tokens import Doc, Span, Token

from agents.core import aliases
from agents.core.components import MULTIPLIERS, QUANT_KEY, VAGUE
from schemas import ArticleRef, Claim, CountValue, EntityValue, PolarityValue, TimeValue
from schemas.claim import PlaceValue, Value
from schemas.ids import digest

WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
}
VAGUE_RANGES: dict[str, tuple[float, float | None]] = {
    "dozen": (12, 12), "a dozen": (12, 12), "dozens": (24, None), "scores": (40, None), "hundreds": (200, None),
    "thousands": (2000, None), "hundreds of thousands": (200_000, None), "tens of thousands": (20_000, None),
    "thousands of thousands": (2_000_000, None), "millions": (2_000_000, None), "several": (3, None),
    "handful": (2, 9), "a handful": (2, 9), "many": (2, None),
    "numerous": (2, None),
}

# ---- frames: lemma -> slot -------------------------------------------------------------------
FRAMES: dict[str, str] = {
    # verbs
    "kill": "killed", "die": "killed", "perish": "killed", "slay": "killed", "murder": "killed",
    "massacre": "killed", "behead": "killed", "execute": "killed",
    "injure": "injured", "wound": "injured", "hurt": "injured", "maim": "injured",
    "hospitalise": "hospitalised", "hospitalize": "hospitalised",
    "arrest": "arrested", "detain": "arrested",
    # adjectival complements ("24 dead", "leaving 14 missing")
    "dead": "killed", "killed": "killed", "injured": "injured", "wounded": "injured", "missing": "missing",
    "hospitalised": "hospitalised", "hospitalized": "hospitalised", "arrested": "arrested",
    # nouns counted directly ("six deaths")
    "death": "killed", "fatality": "killed", "injury": "injured",
}
HOSPITAL_VERBS = {"take", "rush", "admit", "treat", "send", "airlift", "transport", "carry", "ferry", "be", "remain"}
TOLL_NOUNS = {"toll"}
TOLL_VERBS = {"rise", "climb", "reach", "stand", "put", "bring", "increase", "jump", "hit", "raise", "be", "grow",
              "mount", "soar", "estimate", "place", "set"}
ATTACKER_NOUNS = {"attacker", "assailant", "gunman", "gunmen", "bomber", "shooter", "perpetrator", "hijacker",
                  "militant", "fighter", "terrorist", "jihadist", "insurgent", "suspect"}
STRICT_ATTACKERS = {"attacker", "assailant", "gunman", "gunmen", "bomber", "shooter", "perpetrator", "hijacker"}
ATTACK_VERBS = {"carry", "take", "attack", "storm", "open", "launch", "stage", "conduct", "blow", "detonate",
                "be", "involve", "participate", "raid", "ram", "shoot", "fire", "strike", "enter", "infiltrate"}
SUBGROUPS = {"child", "children", "girl", "boy", "woman", "women", "man", "men", "officer", "policeman",
             "policemen", "police", "soldier", "troop", "civilian", "student", "passenger", "tourist", "foreigner",
             "national", "worker", "firefighter", "teenager", "baby", "infant", "pupil", "staff", "employee",
             "guard", "member", "citizen", "resident", "pilgrim", "worshipper", "protester", "demonstrator",
             "driver", "family", "relative", "villager", "miner", "crew", "journalist", "cop", "agent"}
GENERIC_PEOPLE = {"people", "person", "persons", "other", "others", "victim", "life", "body", "individual",
                  "more", "dead", "death", "fatality", "injury"}
NON_PEOPLE = {"year", "day", "hour", "minute", "second", "week", "month", "time", "km", "kilometre", "kilometer",
              "mile", "metre", "meter", "foot", "feet", "percent", "per", "dollar", "euro", "pound", "round",
              "shot", "bullet", "car", "vehicle", "building", "house", "home", "office", "village", "floor",
              "room", "storey", "story", "mph", "degree", "magnitude", "point", "page", "tram", "truck", "bus",
              "aftershock", "quake", "earthquake", "blast", "explosion", "attack", "raid", "strike", "bomb",
              "incident", "case", "complaint", "report", "girl_release", "gate", "seat", "line", "stop"}
DAMAGE_NOUNS = {"village", "house", "home", "building", "mosque", "school", "church", "shop", "bridge", "road"}
DAMAGE_VERBS = {"damage": "damaged", "destroy": "destroyed", "flatten": "destroyed", "collapse": "destroyed",
                "raze": "destroyed", "affect": "affected", "hit": "affected", "level": "destroyed"}
WAR_NOUNS = {"war", "conflict", "insurgency", "campaign", "uprising", "crisis", "revolution", "occupation"}
SPEECH = {"say", "tell", "report", "announce", "confirm", "state", "add", "claim", "estimate", "put", "quote",
          "cite", "write", "tweet", "warn", "insist", "explain", "reveal", "note", "show", "indicate", "declare",
          "suggest", "believe", "think", "accord", "record", "count", "give", "tally", "place"}
HEDGE_RE = re.compile(
    r"\b(reportedly|allegedly|believed to|thought to|said to (?:be|have)|feared|unconfirmed|some reports|"
    r"reports (?:say|said|suggest)|reported to (?:be|have)|may have|might have|could have|possibly|apparently|"
    r"suspected(?! of)|it is understood|unverified|appeared to)\b",
    re.I,
)
OTHER_TIME_RE = re.compile(
    r"\b(?:(?:last|previous|past) (?:\w+ )?(?:years?|months?|weeks?|decades?|summer|winter|spring|autumn)|"
    r"earlier this (?:year|month)|"
    r"(?:\w+ )?(?:years?|months?|decades?) (?:ago|earlier)|in the past|since (?:19|20)\d\d|since the start|"
    r"so far this year|(?:that|the same|the previous|the following) year|the year before|"
    r"in (?:19|20)\d\d|of (?:19|20)\d\d)\b",
    re.I,
)
YEAR_RE = re.compile(r"\b(19|20)\d\d\b")
LIST_LINE_RE = re.compile(r"^[^.:\n]{2,50}:\s+[^\n]{0,40}\d[^\n]{0,40}$")
INCIDENT_WORDS = {"attack", "blast", "explosion", "bombing", "shooting", "crash", "derail", "derailment", "strike",
                  "struck", "hit", "quake", "earthquake", "tremor", "drove", "drive", "plough", "plow", "ram",
                  "overturn", "collide", "collision", "assault", "happen", "occur", "atrocity", "massacre",
                  "rampage", "sink", "capsize", "erupt", "rock", "jolt", "accident", "incident"}
SERIES_RE = re.compile(r"\b(?:quakes|earthquakes|tremors|series of (?:\w+ )?(?:quakes|earthquakes|tremors|attacks|"
                       r"blasts|explosions)|(?:first|second|third|latest|another) (?:\w+ ){0,2}"
                       r"(?:quake|earthquake|tremor)|aftershocks?)\b", re.I)
WIDER_RE = re.compile(r"\b(?:in|during|amid) (?:the )?(?:\w+ )?(?:riots?|violence|protests?|clashes|unrest|"
                      r"demonstrations?|fighting|war|conflict|crackdown|insurgency)\b", re.I)
OTHER_INCIDENT_RE = re.compile(
    r"\b(?:in (?:the )?neighbou?ring|elsewhere in|(?:a |an )?(?:similar|previous|earlier|prior|separate) (?:\w+ )?"
    r"(?:attacks?|bombings?|crash(?:es)?|quakes?|earthquakes?|shootings?|incidents?|disasters?|tsunamis?|"
    r"explosions?|blasts?|raids?|strikes?|accidents?))\b", re.I)
_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"]


@dataclass
class _Ctx:
    doc: Doc
    ref: ArticleRef
    main_places: set[str]
    year: int | None
    learned: dict[str, str]
    list_lines: set[int] = field(default_factory=set)
    series: bool = False
    captives: bool = False
    lead_end_token: int = 0
    claims: list[Claim] = field(default_factory=list)
    count_sents: dict[int, int] = field(default_factory=dict)


# ---- per-document caches (Span.ents and Token.sent walk the whole document on every call) ------------
def _text(doc: Doc) -> str:
    cached = doc.user_data.get("cf_text")
    if cached is None:
        cached = doc.user_data["cf_text"] = doc.text
    return cached


def _stext(sent: Span) -> str:
    """A sentence's text, sliced from the cached document text (``Span.text`` joins tokens on every call)."""
    return _text(sent.doc)[sent.start_char: sent.end_char]


def _ents(doc: Doc) -> list[Span]:
    cached = doc.user_data.get("cf_ents")
    if cached is None:
        cached = doc.user_data["cf_ents"] = list(doc.ents)
    return cached


def _sents(doc: Doc) -> list[Span]:
    cached = doc.user_data.get("cf_sents")
    if cached is None:
        # a sentence of whitespace alone holds no claim (the blanked stretches of a two-stage parse)
        cached = doc.user_data["cf_sents"] = [sn for sn in doc.sents if not (len(sn) == 1 and sn[0].is_space)]
        index: list[int] = [0] * len(doc)
        for k, sn in enumerate(cached):
            for i in range(sn.start, cached[k + 1].start if k + 1 < len(cached) else len(doc)):
                index[i] = k
        doc.user_data["cf_sent_index"] = index
        buckets: dict[int, list[Span]] = {sn.start: [] for sn in cached}
        for e in _ents(doc):
            buckets[cached[index[e.start]].start].append(e)
        doc.user_data["cf_sent_ents"] = buckets
    return cached


def _sent_of(tok: Token) -> Span:
    sents = _sents(tok.doc)
    return sents[tok.doc.user_data["cf_sent_index"][tok.i]]


def _sent_ents(sent: Span) -> list[Span]:
    _sents(sent.doc)
    return sent.doc.user_data["cf_sent_ents"].get(sent.start) or [
        e for e in _ents(sent.doc) if sent.start <= e.start < sent.end]


def _ent_at(doc: Doc, i: int) -> Span | None:
    for e in _sent_ents(_sent_of(doc[i])):
        if e.start <= i < e.end:
            return e
    return None


# ---- numbers ---------------------------------------------------------------------------------
def parse_number(text: str) -> float | None:
    """A number from digits ("1,600", "6.1") or words ("thirty-one", "two hundred")."""
    t = text.lower().replace(",", "").strip()
    try:
        return float(t)
    except ValueError:
        pass
    total, cur = 0.0, 0.0
    for w in re.split(r"[\s-]+", t):
        if w in ("and", "a"):
            continue
        if w in MULTIPLIERS and w != "hundred":
            total += max(cur, 1) * MULTIPLIERS[w]
            cur = 0
        elif w == "hundred":
            cur = max(cur, 1) * 100
        elif w in WORDS:
            cur += WORDS[w]
        else:
            try:
                cur += float(w)
            except ValueError:
                return None
    return total + cur


def count_value(span_text: str, label: str, extra: int = 0) -> tuple[CountValue, str] | None:
    """The interval and reader's label of a quantity span (``label`` from the quantity matcher)."""
    low = span_text.lower().strip()
    if label == "none":
        return CountValue(low=0, high=0), "none"
    words = low.split()
    # strip the qualifier words
    from agents.core.components import QUALIFIERS

    qual = ""
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if low.startswith(q + " "):
            qual, low = q, low[len(q) + 1:]
            break
    words = low.split()
    if low in VAGUE_RANGES or (words and words[-1] in VAGUE):
        lo, hi = VAGUE_RANGES.get(low, VAGUE_RANGES.get(words[-1], (2, None)))
        return CountValue(low=lo + extra, high=None if hi is None else hi + extra, approx=True), \
            f"{qual + ' ' if qual else ''}{low}"
    n = parse_number(low)
    if n is None:
        return None
    n += extra
    shown = f"{n:g}"
    if label == "ge":
        v = CountValue(low=n)
        return v, f"at least {shown}"
    if label == "gt":
        return CountValue(low=n + (1 if n == int(n) else 0.01)), f"more than {shown}"
    if label == "lt_approx":
        return CountValue(low=round(n * 0.85), high=n, approx=True), f"nearly {shown}"
    if label == "le":
        return CountValue(low=0, high=n), f"up to {shown}"
    if label == "lt":
        return CountValue(low=0, high=n - 1), f"fewer than {shown}"
    if label == "approx":
        d = max(1.0, round(n * 0.05))
        return CountValue(low=n - d, high=n + d, approx=True), f"about {shown}"
    return CountValue(low=n, high=n), shown


# ---- parse helpers ---------------------------------------------------------------------------
def _clause_head(tok: Token) -> Token:
    """Climb from a predicate to the head of its clause (stops at ROOT, ccomp, relcl or a speech verb)."""
    t = tok
    for _ in range(12):
        if t.dep_ in ("ROOT", "ccomp", "relcl", "parataxis") or t.head == t:
            return t
        if t.head.lemma_ in SPEECH and t.head.pos_ in ("VERB", "AUX") and t.dep_ not in ("conj",):
            return t
        t = t.head
    return t


def _span_of(tok: Token, sent: Span) -> tuple[int, int]:
    """Character range of a clause head's subtree, leaving out clauses attached after a speech verb."""
    toks = [t for t in tok.subtree if sent.start <= t.i < sent.end]
    if not toks:
        return sent.start_char, sent.end_char
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    text = _text(tok.doc)
    while end > start and text[end - 1] in " ,;:-":
        end -= 1
    while start < end and text[start] in " ,;:-\"'":
        start += 1
    return start, end


def _resolve_rel(t: Token) -> Token:
    """The antecedent of a relative pronoun ("which", "that", "who")."""
    if t.lower_ in ("which", "that", "who") and t.head.dep_ == "relcl":
        return t.head.head
    return t


def _np_text(t: Token, sent: Span, limit: int = 10) -> str:
    keep = [x for x in t.subtree
            if sent.start <= x.i < sent.end and not any(a.dep_ in ("relcl", "acl", "appos") and a != t and
                                                       x in a.subtree for a in t.children)]
    ids = {x.i for x in keep if (x.pos_ != "PUNCT" or x.i < t.i) and not x.is_space}
    lo = hi = t.i
    while lo - 1 in ids and t.i - lo < limit:
        lo -= 1
    while hi + 1 in ids and hi - t.i < limit:
        hi += 1
    txt = t.doc[lo: hi + 1].text
    return txt.strip(" ,;:-\"'\n")


def _attribution(clause: Token, sent: Span) -> str | None:
    """Who said it: the subject of a governing speech verb, or "according to X"; "he"/"she" become the last
    person named before the sentence."""
    who = _attribution_np(clause, sent)
    if who is not None and who.lower() in ("he", "she"):
        people = [e for e in _ents(sent.doc) if e.label_ == "PERSON" and e.end <= sent.start
                  and e.start >= sent.start - 150]
        if people:
            return f"{who} ({people[-1].text})"
    return who


def _attribution_np(clause: Token, sent: Span) -> str | None:
    t = clause
    for _ in range(6):
        head = t.head
        if t.lemma_ in SPEECH and t == clause and t.pos_ in ("VERB",):
            subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subj and t.lemma_ in ("put", "estimate", "place", "give", "record", "count"):
                return _np_text(_resolve_rel(subj[0]), sent)
        if head == t:
            break
        if head.lemma_ in SPEECH and head.pos_ in ("VERB", "AUX"):
            subj = [c for c in head.children if c.dep_ in ("nsubj",)]
            if subj:
                return _np_text(_resolve_rel(subj[0]), sent)
            agent = [c for c in head.children if c.dep_ == "agent"]
            if agent and list(agent[0].children):
                return _np_text(next(iter(agent[0].children)), sent)
        t = head
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"] or \
                   [c for c in tok.children if c.dep_ == "prep" for c in c.children if c.dep_ == "pobj"]
            if objs:
                return _np_text(objs[0], sent)
            rest = sent.doc[tok.i + 2: min(sent.end, tok.i + 8)].text
            return rest.split(",")[0].strip(" .") or None
    return None


def _hedge(text: str) -> str | None:
    m = HEDGE_RE.search(text)
    return m.group(0).lower() if m else None


# ---- scope -----------------------------------------------------------------------------------
def _main_places(doc: Doc) -> set[str]:
    """Place names of the lead (title and first sentences): the main event's places."""
    out: set[str] = set()
    limit = 0
    for i, s in enumerate(_sents(doc)):
        limit = s.end_char
        if i >= 4:
            break
    freq: dict[str, int] = {}
    for e in _ents(doc):
        if e.label_ in ("GPE", "LOC", "FAC"):
            key = aliases.canonical(e.text)
            freq[key] = freq.get(key, 0) + 1
            if e.start_char <= limit:
                out.add(key)
    out.update(k for k, n in freq.items() if n >= 3)
    return out


def _place_ok(name: str, main: set[str]) -> bool:
    key = aliases.canonical(name)
    if key in main:
        return True
    return any(key in m or m in key for m in main if len(m) >= 3 and len(key) >= 3)


def _earlier_date(text: str, published: datetime | None) -> bool:
    """A date that names a month (and maybe a year) before the month of publication."""
    if published is None:
        return False
    low = text.lower()
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", low)]
    if years and max(years) < published.year:
        return True
    month = next((i + 1 for i, m in enumerate(_MONTH_NAMES) if re.search(rf"\b{m[:3]}\w*\b", low)), None)
    if month is None:
        return False
    year = years[0] if years else published.year
    if not years and month > published.month + 1:
        year -= 1  # "in December", read in January
    return (year, month) < (published.year, published.month - 1 if published.day <= 7 else published.month)


_EMBEDDED = ("relcl", "acl", "appos", "ccomp", "parataxis")


INCIDENT_NOUNS = {"attack", "bombing", "blast", "explosion", "strike", "airstrike", "raid", "quake", "earthquake",
                  "crash", "shooting", "fire", "collision", "derailment", "tremor", "tsunami", "storm", "flood",
                  "massacre", "ambush", "assault", "accident", "incident", "landslide", "stampede"}


def _indefinite_incident(pred: Token) -> bool:
    """ "a suicide attack that saw eight killed", "an air raid killed four": another incident, newly introduced."""
    t = pred
    for _ in range(4):
        cands = [c for c in t.children if c.dep_ in ("nsubj", "nsubjpass", "agent")]
        if t.dep_ == "relcl":
            cands.append(t.head)
        for c in cands:
            if c.dep_ == "agent":
                c = next((g for g in c.children if g.dep_ == "pobj"), c)
            c = _resolve_rel(c)
            if c.lemma_.lower() in INCIDENT_NOUNS and any(
                    d.dep_ == "det" and d.lower_ in ("a", "an", "another") for d in c.children):
                return True
        if t.dep_ in ("ROOT", "ccomp") or t.head == t:
            break
        t = t.head
    return False


def _region(region: Token, keep: Token, sent: Span) -> list[Token]:
    """The tokens of a clause, without embedded clauses that do not hold ``keep`` (the figure)."""
    out: list[Token] = []
    stack = [region]
    while stack:
        t = stack.pop()
        if not (sent.start <= t.i < sent.end):
            continue
        out.append(t)
        for c in t.children:
            if c.dep_ in _EMBEDDED and not (c.left_edge.i <= keep.i <= c.right_edge.i):
                continue
            stack.append(c)
    return sorted(out, key=lambda t: t.i)


def _scope(ctx: _Ctx, clause: Token, pred: Token | None, label: str, sent: Span, keep: Token | None = None) -> str:
    """``other`` when the figure belongs to another incident than the article's main one."""
    region = clause.head if clause.dep_ == "relcl" else clause
    toks = _region(region, keep if keep is not None else (pred if pred is not None else clause), sent)
    ids = {t.i for t in toks}
    lo_i, hi_i = toks[0].i, toks[-1].i
    text = " ".join(t.text for t in toks)
    if WIDER_RE.search(text) or OTHER_INCIDENT_RE.search(text):
        return "other"
    for e in _sent_ents(sent):
        if e.label_ == "DATE" and e.root.i in ids and _earlier_date(e.text, ctx.ref.published_at):
            return "other"
    m = OTHER_TIME_RE.search(text)
    if m:
        years = YEAR_RE.findall(m.group(0))
        full = re.findall(r"(?:19|20)\d\d", m.group(0))
        if not years or ctx.year is None or any(int(y) != ctx.year for y in full):
            return "other"
    foreign = main_seen = False
    for e in _sent_ents(sent):
        if e.start >= lo_i and e.end <= hi_i + 1 and e.root.i in ids:
            if e.label_ == "DATE":
                for y in re.findall(r"\b(?:19|20)\d\d\b", e.text):
                    if ctx.year is None or int(y) < ctx.year:
                        return "other"
            if any(t.dep_ == "poss" or t.tag_ == "POS" for t in e) or (e.end < len(ctx.doc) and
                                                                      ctx.doc[e.end].tag_ == "POS"):
                continue  # "Indonesia's Aceh province": the container, not the place
            if e.label_ in ("GPE", "LOC", "FAC", "ORG") and _place_ok(e.text, ctx.main_places):
                main_seen = True
            elif e.label_ in ("GPE", "LOC"):
                foreign = True
    if foreign and not main_seen:
        return "other"
    if pred is not None and sent.start > ctx.lead_end_token and _indefinite_incident(pred):
        return "other"
    if pred is not None:
        subj = [c for c in pred.children if c.dep_ in ("nsubj",)]
        if subj:
            s = _resolve_rel(subj[0])
            if s.lemma_.lower() in WAR_NOUNS:
                return "other"
            if label == "another" and s.pos_ in ("NOUN", "PROPN"):
                return "other"
        if pred.dep_ == "relcl" and pred.head.lemma_.lower() in WAR_NOUNS:
            return "other"
    line_start = _text(ctx.doc).rfind("\n", 0, sent.start_char) + 1
    if line_start in ctx.list_lines:
        return "other"
    return "main"


def _list_lines(text: str) -> set[int]:
    """Start offsets of "Label: N killed" lines when an article has three or more (a list of past incidents)."""
    starts = [m.start() for m in re.finditer(r"(?m)^[^.:\n]{2,50}:\s+[^\n]{0,40}\d[^\n]{0,40}$", text)]
    return set(starts) if len(starts) >= 3 else set()


# ---- count frames ----------------------------------------------------------------------------
SUBSET_WORDS = {"whom", "which", "them", "those", "these", "us", "whose"}


def _counted(num: Token) -> tuple[Token, Token | None]:
    """(syntactic anchor, counted noun) of a number token."""
    if num.dep_ in ("nummod", "quantmod", "amod", "compound") and num.head.pos_ in ("NOUN", "PROPN"):
        return num.head, num.head
    for ch in num.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            objs = [c for c in ch.children if c.dep_ == "pobj"]
            if objs:
                return num, objs[0]
    return num, None


def _complement_slot(v: Token) -> str | None:
    for ch in v.children:
        if ch.dep_ in ("ccomp", "advcl") and any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in ch.children):
            continue
        if ch.dep_ in ("ccomp", "advcl") and ch.i < v.i:
            continue
        if ch.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "attr", "advcl", "amod", "dobj") and \
                (ch.lower_ in FRAMES or ch.lemma_.lower() in FRAMES) and ch.pos_ in ("ADJ", "VERB", "NOUN"):
            slot = FRAMES.get(ch.lower_) or FRAMES.get(ch.lemma_.lower())
            if slot and ch.lemma_.lower() not in ("death", "injury", "fatality"):
                return slot
    return None


def _has_hospital(v: Token) -> bool:
    for ch in v.children:
        if ch.dep_ in ("prep", "advmod", "dobj"):
            if ch.lemma_.lower() in ("hospital", "hospitals"):
                return True
            for g in ch.children:
                if g.lemma_.lower() in ("hospital", "hospitals"):
                    return True
    return False


TALLY_NOUNS = {"number", "total", "tally", "count", "figure"}


def _toll_slot(v: Token) -> str | None:
    """The slot of a tally that a verb moves or states: "the toll rose to", "fatalities stood at",
    "the number of injured reached", "put the death toll at"."""
    for c in v.children:
        if c.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr"):
            continue
        lem = c.lemma_.lower()
        if lem in TOLL_NOUNS:
            return "killed" if not any(g.lemma_.lower() in ("injury", "casualty") for g in c.children) else None
        if lem in ("death", "fatality", "injury"):
            return FRAMES[lem]
        if lem in TALLY_NOUNS:
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for o in p.children:
                        slot = FRAMES.get(o.lower_) or FRAMES.get(o.lemma_.lower())
                        if slot and slot in ("killed", "injured", "missing", "arrested"):
                            return slot
    return None


def _has_toll(v: Token) -> bool:
    return _toll_slot(v) is not None


def frame(anchor: Token, noun: Token | None) -> tuple[str, Token] | None:
    """The slot a counted noun's verb frame gives, with the predicate token; ``None`` if none applies."""
    lem = (noun.lemma_.lower() if noun is not None else "")
    low = (noun.lower_ if noun is not None else "")
    # "58 killed", "24 dead": a complement hanging on the count itself
    for ch in anchor.children:
        if ch.dep_ in ("acl", "amod") and ch.i > anchor.i and ch.pos_ in ("VERB", "ADJ"):
            if (ch.lower_ in FRAMES or ch.lemma_ in FRAMES) and not any(c.dep_ == "dobj" for c in ch.children):
                return FRAMES.get(ch.lower_) or FRAMES[ch.lemma_], ch
            if ch.pos_ == "VERB" and ch.tag_ == "VBN" and ch.i == anchor.i + 1:
                return None  # the count has a predicate of its own ("12 arrested")
    x = anchor
    for _ in range(3):
        if x.dep_ in ("conj", "appos") and x.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON") and \
                (anchor.lemma_.lower() in ("other", "more") or x.dep_ == "appos"):
            x = x.head
        else:
            break
    dep, head = x.dep_, x.head
    if lem in ("death", "fatality", "injury") and noun == anchor:
        return FRAMES[lem], head if head != x else x
    if dep == "pobj":
        prep = head
        if prep.lower_ in ("among", "including", "of", "from", "between", "besides", "than"):
            return None
        v = prep.head
        if v.lemma_.lower() in TOLL_NOUNS:
            return "killed", v
        if v.lemma_.lower() in TOLL_VERBS and _has_toll(v):
            return _toll_slot(v) or "killed", v
        return None
    if head == x and dep == "ROOT":
        slot = _complement_slot(x)
        return (slot, x) if slot else None
    if dep not in ("nsubj", "nsubjpass", "dobj", "attr", "oprd", "dative", "npadvmod", "appos", "ROOT", "conj",
                   "ccomp", "acomp", "advcl"):
        return None
    v = head
    vl = v.lemma_.lower()
    vw = v.lower_
    # an adjective or participle complement as head ("dozens dead", "five people are dead")
    if vw in FRAMES and v.pos_ in ("ADJ",) and dep in ("nsubj", "npadvmod"):
        return FRAMES[vw], v
    if vl in FRAMES and v.pos_ in ("VERB",):
        slot = FRAMES[vl]
        if dep == "nsubj" and vl not in ("die", "perish") and any(c.dep_ == "dobj" for c in v.children):
            if lem in ATTACKER_NOUNS:
                return "attackers", v
            return None  # the killers, not the killed
        if dep in ("dobj", "nsubjpass", "nsubj", "attr", "oprd", "conj", "ccomp", "npadvmod", "advcl"):
            if lem in ATTACKER_NOUNS and slot == "killed":
                return None  # attackers killed: not the toll
            return slot, v
    if vl in HOSPITAL_VERBS and _has_hospital(v) and dep in ("nsubjpass", "dobj", "nsubj"):
        return "hospitalised", v
    if vl in DAMAGE_VERBS and lem in DAMAGE_NOUNS and dep in ("dobj", "nsubjpass"):
        return f"{DAMAGE_VERBS[vl]}:{lem}", v
    slot = _complement_slot(v)
    if slot and dep in ("nsubj", "dobj", "nsubjpass", "attr"):
        return slot, v
    if vl in TOLL_VERBS and _has_toll(v) and dep in ("attr", "npadvmod", "dobj") and noun is None:
        return _toll_slot(v) or "killed", v
    if lem == "life" and (vl in ("claim", "take", "cost", "lose", "sacrifice") or (
            dep == "pobj" and v.head.lemma_.lower() in ("claim", "take", "cost"))):
        return "killed", v  # "claimed 32 lives"
    lives = next((c for c in v.children if c.dep_ == "dobj" and c.lemma_.lower() in ("life", "injury")), None)
    if lives is not None and vl in ("lose", "suffer", "sustain", "receive") and dep in ("nsubj",):
        return ("killed" if lives.lemma_.lower() == "life" else "injured"), v  # "20 people lost their lives"
    if vw in FRAMES and v.pos_ == "VERB" and dep in ("nsubj", "nsubjpass") and vw in (
            "missing", "dead", "injured", "wounded"):
        return FRAMES[vw], v  # "40 people are still missing"
    if (lem in ATTACKER_NOUNS or low in ATTACKER_NOUNS) and vl in ATTACK_VERBS \
            and dep in ("nsubj", "nsubjpass", "attr") and (lem in STRICT_ATTACKERS or vl not in ("be",)):
        return "attackers", v
    return None


def _extra_from_conj(anchor: Token) -> tuple[int, Token | None]:
    """ "a senior officer and at least 31 others": one per singular noun conjoined before "others"."""
    if anchor.lemma_.lower() not in ("other", "others", "more") or anchor.dep_ != "conj":
        return 0, None
    h = anchor.head
    if h.pos_ in ("VERB",):
        h = next((c for c in h.children if c.dep_ == "dobj" and c.i < anchor.i), h)
    if h.pos_ in ("NOUN", "PROPN") and h.tag_ in ("NN", "NNP") and any(
            c.lower_ in ("a", "an", "one", "the") for c in h.children):
        n = 1 + sum(1 for c in h.children if c.dep_ == "conj" and c != anchor and c.tag_ in ("NN", "NNP"))
        return n, h
    return 0, None


_SEVERE = re.compile(r"\b(?:critical(?:ly)?|serious(?:ly)?|severe(?:ly)?|grave(?:ly)?|bad(?:ly)?|life-threatening)\b",
                     re.I)
_LIGHT = re.compile(r"\b(?:slight(?:ly)?|light(?:ly)?|minor)\b", re.I)


def _severity(pred: Token, sent: Span) -> str | None:
    """ "18 are critically injured", "in a serious condition": a subset of the injured, compared apart."""
    lo, hi = max(sent.start, pred.i - 2), min(sent.end, pred.i + 3)
    window = pred.doc[lo:hi].text
    window += " " + " ".join(g.text for c in pred.children if c.dep_ == "prep" and c.i < hi + 1
                             for g in c.subtree if g.i < c.i + 5)
    if _SEVERE.search(window) or re.search(r"\bcondition\b", window):
        return "seriously"
    if _LIGHT.search(window):
        return "slightly"
    return None


def _either_or(pred: Token) -> bool:
    """ "killing or wounding 20": a figure shared by two different frames is no claim on either."""
    for c in [*pred.children, pred.head]:
        if c.dep_ == "conj" or pred.dep_ == "conj":
            other = c if c.dep_ == "conj" and c.head == pred else pred.head
            if other == pred:
                continue
            if any(x.lower_ == "or" and x.dep_ == "cc" for x in [*pred.children, *other.children]):
                a = FRAMES.get(other.lemma_.lower())
                b = FRAMES.get(pred.lemma_.lower())
                if a and b and a != b:
                    return True
    return False


def _subject_of(noun: Token | None, slot: str) -> str | None:
    if noun is None or slot not in ("killed", "injured", "hospitalised", "missing"):
        return None
    lem = noun.lemma_.lower()
    if lem in GENERIC_PEOPLE or noun.lower_ in GENERIC_PEOPLE:
        return None
    if lem in SUBGROUPS or noun.lower_ in SUBGROUPS:
        mods = [c.lower_ for c in noun.children if c.dep_ in ("amod", "compound") and c.lower_ in ("police",)]
        return " ".join([*mods, lem])
    return lem


# ---- claims ----------------------------------------------------------------------------------
def _add(ctx: _Ctx, slot: str, value: str, typed: Value, sent: Span, start: int, end: int, *,
         subject: str | None = None, attributed_to: str | None = None, scope: str = "main",
         hedge: str | None = None, key: str = "") -> None:
    text = _text(ctx.doc)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    quote = text[start:end]
    if not quote.strip():
        start, end = sent.start_char, sent.end_char
        quote = _text(ctx.doc)[start:end]
    ctx.claims.append(Claim(
        id=digest(ctx.ref.id, slot, subject or "", str(start), key or value),
        article_id=ctx.ref.id, source=ctx.ref.source, slot=slot, value=value, typed=typed,
        subject=subject, attributed_to=attributed_to, hedge=hedge if hedge is not None else _hedge(_stext(sent)),
        quote=quote, start=start, end=end, scope=scope, published_at=ctx.ref.published_at,
    ))


def _count_claims(ctx: _Ctx) -> None:
    doc = ctx.doc
    spans = doc.spans.get(QUANT_KEY, [])
    found: list[tuple[Span, Span, str, CountValue, str, str | None, Token, str]] = []
    orphans: list[Token] = []
    for q in spans:
        num = next((t for t in reversed(q) if t.like_num or t.lower_ in VAGUE or t.lower_ in ("none", "nobody")),
                   q.root)
        anchor, noun = _counted(num)
        if noun is not None and noun is not anchor and noun.pos_ == "PROPN":
            noun = None  # "another 40 Steve Parsons/PA": a photo credit, not the counted noun
        elif noun is not None and noun.pos_ == "PROPN":
            continue
        if (num.i > 0 and doc[num.i - 1].lower_ in ("how", "many")) or (
                q.start > 0 and doc[q.start - 1].lower_ == "how"):
            continue  # "how many have died": a question, no figure
        if (noun is not None and noun.lower_ in SUBSET_WORDS) or doc[max(0, q.start - 2): q.start].text.lower() in (
                "of whom", "of which", "of them", "of those", "of these"):
            continue  # "four of whom were seriously injured": a part of another figure
        if noun is None and num.dep_ in ("appos", "npadvmod", "amod", "nummod") and (
                num.head.ent_type_ == "PERSON" or num.head.pos_ == "PROPN"):
            continue  # "Martin Bamford, 30, from Croydon": an age
        if noun is None and 0 < num.i < len(doc) - 1 and doc[num.i - 1].text == "," and doc[num.i + 1].text in (
                ",", "-") and doc[num.i - 2].pos_ in ("NOUN", "PROPN"):
            continue  # "The tram driver, 42, from Beckenham": an age
        if noun is not None and (noun.lemma_.lower() in NON_PEOPLE or noun.lower_ in NON_PEOPLE) \
                and noun.lemma_.lower() not in DAMAGE_NOUNS:
            continue
        fr = frame(anchor, noun)
        if fr is None:
            if anchor.dep_ == "conj" or num.dep_ == "conj":
                orphans.append(anchor)
            continue
        slot, pred = fr
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might", "may", "should") for c in pred.children) \
                or any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in pred.children):
            continue  # hypothetical: "thousands of people would die"
        if slot.startswith("damaged") is False and noun is not None and noun.lemma_.lower() in DAMAGE_NOUNS:
            continue
        extra, sibling = _extra_from_conj(anchor)
        cv = count_value(q.text, q.label_, extra)
        if cv is None:
            continue
        typed, label = cv
        if sibling is not None:
            label = f"{doc[sibling.left_edge.i: sibling.i + 1].text} and {q.text} {anchor.text}"
        if _either_or(pred):
            continue
        sent = _sent_of(num)
        if slot == "hospitalised":
            slot, label = "injured", f"{label} taken to hospital"
        subject = _subject_of(noun, slot)
        severity = _severity(pred, sent)
        if severity and slot in ("injured", "hospitalised"):
            subject = f"{severity}{' ' + subject if subject else ''}"
        partial = q.label_ == "another" or (noun is not None and any(
            c.lower_ in ("other", "more", "further", "additional", "another") for c in noun.children)) or any(
            c.lower_ == "also" and c.dep_ == "advmod" for c in pred.children)
        found.append((q, sent, slot, typed, label, subject, pred, "another" if partial else q.label_))
    per_sent: dict[int, int] = {}
    for item in found:
        per_sent[item[1].start] = per_sent.get(item[1].start, 0) + 1
    slots_in_sent: dict[tuple[int, str], int] = {}
    for item in found:
        slots_in_sent[(item[1].start, item[2])] = slots_in_sent.get((item[1].start, item[2]), 0) + 1
    preds: dict[tuple[int, str], int] = {}
    for f in found:
        preds[(f[6].i, f[2])] = preds.get((f[6].i, f[2]), 0) + 1
        if any(f[6].left_edge.i <= o.i <= f[6].right_edge.i and o.i > f[0].end for o in orphans):
            preds[(f[6].i, f[2])] += 1
    # "41 were killed at one mosque and seven at the other": a breakdown, no total
    found = [f for f in found if preds[(f[6].i, f[2])] == 1]
    found = [f for f in found if not (f[7] == "another" and any(
        g[2] == f[2] and g[3] is not f[3] and not (g[3].approx and g[3].high is None)
        and 0 < f[0].start_char - g[0].start_char < 400 for g in found))]
    found = [f for f in found if not (f[4].split()[-1:] in (["others"],) or " others" in f[1].text[
        f[0].end_char - f[1].start_char:f[0].end_char - f[1].start_char + 8]) or "and " in f[4]
        or slots_in_sent[(f[1].start, f[2])] == 1]
    for q, sent, slot, typed, label, subject, pred, qlabel in found:
        clause = _clause_head(pred)
        scope = _scope(ctx, clause, pred, qlabel, sent)
        if per_sent[sent.start] == 1:
            start, end = _trim(doc, sent.start_char, sent.end_char)
        else:
            start, end = _span_of(clause, sent)
        _add(ctx, slot, label, typed, sent, start, end, subject=subject, scope=scope,
             attributed_to=_attribution(clause, sent), key=str(q.start_char))


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    text = _text(doc)
    while end > start and text[end - 1] in " \n":
        end -= 1
    while start < end and text[start] in " \n":
        start += 1
    return start, end


# ---- responsibility, perpetrator, swap -------------------------------------------------------
_GROUP_LABELS = ("ORG", "NORP", "PERSON", "GPE")
ANY_GROUP = "*"
"""Subject of "no group has claimed responsibility": compared with the claims about every group."""
_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "group", "which", "who"}


def _head_np(t: Token) -> list[Token]:
    """The tokens of a noun phrase without its relative clauses, appositions and parentheticals."""
    drop: set[int] = set()
    for c in t.children:
        if c.dep_ in ("relcl", "acl", "appos", "prep", "punct"):
            drop.update(x.i for x in c.subtree)
    return [x for x in t.subtree if x.i not in drop]


_EMBEDDING = {"relcl", "acl", "appos", "pobj", "conj", "dobj", "poss"}


def _salient_group(sent: Span, before: int | None = None) -> str | None:
    """The group a sentence is about: a named organisation not inside a relative clause or apposition."""
    for e in _sent_ents(sent):
        if e.label_ != "ORG" or (before is not None and e.start >= before):
            continue
        t = e.root
        embedded = False
        for _ in range(8):
            if t.dep_ in _EMBEDDING:
                embedded = True
                break
            if t.head == t or t.dep_ in ("nsubj", "nsubjpass"):
                break
            t = t.head
        if not embedded:
            return e.text
    return None


def _group_name(t: Token, sent: Span, ctx: _Ctx, prev: list[str]) -> str | None:
    """The named group a subject token stands for (entities, then the last named group before it)."""
    t = _resolve_rel(t)
    sub = t.doc[t.left_edge.i: t.right_edge.i + 1].text
    m = re.search(r"known as (?:the )?((?:[A-Z][\w'-]*|al-[\w'-]+)(?:\s+(?:[A-Z][\w'-]*|al-[\w'-]+|of|for|the))*)", sub)
    if m:
        return m.group(1)
    if t.lower_ in _PRONOUNS and t.head.pos_ in ("VERB", "AUX"):
        main = _salient_group(sent, before=t.i)
        if main is not None:
            return main
    if t.ent_type_ in _GROUP_LABELS:
        ent = _ent_at(t.doc, t.i)
        if ent is not None:
            return ent.text
    for c in _head_np(t):
        if c.ent_type_ in ("ORG", "NORP", "PERSON") and sent.start <= c.i < sent.end:
            ent = _ent_at(t.doc, c.i)
            if ent is not None:
                return ent.text
    if t.pos_ == "PROPN":
        return _np_text(t, sent, 6)
    if t.lower_ in _PRONOUNS or t.lemma_.lower() in ("group", "alliance", "militant", "jihadist", "organisation"):
        for e in reversed([e for e in _ents(t.doc) if e.end <= t.i and e.start >= max(0, sent.start - 80)]):
            if e.label_ in ("ORG", "NORP"):
                return e.text
        return prev[-1] if prev else None
    return None


_ATTACK_NOUNS = {"attack", "attacks", "bombing", "bombings", "assault", "blast", "blasts", "explosion", "shooting",
                 "massacre", "killing", "killings", "operation", "raid", "atrocity", "rampage"}
_CLAIM_NEG = re.compile(
    r"\b(?:no (?:group|one|organi[sz]ation)\b[^.]{0,40}\bclaim|(?:did|does|has|have|had)(?: not|n't)(?: yet)?"
    r"(?: immediately| explicitly| officially| formally)? (?:claim|make any (?:immediate )?claims?)|"
    r"stopped short of (?:explicitly |formally |officially )?claiming|not (?:yet )?(?:been )?claimed|"
    r"there (?:was|has been|were) no (?:immediate )?claim|without (?:explicitly )?claiming|"
    r"den(?:y|ied|ies) (?:any )?(?:responsibility|involvement|any role|being behind|carrying out))",
    re.I,
)
_NO_LINK = re.compile(r"\b(?:no|any) (?:'|\")?(?:connection|link|links|ties|affiliation)(?:'|\")?\s+(?:to|with)\b",
                      re.I)


def _nobody(t: Token) -> bool:
    """ "no group", "nobody", "no one", "none": a subject that denies every group."""
    return t.lower_ in ("nobody", "noone", "none") or any(d.lower_ == "no" for d in t.children)


def _responsibility(ctx: _Ctx, sent: Span, prev_groups: list[str]) -> None:
    text = _stext(sent)
    low = text.lower()
    if not re.search(r"claim|responsib|carried out|behind the|den(?:y|ied|ies)|connection|link", low):
        return
    for tok in sent:
        lem = tok.lemma_.lower()
        group_override: str | None = None
        positive: bool | None = None
        subj_tok: Token | None = None
        node = tok
        if lem == "claim" and tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not objs or not (objs[0].lemma_.lower() == "responsibility" or objs[0].lower_ in _ATTACK_NOUNS
                                or objs[0].lemma_.lower() in _ATTACK_NOUNS):
                if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
                    objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
                    if not objs or objs[0].lemma_.lower() not in _ATTACK_NOUNS:
                        continue
                else:
                    continue
            agent = [c for c in tok.children if c.dep_ == "agent"]
            if agent and list(agent[0].children):
                subj_tok = next(iter(agent[0].children))
            else:
                subjs = [c for c in tok.children if c.dep_ in ("nsubj",)]
                head = tok
                hops = 0
                while not subjs and head.dep_ in ("xcomp", "pcomp", "conj", "advcl", "prep", "advmod", "acomp") \
                        and head.head != head and hops < 6:
                    head, hops = head.head, hops + 1
                    subjs = [c for c in head.children if c.dep_ == "nsubj"]
                subj_tok = subjs[0] if subjs else None
            negated = any(c.dep_ == "neg" for c in tok.children) or (
                tok.head.lemma_ in ("stop", "refuse", "fail", "decline") and tok.head.pos_ == "VERB")
            span_txt = low[max(0, tok.idx - sent.start_char - 60): tok.idx - sent.start_char + 40]
            if _CLAIM_NEG.search(span_txt) or (subj_tok is not None and _nobody(subj_tok)):
                negated = True
            positive = not negated
            node = tok
        elif lem == "claim" and tok.pos_ == "NOUN" and tok.head.lemma_ in ("make", "be") and any(
                c.lower_ in ("no",) or c.dep_ == "neg" for c in [*tok.children, *tok.head.children]) and any(
                g.lemma_.lower() in _ATTACK_NOUNS or g.lemma_.lower() == "responsibility"
                for c in tok.children if c.dep_ == "prep" for g in c.children):
            subjs = [c for c in tok.head.children if c.dep_ == "nsubj"]
            subj_tok = subjs[0] if subjs else None
            positive = False
            node = tok.head
        elif lem == "carry" and any(c.lower_ == "out" for c in tok.children) and tok.head.lemma_ in ("say", "claim"):
            objs = [c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in _ATTACK_NOUNS]
            subjs = [c for c in tok.children if c.dep_ == "nsubj"]
            if not objs or not subjs or subjs[0].lower_ not in ("it", "they", "we"):
                continue
            speaker = [c for c in tok.head.children if c.dep_ == "nsubj"]
            subj_tok = speaker[0] if speaker else None
            positive = not any(c.dep_ == "neg" for c in tok.children)
            node = tok.head
        elif lem in ("deny", "reject") and tok.pos_ == "VERB":
            objs = [c for c in tok.subtree if c.lemma_.lower() in ("responsibility", "involvement", "role")]
            if not objs:
                continue
            subjs = [c for c in tok.children if c.dep_ == "nsubj"]
            subj_tok = subjs[0] if subjs else None
            positive, node = False, tok
        elif lem in ("connection", "link", "tie", "affiliation") and _NO_LINK.search(text):
            if not any(c.lower_ in ("no",) or c.dep_ == "neg" for c in [*tok.children, *tok.head.children]) and \
                    "no" not in low[max(0, tok.idx - sent.start_char - 6): tok.idx - sent.start_char]:
                continue
            pobj = [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if not pobj:
                continue
            node = _clause_head(tok)
            said_verb = node.head if node.head.lemma_ in SPEECH else None
            speakers = {c.i for c in said_verb.children if c.dep_ == "nsubj"} if said_verb is not None else set()
            named = [e for e in _sent_ents(sent) if e.label_ == "ORG" and e.root.i not in speakers
                     and not (pobj[0].left_edge.i <= e.start <= pobj[0].i and False)]
            if pobj[0].pos_ == "PROPN" or pobj[0].ent_type_ == "ORG":
                link_group = _np_text(pobj[0], sent, 6)
            elif named:
                link_group = named[0].text
            else:
                continue
            group_override = link_group
            subj_tok = pobj[0]
            positive = False
        else:
            continue
        group = group_override or (_group_name(subj_tok, sent, ctx, prev_groups) if subj_tok is not None else None)
        if group is None and positive is False and (subj_tok is None or _nobody(subj_tok)):
            group = ANY_GROUP
        if group is None and subj_tok is not None and positive is False:
            # "no connection to terrorist group": the group named in the same sentence
            names = [e.text for e in _sent_ents(sent) if e.label_ in ("ORG",) and aliases.canonical(e.text) != "fbi"]
            group = names[0] if names else (prev_groups[-1] if prev_groups else None)
        if group is None:
            continue
        key = ANY_GROUP if group == ANY_GROUP else aliases.primary(group, ctx.learned)
        clause = _clause_head(node)
        start, end = _span_of(clause, sent)
        value = "claimed" if positive else "not claimed"
        if positive is False and re.search(r"den(?:y|ied|ies)|connection|link|ties", low):
            value = "denied"
        if positive is False and "stopped short" in low:
            value = "not explicitly claimed"
        if positive is False and re.search(r"explicitly claim", low):
            value = "not explicitly claimed"
        _add(ctx, "responsibility", value, PolarityValue(positive=bool(positive), label=value), sent, start, end,
             subject=key, attributed_to=_attribution(clause, sent), key=str(node.idx),
             scope=_scope(ctx, clause, None, "", sent, keep=node))


def _perpetrators(ctx: _Ctx, sent: Span) -> None:
    """ "X carried out the attack", "the attack was carried out by X", "X was behind the attack"."""
    low = _stext(sent).lower()
    if "carried out" not in low and "behind the" not in low and "carry out" not in low:
        return
    for tok in sent:
        if tok.lemma_ != "carry" or not any(c.lower_ == "out" for c in tok.children):
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in _ATTACK_NOUNS]
        if not objs:
            continue
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children]
        subj = agent[0] if agent else next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            h = tok
            while h.dep_ in ("xcomp", "ccomp") and h.head is not h and subj is None:
                h = h.head
                subj = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        subj = _resolve_rel(subj)
        if subj.lower_ in ("it", "they", "we") and tok.head.lemma_ == "say":
            speaker = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            subj = speaker if speaker is not None else subj
        ent = _ent_at(ctx.doc, subj.i)
        if ent is not None and ent.label_ not in ("ORG", "NORP", "PERSON"):
            ent = None
        if ent is None:
            np_ids = {x.i for x in _head_np(subj)}
            ent = next((e for e in _sent_ents(sent) if e.label_ in ("ORG", "PERSON") and e.start in np_ids), None)
        if ent is None:
            continue
        if any(c.dep_ == "neg" for c in tok.children) or not any(x.pos_ == "PROPN" for x in ent):
            continue
        clause = _clause_head(tok)
        start, end = _span_of(clause, sent)
        key = aliases.canonical(ent.text, ctx.learned)
        _add(ctx, "perpetrator", ent.text, EntityValue(name=ent.text, canonical=key), sent, start, end,
             attributed_to=_attribution(clause, sent), key=str(tok.idx), scope=_scope(ctx, clause, tok, "", sent))


_SWAP_POS = re.compile(r"\b(?:in exchange for|exchanged for|swapped for|traded for|in return for|"
                       r"as part of an? [\w\s-]{0,30}?(?:swap|exchange|trade)|"
                       r"in an? [\w\s-]{0,30}?(?:swap|exchange))\b",
                       re.I)
_SWAP_NEG = re.compile(r"\b(?:not an? (?:prisoner |hostage )?(?:swap|exchange)|no (?:swap|exchange|prisoners?|"
                       r"[\w\s-]{0,30}?(?:fighters|militants|detainees|prisoners|commanders) were (?:released|freed|"
                       r"exchanged|swapped))|den(?:y|ied|ies)[^.]{0,40}(?:swap|exchange)|without (?:any )?"
                       r"(?:swap|exchange))\b", re.I)
_MODAL = re.compile(r"\b(?:would|could|might|may|should|if|whatever)\b", re.I)
_UNCERTAIN = re.compile(r"\b(?:whether|if|unclear|not clear|speculat|rumou?r|may|might|could|would|question)\b",
                        re.I)


def _swap(ctx: _Ctx, sent: Span) -> None:
    """A release in exchange for prisoners (positive) or explicitly not (negative)."""
    text = _stext(sent)
    if not re.search(r"swap|exchange|traded|in return for", text, re.I):
        return
    neg = _SWAP_NEG.search(text)
    pos = _SWAP_POS.search(text)
    if not neg and not pos:
        return
    if not ctx.captives:
        return  # the article is not about captives or hostages: "in exchange for" is about something else
    if pos and not neg and not re.search(
            r"releas|\bfreed?\b|\bfrees\b|hostage|prisoner|captive|detainee|kidnap|abduct|exchanged for|swapped for|"
            r"traded for", text, re.I):
        return
    m = neg or pos
    assert m is not None
    if not neg and (_UNCERTAIN.search(text[: m.start()][-60:]) or _MODAL.search(text)):
        return
    if not neg and re.search(r"\b(?:talks|negotiat|demand|offer|seek|want|propos|call)\w*\b[^.]{0,30}$",
                             text[: m.start()], re.I):
        return
    positive = neg is None
    start, end = _trim(ctx.doc, sent.start_char, sent.end_char)
    root = sent.root
    value = "exchange" if positive else "no exchange"
    _add(ctx, "released in exchange", value, PolarityValue(positive=positive, label=value), sent, start, end,
         attributed_to=_attribution(root, sent) if root.lemma_ not in SPEECH else _attribution(
             next((c for c in root.children if c.dep_ == "ccomp"), root), sent))


# ---- time, place, magnitude, state-since -----------------------------------------------------
_CLOCK = re.compile(
    r"\b(?P<q>(?:at |around |about |approximately |shortly after |just after |shortly before |just before )*)"
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?(?:\s*\(?(?P<tz>(?-i:[A-Z]{1,4}T|UTC|GMT|WIB|WITA)|"
    r"local(?: time)?)\)?)?(?![\w:.]\d)",
    re.I,
)
_CLOCK_HINT = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b", re.I)
_TZ = {"gmt": 0, "utc": 0, "bst": 1, "cet": 1, "cest": 2, "edt": -4, "est": -5, "pdt": -7, "pst": -8}
_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)


def _on_incident(t: Token) -> bool:
    """True when a time phrase attaches (through its preposition) to an incident verb or noun, or to a verb
    whose subject is the incident ("the quake struck at 7:48", "after the atrocity at around 10.30pm")."""
    for _ in range(5):
        lem = t.lemma_.lower()
        if t.pos_ in ("VERB", "AUX"):
            if lem in INCIDENT_WORDS or t.lower_ in INCIDENT_WORDS:
                return True
            return any(c.dep_ in ("nsubj", "nsubjpass") and (c.lemma_.lower() in INCIDENT_WORDS or
                                                             c.lemma_.lower() in INCIDENT_NOUNS) for c in t.children)
        if t.pos_ == "NOUN" and (lem in INCIDENT_NOUNS or lem in INCIDENT_WORDS):
            return True
        if t.dep_ in ("pobj", "prep", "npadvmod", "advmod", "nummod", "compound", "quantmod", "appos", "nmod",
                      "amod", "pcomp") and t.head != t:
            t = t.head
        else:
            return False
    return False


def _times(ctx: _Ctx, sent: Span) -> None:
    """Clock time of the incident: a clock time ("10:45 p.m.", "10.30pm", "06:00 GMT") on an incident predicate."""
    text = _stext(sent)
    if not _CLOCK_HINT.search(text):
        return
    for m in _CLOCK.finditer(_text(ctx.doc), sent.start_char, min(len(_text(ctx.doc)), sent.end_char + 16)):
        if m.start("h") >= sent.end_char:
            break
        e = ctx.doc.char_span(m.start("h"), min(m.end(), sent.end_char), alignment_mode="expand")
        if e is None:
            continue
        h, mi, ap = int(m.group("h")), int(m.group("m") or 0), (m.group("ap") or "").lower().replace(".", "")
        if not m.group("m") and not ap:
            continue
        if ap == "pm" and h < 12:
            h += 12
        elif ap == "am" and h == 12:
            h = 0
        elif not ap and h <= 12 and not (m.group("h").startswith("0") or m.group("tz")):
            continue
        if h > 23 or mi > 59:
            continue
        # the time must modify an incident predicate
        if not _on_incident(e.root):
            continue
        if re.search(r"\b(?:news conference|press conference|statement|briefing|said|tweet)\b",
                     _text(ctx.doc)[max(sent.start_char, e.start_char - 40): e.start_char], re.I):
            continue
        tzname = (m.group("tz") or "local").lower().split()[0]
        # known zones are converted to UTC; an unknown zone ("ET", "WIB") is only compared with itself
        subject = "UTC" if tzname in _TZ else ("local time" if tzname == "local" else tzname.upper())
        offset = _TZ.get(tzname, 0)
        t = _ANCHOR + timedelta(hours=h - offset, minutes=mi)
        q = (m.group("q") or "").lower()
        if "after" in q:
            start, end = t, t + timedelta(minutes=30)
        elif "before" in q:
            start, end = t - timedelta(minutes=30), t + timedelta(minutes=1)
        elif re.search(r"around|about|approximately", q) or not m.group("m"):
            start, end = t - timedelta(minutes=5), t + timedelta(minutes=6)
        else:
            start, end = t, t + timedelta(minutes=1)
        label = _text(ctx.doc)[m.start(): m.end()].strip()
        label = re.sub(r"^at\s+", "", label, flags=re.I)
        clause = _clause_head(e.root.head)
        q0, q1 = _trim(ctx.doc, sent.start_char, sent.end_char)
        _add(ctx, "time of incident", label, TimeValue(start=start, end=end, precision="minute",
                                                       approx=start != t), sent, q0, q1,
             subject=subject, attributed_to=_attribution(clause, sent), key=str(e.start_char),
             scope=_sentence_scope(ctx, sent, e.start_char))


_DIRS = {"north": 0, "northeast": 45, "north-east": 45, "east": 90, "southeast": 135, "south-east": 135,
         "south": 180, "southwest": 225, "south-west": 225, "west": 270, "northwest": 315, "north-west": 315,
         "north-northeast": 22, "east-northeast": 67, "east-southeast": 112, "south-southeast": 157,
         "south-southwest": 202, "west-southwest": 247, "west-northwest": 292, "north-northwest": 337}
_DIST = re.compile(
    r"\b(?P<n>\d+(?:[.,]\d+)?)\s*(?:-\s*)?(?P<u>km|kms|kilometres|kilometers|miles|mi)\b(?:\s*\([^)]{0,30}\))?\s+"
    r"(?P<d>(?:north|south|east|west)(?:-?(?:north|south|east|west)){0,2})\s+of\s+(?:the\s+)?"
    r"(?:(?:town|city|village|capital|port|district|regency)\s+of\s+)?(?P<p>(?-i:[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}))",
    re.I,
)


def _sentence_scope(ctx: _Ctx, sent: Span, at: int | None = None) -> str:
    """Scope of a sentence-level claim about the incident (magnitude, time, location) at character ``at``.

    ``other`` when the article's lead describes several incidents of the kind (a series of quakes), or
    the clause holding the figure dates it before the article or places it elsewhere.
    """
    if ctx.series:
        return "other"
    keep = sent.root
    if at is not None:
        span = ctx.doc.char_span(at, at + 1, alignment_mode="expand")
        if span is not None:
            keep = span.root
    return _scope(ctx, sent.root, None, "", sent, keep=keep)


def _places(ctx: _Ctx, sent: Span) -> None:
    """Distance and bearing from a named place ("55 km west of Bireun"), offshore vs inland."""
    text = _stext(sent)
    low = text.lower()
    if not re.search(r"quake|epicent|struck|strike|hit|tremor|located|centred|centered", low):
        return
    if re.search(r"\b(?:aftershock|previous|last year|in (?:19|20)\d\d)\b", low):
        return
    for m in _DIST.finditer(text):
        n = float(m.group("n").replace(",", ""))
        km = n * 1.609 if m.group("u").lower().startswith("mi") else n
        d = m.group("d").lower()
        bearing = _DIRS.get(d)
        if bearing is None:
            continue
        place = m.group("p")
        if not place[0].isupper():
            continue
        key = aliases.canonical(place, ctx.learned)
        s0 = sent.start_char
        _add(ctx, "location", f"{n:g} {m.group('u')} {d} of {place}",
             PlaceValue(km=km, bearing=bearing, place=key), sent, *_trim(ctx.doc, s0, sent.end_char),
             key=str(m.start()), scope=_sentence_scope(ctx, sent, sent.start_char + m.start()),
             attributed_to=_attribution(sent.root, sent))
    if re.search(r"\b(?:quake|earthquake|tremor)\b", low) or "epicent" in low:
        pos = re.search(r"\b(?:struck|hit|occurred|centred|centered|located)\s+off\b|\boff the (?:coast|shore)\b|"
                        r"\boffshore\b|\bat sea\b|\bunder the sea\b|\bseabed\b", low)
        neg = re.search(r"\b(?:struck|hit|occurred|was|located|centred|centered)\s+(?:inland|on land)\b", low)
        if pos or neg:
            value = "offshore" if pos else "inland"
            _add(ctx, "location", value, PolarityValue(positive=bool(pos), label=value), sent,
                 *_trim(ctx.doc, sent.start_char, sent.end_char), attributed_to=_attribution(sent.root, sent),
                 scope=_sentence_scope(ctx, sent, sent.start_char + (pos or neg).start()),  # type: ignore[union-attr]
                 key="offshore")


_MAG = re.compile(r"\b(?:magnitude[- ](?P<a>\d(?:\.\d)?)|(?P<b>\d\.\d)[- ]magnitude|(?P<c>\d\.\d) on the richter|"
                  r"measuring (?P<d>\d\.\d)|(?P<e>\d\.\d)[- ]richter)", re.I)


def _magnitude(ctx: _Ctx, sent: Span) -> None:
    low = _stext(sent).lower()
    if "aftershock" in low or not re.search(r"quake|tremor|magnitude|richter", low) or SERIES_RE.search(low) \
            or re.search(r"\d\.\d\s*(?:and|or|to|-)\s*\d\.\d", low):
        return
    found = [(float(next(g for g in m.groups() if g)), m.start()) for m in _MAG.finditer(_stext(sent))]
    if len({v for v, _ in found}) != 1:
        return
    v, at = found[0]
    clause = sent.root
    scope = _sentence_scope(ctx, sent, sent.start_char + at)
    _add(ctx, "magnitude", f"{v:g}", CountValue(low=v - 0.15, high=v + 0.15), sent,
         *_trim(ctx.doc, sent.start_char, sent.end_char), attributed_to=_attribution(clause, sent), scope=scope)


_MONTHS = {m: i + 1 for i, m in enumerate(["january", "february", "march", "april", "may", "june", "july", "august",
                                             "september", "october", "november", "december"])}
_SINCE = re.compile(
    r"\b(?P<state>(?:under|in) (?:the )?(?:[\w-]+ ){0,3}?(?:control|hands|power|grip)(?: of (?:the )?[\w -]{1,40}?)?)"
    r"\s+since\s+(?:(?:early|late|mid-?|the end of|the start of)\s*)?(?P<mon>January|February|March|April|May|June|"
    r"July|August|September|October|November|December)?\s*(?P<day>\d{1,2},?\s+)?(?P<y>(?:19|20)\d\d)\b",
    re.I,
)


_STATE_SINCE = re.compile(
    r"\b(?:has|have|had) (?:also |largely |mostly |effectively )?been (?P<state>(?:[a-z-]+ ){0,3}?[a-z-]+)\s+since\s+"
    r"(?:(?:early|late|mid-?|the end of|the start of)\s*)?(?P<mon>January|February|March|April|May|June|July|August|"
    r"September|October|November|December)?\s*(?P<day>\d{1,2},?\s+)?(?P<y>(?:19|20)\d\d)\b",
)
_STATE_STOP = {"killed", "dead", "injured", "reported", "said", "the", "a", "an", "there", "seen", "used", "made"}


def _holder(state: str) -> str:
    s = state.lower()
    if re.search(r"government|regime|state|army|assad|military|troops|authorities", s):
        return "government"
    if re.search(r"rebel|opposition|insurgent|militant|jihadist", s):
        return "rebel"
    words = [w for w in re.findall(r"[a-z-]+", s) if w not in ("under", "in", "the", "of", "full", "largely",
                                                               "control", "hands", "power", "complete", "total")]
    return " ".join(words[-2:]) or "someone"


def _state_since(ctx: _Ctx, sent: Span) -> None:
    """ "X has been under government control since May 2014", "has been closed since 2015": a state and its start."""
    found = [(m, True) for m in _SINCE.finditer(_stext(sent))]
    taken = {m.end() for m, _ in found}
    found += [(m, False) for m in _STATE_SINCE.finditer(_stext(sent)) if m.end() not in taken
              and not any(w in _STATE_STOP for w in m.group("state").split()[-1:])
              and not re.search(r"\bcontrol\b|\d", m.group("state"))]
    for m, is_control in found:
        y = int(m.group("y"))
        mon = m.group("mon")
        if mon:
            mi = _MONTHS[mon.lower()]
            start = datetime(y, mi, 1, tzinfo=UTC)
            end = datetime(y + (mi == 12), mi % 12 + 1, 1, tzinfo=UTC)
            prec, label = "month", f"{mon.capitalize()} {y}"
        else:
            start, end = datetime(y, 1, 1, tzinfo=UTC), datetime(y + 1, 1, 1, tzinfo=UTC)
            prec, label = "year", str(y)
        c0 = sent.start_char + m.start()
        tok = ctx.doc.char_span(c0, c0 + 1, alignment_mode="expand")
        subject = None
        if tok is not None:
            t = tok.root
            for _ in range(6):
                subj = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None:
                    ent = _ent_at(ctx.doc, subj.i)
                    subject = ent.text if ent is not None else " ".join(
                        x.text for x in subj.subtree if (x.i <= subj.i and x.dep_ in ("compound", "amod")) or x == subj)
                    break
                if t.head == t:
                    break
                t = t.head
        if subject is None or subject.lower() in ("it", "this", "which", "that"):
            continue
        if not is_control:
            slot = f"{m.group('state').lower()} since"
        elif re.search(r"control|hands|grip", m.group("state"), re.I):
            slot = f"under {_holder(m.group('state'))} control since"
        else:
            slot = f"in {_holder(m.group('state'))} since"
        q0 = sent.start_char + m.start()
        q1 = sent.start_char + m.end()
        _add(ctx, slot, label, TimeValue(start=start, end=end, precision=prec), sent, q0, q1,
             subject=aliases.primary(subject, ctx.learned), attributed_to=_attribution(sent.root, sent),
             key=str(q0))


_POPULATION = re.compile(
    r"\b(?:(?:a |its |the )?population of|home to|(?:a|the) (?:city|town|province|region|country|island|district|"
    r"state|village) of)\s+(?P<q>about |around |some |nearly |almost |more than |over |roughly |approximately |"
    r"an estimated |at least )?(?P<n>\d[\d,.]*)\s*(?P<m>million|thousand|m\b)?\s*(?P<u>people|residents|inhabitants)?",
    re.I,
)


def _population(ctx: _Ctx, sent: Span) -> None:
    """Size of a place: "a city of 1.2 million people", "its population of about 300,000"."""
    text = _stext(sent)
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
        places = [e for e in _sent_ents(sent) if e.label_ in ("GPE", "LOC") and e.start_char < at]
        if not places:
            continue
        place = places[-1].text
        qual = (m.group("q") or "").strip().lower()
        d = n * 0.1  # populations are rounded and counted in different years
        label = f"{qual + ' ' if qual else ''}{n:,.0f}"
        _add(ctx, "population", label, CountValue(low=n - d, high=n + d, approx=True), sent,
             *_trim(ctx.doc, sent.start_char, sent.end_char), subject=aliases.primary(place, ctx.learned),
             key=str(at), attributed_to=_attribution(sent.root, sent))


WEAPONS: dict[str, str] = {
    "gun": "firearm", "rifle": "firearm", "pistol": "firearm", "handgun": "firearm", "gunfire": "firearm",
    "firearm": "firearm", "kalashnikov": "firearm", "ak-47": "firearm", "shotgun": "firearm", "machine-gun": "firearm",
    "bomb": "explosive", "explosive": "explosive", "vest": "explosive", "belt": "explosive", "grenade": "explosive",
    "ied": "explosive", "device": "explosive", "mortar": "explosive", "rocket": "explosive", "missile": "missile",
    "knife": "knife", "machete": "knife", "axe": "knife", "petrol bomb": "incendiary", "molotov": "incendiary",
    "firebomb": "incendiary", "fire-bomb": "incendiary", "truck": "vehicle", "lorry": "vehicle", "van": "vehicle",
    "car": "vehicle", "bus": "vehicle", "tram": "vehicle", "train": "vehicle", "ship": "vessel", "boat": "vessel",
    "ferry": "vessel", "barge": "vessel", "plane": "aircraft", "aircraft": "aircraft", "helicopter": "aircraft",
}
_WEAPON_CUES = {"with", "using", "wielding", "armed", "detonate", "blow", "throw", "hurl", "fire", "plant", "drive",
                "ram", "plough", "plow", "carry", "explode"}
_TARGET_VERBS = {"attack", "storm", "target", "bomb", "raid", "hit", "strike", "ram", "torch", "besiege"}


_WT_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(WEAPONS, key=len, reverse=True))
                    + r"|attack|storm|target|bomb|raid|hit|struck|strik|ram|torch|besieg)", re.I)


def _weapons_and_targets(ctx: _Ctx, sent: Span) -> None:
    """What was hit and with what: weapon or vehicle class and the target of an attack verb (descriptive slots)."""
    if not _WT_RE.search(_stext(sent)):
        return
    seen: set[tuple[str, str]] = set()
    for tok in sent:
        lem = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lem in WEAPONS and (
                tok.head.lemma_.lower() in _WEAPON_CUES or tok.head.lower_ in _WEAPON_CUES
                or (tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in _WEAPON_CUES | _TARGET_VERBS)):
            cls = WEAPONS[lem]
            slot = "vehicle" if cls in ("vehicle", "vessel", "aircraft") else "weapon"
            if (slot, cls) in seen:
                continue
            seen.add((slot, cls))
            clause = _clause_head(tok.head)
            start, end = _span_of(clause, sent)
            mods = [c.text.lower() for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
            name = " ".join([*mods, tok.lemma_.lower()])
            _add(ctx, slot, name, EntityValue(name=name, canonical=cls), sent, start, end,
                 key=str(tok.idx), attributed_to=_attribution(clause, sent),
                 scope=_scope(ctx, clause, None, "", sent, keep=tok))
        elif tok.pos_ == "VERB" and lem in _TARGET_VERBS:
            if any(c.dep_ == "aux" and c.lower_ in ("can", "could", "would", "might", "may", "will", "to")
                   for c in tok.children) or tok.dep_ in ("xcomp",):
                continue  # threats and abilities ("could hit the mainland"), not what was hit
            obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
            if obj is None or obj.lemma_.lower() in WEAPONS or obj.lemma_.lower() in NON_PEOPLE - DAMAGE_NOUNS - {
                    "building", "office", "house", "home", "car", "bus", "tram", "truck"}:
                continue
            name = _np_text(obj, sent, 6).strip()
            clause = _clause_head(tok)
            start, end = _span_of(clause, sent)
            _add(ctx, "target", name, EntityValue(name=name, canonical=aliases.canonical(obj.lemma_)), sent, start,
                 end, key=str(obj.idx), attributed_to=_attribution(clause, sent),
                 scope=_scope(ctx, clause, tok, "", sent, keep=obj))


def claims_from_doc(doc: Doc, ref: ArticleRef) -> list[Claim]:
    """Extract claims from a parsed article whose text is ``_text(doc)``."""
    year = ref.published_at.year if ref.published_at else None
    ctx = _Ctx(doc=doc, ref=ref, main_places=_main_places(doc), year=year, learned=aliases.learn(_text(doc)),
               list_lines=_list_lines(_text(doc)))
    sents = _sents(doc)
    lead = sents[: 4]
    ctx.lead_end_token = lead[-1].end if lead else 0
    ctx.series = bool(SERIES_RE.search(_text(doc)[: lead[-1].end_char])) if lead else False
    ctx.captives = bool(re.search(r"\b(?:hostages?|captives?|kidnapp\w*|abduct\w*|prisoners?|detainees?)\b",
                                  _text(doc), re.I))
    _count_claims(ctx)
    prev_groups: list[str] = []
    for sent in _sents(doc):
        _responsibility(ctx, sent, prev_groups)
        _perpetrators(ctx, sent)
        _swap(ctx, sent)
        _times(ctx, sent)
        _places(ctx, sent)
        _magnitude(ctx, sent)
        _state_since(ctx, sent)
        _population(ctx, sent)
        _weapons_and_targets(ctx, sent)
        main = _salient_group(sent)
        if main is not None:
            prev_groups.append(main)
    seen: set[str] = set()
    out: list[Claim] = []
    for c in ctx.claims:
        if c.id not in seen:
            seen.add(c.id)
            out.append(c)
    return out

"""Times and dates: the clock time and the day of the incident, states that hold "since" a date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from spacy.tokens import Span, Token

from agents.core import aliases
from agents.core.facts.doc import clause_head, doc_text, ent_at, sent_ents, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import (
    FRAMES,
    INCIDENT_NOUNS,
    INCIDENT_VERBS,
    INCIDENT_WORDS,
    MODALS,
    MONTH_NAMES,
    MONTHS,
    NO_DAY_VERBS,
    RELATIONS,
    SPEECH,
    TIME_ZONES,
    WEEKDAYS,
)
from schemas import DayValue, TimeValue

_CLOCK = re.compile(
    r"\b(?P<q>(?:at |around |about |approximately |shortly after |just after |shortly before |just before )*)"
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)?(?:\s*\(?(?P<tz>(?-i:[A-Z]{1,4}T|UTC|GMT|WIB|WITA)|"
    r"local(?: time)?)\)?)?(?![\w:.]\d)",
    re.I,
)


_CLOCK_HINT = re.compile(r"\d[:.]\d\d|\d\s*[ap]\.?m\b", re.I)


_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)


def on_incident(t: Token) -> bool:
    """True when a time phrase attaches (through its preposition) to an incident verb or noun, or to a verb
    whose subject is the incident ("the quake struck at 7:48", "after the atrocity at around 10.30pm")."""
    for _ in range(5):
        lem = t.lemma_.lower()
        if t.pos_ in ("VERB", "AUX"):
            if lem in INCIDENT_WORDS or t.lower_ in INCIDENT_WORDS:
                return True
            return any(
                c.dep_ in ("nsubj", "nsubjpass")
                and (c.lemma_.lower() in INCIDENT_WORDS or c.lemma_.lower() in INCIDENT_NOUNS)
                for c in t.children
            )
        if t.pos_ == "NOUN" and (lem in INCIDENT_NOUNS or lem in INCIDENT_WORDS):
            return True
        if (
            t.dep_
            in (
                "pobj",
                "prep",
                "npadvmod",
                "advmod",
                "nummod",
                "compound",
                "quantmod",
                "appos",
                "nmod",
                "amod",
                "pcomp",
            )
            and t.head != t
        ):
            t = t.head
        else:
            return False
    return False


def _stamp(text: str, at: int) -> bool:
    """A time on a line of a few words is the page's stamp ("Last updated at 13:42 GMT", "Posted: Sep 27,
    2013 5:50 PM"), not a statement about the incident."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    return len(text[start : end if end >= 0 else len(text)].split()) < 9


def _predicate(t: Token) -> str | None:
    """The verb a time phrase modifies, as its lemma with its particle ("break out"), unless it is a
    statement's, a plan's or a possibility's ("said at 10 a.m.", "will meet at noon", "could reopen")."""
    for _ in range(4):
        if t.pos_ == "VERB":
            break
        if t.head is t:
            return None
        t = t.head
    else:
        return None
    if t.pos_ != "VERB" or t.lemma_.lower() in SPEECH:
        return None
    if any(
        c.dep_ == "aux" and c.lower_ in ("will", "would", "could", "may", "might", "should", "to") for c in t.children
    ):
        return None
    particle = next((c.lower_ for c in t.children if c.dep_ == "prt"), "")
    return f"{t.lemma_.lower()} {particle}".strip()


def clock_times(ctx: Ctx, sent: Span) -> None:
    """Clock time of the incident: a clock time ("10:45 p.m.", "10.30pm", "06:00 GMT") on an incident predicate."""
    text = sent_text(sent)
    if not _CLOCK_HINT.search(text):
        return
    for m in _CLOCK.finditer(doc_text(ctx.doc), sent.start_char, min(len(doc_text(ctx.doc)), sent.end_char + 16)):
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
        # the time of an incident predicate is the incident's; any other time is the time of its own
        # predicate ("the blaze broke out at 8.40pm"), compared only with times of the same predicate
        slot = "time of incident"
        if not on_incident(e.root):
            pred = _predicate(e.root)
            if pred is None or _stamp(doc_text(ctx.doc), e.start_char):
                continue
            slot = f"time of {pred}"
            ctx.open_slots.add(slot)
        if re.search(
            r"\b(?:news conference|press conference|statement|briefing|said|tweet)\b",
            doc_text(ctx.doc)[max(sent.start_char, e.start_char - 40) : e.start_char],
            re.I,
        ):
            continue
        tzname = (m.group("tz") or "local").lower().split()[0]
        # known zones are converted to UTC; an unknown zone ("ET", "WIB") is only compared with itself
        subject = "UTC" if tzname in TIME_ZONES else ("local time" if tzname == "local" else tzname.upper())
        offset = TIME_ZONES.get(tzname, 0)
        t = _ANCHOR + timedelta(hours=(h - offset) % 24, minutes=mi)  # 6:41pm PST is 02:41 GMT
        q = (m.group("q") or "").lower()
        if "after" in q:
            start, end = t, t + timedelta(minutes=30)
        elif "before" in q:
            start, end = t - timedelta(minutes=30), t + timedelta(minutes=1)
        elif re.search(r"around|about|approximately", q) or not m.group("m"):
            start, end = t - timedelta(minutes=5), t + timedelta(minutes=6)
        else:
            start, end = t, t + timedelta(minutes=1)
        label = doc_text(ctx.doc)[m.start() : m.end()].strip()
        label = re.sub(r"^at\s+", "", label, flags=re.I)
        if not label.endswith(".m."):
            label = re.sub(r"(?<=[\dm])[.,;]$", "", label)  # the sentence's stop, not the time's
        clause = clause_head(e.root.head)
        q0, q1 = trim(ctx.doc, sent.start_char, sent.end_char)
        add_claim(
            ctx,
            slot,
            label,
            TimeValue(start=start, end=end, precision="minute", approx=start != t),
            sent,
            q0,
            q1,
            subject=subject,
            attributed_to=attribution(clause, sent),
            key=str(e.start_char),
            scope=sentence_scope(ctx, sent, e.start_char),
        )


_SINCE = re.compile(
    r"\b(?=[iu])(?P<state>(?:under|in) (?:the )?"
    r"(?:[\w-]+ ){0,3}?(?:control|hands|power|grip)(?: of (?:the )?[\w -]{1,40}?)?)"
    r"\s+since\s+(?:(?:early|late|mid-?|the end of|the start of)\s*)?(?P<mon>January|February|March|April|May|June|"
    r"July|August|September|October|November|December)?\s*(?P<day>\d{1,2},?\s+)?(?P<y>(?:19|20)\d\d)\b",
    re.I,
)


_STATE_SINCE = re.compile(
    r"\b(?=h)(?:has|have|had) (?:also |largely |mostly |effectively )?been "
    r"(?P<state>(?:[a-z-]+ ){0,3}?[a-z-]+)\s+since\s+"
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
    words = [
        w
        for w in re.findall(r"[a-z-]+", s)
        if w not in ("under", "in", "the", "of", "full", "largely", "control", "hands", "power", "complete", "total")
    ]
    return " ".join(words[-2:]) or "someone"


def state_since(ctx: Ctx, sent: Span) -> None:
    """ "X has been under government control since May 2014", "has been closed since 2015": a state and its start."""
    found = [(m, True) for m in _SINCE.finditer(sent_text(sent))]
    taken = {m.end() for m, _ in found}
    found += [
        (m, False)
        for m in _STATE_SINCE.finditer(sent_text(sent))
        if m.end() not in taken
        and not any(w in _STATE_STOP for w in m.group("state").split()[-1:])
        and not re.search(r"\bcontrol\b|\d", m.group("state"))
    ]
    for m, is_control in found:
        y = int(m.group("y"))
        mon = m.group("mon")
        if mon:
            mi = MONTHS[mon.lower()]
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
                    ent = ent_at(ctx.doc, subj.i)
                    subject = (
                        ent.text
                        if ent is not None
                        else " ".join(
                            x.text
                            for x in subj.subtree
                            if (x.i <= subj.i and x.dep_ in ("compound", "amod")) or x == subj
                        )
                    )
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
        add_claim(
            ctx,
            slot,
            label,
            TimeValue(start=start, end=end, precision=prec),
            sent,
            q0,
            q1,
            subject=aliases.primary(subject, ctx.learned),
            attributed_to=attribution(sent.root, sent),
            key=str(q0),
        )


_MON = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY_OF = re.compile(
    rf"\b(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|"
    rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d))?|"
    rf"\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon2>{_MON})(?:,?\s+(?P<y2>(?:19|20)?\d\d)\b)?",
    re.I,
)
_TIME_CLAUSE = {"when", "after", "before", "since", "as", "while", "until"}
_RELATIVE = {
    "yesterday": 1,
    "today": 0,
    "tonight": 0,
    "last night": 1,
    "this morning": 0,
    "this afternoon": 0,
    "this evening": 0,
    "earlier today": 0,
    "overnight": 0,
}


def _day_span(e: Span, pred: Token, sent: Span, reach: int = 20) -> tuple[int, int]:
    """The words that give the day: the date with its preposition, the predicate and, after it, its object
    ("on Thursday thwarted a multi-boat attack", "foiled a pirate attack on vessels ... on Friday")."""
    doc = e.doc
    lo = e.start - 1 if e.start > sent.start and doc[e.start - 1].pos_ == "ADP" else e.start
    hi = e.end - 1
    if sent.start <= pred.i < sent.end and abs(pred.i - e.start) <= reach:
        lo, hi = min(lo, pred.i), max(hi, pred.i)
        obj = next((c for c in pred.children if c.dep_ == "dobj" and c.i > pred.i), None)
        if obj is not None and obj.i - hi <= 6:
            hi = max(hi, obj.i)
    return trim(doc, doc[lo].idx, doc[hi].idx + len(doc[hi].text))


def _incident_predicate(pred: Token) -> bool:
    """A predicate that tells of the incident itself: an incident, casualty, theft or operation verb, or one
    whose subject or object is an incident noun ("thwarted a multi-boat attack")."""
    lem = pred.lemma_.lower()
    if lem in SPEECH or lem in NO_DAY_VERBS:
        return False
    if (
        lem in INCIDENT_WORDS
        or lem in INCIDENT_VERBS
        or lem in FRAMES
        or lem in RELATIONS
        or (pred.pos_ == "NOUN" and lem in INCIDENT_NOUNS)
    ):
        return True
    return any(c.dep_ in ("nsubj", "nsubjpass", "dobj") and c.lemma_.lower() in INCIDENT_NOUNS for c in pred.children)


def _day_verb(t: Token) -> Token | None:
    """The predicate a date phrase tells the day of ("struck on Sunday", "Friday's attack")."""
    for _ in range(5):
        if t.pos_ in ("VERB", "AUX") or (t.pos_ == "NOUN" and t.lemma_.lower() in INCIDENT_NOUNS):
            return t
        if t.head is t:
            return None
        t = t.head
    return None


def incident_day(ctx: Ctx, sent: Span) -> None:
    """The day of the incident, from the lead: "struck on Sunday", "on Thursday thwarted an attack",
    "on 10 Nov 11"; a weekday is resolved to a date when the article has a publication date."""
    if sent.start >= ctx.lead_end_token:
        return
    pub = ctx.ref.published_at
    for e in sent_ents(sent):
        if e.label_ != "DATE":
            continue
        low = e.text.lower()
        if re.search(r"\b(?:next|coming|every|each|since|until|last (?:year|month|week))\b", low):
            continue
        m = _DAY_OF.search(e.text)
        rel = next((v for k, v in _RELATIVE.items() if k in low), None)
        if m is None and (rel is None or pub is None):
            continue
        pred = _day_verb(e.root)
        if (
            pred is not None
            and not _incident_predicate(pred)
            and pred.dep_ in ("acl", "relcl", "advcl", "xcomp")
            and pred.lemma_.lower() not in SPEECH | NO_DAY_VERBS
        ):
            pred = _day_verb(pred.head)  # "foiled an attack on vessels transiting the Gulf on Friday"
        if (
            pred is not None
            and pred.dep_ in ("advcl", "relcl", "acl")
            and any(c.dep_ in ("mark", "advmod") and c.lower_ in _TIME_CLAUSE for c in pred.children)
        ):
            continue  # "seemed premature when the North Koreans launched missiles on Saturday": another time
        if (
            pred is None
            or not _incident_predicate(pred)
            or any(c.dep_ == "aux" and c.lower_ in MODALS for c in pred.children)
        ):
            continue
        value = DayValue()
        if m is not None and m.group("wd"):
            # a weekday stays a weekday: resolving it against a publication date that may be a crawl date
            # weeks late would put two reports of one Friday on two Fridays
            value.weekday = WEEKDAYS[m.group("wd").lower()]
        elif m is not None:
            mon = (m.group("mon") or m.group("mon2"))[:3].lower()
            value.month = [n[:3] for n in MONTH_NAMES].index(mon) + 1
            value.day = int(m.group("d") or m.group("d2"))
            y = m.group("y") or m.group("y2")
            value.year = (int(y) + (2000 if len(y) == 2 else 0)) if y else (pub.year if pub else None)
            if value.day > 31:
                continue
        elif rel is not None and pub is not None:
            day = pub.date() - timedelta(days=rel)
            value.year, value.month, value.day, value.weekday = day.year, day.month, day.day, day.weekday()
        ctx.open_slots.add("day of incident")
        add_claim(
            ctx,
            "day of incident",
            e.text,
            value,
            sent,
            *_day_span(e, pred, sent),
            key=f"day:{e.start_char}",
            attributed_to=attribution(pred, sent),
            scope=sentence_scope(ctx, sent, e.start_char, ignore=(e.start_char, e.end_char)),
        )

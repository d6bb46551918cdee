"""Times and dates: the clock time of the incident, states that hold "since" a date."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from spacy.tokens import Span, Token

from agents.core import aliases
from agents.core.facts.doc import clause_head, doc_text, ent_at, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import INCIDENT_NOUNS, INCIDENT_WORDS, MONTHS, TIME_ZONES
from schemas import TimeValue

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
        # the time must modify an incident predicate
        if not on_incident(e.root):
            continue
        if re.search(r"\b(?:news conference|press conference|statement|briefing|said|tweet)\b",
                     doc_text(ctx.doc)[max(sent.start_char, e.start_char - 40): e.start_char], re.I):
            continue
        tzname = (m.group("tz") or "local").lower().split()[0]
        # known zones are converted to UTC; an unknown zone ("ET", "WIB") is only compared with itself
        subject = "UTC" if tzname in TIME_ZONES else ("local time" if tzname == "local" else tzname.upper())
        offset = TIME_ZONES.get(tzname, 0)
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
        label = doc_text(ctx.doc)[m.start(): m.end()].strip()
        label = re.sub(r"^at\s+", "", label, flags=re.I)
        clause = clause_head(e.root.head)
        q0, q1 = trim(ctx.doc, sent.start_char, sent.end_char)
        add_claim(ctx, "time of incident", label, TimeValue(start=start, end=end, precision="minute",
                                                       approx=start != t), sent, q0, q1,
             subject=subject, attributed_to=attribution(clause, sent), key=str(e.start_char),
             scope=sentence_scope(ctx, sent, e.start_char))


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


def state_since(ctx: Ctx, sent: Span) -> None:
    """ "X has been under government control since May 2014", "has been closed since 2015": a state and its start."""
    found = [(m, True) for m in _SINCE.finditer(sent_text(sent))]
    taken = {m.end() for m, _ in found}
    found += [(m, False) for m in _STATE_SINCE.finditer(sent_text(sent)) if m.end() not in taken
              and not any(w in _STATE_STOP for w in m.group("state").split()[-1:])
              and not re.search(r"\bcontrol\b|\d", m.group("state"))]
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
        add_claim(ctx, slot, label, TimeValue(start=start, end=end, precision=prec), sent, q0, q1,
             subject=aliases.primary(subject, ctx.learned), attributed_to=attribution(sent.root, sent),
             key=str(q0))

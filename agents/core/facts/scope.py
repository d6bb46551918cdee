"""Scope: whether a figure belongs to the article's main incident or to another one (background)."""

from __future__ import annotations

import re
from datetime import datetime

from spacy.tokens import Doc, Span, Token

from agents.core import aliases
from agents.core.facts.doc import antecedent, doc_ents, doc_sents, doc_text, sent_ents
from agents.core.facts.evidence import Ctx
from agents.core.lexicon import (
    INCIDENT_NOUNS,
    MONTH_NAMES,
    OTHER_INCIDENT_RE,
    OTHER_TIME_RE,
    WAR_NOUNS,
    WIDER_RE,
    YEAR_RE,
)


def hyphened(e: Span) -> bool:
    """A name joined by a hyphen to the next word ("a Delhi-class destroyer", "a Paris-based firm"): a modifier,
    not where anything happened."""
    doc = e.doc
    return e.end < len(doc) and doc[e.end].text == "-" and doc[e.end].idx == e.end_char


def main_places(doc: Doc) -> set[str]:
    """Place names of the lead (title and first sentences): the main event's places."""
    out: set[str] = set()
    limit = 0
    for i, s in enumerate(doc_sents(doc)):
        limit = s.end_char
        if i >= 4:
            break
    freq: dict[str, int] = {}
    for e in doc_ents(doc):
        if e.label_ in ("GPE", "LOC", "FAC") and not hyphened(e):
            key = aliases.canonical(e.text)
            freq[key] = freq.get(key, 0) + 1
            if e.start_char <= limit:
                out.add(key)
    out.update(k for k, n in freq.items() if n >= 3)
    return out


def place_ok(name: str, main: set[str]) -> bool:
    key = aliases.canonical(name)
    if key in main:
        return True
    return any(key in m or m in key for m in main if len(m) >= 3 and len(key) >= 3)


def earlier_date(text: str, published: datetime | None) -> bool:
    """A date that names a month (and maybe a year) before the month of publication."""
    if published is None:
        return False
    low = text.lower()
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", low)]
    if years and max(years) < published.year:
        return True
    month = next((i + 1 for i, m in enumerate(MONTH_NAMES) if re.search(rf"\b{m[:3]}\w*\b", low)), None)
    if month is None:
        return False
    year = years[0] if years else published.year
    if not years and month > published.month + 1:
        year -= 1  # "in December", read in January
    return (year, month) < (published.year, published.month - 1 if published.day <= 7 else published.month)


_EMBEDDED = ("relcl", "acl", "appos", "ccomp", "parataxis")


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
            c = antecedent(c)
            if c.lemma_.lower() in INCIDENT_NOUNS and any(
                d.dep_ == "det" and d.lower_ in ("a", "an", "another") for d in c.children
            ):
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


def scope_of(
    ctx: Ctx,
    clause: Token,
    pred: Token | None,
    label: str,
    sent: Span,
    keep: Token | None = None,
    ignore: tuple[int, int] | None = None,
) -> str:
    """``other`` when the figure belongs to another incident than the article's main one."""
    region = clause.head if clause.dep_ == "relcl" else clause
    toks = _region(region, keep if keep is not None else (pred if pred is not None else clause), sent)
    ids = {t.i for t in toks}
    lo_i, hi_i = toks[0].i, toks[-1].i
    text = " ".join(t.text for t in toks)
    if WIDER_RE.search(text) or OTHER_INCIDENT_RE.search(text):
        return "other"
    for e in sent_ents(sent):
        if ignore is not None and ignore[0] <= e.start_char < ignore[1]:
            continue
        if e.label_ == "DATE" and e.root.i in ids and earlier_date(e.text, ctx.ref.published_at):
            return "other"
    m = OTHER_TIME_RE.search(text)
    if m:
        years = YEAR_RE.findall(m.group(0))
        full = re.findall(r"(?:19|20)\d\d", m.group(0))
        if not years or ctx.year is None or any(int(y) != ctx.year for y in full):
            return "other"
    foreign = main_seen = False
    for e in sent_ents(sent):
        if ignore is not None and ignore[0] <= e.start_char < ignore[1]:
            continue  # the place a position is measured from ("55 km west of Bireun"), not where it happened
        if e.start >= lo_i and e.end <= hi_i + 1 and e.root.i in ids:
            if e.label_ == "DATE" and not (ignore is not None and ignore[0] <= e.start_char < ignore[1]):
                for y in re.findall(r"\b(?:19|20)\d\d\b", e.text):
                    if ctx.year is None or int(y) < ctx.year:
                        return "other"
            if any(t.dep_ == "poss" or t.tag_ == "POS" for t in e) or (
                e.end < len(ctx.doc) and ctx.doc[e.end].tag_ == "POS"
            ):
                continue  # "Indonesia's Aceh province": the container, not the place
            if hyphened(e):
                continue
            if e.label_ in ("GPE", "LOC", "FAC", "ORG") and place_ok(e.text, ctx.main_places):
                main_seen = True
            elif e.label_ in ("GPE", "LOC") and e.root.pos_ == "PROPN":
                foreign = True
    if foreign and not main_seen:
        return "other"
    if pred is not None and sent.start > ctx.lead_end_token and _indefinite_incident(pred):
        return "other"
    if pred is not None:
        subj = [c for c in pred.children if c.dep_ in ("nsubj",)]
        if subj:
            s = antecedent(subj[0])
            if s.lemma_.lower() in WAR_NOUNS:
                return "other"
            if label == "another" and s.pos_ in ("NOUN", "PROPN"):
                return "other"
        if pred.dep_ == "relcl" and pred.head.lemma_.lower() in WAR_NOUNS:
            return "other"
    line_start = doc_text(ctx.doc).rfind("\n", 0, sent.start_char) + 1
    if line_start in ctx.list_lines:
        return "other"
    return "main"


def list_lines(text: str) -> set[int]:
    """Start offsets of "Label: N killed" lines when an article has three or more (a list of past incidents)."""
    starts = [m.start() for m in re.finditer(r"(?m)^[^.:\n]{2,50}:\s+[^\n]{0,40}\d[^\n]{0,40}$", text)]
    return set(starts) if len(starts) >= 3 else set()


def sentence_scope(ctx: Ctx, sent: Span, at: int | None = None, ignore: tuple[int, int] | None = None) -> str:
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
    scope = scope_of(ctx, sent.root, None, "", sent, keep=keep, ignore=ignore)
    return "other" if scope == "main" and _subject_elsewhere(ctx, keep, sent) else scope


def _subject_elsewhere(ctx: Ctx, keep: Token, sent: Span) -> bool:
    """The thing measured is dated or placed apart by a clause of its own ("a missile launched in July flew
    3,700 km", "the quake that struck in 2012 had a depth of 2 km")."""
    head = keep
    for _ in range(8):
        if head.pos_ in ("VERB", "AUX") or head.head is head:
            break
        head = head.head
    subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    while subj is None and head.dep_ == "conj" and head.head is not head:  # "... flew high and traveled 1,000 km"
        head = head.head
        subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None:
        return False
    for c in subj.children:
        if c.dep_ not in ("acl", "relcl"):
            continue
        lo, hi = c.left_edge.i, c.right_edge.i
        text = ctx.doc[lo : hi + 1].text
        if OTHER_TIME_RE.search(text) or OTHER_INCIDENT_RE.search(text):
            return True
        if any(
            e.label_ == "DATE" and lo <= e.root.i <= hi and earlier_date(e.text, ctx.ref.published_at)
            for e in sent_ents(sent)
        ):
            return True
    return False

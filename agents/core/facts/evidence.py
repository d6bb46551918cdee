"""A claim's evidence: who said it, how it was hedged, and the quote with its offsets; the extraction context."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from agents.core.facts.doc import antecedent, doc_ents, doc_text, np_text, sent_text
from agents.core.lexicon import HEDGE_RE, SPEECH
from schemas import ArticleRef, Claim
from schemas.claim import Value
from schemas.ids import digest


@dataclass
class Ctx:
    """What the extractors of one article share: its doc, reference, lead places, and the claims found."""

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
    unframed: list[tuple[Span, Token]] = field(default_factory=list)
    """Quantity spans (with their number token) that no casualty frame took: the open quantities' input."""
    framed: set[int] = field(default_factory=set)
    """Number tokens that a casualty frame took."""
    open_slots: set[str] = field(default_factory=set)
    """Slots made from the text (open facts): one statement each per article (``consistency``)."""


def attribution(clause: Token, sent: Span) -> str | None:
    """Who said it: the subject of a governing speech verb, or "according to X"; "he"/"she" become the last
    person named before the sentence."""
    who = _attribution_np(clause, sent)
    if who is not None and who.lower() in ("he", "she"):
        people = [
            e
            for e in doc_ents(sent.doc)
            if e.label_ == "PERSON" and e.end <= sent.start and e.start >= sent.start - 150
        ]
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
                return np_text(antecedent(subj[0]), sent)
        if head == t:
            break
        if head.lemma_ in SPEECH and head.pos_ in ("VERB", "AUX"):
            subj = [c for c in head.children if c.dep_ in ("nsubj",)]
            if subj:
                return np_text(antecedent(subj[0]), sent)
            agent = [c for c in head.children if c.dep_ == "agent"]
            if agent and list(agent[0].children):
                return np_text(next(iter(agent[0].children)), sent)
        t = head
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < sent.end and tok.nbor().lower_ == "to":
            objs = [c for c in tok.nbor().children if c.dep_ == "pobj"] or [
                c for c in tok.children if c.dep_ == "prep" for c in c.children if c.dep_ == "pobj"
            ]
            if objs:
                return np_text(objs[0], sent)
            rest = sent.doc[tok.i + 2 : min(sent.end, tok.i + 8)].text
            return rest.split(",")[0].strip(" .") or None
    return None


def hedge_of(text: str) -> str | None:
    m = HEDGE_RE.search(text)
    return m.group(0).lower() if m else None


def add_claim(
    ctx: Ctx,
    slot: str,
    value: str,
    typed: Value,
    sent: Span,
    start: int,
    end: int,
    *,
    subject: str | None = None,
    attributed_to: str | None = None,
    scope: str = "main",
    hedge: str | None = None,
    key: str = "",
) -> None:
    text = doc_text(ctx.doc)
    while end > start and text[end - 1].isspace():
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    quote = text[start:end]
    if not quote.strip():
        start, end = sent.start_char, sent.end_char
        quote = doc_text(ctx.doc)[start:end]
    ctx.claims.append(
        Claim(
            id=digest(ctx.ref.id, slot, subject or "", str(start), key or value),
            article_id=ctx.ref.id,
            source=ctx.ref.source,
            slot=slot,
            value=value,
            typed=typed,
            subject=subject,
            attributed_to=attributed_to,
            hedge=hedge if hedge is not None else hedge_of(sent_text(sent)),
            quote=quote,
            start=start,
            end=end,
            scope=scope,
            published_at=ctx.ref.published_at,
        )
    )

"""Sums of money: what was stolen, the damage, a ransom, bail or a reward, each in its own currency.

"Robbers stole diamonds valued at 85 million euros ($108 million)" gives two claims, ``stolen (EUR)``
85 million and ``stolen (USD)`` 108 million: a conversion never conflicts with its original, since sums
in different currencies are never compared. What a sum is comes from the words around it
(:data:`~agents.core.lexicon.MONEY_FRAMES`: "stole", "made off with", "heist", "booty", "ransom"); a sum
that none of them names is no claim. Signs lost in scraping ("e80 million" for EUR 80 million, "p74million"
for GBP 74 million) are read as the currency they stood for when a multiplier follows.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from agents.core.facts.doc import segment, sent_text, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import NUMBER, measure_value
from agents.core.facts.scope import sentence_scope
from agents.core.lexicon import BACKGROUND_RE, CUMULATIVE_RE, CURRENCIES, MONEY_FRAMES

_MULT = {
    "million": 1e6,
    "m": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "thousand": 1e3,
    "k": 1e3,
}
_MULTS = r"million|billion|thousand|mln|mn|bn|m|b|k"
_WORDS = "|".join(sorted((w for w in CURRENCIES if w.isalpha() and len(w) > 2), key=len, reverse=True))
_QUAL = (
    r"(?P<q>(?:about|around|approximately|roughly|nearly|almost|some|more than|over|less than|under|up to|"
    r"at least|an estimated|estimated)\s+(?:an?\s+)?)?"
)
_MONEY_HINT = re.compile(
    r"(?=[$€£¥\dep-])(?:[$€£¥]|\d\s*(?:euro|dollar|pound|million|bn|m\b)|\b[ep]\d|-million-)", re.I
)
"""The entry test: a sentence without it names no sum (the lookahead: alternatives are tried only where one can
start)."""
_MONEY = re.compile(
    _QUAL + r"(?:"
    rf"(?P<sym>US\$|A\$|C\$|HK\$|S\$|\$|€|£|¥)\s?(?P<n1>\d[\d,]*(?:\.\d+)?)(?:\s*-?\s*(?P<m1>{_MULTS})\b)?"
    rf"|\b(?P<lost>[ep])(?P<n2>\d[\d,]*(?:\.\d+)?)\s?(?P<m2>million|billion|m|bn)\b"
    rf"|(?P<n3>\d[\d,]*(?:\.\d+)?)(?:\s*-?\s*(?P<m3>{_MULTS})\b)?\s*(?P<cw>{_WORDS})\b"
    rf"|\b(?P<n4>{NUMBER})-(?P<m4>million|billion)-(?P<cw4>{_WORDS})\b"
    r")",
    re.I,
)
_LOST_SIGNS = {"e": "EUR", "p": "GBP"}
_WINDOW = 12
"""Tokens around a sum searched for what it is."""


def _frame(sent: Span, at: Token) -> str | None:
    """What the sum is: the nearest word of :data:`MONEY_FRAMES` within the sentence's window around it."""
    best: tuple[int, str] | None = None
    for t in sent:
        if abs(t.i - at.i) > _WINDOW:
            continue
        lem = t.lemma_.lower()
        cls = MONEY_FRAMES.get(lem) or MONEY_FRAMES.get(t.lower_)
        if cls is None:
            continue
        if lem == "make" and not any(c.lower_ == "off" for c in t.children):
            continue  # "made off with", not "made"
        if lem in ("escape", "flee") and not any(c.lower_ == "with" for c in t.children):
            continue
        d = abs(t.i - at.i)
        if best is None or d < best[0]:
            best = (d, cls)
    return best[1] if best else None


def sums(ctx: Ctx, sent: Span) -> None:
    """Claims for the sums of money in a sentence that a money frame names."""
    text = sent_text(sent)
    if not _MONEY_HINT.search(text):
        return
    for m in _MONEY.finditer(text):
        if m.group("sym"):
            cur, n_text, mult = CURRENCIES[m.group("sym").lower()], m.group("n1"), m.group("m1")
        elif m.group("lost"):
            cur, n_text, mult = _LOST_SIGNS[m.group("lost").lower()], m.group("n2"), m.group("m2")
        elif m.group("cw"):
            cur, n_text, mult = CURRENCIES[m.group("cw").lower()], m.group("n3"), m.group("m3")
        else:
            cur, n_text, mult = CURRENCIES[m.group("cw4").lower()], m.group("n4"), m.group("m4")
        factor = _MULT.get((mult or "").lower(), 1.0)
        value = measure_value(n_text, m.group("q") or "", factor=factor)
        if value is None:
            continue
        c0 = sent.start_char + m.start()
        span = ctx.doc.char_span(c0, sent.start_char + m.end(), alignment_mode="expand")
        if span is None:
            continue
        cls = _frame(sent, span.root)
        if cls is None:
            continue
        region = text[max(0, m.start() - 80) : m.end() + 60]
        scope = (
            "other" if CUMULATIVE_RE.search(region) or BACKGROUND_RE.search(region) else sentence_scope(ctx, sent, c0)
        )
        slot = f"{cls} ({cur})"
        ctx.open_slots.add(slot)
        q0, q1 = segment(text, m.start(), m.end())
        q0, q1 = trim(ctx.doc, sent.start_char + q0, sent.start_char + q1)
        add_claim(
            ctx,
            slot,
            m.group(0).strip(),
            value,
            sent,
            q0,
            q1,
            attributed_to=attribution(span.root, sent),
            scope=scope,
            key=f"money:{c0}",
        )

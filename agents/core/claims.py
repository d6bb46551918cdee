"""Claim extraction: a pure function from a parsed article to typed claims with evidence.

First version: death tolls only ("N killed", "killing N", "toll at N"). See issue 3.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from schemas import ArticleRef, Claim, CountValue
from schemas.ids import digest

_NUM = r"(?P<num>\d[\d,]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens)"
_QUAL = r"(?P<qual>at least|more than|over|nearly|almost|up to|about|around)?\s*"
_PATTERNS = [
    re.compile(rf"\b{_QUAL}{_NUM}\s+(?:people\s+|others\s+)?(?:were\s+|have\s+been\s+)?(?:killed|dead|died)\b", re.I),
    re.compile(rf"\bkill(?:ing|ed)\s+{_QUAL}{_NUM}\b", re.I),
    re.compile(rf"\btoll\s+(?:at|to|of)\s+{_QUAL}{_NUM}\b", re.I),
]
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
          "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def count_value(num: str, qual: str | None) -> CountValue:
    """Turn a number and its qualifier into an interval."""
    n_text = num.lower().replace(",", "")
    if n_text == "dozens":
        return CountValue(low=24, high=None, approx=True)
    n = float(_WORDS.get(n_text, 0) or n_text)
    q = (qual or "").lower()
    if q in ("at least",):
        return CountValue(low=n)
    if q in ("more than", "over"):
        return CountValue(low=n + 1)
    if q in ("nearly", "almost"):
        return CountValue(low=n * 0.9, high=n, approx=True)
    if q == "up to":
        return CountValue(low=0, high=n)
    if q in ("about", "around"):
        return CountValue(low=n * 0.9, high=n * 1.1, approx=True)
    return CountValue(low=n, high=n)


def claims_from_doc(doc: Doc, ref: ArticleRef) -> list[Claim]:
    """Extract claims from a parsed article whose text is ``doc.text``."""
    out: list[Claim] = []
    for sent in doc.sents:
        for pat in _PATTERNS:
            for m in pat.finditer(sent.text):
                qual = m.group("qual")
                value = f"{qual + ' ' if qual else ''}{m.group('num')}"
                start = sent.start_char
                out.append(Claim(
                    id=digest(ref.id, "killed", str(start + m.start())),
                    article_id=ref.id, source=ref.source, slot="killed", value=value,
                    typed=count_value(m.group("num"), qual), quote=sent.text,
                    start=start, end=sent.end_char, published_at=ref.published_at,
                ))
    return out

"""Helpers for the extraction tests: parse invented sentences with the real model and read their claims."""

from __future__ import annotations

from datetime import UTC, datetime

from spacy.language import Language

from agents.core.facts import claims_from_doc
from agents.core.text import article_text
from schemas import ArticleRef, Claim

REF = ArticleRef(id="t1", source="Test Wire", published_at=datetime(2020, 6, 10, 12, 0, tzinfo=UTC))
UNDATED = ArticleRef(id="t2", source="Test Wire")


def claims(nlp: Language, text: str, title: str | None = None, ref: ArticleRef = REF) -> list[Claim]:
    """The claims of one invented article; every quote is checked to be the text at its offsets."""
    doc = nlp(article_text(title, text))
    out = claims_from_doc(doc, ref)
    for c in out:
        assert doc.text[c.start : c.end] == c.quote, "quote must be the exact span at its offsets"
    return out


def main(
    nlp: Language, text: str, slot: str | None = None, title: str | None = None, ref: ArticleRef = REF
) -> list[Claim]:
    """Main-scope claims, of one slot or all."""
    return [c for c in claims(nlp, text, title, ref) if c.scope == "main" and (slot is None or c.slot == slot)]


def slots(nlp: Language, text: str, title: str | None = None, ref: ArticleRef = REF) -> dict[str, list[str]]:
    """Slot -> values of the main-scope claims."""
    out: dict[str, list[str]] = {}
    for c in main(nlp, text, None, title, ref):
        out.setdefault(c.slot, []).append(c.value)
    return out

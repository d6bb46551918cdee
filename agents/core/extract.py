"""From articles to ``Extracted`` messages: normalise, parse in batches, extract claims and features."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from spacy.language import Language

from agents.core.claims import claims_from_doc
from agents.core.features import features_from_doc
from agents.core.text import article_text
from schemas import Article, ArticleRef, Extracted
from schemas.ids import digest


def reference(article: Article, text: str, received_at: datetime) -> ArticleRef:
    """The article's reference, with a hash of the content that claims are drawn from."""
    when = article.published_at.isoformat() if article.published_at else ""
    return ArticleRef(
        id=article.id, source=article.source, url=article.url, title=article.title,
        published_at=article.published_at, received_at=received_at,
        content_hash=digest(article.source, text, when, n=24),
    )


def analyse(nlp: Language, items: Sequence[tuple[Article, datetime]], batch_size: int = 16) -> list[Extracted]:
    """Parse the articles with one ``nlp.pipe`` call and extract their claims and features."""
    texts = [article_text(a.title, a.body) for a, _ in items]
    out: list[Extracted] = []
    for (article, received_at), text, doc in zip(items, texts, nlp.pipe(texts, batch_size=batch_size),
                                                 strict=True):
        ref = reference(article, text, received_at)
        out.append(Extracted(
            article=ref,
            features=features_from_doc(doc, ref, received_at),
            claims=claims_from_doc(doc, ref),
            text=text,
        ))
    return out

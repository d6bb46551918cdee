"""From articles to ``Extracted`` messages: normalise, parse in batches, extract claims and features."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from spacy.language import Language
from spacy.tokens import Doc

from agents.core.budget import DEFAULT, Budget, bounded
from agents.core.components import line_breaks
from agents.core.facts import claims_from_doc
from agents.core.features import features_from_doc
from agents.core.origin import Fingerprint, credited, fingerprint
from agents.core.select import SELECT_FACTORY, blanked_doc, kept_ranges, mark_gaps
from agents.core.text import article_text
from schemas import Article, ArticleRef, Extracted
from schemas.ids import digest


@dataclass(frozen=True)
class Prepared:
    """What the extraction needs of an article besides its parse: its normalised text and that text's MinHash
    fingerprint. Made where the article is decoded (the worker), so that the NLP process only parses and reads."""

    text: str
    fingerprint: Fingerprint


def prepare(article: Article) -> Prepared:
    """The article's :class:`Prepared` (:func:`~agents.core.text.article_text`, then its fingerprint)."""
    text = article_text(article.title, article.body)
    return Prepared(text=text, fingerprint=fingerprint(text))


def reference(article: Article, text: str, received_at: datetime) -> ArticleRef:
    """The article's reference, with a hash of the content that claims are drawn from, and the wire service it
    credits as its origin (copies of a story are found later, against the event: ``agents.pipeline``)."""
    when = article.published_at.isoformat() if article.published_at else ""
    return ArticleRef(
        id=article.id,
        source=article.source,
        url=article.url,
        title=article.title,
        published_at=article.published_at,
        published_date_only=article.published_date_only,
        received_at=received_at,
        content_hash=digest(article.source, text, when, n=24),
        origin=credited(text[text.find("\n\n") + 2 :] if "\n\n" in text else text, article.url, article.source),
    )


def _claim_sentences(
    nlp: Language, texts: Sequence[str], batch_size: int, budget: Budget
) -> Iterator[tuple[Doc, list[tuple[int, int]]]]:
    """Stage 1: tokenizer, ``senter``, line breaks, sentence filter; each doc with its kept character ranges.

    The tokenizer reads each text :func:`~agents.core.budget.bounded` (long words and the text past the
    budget blanked: spaCy's affix rules are quadratic in a word's length)."""
    senter, select = nlp.get_pipe("senter"), nlp.get_pipe(SELECT_FACTORY)
    select.max_sentence_chars = budget.max_sentence_chars  # type: ignore[attr-defined]
    docs = (nlp.make_doc(bounded(t, budget)) for t in texts)
    for doc in senter.pipe(docs, batch_size=batch_size):  # type: ignore[attr-defined]
        yield doc, kept_ranges(select(line_breaks(doc)))


def parse(nlp: Language, texts: Sequence[str], batch_size: int = 16, budget: Budget = DEFAULT) -> Iterator[Doc]:
    """The NLP stage: the docs that ``claims_from_doc`` and ``features_from_doc`` read, in order.

    Two stages (see :mod:`agents.core.select`): a cheap pass keeps the lead and the sentences that may
    hold a claim; ``nlp.pipe`` parses the texts with the other sentences blanked (same offsets). The
    original text is in ``doc.user_data["cf_text"]``. ``budget`` bounds what is parsed. Without the
    ``senter`` and the sentence filter in the pipeline, every sentence is parsed.
    """
    if "senter" not in nlp.component_names or SELECT_FACTORY not in nlp.component_names:
        yield from nlp.pipe((bounded(t, budget) for t in texts), batch_size=batch_size)
        return
    docs = []
    for text, (first, keep) in zip(texts, _claim_sentences(nlp, texts, batch_size, budget), strict=True):
        doc = blanked_doc(nlp, first, keep)
        mark_gaps(doc, keep)
        doc.user_data["cf_text"] = text
        docs.append(doc)
    yield from nlp.pipe(docs, batch_size=batch_size)


def analyse(
    nlp: Language,
    items: Sequence[tuple[Article, datetime]],
    batch_size: int = 16,
    budget: Budget = DEFAULT,
    prepared: Sequence[Prepared] | None = None,
) -> list[Extracted]:
    """Parse the articles (:func:`parse`, within ``budget``) and extract their claims and features.

    ``prepared``: each article's :func:`prepare`, when made already (else made here)."""
    ready = list(prepared) if prepared is not None else [prepare(a) for a, _ in items]
    texts = [p.text for p in ready]
    out: list[Extracted] = []
    for (article, received_at), p, doc in zip(
        items, ready, parse(nlp, texts, batch_size=batch_size, budget=budget), strict=True
    ):
        ref = reference(article, p.text, received_at)
        fp = p.fingerprint
        out.append(
            Extracted(
                article=ref,
                features=features_from_doc(doc, ref, received_at),
                claims=claims_from_doc(doc, ref),
                text=p.text,
                signature=list(fp.signature),
                shingles=fp.size,
            )
        )
    return out

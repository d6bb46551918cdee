"""The pipeline's faster attribute ruler finds exactly what spaCy's ``Matcher`` finds."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.pipeline import AttributeRuler

from agents.core.nlp import FastAttributeRuler, get_nlp
from agents.core.text import article_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles.jsonl"
TRICKY = (
    "Ain't nobody gonna say it's over; let's see. There were 3 dead, officials said.\n\n"
    "He gets what he got.  Gotta go -- y'all ain't ready. There's 40 missing.  \n  Wanna   see?"
)


def test_fast_attribute_ruler_is_exact() -> None:
    nlp = get_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler)
    texts = [TRICKY] + [article_text(r.get("title"), r["body"])
                        for r in map(json.loads, SEEDS.read_text(encoding="utf-8").splitlines()) if r]
    upto = nlp.pipe_names.index("attribute_ruler")
    with nlp.select_pipes(enable=nlp.pipe_names[:upto]):
        docs = list(nlp.pipe(texts))
    for doc in docs:
        assert ruler.match(doc) == sorted(set(AttributeRuler.match(ruler, doc)))
        assert ruler.match(doc) == sorted(set(AttributeRuler.match(ruler, doc)))  # from the cache

"""The pipeline's faster attribute and entity rulers find exactly what spaCy's ``Matcher`` finds."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.pipeline import AttributeRuler, EntityRuler
from spacy.tokens import Doc

from agents.core.nlp import FastAttributeRuler, FastEntityRuler, FastLemmatizer, get_nlp
from agents.core.text import article_text

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles.jsonl"
TRICKY = (
    "Ain't nobody gonna say it's over; let's see. There were 3 dead, officials said.\n\n"
    "He gets what he got.  Gotta go -- y'all ain't ready. There's 40 missing.  \n  Wanna   see?"
)


def _texts(*extra: str) -> list[str]:
    """``extra`` and the seed articles' texts."""
    return [
        *extra,
        *(
            article_text(r.get("title"), r["body"])
            for r in map(json.loads, SEEDS.read_text(encoding="utf-8").splitlines())
            if r
        ),
    ]


def _docs_before(nlp: Language, component: str, texts: list[str]) -> list[Doc]:
    """``texts`` through the pipeline's components before ``component``."""
    upto = nlp.pipe_names.index(component)
    with nlp.select_pipes(enable=nlp.pipe_names[:upto]):
        return list(nlp.pipe(texts))


def test_fast_attribute_ruler_is_exact() -> None:
    nlp = get_nlp()
    ruler = nlp.get_pipe("attribute_ruler")
    assert isinstance(ruler, FastAttributeRuler)
    for doc in _docs_before(nlp, "attribute_ruler", _texts(TRICKY)):
        assert ruler.match(doc) == sorted(set(AttributeRuler.match(ruler, doc)))
        assert ruler.match(doc) == sorted(set(AttributeRuler.match(ruler, doc)))  # from the cache


GROUPS = (
    "Hayat Tahrir al-Sham (HTS) and the SOHR said ISIS, not the Islamic State group or Sohr or hts, "
    "did it; al-Nusra Front, Jabhat al-Nusra, Jabhat Fateh al-Sham and the Kurdish YPG denied it. sdf SDF."
)


def test_fast_entity_ruler_is_exact() -> None:
    """The group names: phrase matchers find the same matches, longest first, and set the same entities."""
    nlp = get_nlp()
    ruler = nlp.get_pipe("contraflow_groups")
    assert isinstance(ruler, FastEntityRuler)
    found = 0
    for text in _texts(GROUPS, TRICKY):
        doc = nlp.make_doc(text)
        want = EntityRuler.match(ruler, doc)
        assert ruler.match(doc) == want
        found += len(want)
        plain, fast = nlp.make_doc(text), nlp.make_doc(text)
        ruler.set_annotations(plain, EntityRuler.match(ruler, plain))  # spaCy's matcher, spaCy's annotations
        ruler(fast)
        assert [(e.start, e.end, e.label_) for e in fast.ents] == [(e.start, e.end, e.label_) for e in plain.ents]
    assert found >= 8


def test_fast_lemmatizer_is_exact() -> None:
    """Every lemma as spaCy's own lemmatizer sets it (and again from the memo)."""
    nlp = get_nlp()
    lemmatizer = nlp.get_pipe("lemmatizer")
    assert isinstance(lemmatizer, FastLemmatizer)
    for doc in _docs_before(nlp, "lemmatizer", _texts(TRICKY, GROUPS)):
        want = [t.lemma_ for t in EnglishLemmatizer.__call__(lemmatizer, doc.copy())]
        assert [t.lemma_ for t in lemmatizer(doc.copy())] == want
        assert [t.lemma_ for t in lemmatizer(doc.copy())] == want  # from the memo

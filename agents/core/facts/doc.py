"""Per-document caches and parse helpers shared by the extractors (sentences, entities, clauses, noun phrases)."""

from __future__ import annotations

import re

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from agents.core.lexicon import SPEECH

LEAD_SENTENCES = 4
"""The claims' lead: the first sentences of an article (its main scope, its series and places)."""


def doc_text(doc: Doc) -> str:
    cached = doc.user_data.get("cf_text")
    if cached is None:
        cached = doc.user_data["cf_text"] = doc.text
    return cached


def sent_text(sent: Span) -> str:
    """A sentence's text, sliced from the cached document text (``Span.text`` joins tokens on every call)."""
    return doc_text(sent.doc)[sent.start_char : sent.end_char]


def doc_ents(doc: Doc) -> list[Span]:
    cached = doc.user_data.get("cf_ents")
    if cached is None:
        cached = doc.user_data["cf_ents"] = list(doc.ents)
    return cached


def doc_sents(doc: Doc) -> list[Span]:
    cached = doc.user_data.get("cf_sents")
    if cached is None:
        # a sentence of whitespace alone holds no claim (the blanked stretches of a two-stage parse)
        cached = doc.user_data["cf_sents"] = [sn for sn in doc.sents if not (len(sn) == 1 and sn[0].is_space)]
        index: list[int] = [0] * len(doc)
        for k, sn in enumerate(cached):
            for i in range(sn.start, cached[k + 1].start if k + 1 < len(cached) else len(doc)):
                index[i] = k
        doc.user_data["cf_sent_index"] = index
        buckets: dict[int, list[Span]] = {sn.start: [] for sn in cached}
        for e in doc_ents(doc):
            buckets[cached[index[e.start]].start].append(e)
        doc.user_data["cf_sent_ents"] = buckets
    return cached


def sent_of(tok: Token) -> Span:
    sents = doc_sents(tok.doc)
    return sents[tok.doc.user_data["cf_sent_index"][tok.i]]


def sent_ents(sent: Span) -> list[Span]:
    doc_sents(sent.doc)
    return sent.doc.user_data["cf_sent_ents"].get(sent.start) or [
        e for e in doc_ents(sent.doc) if sent.start <= e.start < sent.end
    ]


def ent_at(doc: Doc, i: int) -> Span | None:
    for e in sent_ents(sent_of(doc[i])):
        if e.start <= i < e.end:
            return e
    return None


def clause_head(tok: Token) -> Token:
    """Climb from a predicate to the head of its clause (stops at ROOT, ccomp, relcl or a speech verb)."""
    t = tok
    for _ in range(12):
        if t.dep_ in ("ROOT", "ccomp", "relcl", "parataxis") or t.head == t:
            return t
        if t.head.lemma_ in SPEECH and t.head.pos_ in ("VERB", "AUX") and t.dep_ not in ("conj",):
            return t
        t = t.head
    return t


def clause_span(tok: Token, sent: Span) -> tuple[int, int]:
    """Character range of a clause head's subtree, leaving out clauses attached after a speech verb."""
    toks = [t for t in tok.subtree if sent.start <= t.i < sent.end]
    if not toks:
        return sent.start_char, sent.end_char
    start = min(t.idx for t in toks)
    end = max(t.idx + len(t.text) for t in toks)
    text = doc_text(tok.doc)
    while end > start and text[end - 1] in " ,;:-":
        end -= 1
    while start < end and text[start] in " ,;:-\"'":
        start += 1
    return start, end


def antecedent(t: Token) -> Token:
    """The antecedent of a relative pronoun ("which", "that", "who")."""
    if t.lower_ in ("which", "that", "who") and t.head.dep_ == "relcl":
        return t.head.head
    return t


def np_text(t: Token, sent: Span, limit: int = 10) -> str:
    keep = [
        x
        for x in t.subtree
        if sent.start <= x.i < sent.end
        and not any(a.dep_ in ("relcl", "acl", "appos") and a != t and x in a.subtree for a in t.children)
    ]
    ids = {x.i for x in keep if (x.pos_ != "PUNCT" or x.i < t.i) and not x.is_space}
    lo = hi = t.i
    while lo - 1 in ids and t.i - lo < limit:
        lo -= 1
    while hi + 1 in ids and hi - t.i < limit:
        hi += 1
    txt = t.doc[lo : hi + 1].text
    return txt.strip(" ,;:-\"'\n")


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    text = doc_text(doc)
    while end > start and text[end - 1] in " \n":
        end -= 1
    while start < end and text[start] in " \n":
        start += 1
    return start, end


def head_np(t: Token) -> list[Token]:
    """The tokens of a noun phrase without its relative clauses, appositions and parentheticals."""
    drop: set[int] = set()
    for c in t.children:
        if c.dep_ in ("relcl", "acl", "appos", "prep", "punct"):
            drop.update(x.i for x in c.subtree)
    return [x for x in t.subtree if x.i not in drop]


def figure_span(num: Token, noun: Token, pred: Token, sent: Span, reach: int = 12) -> tuple[int, int]:
    """Character range of a figure's own words: the counted phrase ("seven AK-47 rifles") with the predicate
    that gives it its relation ("confiscated"), when they lie within ``reach`` tokens of each other; else the
    phrase alone. A list of figures in one sentence ("14 rifles, 31 magazines and 923 rounds") gives each
    figure its own quote."""
    lo = min(num.i, *(t.i for t in noun.lefts if t.dep_ != "punct"), noun.i)
    hi = noun.i
    for c in noun.rights:  # "rounds of ammunition"
        if c.dep_ == "prep" and c.lower_ == "of":
            hi = max(hi, c.right_edge.i)
    lo, hi = max(lo, sent.start), min(hi, sent.end - 1)
    if sent.start <= pred.i < sent.end and max(hi, pred.i) - min(lo, pred.i) <= reach:
        lo, hi = min(lo, pred.i), max(hi, pred.i)
    doc = num.doc
    return trim(doc, doc[lo].idx, doc[hi].idx + len(doc[hi].text))


def segment(text: str, a: int, b: int) -> tuple[int, int]:
    """The stretch of a sentence between separators (commas, semicolons, dashes, brackets) around ``text[a:b]``."""
    seps = [m.end() for m in re.finditer(r"[,;(]\s|\s--?\s", text[:a])]
    start = seps[-1] if seps else 0
    nxt = re.search(r"[,;)]\s|\s--?\s", text[b:])
    return start, b + nxt.start() + (1 if nxt.group(0).startswith(")") else 0) if nxt else len(text)


_HASHES: dict[int, tuple[frozenset[str], frozenset[int]]] = {}


def has_word(sent: Span, words: frozenset[str], attr: int = LOWER) -> bool:
    """Whether a sentence holds one of ``words`` (lower case; ``attr=LEMMA``: lemmas), by the doc's hashes: a
    cheap entry test."""
    doc = sent.doc
    key = f"cf_attr_{attr}"
    lowers = doc.user_data.get(key)
    if lowers is None:
        lowers = doc.user_data[key] = doc.to_array(attr).tolist()
    held = _HASHES.get(id(words))
    if held is None or held[0] is not words:
        held = _HASHES[id(words)] = (words, frozenset(doc.vocab.strings.add(w) for w in words))
    hashes = held[1]
    return any(h in hashes for h in lowers[sent.start : sent.end])


_LOWER_LEMMAS: dict[int, str] = {}
_LOWER_LEMMAS_MAX = 200_000


def tokens_lemma_in(sent: Span, words: frozenset[str]) -> list[Token]:
    """The tokens of a sentence whose lower-cased lemma is one of ``words``, in order (the doc's lemma array,
    each distinct lemma lower-cased once per process: cheaper than ``tok.lemma_.lower()`` on every token)."""
    doc = sent.doc
    key = f"cf_attr_{LEMMA}"
    lemmas = doc.user_data.get(key)
    if lemmas is None:
        lemmas = doc.user_data[key] = doc.to_array(LEMMA).tolist()
    lowered = _LOWER_LEMMAS
    if len(lowered) > _LOWER_LEMMAS_MAX:  # a bound on a long-running process (the cache refills)
        lowered.clear()
    strings = doc.vocab.strings
    out: list[Token] = []
    for i in range(sent.start, sent.end):
        h = lemmas[i]
        low = lowered.get(h)
        if low is None:
            low = lowered[h] = strings[h].lower()
        if low in words:
            out.append(doc[i])
    return out

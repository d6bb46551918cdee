"""contraflow's spaCy pipeline components, registered with ``@Language.factory``.

- ``contraflow_groups`` (an ``EntityRuler`` before ``ner``): names and acronyms of armed groups and
  agencies from the alias gazetteer, labelled ``ORG``, so that "Tahrir al-Sham" or "SOHR" are one entity.
- ``contraflow_quantities``: a ``Matcher`` over qualifier + number expressions ("at least 32",
  "more than 40", "nearly 80", "dozens", "a dozen", "no one"), written to ``doc.spans["cf_quantities"]``
  with the qualifier's class as the span label (``eq``, ``ge``, ``gt``, ``le``, ``lt``, ``approx``,
  ``another``, ``vague``, ``none``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Any

import numpy
from spacy.attrs import IS_SPACE, LIKE_NUM, LOWER, SENT_START
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from agents.core.aliases import _GAZETTEER
from agents.core.lexicon import MULTIPLIERS, QUALIFIERS, VAGUE

Pattern = list[dict[str, Any]]
"""One spaCy Matcher pattern: a list of token specs."""

QUANT_KEY = "cf_quantities"


def _quantity_patterns() -> list[list[dict[str, object]]]:
    number: Pattern = [
        {"LIKE_NUM": True, "ENT_TYPE": {"NOT_IN": ["MONEY", "PERCENT", "ORDINAL"]}},
        {"LOWER": {"IN": list(MULTIPLIERS)}, "OP": "?"},
    ]
    vague: list[Pattern] = [
        [{"LOWER": {"IN": sorted(VAGUE - {"dozen", "handful"})}}],
        [{"LOWER": "a"}, {"LOWER": "dozen"}],
        [{"LOWER": "a"}, {"LOWER": "handful"}],
    ]
    nones: list[Pattern] = [
        [{"LOWER": "no"}, {"LOWER": "one"}],
        [{"LOWER": "no"}, {"ORTH": "-"}, {"LOWER": "one"}],
        [{"LOWER": {"IN": ["none", "nobody", "noone"]}}],
        [{"LOWER": "no"}, {"LOWER": {"IN": ["deaths", "casualties", "fatalities", "injuries", "one"]}}],
    ]
    big: Pattern = [
        {"LOWER": {"IN": ["hundreds", "thousands", "millions", "tens"]}},
        {"LOWER": "of"},
        {"LOWER": {"IN": ["thousands", "millions"]}},
    ]
    hyphenated: Pattern = [{"LIKE_NUM": True}, {"ORTH": "-"}, {"LIKE_NUM": True}]
    pats: list[Pattern] = [number, hyphenated, *vague, *nones, big]
    for q in QUALIFIERS:
        words: Pattern = [{"LOWER": w} for w in q.split()]
        pats.append([*words, *number])
        pats.append([*words, *hyphenated])
        for v in vague:
            pats.append([*words, *v])
    return pats


def _label(span_text: str) -> str:
    low = span_text.lower()
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if low.startswith(q + " "):
            return QUALIFIERS[q]
    first = low.split()[0].split("-")[0]
    if first in ("no", "none", "nobody", "noone"):
        return "none"
    if first in VAGUE or low in ("a dozen", "a handful"):
        return "vague"
    return "eq"


@Language.component("contraflow_lines", assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: titles, captions and list lines never run into the next line."""
    text = doc.text
    if "\n" not in text:
        return doc
    spaces = doc.to_array([IS_SPACE])
    starts = [i + 1 for i in spaces.nonzero()[0].tolist() if i + 1 < len(doc) and "\n" in doc[i].text]
    if starts:  # one write for all: setting ``is_sent_start`` token by token checks the whole doc each time
        arr: Any = doc.to_array([SENT_START])
        arr[starts] = 1
        doc.from_array([SENT_START], arr)
    return doc


_CLOCK_WORDS = {
    "am",
    "pm",
    "a.m.",
    "p.m.",
    "a.m",
    "p.m",
    "hours",
    "hour",
    "hrs",
    "minutes",
    "minute",
    "mins",
    "seconds",
    "o'clock",
    "gmt",
    "utc",
    "local",
    "bst",
    "cet",
    "edt",
    "est",
    "pdt",
    "pst",
}


def _is_date(sp: Span, ents: Sequence[Span] | None = None, starts: list[int] | None = None) -> bool:
    """A number that the tagger put in a real date ("2014", "10-month", "Saturday 25"), not a bare count."""
    root = sp.root
    if root.ent_type_ == "TIME":
        nxt = sp.doc[sp.end].lower_ if sp.end < len(sp.doc) else ""
        return bool(re.search(r"[:.]\d", root.text)) or nxt in _CLOCK_WORDS
    if root.ent_type_ != "DATE":
        return False
    ents = sp.doc.ents if ents is None else ents
    starts = [e.start for e in ents] if starts is None else starts
    k = bisect.bisect_right(starts, root.i) - 1  # entities do not overlap: the last one starting before
    ent = ents[k] if k >= 0 and ents[k].start <= root.i < ents[k].end else None
    if ent is None:
        return False
    return not re.fullmatch(r"\d[\d,]*", ent.text) or bool(re.fullmatch(r"(?:1[89]|20)\d\d", ent.text))


_ANCHOR_WORDS = VAGUE | {
    "none",
    "nobody",
    "noone",
    "no",
    "hundreds",
    "thousands",
    "millions",
    "tens",
    "dozen",
    "handful",
}
"""With ``LIKE_NUM``: the tokens of which every quantity pattern holds one."""
_REACH = 6
"""The longest quantity pattern, in tokens ("no fewer than 3 - 4")."""


class QuantityFinder:
    """Find qualifier + number expressions; keep the longest non-overlapping ones."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        patterns = _quantity_patterns()
        self.matcher.add("QUANT", patterns)
        assert max(len(p) for p in patterns) <= _REACH
        self._anchor_words = numpy.array(sorted(nlp.vocab.strings.add(w) for w in _ANCHOR_WORDS), dtype="uint64")

    def _matches(self, doc: Doc) -> list[Span]:
        """The matcher's matches, found in windows around the tokens every pattern holds (a number,
        a vague or negative quantity word) instead of over the whole text: the same matches, as no
        pattern is longer than :data:`_REACH` tokens."""
        arr = doc.to_array([LIKE_NUM, LOWER])
        anchors = numpy.nonzero((arr[:, 0] != 0) | numpy.isin(arr[:, 1], self._anchor_words))[0].tolist()
        out: list[Span] = []
        start = end = -1
        for i in anchors:
            a, b = max(0, i - _REACH), min(len(doc), i + _REACH + 1)
            if a > end and end > start:
                out.extend(self.matcher(doc[start:end], as_spans=True))
                start = a
            elif start < 0:
                start = a
            end = max(end, b)
        if end > start >= 0:
            out.extend(self.matcher(doc[start:end], as_spans=True))
        return out

    def __call__(self, doc: Doc) -> Doc:
        spans = filter_spans(self._matches(doc))
        ents = doc.ents  # once: ``doc.ents`` walks the whole doc
        starts = [e.start for e in ents]
        out = []
        for sp in spans:
            if (
                sp[0].lower_ in ("no",)
                and len(sp) == 2
                and sp[1].lower_ == "one"
                and sp.end < len(doc)
                and doc[sp.end].lower_ in ("of",)
            ):
                continue
            if _is_date(sp, ents, starts):
                continue
            sp.label_ = _label(sp.text)
            out.append(sp)
        doc.spans[QUANT_KEY] = out
        return doc


@Language.factory(
    "contraflow_quantities",
    requires=["token.like_num", "doc.ents"],
    assigns=["doc.spans"],
)
def make_quantities(nlp: Language, name: str) -> QuantityFinder:
    """Factory of the quantity finder (a ``Matcher`` built once per pipeline)."""
    return QuantityFinder(nlp, name)


def _group_patterns() -> list[dict[str, object]]:
    pats: list[dict[str, object]] = []
    for names in _GAZETTEER.values():
        for n in names:
            if len(n) <= 2:
                continue
            toks = n.replace("-", " - ").split()
            if all(t.isalpha() and t.islower() for t in toks) and len(toks) == 1 and len(n) <= 5:
                pats.append({"label": "ORG", "pattern": [{"TEXT": n.upper()}]})
            else:
                pats.append({"label": "ORG", "pattern": [{"LOWER": t} for t in toks]})
    return pats


def add_to(nlp: Language) -> None:
    """Add contraflow's components to a loaded pipeline (idempotent)."""
    if "contraflow_groups" not in nlp.pipe_names:
        before = "ner" if "ner" in nlp.pipe_names else None
        ruler = nlp.add_pipe("entity_ruler", name="contraflow_groups", before=before, config={"overwrite_ents": True})
        ruler.add_patterns(_group_patterns())  # type: ignore[attr-defined]
    if "contraflow_lines" not in nlp.pipe_names:
        before = "parser" if "parser" in nlp.pipe_names else None
        nlp.add_pipe("contraflow_lines", before=before)
    if "contraflow_quantities" not in nlp.pipe_names:
        nlp.add_pipe("contraflow_quantities", last=True)
    if "contraflow_claim_sentences" not in nlp.component_names:
        from agents.core import select  # registers the factory

        nlp.add_pipe(select.SELECT_FACTORY, last=True)
        nlp.disable_pipe(select.SELECT_FACTORY)  # stage 1 of agents.core.extract.parse, like the senter

"""Two-stage parsing: a cheap pass finds the sentences that can hold a claim; only those are parsed.

The model's tagger, parser and NER (``tok2vec`` and NER's own ``tok2vec``) cost 90 % of the NLP
stage, and most sentences of a news article hold no figure, no attack verb and no claim of
responsibility. Stage 1 runs the tokenizer and the model's ``senter`` (shipped disabled with
en_core_web_sm: a 16-wide CNN tagger, a few percent of the parser's cost) plus the line-break rule,
and :class:`ClaimSentences` keeps:

- the lead: the title, the first :data:`LEAD_SENTENCES` sentences (the claims' lead and main places)
  and every sentence that starts in the first ``when.LEAD_CHARS`` characters (the lead that event
  features weigh more: matching is as good as with every sentence parsed, on the dev set);
- every sentence that passes the entry test of one of the claim extractors in
  :mod:`agents.core.facts` (each of them returns at once on a sentence without its cue words): a
  number or quantity word with a count frame word (kill, die, injur, toll, lives, attacker...); a
  digit with a clock time, a year, "since", a population or a distance; the words of claims of
  responsibility, swaps, quakes and magnitudes; a weapon noun with a cue ("with", "detonate",
  "drove"...); an attack verb (target).

Stage 2 parses the article text with every other sentence *blanked*: its characters are replaced
by spaces ending in a line break, so that it becomes a single whitespace token after which a new
sentence starts (``contraflow_lines``). Character offsets are unchanged, so claims' quotes and
offsets refer to the original text, which is kept in ``doc.user_data["cf_text"]`` (read by
``claims`` and ``features`` instead of ``doc.text``).

The cue patterns (``lexicon.SELECT_*``) mirror the entry tests of the extractors: a new kind of claim
needs its cue words there too (``tests/unit/test_select.py`` checks that the two-stage parse finds the same claims as a
full parse on the claim tests' sentences).
"""

from __future__ import annotations

import bisect

import numpy
from spacy.attrs import IDX, LIKE_NUM, LOWER, NORM, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from agents.core.facts.doc import LEAD_SENTENCES as CLAIM_LEAD
from agents.core.lexicon import (
    FACT_CUES,
    SELECT_COUNT_FRAME,
    SELECT_NO_ONE,
    SELECT_NUMBER_WORDS,
    SELECT_TARGET_VERBS,
    SELECT_WEAPON_CUES,
    SELECT_WEAPON_NOUNS,
    SELECT_WORD_CUES,
)
from agents.core.when import LEAD_CHARS

SELECT_FACTORY = "contraflow_claim_sentences"
"""The filter's factory and component name (added disabled to the pipeline by ``components.add_to``)."""
SELECT_KEY = "cf_claim_sentences"
"""``doc.spans`` key of the sentences stage 1 keeps."""
LEAD_SENTENCES = CLAIM_LEAD + 1
"""The title and the first sentences of the body, the claims' lead: always parsed."""
MAX_KEPT_CHARS = 6_000
"""Characters parsed per article, about: the lead always; past this budget, a long article's later
claim sentences are left out, counts and claims of responsibility last (see :class:`ClaimSentences`)."""
MAX_SENTENCE_CHARS = 3_000
"""Longer sentences are never parsed, not even in the lead (a bounded parse per article: see
:mod:`agents.core.budget`)."""


def claim_tier(text: str, number: bool) -> int | None:
    """Which entry test of a claim extractor a sentence passes: 1 for a count (killed, injured...)
    or the words of a claim of responsibility, a swap or a quake; 2 for the others (targets,
    weapons, times, places); ``None`` for none.

    ``text``: the sentence's text; ``number``: whether it has a token like a number or a vague or
    negative quantity word (what every quantity pattern holds).
    """
    if SELECT_WORD_CUES.search(text) or ((number or SELECT_NO_ONE.search(text)) and SELECT_COUNT_FRAME.search(text)):
        return 1
    if SELECT_TARGET_VERBS.search(text) or (SELECT_WEAPON_NOUNS.search(text) and SELECT_WEAPON_CUES.search(text)):
        return 2
    if number or any(c.isdigit() for c in text) or FACT_CUES.search(text):
        return 2  # an open quantity (any number may count or measure a thing), a name, a descriptor
    return None


class ClaimSentences:
    """Stage 1: keep the lead and the sentences that may hold a claim, in ``doc.spans[SELECT_KEY]``.

    A long article's parse is bounded (NLP time grows with the characters parsed): when the kept
    sentences hold more than ``max_chars`` characters, the lead is kept, then the sentences of tier 1
    (:func:`claim_tier`: counts, claims of responsibility) in order, then those of tier 2, until the
    budget is spent. On the dev set this changes no contradiction; it leaves out 9 of 371 claims
    (targets, weapons, vehicles in the tails of the two longest articles, mostly repeats) and cuts the
    longest article's parse from 4.8 to 2.9 times the mean article's.
    """

    def __init__(
        self,
        nlp: Language,
        name: str,
        lead: int = LEAD_SENTENCES,
        lead_chars: int = LEAD_CHARS,
        max_chars: int = MAX_KEPT_CHARS,
    ) -> None:
        self.name = name
        self.lead = lead
        self.lead_chars = lead_chars
        self.max_chars = max_chars
        self.max_sentence_chars = MAX_SENTENCE_CHARS
        self._number_words = numpy.array(sorted(nlp.vocab.strings.add(w) for w in SELECT_NUMBER_WORDS), dtype="uint64")

    def __call__(self, doc: Doc) -> Doc:
        text = doc.text
        n = len(doc)
        if not n:
            doc.spans[SELECT_KEY] = []
            return doc
        arr = doc.to_array([SENT_START, IDX, LIKE_NUM, LOWER])
        numbers = numpy.cumsum((arr[:, 2] != 0) | numpy.isin(arr[:, 3], self._number_words)).tolist()
        starts = [0, *(i for i in numpy.nonzero(arr[:, 0] == 1)[0].tolist() if i), n]
        idx = [*arr[:, 1].tolist(), len(text)]
        tiers: list[tuple[int, int, int]] = []  # (tier, first token, end token) of the sentences that may be kept
        for k in range(len(starts) - 1):
            a, b = starts[k], starts[k + 1]
            if idx[b] - idx[a] > self.max_sentence_chars:
                continue
            if k < self.lead or idx[a] < self.lead_chars:
                tiers.append((0, a, b))
            elif (tier := claim_tier(text[idx[a] : idx[b]], numbers[b - 1] > (numbers[a - 1] if a else 0))) is not None:
                tiers.append((tier, a, b))
        if sum(idx[b] - idx[a] for _, a, b in tiers) > self.max_chars:  # a long article: a bounded parse
            budget, kept = self.max_chars, []
            for t, a, b in sorted(tiers):  # the lead, then counts and claims of responsibility, then the rest
                if t and budget <= 0:
                    break
                kept.append((t, a, b))
                budget -= idx[b] - idx[a]
            tiers = sorted(kept, key=lambda s: s[1])
        doc.spans[SELECT_KEY] = [doc[a:b] for _, a, b in tiers]
        return doc


@Language.factory(
    SELECT_FACTORY,
    requires=["token.is_sent_start"],
    assigns=["doc.spans"],
    default_config={"lead": LEAD_SENTENCES, "lead_chars": LEAD_CHARS, "max_chars": MAX_KEPT_CHARS},
)
def make_claim_sentences(nlp: Language, name: str, lead: int, lead_chars: int, max_chars: int) -> ClaimSentences:
    """Factory of the stage-1 sentence filter."""
    return ClaimSentences(nlp, name, lead, lead_chars, max_chars)


def kept_ranges(doc: Doc) -> list[tuple[int, int]]:
    """Character ranges of the kept sentences with their trailing whitespace, adjacent ones joined."""
    out: list[tuple[int, int]] = []
    for s in doc.spans[SELECT_KEY]:
        a, b = s.start_char, s.end_char + len(doc[s.end - 1].whitespace_)
        if out and out[-1][1] == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def blank(text: str, keep: list[tuple[int, int]]) -> str:
    """``text`` with every character outside the ``keep`` ranges blanked (same length).

    A blanked stretch becomes spaces ending in a line break, so that it is one whitespace token and
    the next kept sentence starts a sentence of its own.
    """
    out: list[str] = []
    pos = 0
    for a, b in sorted(keep):
        a = max(a, pos)
        if a > pos:
            out.append(" " * (a - pos - 1) + "\n")
        if b > a:
            out.append(text[a:b])
            pos = b
    if pos < len(text):
        out.append(" " * (len(text) - pos - 1) + "\n")
    return "".join(out)


def blanked_doc(nlp: Language, doc: Doc, keep: list[tuple[int, int]]) -> Doc:
    """``nlp.make_doc(blank(doc.text, keep))``, built from ``doc``'s own tokens (no second tokenizer run).

    A kept range is made of whole tokens of ``doc``; a blanked stretch is one whitespace token, joined
    to a whitespace token before it as the tokenizer joins a run of whitespace. A range that starts
    or ends inside a run of non-space characters (the tokenizer might split that run otherwise once
    cut) is tokenized, as is a result whose text would differ from the blanked text.
    """
    text = doc.text
    blanked = blank(text, keep)
    words: list[str] = []
    spaces: list[bool] = []

    def add(word: str, space: bool) -> None:
        if words and not spaces[-1] and word.isspace() and words[-1].isspace():
            words[-1] += word
            spaces[-1] = space
        else:
            words.append(word)
            spaces.append(space)

    starts = doc.to_array(IDX).tolist()
    src: list[int] = []  # kept tokens: index in ``doc``, index in the result
    dst: list[int] = []
    pos = 0
    for a, b in sorted(keep):
        if (a > 0 and not text[a - 1].isspace()) or (b < len(text) and not text[b - 1].isspace()):
            return nlp.make_doc(blanked)  # a range that splits a run of non-space: the tokenizer decides
        if a > pos:
            add(" " * (a - pos - 1) + "\n", False)
        for i in range(bisect.bisect_left(starts, max(a, pos)), bisect.bisect_left(starts, b)):
            t = doc[i]
            add(t.text, bool(t.whitespace_))
            if not t.is_space:
                src.append(i)
                dst.append(len(words) - 1)
        pos = max(pos, b)
    if pos < len(text):
        add(" " * (len(text) - pos - 1) + "\n", False)
    out = Doc(nlp.vocab, words=words, spaces=spaces)
    if out.text != blanked:
        return nlp.make_doc(blanked)
    # the norms that the tokenizer's exceptions set ("n't" -> "not"), which the model reads
    want, have = doc.to_array(NORM)[src], out.to_array(NORM)[dst]
    for k in numpy.nonzero(want != have)[0].tolist():
        out[dst[k]].norm_ = nlp.vocab.strings[int(want[k])]
    return out


def mark_gaps(doc: Doc, keep: list[tuple[int, int]]) -> None:
    """Make each blanked stretch of a blanked text's ``doc`` a sentence of its own (before parsing).

    The parser keeps preset sentence starts: the whitespace token of a gap neither joins the kept
    sentence before it (whose quote would run into the blanked text) nor the one after it.
    """
    n = len(doc.text)
    gaps, pos = [], 0
    for a, b in sorted(keep):
        if a > pos:
            gaps.append((pos, a))
        pos = max(pos, b)
    if pos < n:
        gaps.append((pos, n))
    for a, b in gaps:
        span = doc.char_span(a, b, alignment_mode="expand")
        if span is None or not len(span):
            continue
        if span.start > 0:
            doc[span.start].is_sent_start = True
        if span.end < len(doc):
            doc[span.end].is_sent_start = True

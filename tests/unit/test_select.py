"""The two-stage parse: only sentences that may hold a claim are parsed, offsets unchanged."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.attrs import IDX, IS_SPACE, LOWER, NORM, ORTH, PREFIX, SHAPE, SPACY, SUFFIX

from agents.core.extract import parse
from agents.core.facts import claims_from_doc
from agents.core.nlp import get_nlp
from agents.core.select import SELECT_FACTORY, ClaimSentences, blank, blanked_doc
from agents.core.text import article_text
from schemas import ArticleRef

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles.jsonl"
REF = ArticleRef(id="t1", source="Test Wire", published_at=datetime(2020, 6, 10, 12, 0, tzinfo=UTC))
FILLER = "The town is known for its old market and its quiet streets along the river. "


def _key(c: object) -> tuple[object, ...]:
    d = c.model_dump()  # type: ignore[attr-defined]
    return tuple(
        d[k] for k in ("id", "slot", "value", "subject", "attributed_to", "hedge", "quote", "start", "end", "scope")
    )


def test_blank_keeps_offsets() -> None:
    text = "One killed. Nothing here at all.\nTwo hurt."
    out = blank(text, [(0, 12), (33, len(text))])
    assert len(out) == len(text)
    assert out[:12] == text[:12] and out[33:] == text[33:]
    assert out[12:33].strip() == "" and out[32] == "\n"


TOKEN_ATTRS = [ORTH, NORM, SPACY, LOWER, SHAPE, PREFIX, SUFFIX, IS_SPACE, IDX]
"""What the tokenizer sets and the model reads (the norms of its exceptions: "n't" -> "not")."""


def _same_tokens_as_tokenizing_the_blanked_text(text: str) -> None:
    nlp = get_nlp()
    doc = nlp.get_pipe("senter")(nlp.make_doc(text))
    sents = list(doc.sents)
    for keep in (
        [],
        [(s.start_char, s.end_char + len(doc[s.end - 1].whitespace_)) for s in sents[::2]],
        [(s.start_char, s.end_char + len(doc[s.end - 1].whitespace_)) for s in sents[1::2]],
    ):
        want = nlp.make_doc(blank(text, keep))
        got = blanked_doc(nlp, doc, keep)
        assert got.text == want.text
        assert got.to_array(TOKEN_ATTRS).tolist() == want.to_array(TOKEN_ATTRS).tolist()


def test_blanked_doc_has_the_tokens_of_the_blanked_text() -> None:
    """Stage 2's doc is built from stage 1's tokens: the same tokens, norms included, as tokenizing."""
    _same_tokens_as_tokenizing_the_blanked_text(
        "Title here\n\nI don't know, he's gonna say 3 people were killed.\nPolice can't confirm it. "
        'U.S.-backed forces said 12 died. He said: "No."\n\nThe end (AFP).'
    )
    for r in map(json.loads, SEEDS.read_text(encoding="utf-8").splitlines()):
        _same_tokens_as_tokenizing_the_blanked_text(article_text(r.get("title"), r["body"]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Police",
                "said",
                "don't",
                "12",
                "killed.",
                "U.S.",
                '"Yes."',
                "(AFP)",
                "it's",
                "--",
                "e-mail",
                " ",
                "\n",
                "\n\n",
                "gonna",
                "3:30",
                "p.m.",
                "Mr.",
                "Homs.",
            ]
        ),
        min_size=1,
        max_size=40,
    )
)
def test_blanked_doc_has_the_tokens_of_the_blanked_text_on_any_text(words: list[str]) -> None:
    _same_tokens_as_tokenizing_the_blanked_text(" ".join(words))


def test_filter_is_a_disabled_component() -> None:
    nlp = get_nlp()
    assert SELECT_FACTORY in nlp.component_names and SELECT_FACTORY not in nlp.pipe_names


def test_seed_claims_as_with_every_sentence_parsed() -> None:
    """The claims compared across sources (scope ``main``) are those of a full parse.

    (One seed article gets one more ``other``-scope claim, never compared: "Warplanes also carried out
    six raids", parsed without the sentences around it.)
    """
    nlp = get_nlp()
    texts = [
        article_text(r.get("title"), r["body"])
        for r in map(json.loads, SEEDS.read_text(encoding="utf-8").splitlines())
        if r
    ]
    for full, two in zip(nlp.pipe(texts), parse(nlp, texts), strict=True):
        assert two.user_data["cf_text"] == full.text
        assert [_key(c) for c in claims_from_doc(two, REF) if c.scope == "main"] == [
            _key(c) for c in claims_from_doc(full, REF) if c.scope == "main"
        ]


def test_claim_after_the_lead_is_found_with_exact_quote() -> None:
    nlp = get_nlp()
    text = article_text(
        "Market day", FILLER * 60 + "Police said at least 12 people were killed in the blast. " + FILLER * 3
    )
    (doc,) = parse(nlp, [text])
    assert len(doc) < len(nlp.make_doc(text)) / 2, "the filler sentences after the lead are not parsed"
    killed = [c for c in claims_from_doc(doc, REF) if c.slot == "killed"]
    assert [c.value for c in killed] == ["at least 12"]
    assert text[killed[0].start : killed[0].end] == killed[0].quote
    assert killed[0].quote == "Police said at least 12 people were killed in the blast."
    assert killed[0].attributed_to == "Police"


def test_long_article_parse_is_bounded_counts_first() -> None:
    """Past the budget, the lead stays, counts stay before other claim sentences, and the rest goes."""
    nlp = get_nlp()
    weapon = "A man armed with a knife was seen near the bridge later that week. "
    count = "Officials said 7 people were killed and 20 were injured in the attack on the station. "
    body = FILLER * 8 + weapon * 100 + count + weapon * 100
    text = article_text("Attack at the station", body)
    select = nlp.get_pipe(SELECT_FACTORY)
    assert isinstance(select, ClaimSentences)
    assert len(text) > 2 * select.max_chars
    (doc,) = parse(nlp, [text])
    kept = [t for t in doc if not t.is_space]
    parsed_chars = sum(len(t.text_with_ws) for t in kept)
    assert parsed_chars < select.max_chars + len(count) + len(weapon)
    assert doc.user_data["cf_text"][: len(FILLER)].strip() in doc.text  # the lead
    killed = [c for c in claims_from_doc(doc, REF) if c.slot == "killed"]
    assert [c.value for c in killed] == ["7"]  # the count after 100 weapon sentences is parsed
    assert text[killed[0].start : killed[0].end] == killed[0].quote
    weapons = [c for c in claims_from_doc(doc, REF) if c.slot == "weapon"]
    assert weapons and max(c.start for c in weapons) < text.index(count), "late weapon sentences left out"

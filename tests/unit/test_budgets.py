"""Bounded cost per article (issue 25): every text step is linear in its input, the rewritten steps find
exactly what the old regular expressions found, and the budgets blank or refuse what is over them."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.core import aliases, names, select, text, when
from agents.core.budget import Budget, OverBudget, bounded, check, count_tokens
from agents.core.origin import fingerprint
from agents.extract_pool import by_chars
from schemas import Article

# the regular expressions that the linear versions replace (the reference for "same output")
OLD_KNOWN_AS = re.compile(
    r"(?P<a>(?:[A-Z][\w'-]*|al-[A-Z][\w'-]*)(?:\s+(?:[A-Z][\w'-]*|al-[\w'-]+|of|for|the))*),?\s+"
    r"(?:which (?:was|is) )?(?:also |formerly |previously |better |widely )?known as\s+(?:the\s+)?"
    r"(?P<b>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|al-[\w'-]+|of|for|the))*)"
)
OLD_ACRONYM = re.compile(r"(?P<a>[A-Z][\w'-]*(?:\s+(?:[A-Z][\w'-]*|of|for|the|and))+)\s+\((?P<b>[A-Z]{2,8})\)")
OLD_DROP_BLOCK = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.S | re.I)

NAME_PARTS = [
    "Foo",
    "Bar",
    "ISIS",
    "the",
    "of",
    "for",
    "and",
    "al-Nusra",
    "al-x",
    "known as",
    "known",
    ",",
    "(",
    ")",
    "(FB)",
    "(ABC)",
    "which was",
    "which is",
    "also",
    "formerly",
    "better",
    "theBig",
    "often",
    "theory",
    "Xal-Q",
    "-",
    "'",
    "\n",
    "\u00a0",
    "\t",
    "(F)",
    "is",
    "andX",
    "É",
    "3",
]
HTML_PARTS = [
    "<script>",
    "</script>",
    "<SCRIPT a=1>",
    "</Script >",
    "<style>",
    "</style>",
    "<noscript>",
    "</noscript>",
    "<template>",
    "</template\n>",
    "<p>",
    "</p>",
    "<div",
    ">",
    "<",
    "x",
    " ",
    "<br/>",
    "&amp;",
    "<scripts>",
    "</scriptx>",
    "<b>",
    "</script",
    "\n",
    "<scriptx",
    "é",
]
SEP = st.sampled_from(["", " ", " ", ", ", "\n", "  "])


def joined(parts: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(parts), SEP), max_size=16).map(lambda xs: "".join(a + b for a, b in xs))


@settings(max_examples=400, deadline=None)
@given(joined(NAME_PARTS))
def test_alias_learner_finds_what_the_old_regexes_found(t: str) -> None:
    assert aliases._known_as(t) == [(m.group("a"), m.group("b")) for m in OLD_KNOWN_AS.finditer(t)]
    assert aliases._acronyms(t) == [(m.group("a"), m.group("b")) for m in OLD_ACRONYM.finditer(t)]


@settings(max_examples=400, deadline=None)
@given(joined(HTML_PARTS))
def test_html_reduction_is_what_the_old_regexes_made(t: str) -> None:
    old = text._TAG.sub("", text._BLOCK_TAG.sub("\n", OLD_DROP_BLOCK.sub(" ", t)))
    assert text.html_to_text(t) == html.unescape(old)


REF = datetime(2020, 1, 1, tzinfo=UTC)
ADVERSARIAL: dict[str, Callable[[int], str]] = {
    "one capitalised word": lambda n: "X" + "y" * (n - 1),
    "one word of capitals": lambda n: "X" * n,
    "capitalised words": lambda n: "Abc " * (n // 4),
    "capitals": lambda n: "ABC " * (n // 4),
    "known as": lambda n: "Abc, known as " * (n // 14),
    "acronyms": lambda n: "Abc Def (AD) " * (n // 13),
    "digits": lambda n: "7" * n,
    "digits and punctuation": lambda n: "1,2." * (n // 4),
    "line breaks": lambda n: "a\n" * (n // 2),
    "months": lambda n: "12 March " * (n // 9),
    "unclosed tags": lambda n: "<p>" + "<div" * (n // 4),
    "angle brackets": lambda n: "<p>" + "<" * n,
    "unclosed scripts": lambda n: "<p>" + "<script>" * (n // 8),
    "nested tags": lambda n: "<p>" + "<div>" * (n // 5),
}
STEPS: dict[str, Callable[[str], object]] = {
    "article_text": lambda s: text.article_text("Title", s),
    "aliases.learn": aliases.learn,
    "names.show": lambda s: names.show(["zzz"], s),
    "claim_tier": lambda s: select.claim_tier(s, True),
    "fingerprint": fingerprint,
    "mentioned_dates": lambda s: when.mentioned_dates(s, REF, True),
    "bounded": lambda s: bounded(s, Budget()),
    "count_tokens": count_tokens,
}


def _best(step: Callable[[str], object], s: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        step(s)
        best = min(best, time.perf_counter() - t0)
    return best


@pytest.mark.parametrize("kind", sorted(ADVERSARIAL))
def test_text_steps_are_linear(kind: str) -> None:
    """Four times the input costs far less than sixteen times the time (a quadratic step: 16x; before
    issue 25, the alias learner took 3 s on 8,000 capitals and the HTML reduction 0.2 s on 16,000
    characters of unclosed scripts). Best of 3 (then of 7), with a floor, to stay robust on a loaded machine."""
    small, large = ADVERSARIAL[kind](12_000), ADVERSARIAL[kind](48_000)
    slow = []
    for name, step in STEPS.items():
        for runs in (3, 7):  # a flagged step is measured again, longer (another process may have had the CPU)
            a, b = _best(step, small, runs), _best(step, large, runs)
            if not (b > 0.05 and b / max(a, 0.002) > 9):
                break
        else:
            slow.append(f"{name}: {a:.4f}s -> {b:.4f}s")
    assert not slow, f"superlinear on {kind}: {slow}"


def test_bounded_blanks_long_words_and_the_tail_keeping_offsets() -> None:
    b = Budget(max_word_chars=10, max_parse_chars=1_000)
    normal = "Police said 3 people were killed.\n\nThe U.S. Geological Survey said so."
    assert bounded(normal, b) is normal or bounded(normal, b) == normal
    t = "a " + "x" * 11 + " b " + "y" * 10 + " c"
    out = bounded(t, b)
    assert len(out) == len(t) and out == "a " + " " * 11 + " b " + "y" * 10 + " c"
    long_ = "word " * 400
    cut = bounded(long_, b)
    assert len(cut) == len(long_) and cut[:1_000] == long_[:1_000] and not cut[1_000:].strip()


def test_hard_budget_counts_tokens_and_gives_the_reason() -> None:
    b = Budget(max_tokens=100)
    check(Article(id="a", source="S", body="Police said 3 people were killed. " * 10), b)  # 70 tokens
    with pytest.raises(OverBudget, match=r"over budget: 101 tokens \(limit 100\)"):
        check(Article(id="b", source="S", body="a " * 100 + "."), b)
    # markup does not count
    check(Article(id="c", source="S", body="<p>" + '<span class="x">a</span> ' * 60 + "</p>"), b)


def test_batches_are_cut_by_characters() -> None:
    items = [(Article(id=str(i), source="S", body="x" * n), REF) for i, n in enumerate([40, 40, 30, 200, 10])]
    parts = by_chars(items, 100)
    assert [[a.id for a, _ in p] for p in parts] == [["0", "1"], ["2"], ["3"], ["4"]]

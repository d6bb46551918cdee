"""Syndicated copy: dev articles re-published under three other outlets' names, edited as outlets edit a wire
story (new headline, first line rewritten, last paragraphs cut, a figure updated an hour later). The copies
share the original's origin, count once on every side, and the update is evolution, not conflict."""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from streams.offline import run

ORIGINALS = ["ecbplus-8_9ecbplus", "ecbplus-37_1ecbplus", "g5w1h-d65eae9cae0dc897"]
"""Two uncredited stories (their copies are found by text alone) and an AP story credited in its text."""
OUTLETS = ["Harbour Gazette", "Valley Courier", "Northern Echo Online"]
HEADLINES = ["What we know so far", "Several dead, officials say", "LIVE: the latest on the incident"]
LEAD = "Here is the latest on a story that is still developing."
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]


def _sentences(body: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", body) if s]


def _updated(quote: str, value: int) -> str:
    """The quote with its figure ``value`` raised by two, in the form the quote writes it."""
    digits = re.sub(rf"\b{value}\b", str(value + 2), quote, count=1)
    if digits != quote:
        return digits
    if value + 2 >= len(WORDS):
        return quote
    word = WORDS[value]
    return re.sub(rf"\b{word}\b", WORDS[value + 2], quote, count=1, flags=re.I)


def _copies(article: dict[str, Any], quote: str, value: int) -> list[dict[str, Any]]:
    body = article["body"]
    sentences = _sentences(body)
    keep = max(len(sentences) * 2 // 3, next((i + 1 for i, s in enumerate(sentences) if quote in s), 0))
    cut = " ".join(sentences[:keep])
    first = sentences[0]
    rewritten = LEAD + " " + cut[len(first) :].lstrip() if quote not in first else LEAD + " " + cut
    published = datetime.fromisoformat(article["published_at"].replace("Z", "+00:00"))
    out = []
    for k, outlet in enumerate(OUTLETS):
        text = rewritten if k < 2 else rewritten.replace(quote, _updated(quote, value))
        out.append(
            {
                "id": f"{article['id']}-copy{k}",
                "source": outlet,
                "title": HEADLINES[k],
                "url": f"https://news.example.org/{k}/{article['id']}",
                "published_at": (published + timedelta(hours=1 if k == 2 else 0)).isoformat(),
                "body": text,
            }
        )
    assert out[2]["body"] != out[0]["body"], "the figure must be updated in the third copy"
    return out


@pytest.fixture(scope="module")
def syndicated(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], dict[str, str]]:
    dev = {a["id"]: a for a in map(json.loads, (shared / "eval" / "dev" / "articles.jsonl").open())}
    originals = [dev[i] for i in ORIGINALS]
    folder = tmp_path_factory.mktemp("syndicated")
    alone = folder / "originals.jsonl"
    alone.write_text("".join(json.dumps(a) + "\n" for a in originals))
    first: list[dict[str, Any]] = asyncio.run(run([alone]))["events"]  # type: ignore[assignment]
    figure: dict[str, dict[str, Any]] = {}
    for e in first:
        for c in sorted(e["claims"], key=lambda c: c["slot"] not in ("killed", "injured")):
            body = dev[c["article_id"]]["body"]
            if (
                c["typed"].get("kind") == "count"
                and c["scope"] != "other"
                and c["subject"] is None
                and c["value"].isdigit()
                and c["quote"] in body
                and _updated(c["quote"], int(c["value"])) != c["quote"]
            ):
                figure.setdefault(c["article_id"], c)
    rows: list[dict[str, Any]] = []
    for a in originals:
        rows.append(a)
        rows += _copies(a, figure[a["id"]]["quote"], int(figure[a["id"]]["value"]))
    path = folder / "syndicated.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    events: list[dict[str, Any]] = asyncio.run(run([path]))["events"]  # type: ignore[assignment]
    return events, {a: c["slot"] for a, c in figure.items()}


def test_copies_share_the_original_origin(syndicated: tuple[list[dict[str, Any]], dict[str, str]]) -> None:
    events, _ = syndicated
    refs = {r["id"]: r for e in events for r in e["articles"]}
    for original in ORIGINALS:
        origin = refs[original]["origin"]
        for k in range(len(OUTLETS)):
            copy = refs[f"{original}-copy{k}"]
            assert copy["origin"] == origin, (copy["id"], copy["origin"], origin)
            assert copy["copy_of"] is not None
    assert refs["g5w1h-d65eae9cae0dc897"]["origin"] == "AP"


def test_no_side_counts_copies_twice(syndicated: tuple[list[dict[str, Any]], dict[str, str]]) -> None:
    events, _ = syndicated
    for e in events:
        origins = {r["origin"] for r in e["articles"]}
        for best in e["best"]:
            assert best["origins"] <= len(origins)
        for c in e["contradictions"]:
            for side in c["sides"]:
                assert side["origins"] == 1, (c["slot"], side)


def test_updated_figure_is_evolving_and_names_the_origin(
    syndicated: tuple[list[dict[str, Any]], dict[str, str]],
) -> None:
    events, slots = syndicated
    for original, slot in slots.items():
        event = next(e for e in events if any(r["id"] == original for r in e["articles"]))
        origin = next(r["origin"] for r in event["articles"] if r["id"] == original)
        updated = [c for c in event["contradictions"] if c["slot"] == slot]
        assert len(updated) == 1, (original, slot, updated)
        assert updated[0]["kind"] == "evolving" and updated[0]["origin"] == origin, updated[0]

"""The pure core over the seed articles, in-process (in-memory store, real spaCy model)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from streams.offline import run
from tests.conftest import SEEDS, gold_death_toll, score_seeds


@pytest.fixture(scope="module")
def seed_events() -> list[dict[str, Any]]:
    out = asyncio.run(run([SEEDS]))
    events: list[dict[str, Any]] = out["events"]  # type: ignore[assignment]
    return events


def test_seeds_form_the_two_gold_events(seed_events: list[dict[str, Any]], score: ModuleType, shared: Path) -> None:
    figures = score_seeds(score, shared, seed_events)
    assert figures["bcubed_f1"] == 1.0
    assert figures["articles_missing"] == 0


def test_seeds_flag_the_death_toll_contradiction_with_evidence(
    seed_events: list[dict[str, Any]], score: ModuleType, shared: Path
) -> None:
    gold = gold_death_toll(shared)
    arts, _, _ = score.seeds_gold(str(shared / "gold" / "seeds.gold.json"))
    values = [
        {"article_id": v["article"], "value": f"side{i}", "quote": v["quote"]}
        for i, side in enumerate(gold["sides"])
        for v in side
    ]
    figures = score.score(seed_events, arts, [{"event": gold["event"], "values": values}])
    assert figures["gold_found"] == 1, "32 (governor) vs 42 (SOHR) must be flagged with both quotes"


def test_seeds_break_no_must_not(seed_events: list[dict[str, Any]], score: ModuleType, shared: Path) -> None:
    figures = score_seeds(score, shared, seed_events)
    assert figures["must_not_violations"] == 0, figures["violations"]


def test_every_quote_is_in_its_article_text(seed_events: list[dict[str, Any]]) -> None:
    for ev in seed_events:
        for c in ev["claims"]:
            assert c["quote"] and c["end"] > c["start"]


def test_replay_is_identical(seed_events: list[dict[str, Any]]) -> None:
    again = asyncio.run(run([SEEDS]))["events"]
    assert again == seed_events

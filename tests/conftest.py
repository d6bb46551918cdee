"""Fixtures shared by every tier."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = ROOT / "seeds" / "articles.jsonl"


@pytest.fixture(scope="session")
def shared() -> Path:
    """The workplace's shared folder (gold sets, scorer), beside the repository."""
    if not (SHARED / "tools" / "score.py").exists():
        pytest.skip(f"no shared folder at {SHARED} (gold sets and score.py live there)")
    return SHARED


@pytest.fixture(scope="session")
def score(shared: Path) -> ModuleType:
    """The workplace's scorer, ``shared/tools/score.py``, as a module."""
    spec = importlib.util.spec_from_file_location("score", shared / "tools" / "score.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def score_seeds(score: ModuleType, shared: Path, events: list[dict[str, Any]]) -> dict[str, Any]:
    """score.py's figures for event states against the seeds' gold."""
    arts, contras, must_not = score.seeds_gold(str(shared / "gold" / "seeds.gold.json"))
    result: dict[str, Any] = score.score(events, arts, contras, must_not)
    return result


def gold_death_toll(shared: Path) -> dict[str, Any]:
    """The seeds' gold death-toll contradiction (32 vs 42)."""
    gold = json.loads((shared / "gold" / "seeds.gold.json").read_text())
    return next(c for c in gold["contradictions"] if c["slot"].startswith("people killed"))


# the servers (one Redis, one broker per brand) are shared by every tier of the session
from tests.servers import broker, kafka_broker, redis_server, tansu_broker  # noqa: E402, F401

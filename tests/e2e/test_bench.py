"""Smoke test of the benchmark (``python -m bench``) on a tiny corpus: it runs and writes its figures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import corpus

ROOT = Path(__file__).resolve().parents[2]
KEYS = (
    "ceiling_aps",
    "e2e_aps_1w",
    "e2e_aps_2w",
    "ratio_1w",
    "ratio_2w",
    "extract_ceiling_aps",
    "ratio_extract_1w",
    "scaling_2w",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "nlp_one_article_ms",
    "loadavg_start",
    "loadavg_end",
)


def test_corpus_copies_have_new_ids_and_sources() -> None:
    base = [{"id": "a", "source": "S", "body": "x", "url": "http://u/1"}, {"id": "b", "source": "T", "body": "y"}]
    arts = corpus.build(5, "r", base)
    assert [a["id"] for a in arts] == ["bench-r-0-a", "bench-r-0-b", "bench-r-1-a", "bench-r-1-b", "bench-r-2-a"]
    assert [a["source"] for a in arts] == ["S", "T", "S #1", "T #1", "S #2"]
    assert arts[2]["url"] == "http://u/1?copy=1" and "event" not in arts[0]


@pytest.mark.e2e
@pytest.mark.skipif(not corpus.DEV_ARTICLES.is_file(), reason="the dev set (../shared) is not there")
def test_bench_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--articles",
            "6",
            "--latency-articles",
            "3",
            "--skip-plain",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text())
    for key in KEYS:
        assert key in figures, key
    assert figures["e2e_aps_1w"] > 0 and figures["p99_ms"] >= figures["p50_ms"] > 0
    assert "e2e / ceiling" in proc.stdout


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--dev", str(tmp_path / "nope.jsonl")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "benchmark corpus file not found" in proc.stderr

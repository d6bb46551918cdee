"""The CLI as a user runs it: help, one-shot run scored by score.py, publish and query, compose file."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from streams.runner import Stack
from streams.settings import Settings
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.e2e
CLI = [sys.executable, "-m", "streams.cli"]
COMMANDS = ["publish", "worker", "events", "event", "alerts", "run", "demo", "rebuild"]


def cli(*args: str, env: dict[str, str] | None = None, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_every_command_has_help(command: str) -> None:
    out = cli(*([command] if command else []), "--help")
    assert out.returncode == 0, out.stderr
    assert "Usage" in out.stdout


def test_query_without_redis_is_a_clear_error() -> None:
    env = {k: v for k, v in Settings().as_env().items() if k not in ("REDIS_URL", "CONTRAFLOW_REDIS_URL")}
    out = cli("events", env=env)
    assert out.returncode == 2 and "REDIS_URL is not set" in out.stderr


def isolated_env(servers: Settings) -> dict[str, str]:
    """The user's own servers when KAFKA_BOOTSTRAP/REDIS_URL are set, with names of this test's own."""
    tag = uuid.uuid4().hex[:8]
    base = Settings()
    settings = base.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})
    return settings.as_env()


def test_run_seeds_json_scores_on_the_seed_gold(tmp_path: Path, shared: Path) -> None:
    """`contraflow run seeds/ --json`: stdout is only JSON, and score.py finds what issue 2 asks for."""
    out = cli("run", str(SEEDS.parent), "--json", env=isolated_env(Settings()))
    assert out.returncode == 0, out.stderr[-3000:]
    data = json.loads(out.stdout)
    assert {"events"} == set(data)
    path = tmp_path / "out.json"
    path.write_text(out.stdout)
    scored = subprocess.run(
        [
            sys.executable,
            str(shared / "tools" / "score.py"),
            str(path),
            "--seeds",
            str(shared / "gold" / "seeds.gold.json"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(scored.stdout.splitlines()[0])
    assert figures["bcubed_f1"] == 1.0
    assert figures["gold_found"] >= 1
    assert figures["must_not_violations"] == 0, figures["violations"]


def test_publish_then_query_events_event_and_alerts(servers: Settings) -> None:
    tag = uuid.uuid4().hex[:8]
    settings = servers.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})
    env = settings.as_env()
    with Stack(settings, workers=1):
        pub = cli("publish", str(SEEDS), env=env)
        assert pub.returncode == 0, pub.stderr
        assert "published 5 article(s)" in pub.stderr
        import asyncio

        from streams.files import read_articles
        from streams.runner import expected_ids, wait_processed

        ids, _ = expected_ids(list(read_articles([SEEDS])))
        asyncio.run(wait_processed(settings, ids, 5, {}, 300))
    listing = json.loads(cli("events", "--json", env=env).stdout)
    assert sorted(len(e["article_ids"]) for e in listing) == [1, 4]
    assert set(listing[0]) == {"id", "title", "updated_at", "article_ids", "sources", "contradiction_count"}
    homs = next(e for e in listing if len(e["article_ids"]) == 4)
    one = json.loads(cli("event", homs["id"], "--json", env=env).stdout)
    assert {"id", "title", "updated_at", "articles", "claims", "contradictions"} <= set(one)
    assert one["contradictions"], "the four Homs reports disagree"
    table = cli("event", homs["id"], env=env).stdout
    assert "killed" in table
    # captured, stdout is a pipe as in `> out.txt` or a CI log: plain lines, each quote whole on its line
    rows = table.splitlines()
    sided = {i for x in one["contradictions"] for side in x["sides"] for i in side["claim_ids"]}
    quotes = [" ".join(c["quote"].split()) for c in one["claims"] if c["id"] in sided]
    assert quotes and all(any(f"“{q}”" in row for row in rows) for q in quotes), table
    assert not any(ch in table for ch in "│┃━"), "no table cut to 80 columns"
    assert "2017-02-25 00:00" not in table and ", 2017-02-25: “" in table, "the seeds' dates have no time"
    alerts = cli("alerts", "--json", env=env)
    assert alerts.returncode == 0
    lines = [json.loads(line) for line in alerts.stdout.splitlines()]
    assert any(a["event_id"] == homs["id"] for a in lines)
    assert {a["event_id"] for a in lines} <= {e["id"] for e in listing}
    missing = cli("event", "no-such-event", env=env)
    assert missing.returncode == 1 and "no event" in missing.stderr


def test_publish_a_text_without_a_source_names_it_by_its_file_and_says_so(servers: Settings, tmp_path: Path) -> None:
    """`contraflow publish story.txt` without --source: never `unknown` as if an outlet; the article carries
    `unknown (story.txt)` (no independent origin: tests/unit/test_unknown_source.py) and stderr says how to
    name it; with --source the name given is used and nothing is said."""
    from streams.kafka_io import read_topic

    tag = uuid.uuid4().hex[:8]
    settings = servers.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})
    story = tmp_path / "story.txt"
    story.write_text("Floods in Marlby leave families on rooftops\n\nAt least 14 people died, officials said.\n")
    out = cli("publish", str(story), env=settings.as_env())
    said = " ".join(out.stderr.split())
    assert out.returncode == 0, out.stderr
    assert "1 article(s) name no outlet: unknown (story.txt)" in said and "--source NAME" in said, said
    assert any("no outlet" in line and "--source NAME" in line for line in out.stderr.splitlines()), "one line"
    named = cli("publish", str(story), "--source", "Marlby Post", env=settings.as_env())
    assert named.returncode == 0 and "no outlet" not in named.stderr
    sources = [json.loads(raw)["source"] for raw in read_topic(settings, settings.topics.articles)]
    assert sources == ["unknown (story.txt)", "Marlby Post"]


def test_an_empty_store_says_there_is_nothing_yet_and_where_it_comes_from(servers: Settings) -> None:
    """`events` and `alerts` with nothing to show exit 0 and say so on stderr, naming where events and alerts
    come from; with --json stdout stays valid JSON (`[]`; no alert lines)."""
    tag = uuid.uuid4().hex[:8]
    settings = servers.model_copy(update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:"})
    env = settings.as_env()
    events = cli("events", env=env)
    assert events.returncode == 0 and events.stdout == ""
    said = " ".join(events.stderr.split())  # stderr is wrapped at 80 columns when not a terminal
    assert "no events yet" in said and "contraflow publish" in said, said
    as_json = cli("events", "--json", env=env)
    assert as_json.returncode == 0 and json.loads(as_json.stdout) == []
    assert "no events yet" in " ".join(as_json.stderr.split())
    filtered = cli("events", "--severity", "high", env=env)
    assert "no events match these filters" in " ".join(filtered.stderr.split())
    alerts = cli("alerts", env=env)
    assert alerts.returncode == 0 and alerts.stdout == ""
    assert f"no alerts yet on topic {tag}.alerts" in " ".join(alerts.stderr.split()), alerts.stderr
    alerts_json = cli("alerts", "--json", env=env)
    assert alerts_json.returncode == 0 and alerts_json.stdout == ""
    assert "no alerts yet" in " ".join(alerts_json.stderr.split())


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed")
def test_compose_file_is_valid() -> None:
    """Valid with the secrets .env.example asks for, and refused without them (never an open default)."""
    cmd = ["docker-compose", "-f", str(ROOT / "docker-compose.yml"), "--project-directory", str(ROOT), "config", "-q"]
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_PASSWORD", "CONTRAFLOW_API_TOKEN")}
    secrets = {"REDIS_PASSWORD": "r" * 32, "CONTRAFLOW_API_TOKEN": "w" * 32}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env | secrets)
    assert out.returncode == 0, out.stderr
    if not (ROOT / ".env").exists():  # a developer's own .env would supply them
        bare = subprocess.run(cmd, capture_output=True, text=True, env=env)
        assert bare.returncode != 0 and "REDIS_PASSWORD" in bare.stderr + bare.stdout, bare.stderr

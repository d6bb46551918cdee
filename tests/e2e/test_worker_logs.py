"""An idle worker's log: at the default level it says what changed, not what polled."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from pathlib import Path

import pytest

from agents.flow.log_guard import LOG_CHECK_SECONDS
from streams.files import read_articles
from streams.kafka_io import publish
from streams.runner import Stack, expected_ids, wait_processed
from streams.settings import Settings
from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e
POLLED = re.compile(r"bootstrap|transport|connection|IO loop|metadata", re.I)
"""kafka-python's lines for a client that connects, fetches metadata and closes."""


def test_an_idle_worker_logs_no_broker_connects_and_closes(servers: Settings, tmp_path: Path) -> None:
    """After processing (so the log guard checks the broker every few seconds), idle for three checks: no
    bootstrap / connect / close lines at the default level (info); the worker's own lines are still there."""
    tag = uuid.uuid4().hex[:8]
    settings = servers.model_copy(
        update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:", "log_level": "info"}
    )
    records = list(read_articles([SEEDS]))[:2]
    ids, _ = expected_ids(records)
    with Stack(settings, workers=1, workdir=tmp_path):
        publish(settings, records)
        asyncio.run(wait_processed(settings, ids, len(records), {}, 300))
        log = tmp_path / "worker-0.log"
        before = len(log.read_text(encoding="utf-8", errors="replace").splitlines())
        time.sleep(3 * LOG_CHECK_SECONDS + 1)
        lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    idle = lines[before:]
    assert not [line for line in idle if POLLED.search(line)], "\n".join(idle[:20])
    assert not [line for line in lines if "[INFO]" in line and "bootstrap" in line.lower()], "none at start either"
    assert any("[INFO]" in line for line in lines), "the worker still logs at info"

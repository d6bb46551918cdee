"""What a new user does after `contraflow up`: the other commands find its servers, nothing exported."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from streams.embedded import free_port
from tests.conftest import ROOT, SEEDS
from tests.http_helpers import wait_for

pytestmark = pytest.mark.e2e


def test_commands_after_up_find_its_servers(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex[:8]
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("KAFKA_BOOTSTRAP", "REDIS_URL", "CONTRAFLOW_KAFKA_BOOTSTRAP", "CONTRAFLOW_REDIS_URL")
    }
    env.update(CONTRAFLOW_STATE_FILE=str(tmp_path / "up.json"), CONTRAFLOW_APP_ID=f"cf-{tag}")

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "streams.cli", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=300
        )

    before = cli("events")
    assert before.returncode == 2 and "`contraflow up` starts the servers" in before.stderr
    errf = open(tmp_path / "up.err", "w+")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "up", "--port", str(free_port())],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=errf,
        stdin=subprocess.DEVNULL,
    )
    try:

        def up() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"up exited: {(tmp_path / 'up.err').read_text()[-3000:]}")
            return (tmp_path / "up.json").exists()

        wait_for(up, timeout=120, every=0.3, what="the state file of up")
        assert (tmp_path / "up.json").stat().st_mode & 0o077 == 0, "the file with the password is private"
        exports = cli("env")
        assert exports.returncode == 0 and exports.stdout.startswith("export KAFKA_BOOTSTRAP=")
        pub = cli("publish", str(SEEDS))
        assert pub.returncode == 0, pub.stderr

        def merged() -> list[dict[str, object]] | None:
            out = cli("events", "--json")
            assert out.returncode == 0, out.stderr
            rows = json.loads(out.stdout)
            return rows if sum(len(r["article_ids"]) for r in rows) == 5 else None

        rows = wait_for(merged, timeout=300, every=1.0, what="the seeds merged")
        homs = next(r for r in rows if len(r["article_ids"]) == 4)
        one = cli("event", str(homs["id"]), "--json")
        assert one.returncode == 0 and json.loads(one.stdout)["contradictions"]
        alerts = wait_for(
            lambda: (a := cli("alerts", "--json")).stdout.strip() and a, timeout=60, every=1.0, what="alerts"
        )
        assert alerts.returncode == 0 and alerts.stdout.strip()
        rebuilt = cli("rebuild", "--clear")
        assert rebuilt.returncode == 0 and "rebuilt the state from 5 record(s)" in rebuilt.stderr, rebuilt.stderr
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
        errf.close()
    assert not (tmp_path / "up.json").exists(), "up forgets its servers when it stops"
    assert cli("events").returncode == 2

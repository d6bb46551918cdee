"""Stopping the HTTP server with an SSE client connected: prompt, and without a cancelled stream's traceback."""

from __future__ import annotations

import logging
import signal
import threading
import time

import pytest

from streams.api.app import create_api
from streams.api.serving import Server
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store.memory import MemoryStore
from tests.http_helpers import SSEReader, free_port

GRACE = 10.0


def test_stop_ends_open_streams_at_once(caplog: pytest.LogCaptureFixture) -> None:
    port = free_port()
    app = create_api(Settings(alert_poll=0.01), MemoryStore(), ListSink(), dispatch=False)
    server = Server(app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=GRACE)
    thread = threading.Thread(target=server.run, daemon=True)
    with caplog.at_level(logging.ERROR):
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        readers = [SSEReader(f"http://127.0.0.1:{port}/alerts/stream").start() for _ in range(2)]
        for r in readers:
            assert r.opened.wait(10)
        t0 = time.monotonic()
        server.handle_exit(signal.SIGTERM, None)  # what uvicorn calls on SIGTERM
        thread.join(GRACE + 5)
        took = time.monotonic() - t0
    assert not thread.is_alive() and took < GRACE / 2, f"the server took {took:.1f}s to stop"
    for r in readers:
        r.thread.join(5)
        assert not r.thread.is_alive(), "the client's stream ended"
    assert not [rec for rec in caplog.records if rec.levelno >= logging.ERROR], caplog.text

"""Test helpers: the API on a real port (uvicorn in a thread), a webhook receiver, a static file server."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import httpx
import uvicorn

from streams.embedded import free_port


class ApiServer(AbstractContextManager["ApiServer"]):
    """Serve an ASGI app on 127.0.0.1 from a background thread."""

    def __init__(self, app: Any, port: int | None = None) -> None:
        self.port = port or free_port()
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=2)
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ApiServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the API did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(15)


class LocalServer:
    """An HTTP server on a free port of 127.0.0.1, serving in a thread while the context lasts."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Receiver(LocalServer):
    """A webhook receiver on 127.0.0.1 that records every POST; ``statuses`` answers them in turn."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[tuple[float, dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        self.on_request: Callable[[dict[str, str], bytes], None] | None = None
        lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with lock:
                    status = outer.statuses.pop(0) if outer.statuses else 200
                    outer.requests.append((time.monotonic(), dict(self.headers), body))
                if outer.on_request:
                    outer.on_request(dict(self.headers), body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.base_url + "/hook"

    def alerts(self) -> list[dict[str, Any]]:
        return [json.loads(b) for _, _, b in self.requests]


class FileServer(LocalServer):
    """Serve a folder over HTTP on 127.0.0.1 (feeds and pages)."""

    def __init__(self, root: Path) -> None:
        root_str = str(root)

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, directory=root_str, **kwargs)

            def log_message(self, *args: Any) -> None:
                return None

        super().__init__(Handler)

    @property
    def url(self) -> str:
        return self.base_url


def wait_for(check: Callable[[], Any], timeout: float = 30.0, every: float = 0.05, what: str = "condition") -> Any:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met after {timeout}s")
        time.sleep(every)


class SSEReader:
    """Reads ``alert`` events of an SSE response in a thread: (id, alert dict, monotonic time received)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.url, self.headers = url, headers or {}
        self.events: list[tuple[str, dict[str, Any], float]] = []
        self.opened = threading.Event()
        self._stop = False
        self._cur = ""
        self._resp: httpx.Response | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            with (
                httpx.Client(timeout=httpx.Timeout(5.0, read=None)) as client,
                client.stream("GET", self.url, headers=self.headers) as r,
            ):
                r.raise_for_status()
                self._resp = r
                self.opened.set()
                for line in r.iter_lines():
                    if self._stop:
                        return
                    if line.startswith("id: "):
                        self._cur = line[4:]
                    elif line.startswith("data: "):
                        self.events.append((self._cur, json.loads(line[6:]), time.monotonic()))
        except Exception:
            if not self._stop:
                raise

    def start(self) -> SSEReader:
        self.thread.start()
        if not self.opened.wait(15):
            raise TimeoutError("SSE stream did not open")
        return self

    def stop(self) -> None:
        self._stop = True
        if self._resp is not None:
            with contextlib.suppress(Exception):
                self._resp.close()
        self.thread.join(0.2)  # a blocked read ends with the next keep-alive; the thread is a daemon

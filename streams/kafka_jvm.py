"""Apache Kafka on the JVM: a single KRaft node on free loopback ports, its log in a real directory.

What the Kafka tier of the tests, the benchmark's ``--broker kafka`` and CI start (the product itself
talks to any Kafka-protocol broker and embeds Tansu, :mod:`streams.embedded`). The broker's jars come
from Maven Central through ``streams/kafka_jvm.pom.xml`` (``mvn dependency:copy-dependencies``), once,
into ``~/.cache/contraflow/kafka/<version>`` (or ``$CONTRAFLOW_KAFKA_CACHE``). A restart keeps the
log, as a production broker's restart does.

    with KafkaBroker() as kafka:
        kafka.bootstrap            # "127.0.0.1:PORT"
        kafka.restart(down_seconds=3, kill=True)
"""

from __future__ import annotations

import base64
import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from types import TracebackType

from streams.embedded import free_port, spawn, stop, wait_port

POM = Path(__file__).resolve().parent / "kafka_jvm.pom.xml"
HEAP = "512m"
LOG4J = """\
status = warn
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = warn
rootLogger.appenderRef.out.ref = out
"""


def kafka_version() -> str:
    """The Kafka release the pom names."""
    found = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", POM.read_text())
    if not found:
        raise ValueError(f"no <kafka.version> in {POM}")
    return found.group(1)


def cache_dir() -> Path:
    """Where the jars of this Kafka release are kept between runs."""
    root = Path(os.environ.get("CONTRAFLOW_KAFKA_CACHE", "~/.cache/contraflow/kafka")).expanduser()
    return root / kafka_version()


def missing() -> str | None:
    """Why Apache Kafka cannot run here (no Java; no Maven and no cached jars), or None."""
    if not shutil.which("java"):
        return "no java on PATH (Apache Kafka needs Java 17+)"
    if not (cache_dir() / "jars").is_dir() and not shutil.which("mvn"):
        return "no mvn on PATH to fetch Apache Kafka's jars, and none cached"
    return None


def jars(timeout: float = 900.0) -> Path:
    """The folder of the broker's jars, fetched with Maven the first time (one process at a time)."""
    target = cache_dir()
    done = target / "jars"
    if done.is_dir():
        return done
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a parallel session fetching the same jars: wait for it
        if done.is_dir():
            return done
        part = Path(tempfile.mkdtemp(prefix="jars-", dir=target))
        cmd = [
            "mvn",
            "-q",
            "-B",
            "-f",
            str(POM),
            "dependency:copy-dependencies",
            "-DincludeScope=runtime",
            f"-DoutputDirectory={part}",
        ]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=target)
        if res.returncode != 0 or not any(part.glob("kafka_2.13-*.jar")):
            shutil.rmtree(part, ignore_errors=True)
            raise RuntimeError(
                f"mvn could not fetch Apache Kafka {kafka_version()}:\n{res.stdout[-3000:]}{res.stderr[-3000:]}"
            )
        part.rename(done)  # whole or not at all
    return done


def cluster_id() -> str:
    """A new KRaft cluster id (16 random bytes, URL-safe base64, as ``kafka-storage random-uuid``).

    Never one starting with "-" (Kafka's own ``Uuid.randomUuid`` draws again too): ``kafka-storage format
    -t -x...`` would read it as an option and fail, one format in 64.
    """
    while True:
        out = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not out.startswith("-"):
            return out


class KafkaBroker(AbstractContextManager["KafkaBroker"]):
    """One Apache Kafka node (broker and controller) for as long as the context lasts."""

    def __init__(self, workdir: Path | None = None, partitions: int = 4, heap: str = HEAP) -> None:
        self._tmp = None if workdir else tempfile.TemporaryDirectory(prefix="contraflow-kafka-")
        self.workdir = workdir or Path(self._tmp.name)  # type: ignore[union-attr]
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.partitions, self.heap = partitions, heap
        self.port, self.controller_port = 0, 0
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """``host:port`` of the broker."""
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        """The broker's own log (warnings and errors)."""
        return self.workdir / "broker.log"

    def _configure(self) -> Path:
        data = self.workdir / "data"
        props = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name": "PLAINTEXT",
            "log.dirs": str(data),
            "num.partitions": str(self.partitions),
            # one node: every internal topic on it, few partitions (each is a directory and a file handle)
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "4",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "transaction.state.log.num.partitions": "4",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "message.max.bytes": "4194304",  # as docker-compose.yml
            "log.retention.hours": "-1",
            "num.network.threads": "2",
            "num.io.threads": "2",
            "background.threads": "2",
        }
        path = self.workdir / "server.properties"
        path.write_text("".join(f"{k}={v}\n" for k, v in props.items()))
        (self.workdir / "log4j2.properties").write_text(LOG4J)
        if not (data / "meta.properties").exists():
            fmt = self._command("kafka.tools.StorageTool", "format", "-t", cluster_id(), "-c", str(path))
            res = subprocess.run(fmt, capture_output=True, text=True, timeout=120)
            if res.returncode != 0:
                raise RuntimeError(f"formatting {data} failed:\n{res.stdout[-2000:]}{res.stderr[-2000:]}")
        return path

    def _command(self, main: str, *args: str) -> list[str]:
        """``java`` with a small heap and one garbage-collector thread (CI has two cores for everything)."""
        return [
            "java",
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseSerialGC",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.workdir / 'log4j2.properties'}",
            "-cp",
            f"{jars()}/*",
            main,
            *args,
        ]

    def start(self, timeout: float = 90.0) -> KafkaBroker:
        """Start the broker (formatting its log directory the first time) and wait until it serves metadata."""
        if not self.port:
            self.port, self.controller_port = free_port(), free_port()
        props = self._configure()
        self.proc = spawn(self._command("kafka.Kafka", str(props)), self.log_path)
        deadline = time.monotonic() + timeout
        wait_port(self.port, timeout, self.proc)
        self._wait_ready(deadline)
        return self

    def _wait_ready(self, deadline: float) -> None:
        """Until the broker answers a metadata request with itself in it (listening is not serving)."""
        from kafka import KafkaAdminClient

        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"Apache Kafka exited with code {self.proc.returncode}; see {self.log_path}")
            try:
                admin = KafkaAdminClient(
                    bootstrap_servers=self.bootstrap, client_id="contraflow-tests", request_timeout_ms=5000
                )
                try:
                    if admin.describe_cluster()["brokers"]:
                        return
                finally:
                    admin.close()
            except Exception as exc:
                last = exc
            time.sleep(0.2)
        raise TimeoutError(f"Apache Kafka on {self.bootstrap} not ready: {last}; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL: the broker dies at once (its log stays on disk, unflushed pages included)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)

    def stop(self) -> None:
        """A clean shutdown (SIGTERM; SIGKILL after 30 s)."""
        stop(self.proc, timeout=30)

    def restart(self, down_seconds: float = 0.0, kill: bool = False) -> None:
        """Stop the broker (SIGKILL with ``kill``) and start it again on the same ports and log."""
        if kill:
            self.kill()
        else:
            self.stop()
        time.sleep(down_seconds)
        self.start()

    def close(self) -> None:
        """Stop the broker and remove its directory (when this object made it)."""
        self.stop()
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> KafkaBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

"""Where ``POST /articles`` sends articles: topic ``articles`` through one long-lived producer."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any, Protocol

from streams.settings import Settings


class ArticleSink(Protocol):
    """Publishes validated articles (as JSON objects) keyed by their id."""

    async def send(self, articles: list[dict[str, Any]]) -> None:
        """Publish and wait until the broker has acknowledged every one (raise otherwise)."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


class SinkUnavailable(RuntimeError):
    """The broker did not take the articles."""


class KafkaSink:
    """kafka-python producer (acks=all), created on first use and shared by every request."""

    def __init__(self, settings: Settings, timeout: float = 15.0) -> None:
        self.settings = settings
        self.timeout = timeout
        self._producer: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        from kafka import KafkaProducer

        from streams.kafka_io import client_config

        with self._lock:
            if self._producer is None:
                self._producer = KafkaProducer(
                    **client_config(self.settings),
                    acks="all",
                    linger_ms=0,
                    retries=5,
                    max_request_size=4 * 1024 * 1024,
                    max_block_ms=10_000,
                )
            return self._producer

    def _send(self, articles: list[dict[str, Any]]) -> None:
        producer = self._get()
        futures = [
            producer.send(
                self.settings.topics.articles,
                key=str(a["id"]).encode(),
                value=json.dumps(a, ensure_ascii=False).encode(),
            )
            for a in articles
        ]
        producer.flush(self.timeout)
        for f in futures:
            f.get(timeout=self.timeout)

    async def send(self, articles: list[dict[str, Any]]) -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(None, self._send, articles)
        except Exception as exc:
            raise SinkUnavailable(f"the broker did not take the articles: {type(exc).__name__}: {exc}") from exc

    def connected(self) -> bool:
        """Whether the broker answers a metadata request for topic ``articles``."""
        try:
            return bool(self._get().partitions_for(self.settings.topics.articles))
        except Exception:
            return False

    def close(self) -> None:
        with self._lock:
            if self._producer is not None:
                self._producer.close(timeout=5)
                self._producer = None


class ListSink:
    """Keeps what it is sent (unit tests, and a service with no broker)."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    async def send(self, articles: list[dict[str, Any]]) -> None:
        self.sent.extend(articles)

    def close(self) -> None:
        return None

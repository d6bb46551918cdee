"""What the flow's agents and timers need of the settings and of the faust app: two small ports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from faust.types import TopicT


@dataclass(frozen=True)
class AppTopics:
    """The topics the agents read and write (values are raw UTF-8 JSON bytes)."""

    articles: TopicT
    dlq: TopicT
    claims: TopicT
    assignments: TopicT
    alerts: TopicT


class FlowSettings(Protocol):
    """The settings the agents read (``streams.settings.Settings`` has them all; read once at the entry point)."""

    @property
    def batch_size(self) -> int: ...
    @property
    def batch_window(self) -> float: ...
    @property
    def stall_seconds(self) -> float: ...
    @property
    def nlp_processes(self) -> int: ...
    @property
    def nlp_batch_chars(self) -> int: ...
    @property
    def nlp_memory_mb(self) -> int: ...
    @property
    def max_tokens(self) -> int: ...
    @property
    def max_word_chars(self) -> int: ...
    @property
    def max_sentence_chars(self) -> int: ...
    @property
    def max_parse_chars(self) -> int: ...
    @property
    def archive_after_days(self) -> float: ...
    @property
    def archive_retention_days(self) -> float: ...

    def fetch_waits(self) -> tuple[float, float]:
        """The consumer's fetch waits (light load, backlog) in seconds."""
        ...

"""Dead letters: a message a step cannot process goes to ``articles.dlq`` with the reason, and the flow goes on."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from faust.types import EventT

from agents.flow.config import AppTopics
from agents.flow.retry import retrying
from agents.ports import Counters
from schemas import DeadLetter

log = logging.getLogger("contraflow.agents")
DLQ_VALUE_CHARS = 65_536
Poison = Callable[[EventT, str, Exception], Awaitable[None]]
"""Dead-letter a message that step ``str`` failed on with the exception, count it, and go on."""


def received_at(event: EventT) -> datetime:
    """When the broker received the message (now, if it does not say)."""
    ts = event.message.timestamp
    return datetime.fromtimestamp(ts, UTC) if ts else datetime.now(UTC)


def dead_letter(event: EventT, reason: str) -> bytes:
    """The dead-letter record for a message that could not be processed."""
    value = event.value
    if isinstance(value, bytes):
        text = value[:DLQ_VALUE_CHARS].decode("utf-8", errors="replace")
    else:
        text = str(value)[:DLQ_VALUE_CHARS]
    key = event.key.decode("utf-8", errors="replace") if isinstance(event.key, bytes) else None
    msg = event.message
    return (
        DeadLetter(
            reason=reason,
            topic=msg.topic,
            partition=msg.partition,
            offset=msg.offset,
            key=key,
            value=text,
            at=received_at(event),
        )
        .model_dump_json()
        .encode()
    )


async def send_dead_letter(topics: AppTopics, counters: Counters, event: EventT, reason: str) -> None:
    """Send the dead letter and count it."""
    await topics.dlq.send(key=event.key, value=dead_letter(event, reason))
    await retrying("count dead letter", lambda: counters.bump("dead_lettered"))


def poisoner(topics: AppTopics, counters: Counters) -> Poison:
    """The :data:`Poison` handler of the flow's steps."""

    async def poison(ev: EventT, step: str, exc: Exception) -> None:
        log.exception("%s failed on %s/%s/%s", step, ev.message.topic, ev.message.partition, ev.message.offset)
        await send_dead_letter(topics, counters, ev, f"{step} failed: {type(exc).__name__}: {exc}")

    return poison

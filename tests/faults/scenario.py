"""Run articles through a real stack while something breaks, and compare the outcome."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from schemas import Alert, EventState
from streams.kafka_io import publish, read_topic
from streams.runner import Stack, expected_ids, read_counters, wait_processed
from streams.settings import Settings
from streams.store.redis import connected


def isolated(servers: Settings, **update: Any) -> Settings:
    """Settings with a group, topics and Redis keys of their own."""
    tag = uuid.uuid4().hex[:8]
    return servers.model_copy(
        update={"app_id": f"cf-{tag}", "topic_prefix": f"{tag}.", "redis_prefix": f"{tag}:", **update}
    )


@dataclass
class Outcome:
    """What a run left: every event's state, the alerts on the topic and in the Redis log."""

    events: list[EventState]
    topic_alerts: list[Alert]
    logged_alerts: list[Alert]


def canonical(events: list[EventState]) -> list[Any]:
    """Events compared without times or arrival-order details: articles, claims, contradictions."""
    out = []
    for e in events:
        claims = sorted((c.id, c.article_id, c.slot, c.value, c.quote, c.scope) for c in e.claims)
        contras = sorted(
            (c.slot, c.subject or "", c.kind, tuple(sorted((s.value, tuple(sorted(s.claim_ids))) for s in c.sides)))
            for c in e.contradictions
        )
        out.append((tuple(sorted(a.id for a in e.articles)), tuple(claims), tuple(contras)))
    return sorted(out)


async def _logged(settings: Settings) -> list[Alert]:
    async with connected(settings) as store:
        return [a for _, a in await store.alerts(limit=100_000)]


def topic_alerts(settings: Settings, expect: int, timeout: float = 60.0) -> list[Alert]:
    """The alerts on the topic, once the relay has published ``expect`` of them (or the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        got = [Alert.model_validate_json(v) for v in read_topic(settings, settings.topics.alerts, idle_ms=1500)]
        if len(got) >= expect or time.monotonic() > deadline:
            return got


def log_tails(stack: Stack, lines: int = 60) -> str:
    """The last ``lines`` lines of each worker's log (and whether it is alive)."""
    out = []
    for i, w in enumerate(stack.workers):
        path = stack.logdir / f"worker-{i}.log"
        text = path.read_text(errors="replace").splitlines() if path.exists() else []
        state = "alive" if w.poll() is None else f"exited {w.returncode}"
        out.append(f"--- worker-{i} ({state}), last {lines} lines:\n" + "\n".join(text[-lines:]))
    return "\n".join(out)


def wait_or_explain(stack: Stack, ids: set[str], n: int, baseline: dict[str, int], timeout: float) -> list[EventState]:
    """``wait_processed``; on a timeout the error carries each worker's log tail (a hang diagnosed from CI)."""
    try:
        return asyncio.run(wait_processed(stack.settings, ids, n, baseline, timeout))
    except TimeoutError as e:
        raise TimeoutError(f"{e}\n{log_tails(stack)}") from None


def publish_again(settings: Settings, batch: list[Any], patience: float = 90.0) -> None:
    """Publish ``batch``, again while the broker is away (as a producing application would; a batch sent
    twice is harmless: every step is idempotent on the article)."""
    deadline = time.monotonic() + patience
    while True:
        try:
            publish(settings, batch)
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def run(
    settings: Settings,
    records: list[Any],
    workers: int = 1,
    rate: float = 200.0,
    chaos: Callable[[Stack], None] | None = None,
    timeout: float = 300.0,
    stack: Stack | None = None,
) -> Outcome:
    """Publish ``records`` at ``rate`` per second while ``chaos(stack)`` runs; wait; collect the outcome.

    On a timeout the error carries the tail of every worker's log, so a hang can be diagnosed from CI output."""
    own = stack is None
    st = stack or Stack(settings, workers=workers).__enter__()
    try:
        s = st.settings
        ids, _ = expected_ids(records)
        baseline = asyncio.run(read_counters(s))

        failed: list[BaseException] = []

        def paced() -> None:
            step = max(1, int(rate // 10))
            try:
                for i in range(0, len(records), step):
                    publish_again(s, records[i : i + step])
                    time.sleep(step / rate)
            except BaseException as exc:  # surfaced below: a lost batch would otherwise look like a hang
                failed.append(exc)

        publisher = threading.Thread(target=paced, daemon=True)
        publisher.start()
        if chaos:
            chaos(st)
        publisher.join()
        if failed:
            raise RuntimeError("publishing the articles failed") from failed[0]
        events = wait_or_explain(st, ids, len(records), baseline, timeout)
        logged = asyncio.run(_logged(s))
        return Outcome(events, topic_alerts(s, len(logged)), logged)
    finally:
        if own:
            st.close()

"""The ``resolve`` agent: each article placed in an event and merged into its state (resolve, then project)."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterable
from typing import Any

import faust

from agents import catchup, pipeline
from agents.flow.config import AppTopics, FlowSettings
from agents.flow.dead_letters import Poison
from agents.flow.retry import retrying
from agents.ports import Ledger, StateStore
from schemas import Extracted

log = logging.getLogger("contraflow.agents")


def caught_up(n: int) -> None:
    """Say that records Redis lost were merged again."""
    log.warning(
        "Redis lost the writes of %d claims record(s) (it came back from its append-only file, "
        "or empty): merged them again from topic claims, in order",
        n,
    )


def register_resolve(
    app: faust.App,
    topics: AppTopics,
    settings: FlowSettings,
    store: StateStore,
    ledger: Ledger,
    poison: Poison,
    read_claims: catchup.ReadClaims | None,
) -> None:
    """The agent on topic ``claims``; ``read_claims`` reads records again to merge what Redis lost."""
    policy = pipeline.archive_policy(settings.archive_after_days, settings.archive_retention_days)

    @app.agent(topics.claims, name="resolve")
    async def resolve(stream: AsyncIterable[Any]) -> None:
        """Place each article in an event, record the placement, and merge its claims into the state.

        Topic ``claims`` is the record that a replay reads (:mod:`streams.rebuild` resolves and
        projects its records in the same way); ``assignments`` gets each placement for other
        consumers. Projecting here rather than in an agent of its own saves a Kafka hop per article.
        """
        async for ev in stream.events():  # type: ignore[attr-defined]
            try:
                x = Extracted.model_validate_json(ev.value)
            except Exception as exc:
                await poison(ev, "resolve", exc)
                await retrying("record offset", functools.partial(ledger.advance, ev.message.offset))
                continue
            try:
                a, alerts = await retrying(
                    "merge", catchup.attempt(store, ledger, read_claims, x, ev.message.offset, policy, caught_up)
                )
            except catchup.StepFailed as failed:
                await poison(ev, failed.step, failed.exc)
                await retrying("record offset", functools.partial(ledger.advance, ev.message.offset))
                continue
            await topics.assignments.send(key=a.event_id.encode(), value=a.placement().model_dump_json().encode())
            if alerts:
                log.info("event %s: %d new alert(s) from article %s", a.event_id, len(alerts), x.article.id)

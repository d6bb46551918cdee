"""The faust agents and timers: thin adapters that decode, call the pipeline steps, store and send.

articles ─extract─▶ claims (1 partition) ─resolve + project─▶ Redis state + alert log ─relay─▶ alerts
    └─ invalid ─▶ articles.dlq                  └─▶ assignments (key: event id; not read back)

One module per agent or timer: :mod:`~agents.flow.extract`, :mod:`~agents.flow.resolve`,
:mod:`~agents.flow.relay`, :mod:`~agents.flow.stall_timer`, :mod:`~agents.flow.log_guard`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

import faust

from agents import catchup
from agents.core.budget import Budget
from agents.extract_pool import ExtractPool
from agents.faust_fixes import seek_fresh_partitions_to_beginning, set_fetch_wait
from agents.flow.config import AppTopics, FlowSettings
from agents.flow.dead_letters import poisoner
from agents.flow.extract import register_extract
from agents.flow.log_guard import LogCheck, register_log_guard
from agents.flow.relay import register_relay
from agents.flow.resolve import register_resolve
from agents.flow.stall_timer import register_watchdog
from agents.ports import AlertTail, Ledger, StateStore

log = logging.getLogger("contraflow.agents")

__all__ = ["AppTopics", "FlowSettings", "LogCheck", "register"]


def register(
    app: faust.App,
    topics: AppTopics,
    settings: FlowSettings,
    store: StateStore,
    ledger: Ledger,
    nlp_loader: Any,
    tail: AlertTail,
    check_log: LogCheck | None = None,
    exit_lost: Callable[[], NoReturn] | None = None,
    read_claims: catchup.ReadClaims | None = None,
) -> None:
    """Register the agents (extract; resolve, which also projects), the alert relay and the timers on ``app``.

    ``nlp_loader()`` returns the spaCy pipeline. ``ledger``: where the state stands in the log.
    ``tail()``: the last alert published on topic ``alerts``. ``check_log``: asked every few seconds
    whether the broker lost its log; if it did, the worker records the reason in the ledger and calls
    ``exit_lost()`` (stops the process). ``read_claims``: reads records of topic ``claims`` again, to
    merge what Redis lost (:mod:`agents.catchup`).
    """
    light, busy = settings.fetch_waits()  # by broker kind unless set (long on Kafka: it answers at once)
    set_fetch_wait(light)
    seek_fresh_partitions_to_beginning()
    budget = Budget(
        max_tokens=settings.max_tokens,
        max_word_chars=settings.max_word_chars,
        max_sentence_chars=settings.max_sentence_chars,
        max_parse_chars=settings.max_parse_chars,
    )
    pool = ExtractPool(nlp_loader, settings.nlp_processes, budget, settings.nlp_batch_chars, settings.nlp_memory_mb)

    @app.task
    async def warm_nlp() -> None:
        """Start the NLP process(es) and load spaCy before the first batch arrives."""
        await pool.warm()

    @app.on_partitions_assigned.connect  # type: ignore[arg-type]
    async def on_assigned(app: faust.App, assigned: Any, **kwargs: Any) -> None:
        """Say plainly when this worker (re)joins the group, e.g. after the broker came back."""
        topics_held = sorted({tp.topic for tp in assigned})
        log.warning("consumer group joined: %d partition(s) of %s", len(assigned), ", ".join(topics_held) or "none")

    register_watchdog(app, topics, settings)
    if check_log is not None:
        register_log_guard(app, ledger, pool, check_log, exit_lost)

    @app.on_before_shutdown.connect  # type: ignore[arg-type]
    async def stop_nlp(app: faust.App, **kwargs: Any) -> None:
        """The consumer has stopped: stop the NLP process(es) too."""
        pool.close()

    register_extract(app, topics, settings, store, pool, budget, light, busy)
    register_relay(app, topics, store, tail)
    register_resolve(app, topics, settings, store, ledger, poisoner(topics, store), read_claims)

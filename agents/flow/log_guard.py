"""The log guard timer: a worker stops, saying why, when the broker lost its log."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import NoReturn

import faust

from agents.extract_pool import ExtractPool
from agents.flow.retry import retrying
from agents.ports import Ledger

log = logging.getLogger("contraflow.agents")
LOG_CHECK_SECONDS = 5.0
"""How often a worker asks whether the broker lost its log (a loss is reported within this and a check)."""
LogCheck = Callable[[int | None], Awaitable[str | None]]
"""Given the highest offset of ``claims`` in the state, why the broker's log is lost (``None``: it is not)."""


def register_log_guard(
    app: faust.App, ledger: Ledger, pool: ExtractPool, check_log: LogCheck, exit_lost: Callable[[], NoReturn] | None
) -> None:
    """Every few seconds ask ``check_log``; on a lost log record the reason in the ledger and call ``exit_lost()``."""

    async def log_lost(reason: str) -> None:
        """The broker lost its log: say so, record it, and stop rather than build on another log."""
        log.error(
            "the broker lost its log: %s. This worker stops rather than build the state again on "
            "another log (the state in Redis is kept). Restore the broker's log, or start over with "
            "`contraflow rebuild --clear --force`.",
            reason,
        )
        await retrying("record the lost log", functools.partial(ledger.report_lost, reason))
        pool.close()
        if exit_lost is not None:
            exit_lost()
        raise RuntimeError(f"the broker lost its log: {reason}")

    @app.timer(interval=LOG_CHECK_SECONDS)
    async def log_guard() -> None:
        """Stop if the broker lost its log (topics missing, shorter than the state, other layouts)."""
        try:
            reason = await check_log(await ledger.claims_at())
        except Exception as exc:  # the broker or Redis is away: nothing to judge
            log.debug("log check: %s", exc)
            return
        if reason:
            await log_lost(reason)

"""The alert relay: publishes the Redis alert log to topic ``alerts``, once per alert.

The project step logs alerts in Redis in the same transaction as the state change; this relay
then publishes them. One worker at a time holds the relay lease. A new leader first reads the
tail of ``alerts`` (one partition, up to its listed end offset: :data:`~agents.ports.AlertTail`) to
learn the last alert relayed (each record carries the ``log_id`` and ``alert_id`` headers) and goes on
after it, so a crash between publishing and moving the cursor neither loses nor repeats an alert.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from typing import Protocol

import faust

from agents.flow.config import AppTopics
from agents.ports import AlertLog, AlertTail, Leases

log = logging.getLogger("contraflow.relay")
LEASE = "alert-relay"
RELAY_LEASE_SECONDS = 10.0
RELAY_WAIT_SECONDS = 1.0
RELAY_FIND_SECONDS = 60.0
"""How long a new relay waits for the last alert it published to be logged again (after Redis lost it)."""


class RelayStore(AlertLog, Leases, Protocol):
    """What the relay needs of the store: the alert log and the lease."""


def _before(log_id: str) -> str:
    """The Redis stream id just before ``log_id``."""
    ms, _, seq = log_id.partition("-")
    if seq and int(seq) > 0:
        return f"{ms}-{int(seq) - 1}"
    return f"{int(ms) - 1}-18446744073709551615" if int(ms) > 0 else "0"


async def resume_cursor(store: AlertLog, log_id: str | None, alert_id: str | None) -> str:
    """Where to go on relaying: after the last relayed alert, found by log id, else by alert id."""
    if log_id is None:
        return "0"
    try:
        at = await store.alerts(after=_before(log_id), limit=1)
    except Exception:
        at = []
    if at and at[0][0] == log_id and (alert_id is None or at[0][1].id == alert_id):
        return log_id
    cursor = "0"
    while True:  # the log was rebuilt: find the alert by id
        page = await store.alerts(after=cursor, limit=1000)
        if not page:
            break
        for cid, alert in page:
            if alert.id == alert_id:
                return cid
        cursor = page[-1][0]
    head = await store.alert_head()
    log.warning("alert relay: last relayed alert %s is not in the log; relaying from the head %s", alert_id, head)
    return head


def register_relay(app: faust.App, topics: AppTopics, store: RelayStore, tail: AlertTail) -> None:
    """The relay task on ``app``; ``tail()`` reads the last alert published (blocking, run in a thread)."""

    @app.task
    async def relay() -> None:
        """Publish the alert log to topic ``alerts`` while this worker holds the relay lease.

        The holder waits on the log (a blocking read) instead of polling it, renews its lease every
        third of its time while idle and checks it again just before publishing: an idle relay costs
        a Redis round trip a second instead of eighty.
        """
        loop = asyncio.get_running_loop()
        owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        cursor: str | None = None
        searching: float | None = None

        async def logged_at(log_id: str, alert_id: str | None) -> bool:
            """Whether the log holds an entry ``log_id`` (with alert ``alert_id``, if given)."""
            if log_id == "0":
                return False
            at = await store.alerts(after=_before(log_id), limit=1)
            return bool(at) and at[0][0] == log_id and (alert_id is None or at[0][1].id == alert_id)

        renewed = -RELAY_LEASE_SECONDS
        while True:
            try:
                if loop.time() - renewed >= RELAY_LEASE_SECONDS / 3:
                    if not await store.lease(LEASE, owner, RELAY_LEASE_SECONDS):
                        cursor, renewed = None, -RELAY_LEASE_SECONDS
                        await asyncio.sleep(1.0)
                        continue
                    renewed = loop.time()
                if cursor is None:
                    log_id, alert_id = await loop.run_in_executor(None, tail)
                    found = await resume_cursor(store, log_id, alert_id)
                    if alert_id is not None and not await logged_at(found, alert_id):
                        # the last alert published is not in the log: Redis lost it, and the resolver
                        # logs it again (same id) as it merges the lost records again; wait for it
                        searching = searching if searching is not None else loop.time()
                        if loop.time() - searching < RELAY_FIND_SECONDS:
                            await asyncio.sleep(2.0)
                            continue
                        log.warning(
                            "alert relay: alert %s was not logged again in %.0fs; relaying after %s",
                            alert_id,
                            RELAY_FIND_SECONDS,
                            found,
                        )
                    cursor, searching = found, None
                    log.info("alert relay: this worker relays alerts, after log id %s", cursor)
                batch = await store.alerts(after=cursor, limit=200, wait=RELAY_WAIT_SECONDS)
                if not batch:
                    continue
                if cursor != "0" and not await logged_at(cursor, None):
                    log.warning(
                        "alert relay: log entry %s is gone (Redis came back with fewer writes); finding "
                        "the last alert published again",
                        cursor,
                    )
                    cursor, renewed = None, -RELAY_LEASE_SECONDS
                    continue
                if not await store.lease(LEASE, owner, RELAY_LEASE_SECONDS):  # still ours, just before publishing
                    cursor, renewed = None, -RELAY_LEASE_SECONDS
                    continue
                renewed = loop.time()
                pending = [
                    await topics.alerts.send(
                        key=alert.event_id.encode(),
                        value=alert.model_dump_json().encode(),
                        headers={"log_id": log_id.encode(), "alert_id": alert.id.encode()},
                    )
                    for log_id, alert in batch
                ]
                await asyncio.gather(*pending)
                cursor = batch[-1][0]
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("alert relay: %s: %s; starting over in 1s", type(exc).__name__, exc)
                cursor, renewed = None, -RELAY_LEASE_SECONDS
                await asyncio.sleep(1.0)

"""Webhook delivery: each alert POSTed once per subscription, signed, retried with backoff.

A delivery counts as acknowledged when the receiver answers 2xx; it is then recorded in the
store and never sent again, even after a restart. Until then it is retried
(``webhook_attempts`` times, the delay doubling from ``webhook_backoff`` up to 30 s); after the
last attempt it is given up and the failure stays visible in ``GET /subscriptions/{id}``. Each
subscription is served by one process at a time (a lease in the store) and in log order.
A crash between the receiver's 2xx and the record can repeat that one delivery: receivers
dedupe on the ``X-Contraflow-Alert-Id`` header.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import uuid
from datetime import UTC, datetime

import httpx

from agents.ports import StateStore
from schemas import Alert
from schemas.subscription import DeliveryFailure, Subscription
from streams.api.hub import AlertHub
from streams.api.targets import TargetRefused, check_target, pinned

log = logging.getLogger("contraflow.webhooks")
SIGNATURE_HEADER = "X-Contraflow-Signature"
MAX_BACKOFF = 30.0


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` + hex HMAC-SHA256 of the body under the secret."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, signature: str) -> bool:
    """Whether ``signature`` is the body's signature under ``secret`` (constant time)."""
    return hmac.compare_digest(sign(secret, body), signature)


def backoff(attempt: int, base: float, cap: float = MAX_BACKOFF) -> float:
    """Delay before attempt ``attempt + 1`` (attempts count from 1): ``base`` doubling, capped."""
    return float(min(cap, base * 2 ** (attempt - 1)))


def alert_body(alert: Alert) -> bytes:
    """The exact bytes POSTed (and signed): the alert's JSON (CONTRACT.md)."""
    return alert.model_dump_json().encode()


class LeaseLost(Exception):
    """Another process took the subscription over."""


class Dispatcher:
    """Serves every subscription in the store from this process (one task per subscription)."""

    def __init__(
        self,
        store: StateStore,
        hub: AlertHub,
        attempts: int = 6,
        base_delay: float = 0.5,
        timeout: float = 5.0,
        rescan: float = 1.0,
        allow_private: bool = False,
    ) -> None:
        self.store, self.hub = store, hub
        self.allow_private = allow_private
        self.attempts, self.base_delay, self.timeout, self.rescan = attempts, base_delay, timeout, rescan
        self.owner = uuid.uuid4().hex
        self.lease_ttl = max(15.0, 3 * timeout)
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._main: asyncio.Task[None] | None = None
        self._client: httpx.AsyncClient | None = None

    async def start(self) -> None:
        self._client = httpx.AsyncClient(timeout=self.timeout, follow_redirects=False)
        self._main = asyncio.create_task(self._run(), name="webhooks")

    async def stop(self) -> None:
        tasks = [t for t in [self._main, *self._tasks.values()] if t]
        for t in tasks:
            t.cancel()
        for t in tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await t
        for sub_id in list(self._tasks):  # hand the subscriptions over at once (a lease that ends now)
            with contextlib.suppress(Exception):
                await self.store.lease(f"webhook:{sub_id}", self.owner, 0.001)
        self._tasks.clear()
        if self._client:
            await self._client.aclose()

    async def _run(self) -> None:
        while True:
            try:
                subs = {s.id: s for s in await self.store.list_subscriptions()}
                for sub_id, task in list(self._tasks.items()):
                    if sub_id not in subs or task.done():
                        task.cancel()
                        del self._tasks[sub_id]
                for sub_id, sub in subs.items():
                    if sub_id not in self._tasks:
                        self._tasks[sub_id] = asyncio.create_task(self._serve(sub), name=f"webhook-{sub_id}")
            except asyncio.CancelledError:
                raise
            except Exception:
                log.warning("listing subscriptions failed", exc_info=True)
            await asyncio.sleep(self.rescan)

    async def _serve(self, sub: Subscription) -> None:
        lease = f"webhook:{sub.id}"
        while True:
            if not await self.store.lease(lease, self.owner, self.lease_ttl):
                await asyncio.sleep(self.lease_ttl / 3)
                continue
            seen = self.hub.version
            cursor = (await self.store.delivery_status(sub.id)).cursor
            rows = await self.store.alerts(after=cursor, limit=100)
            if not rows:
                await self.hub.wait(self.lease_ttl / 3, seen)
                continue
            for cur, alert in rows:
                if not sub.filter.matches(alert) or await self.store.was_delivered(sub.id, alert.id):
                    await self.store.advance_cursor(sub.id, cur)
                    continue
                try:
                    acked = await self.deliver(sub, alert, lease)
                except LeaseLost:
                    break
                if acked:
                    await self.store.record_delivery(sub.id, alert.id, cur)
                else:
                    await self.store.advance_cursor(sub.id, cur)

    async def deliver(self, sub: Subscription, alert: Alert, lease: str) -> bool:
        """POST one alert until it is acknowledged (``True``) or given up (``False``)."""
        assert self._client is not None
        body = alert_body(alert)
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(sub.secret, body),
            "X-Contraflow-Alert-Id": alert.id,
            "X-Contraflow-Subscription": sub.id,
            "User-Agent": "contraflow-webhooks/1",
        }
        for attempt in range(1, self.attempts + 1):
            if not await self.store.lease(lease, self.owner, self.lease_ttl):
                raise LeaseLost(sub.id)
            # checked again at each attempt (DNS may have changed); the errors say nothing of what listens where
            error = ""
            try:
                url, host, extensions = pinned(sub.url, await check_target(sub.url, self.allow_private))
                resp = await self._client.post(url, content=body, headers={**headers, **host}, extensions=extensions)
                if 200 <= resp.status_code < 300:
                    return True
                error = f"HTTP {resp.status_code}"
            except TargetRefused as exc:
                error = str(exc)
            except httpx.TimeoutException:
                error = "no answer in time"
            except httpx.HTTPError:
                error = "connection failed"
            final = attempt == self.attempts
            await self.store.record_failure(
                sub.id,
                DeliveryFailure(
                    alert_id=alert.id, at=datetime.now(UTC), attempt=attempt, error=error[:500], final=final
                ),
            )
            log.info("webhook %s: alert %s attempt %d failed: %s", sub.id, alert.id, attempt, error)
            if not final:
                await asyncio.sleep(backoff(attempt, self.base_delay))
        return False

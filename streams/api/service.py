"""The service's own state: ``GET /healthz`` (Redis, the broker, the log) and ``GET /metrics`` (Prometheus)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from agents.ports import StateStore
from streams.api.metrics import LagProbe, exposition, snapshot
from streams.store.ledger import ledger_of


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    redis: bool
    kafka: bool | None = Field(description="Whether the producer reaches the broker (null: no broker configured).")
    log_lost: str | None = Field(default=None, description="Why a worker found the broker's log lost (null: not).")


def service_router(
    store: StateStore, lag: LagProbe | None = None, kafka_ok: Callable[[], bool] | None = None
) -> APIRouter:
    """Health and metrics over ``store``; ``lag`` reads the consumer lag, ``kafka_ok`` checks the broker."""
    router = APIRouter(tags=["service"])

    @router.get("/healthz", response_model=Health, responses={503: {"model": Health}})
    async def healthz() -> Any:
        """``ok`` when Redis answers and (if configured) the broker is reachable; 503 otherwise."""
        try:
            await store.counters()
            redis_ok = True
        except Exception:
            redis_ok = False
        kafka: bool | None = None
        if kafka_ok is not None:  # a blocking client call: off the event loop
            kafka = await asyncio.get_running_loop().run_in_executor(None, kafka_ok)
        lost = await ledger_of(store).lost() if redis_ok else None  # recorded by a worker (streams.logcheck)
        ok = redis_ok and kafka is not False and not lost
        body = Health(status="ok" if ok else "degraded", redis=redis_ok, kafka=kafka, log_lost=lost)
        shown = body.model_dump(exclude=None if lost else {"log_lost"})  # the field only when it says something
        return JSONResponse(shown, status_code=200 if ok else 503)

    @router.get(
        "/metrics",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}, "application/openmetrics-text": {}}}},
    )
    async def metrics(request: Request) -> Response:
        """Prometheus metrics (``prometheus-client``): articles processed, claims, contradictions, alerts,
        consumer lag, processing and alert latency histograms, and the process's own; OpenMetrics on request."""
        delivered = given_up = 0
        for s in await store.list_subscriptions():
            st = await store.delivery_status(s.id)
            delivered, given_up = delivered + st.delivered, given_up + st.given_up
        snap = await snapshot(store, lag, {"delivered": delivered, "given_up": given_up})
        body, content_type = exposition(snap, request.headers.get("accept"))
        return Response(body, media_type=content_type)

    return router

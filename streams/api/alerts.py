"""``GET /alerts/stream``: the alert log as server-sent events, live, resumable by cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import StreamingResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from agents.ports import StateStore
from schemas.subscription import AlertFilter
from streams.api.hub import CURSOR_RE, AlertHub, follow


def alerts_router(store: StateStore, hub: AlertHub) -> APIRouter:
    """The SSE route over ``store``'s alert log, woken by ``hub`` when new alerts are logged."""
    router = APIRouter(tags=["alerts"])

    @router.get(
        "/alerts/stream",
        response_class=StreamingResponse,
        responses={200: {"content": {"text/event-stream": {}}}, 400: {}},
    )
    async def alert_stream(
        request: Request,
        event_id: Annotated[list[str], Query()] = [],  # noqa: B006
        kind: Annotated[list[Literal["conflict", "evolving"]], Query()] = [],  # noqa: B006
        change: Annotated[list[Literal["new", "new_side"]], Query()] = [],  # noqa: B006
        slot: Annotated[list[str], Query()] = [],  # noqa: B006
        severity: Annotated[
            Literal["low", "medium", "high"] | None, Query(description="Only contradictions of at least this severity.")
        ] = None,
        min_origins: Annotated[
            int | None, Query(ge=1, description="Only contradictions held by at least this many independent origins.")
        ] = None,
        after: Annotated[str | None, Query(description="Start after this cursor (0: from the first alert).")] = None,
        limit: Annotated[int | None, Query(ge=1, description="Close the stream after this many alerts.")] = None,
        last_event_id: Annotated[str | None, Header()] = None,
    ) -> StreamingResponse:
        """Alerts as server-sent events (``event: alert``, ``id:`` the log cursor), live.

        Resumes after ``Last-Event-ID`` (what ``EventSource`` sends when it reconnects), else after
        ``after``, else from now. Filters: ``event_id``, ``kind``, ``change``, ``slot`` (repeatable),
        ``severity`` (the least), ``min_origins`` (independent origins across the sides).
        """
        start = last_event_id or after
        if start is not None and not CURSOR_RE.match(start):
            raise HTTPException(400, f"not an alert cursor: {start!r}")
        if start is None:
            start = await store.alert_head()
        flt = AlertFilter(
            event_id=event_id, kind=kind, change=change, slot=slot, severity=severity, min_origins=min_origins
        )

        async def events() -> AsyncIterator[str]:
            yield f"retry: 1000\nid: {start}\n: contraflow alerts\n\n"
            sent = 0
            try:
                async for item in follow(store, hub, start, flt):
                    if item is None:
                        yield ": keep-alive\n\n"
                        continue
                    cursor, alert = item
                    yield f"id: {cursor}\nevent: alert\ndata: {alert.model_dump_json()}\n\n"
                    sent += 1
                    if limit is not None and sent >= limit:
                        return
            except (RedisConnectionError, RedisTimeoutError):  # end the stream: the client resumes from its id
                yield ": the state store (Redis) is unavailable; reconnect later\n\n"

        return StreamingResponse(
            events(), media_type="text/event-stream", headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        )

    return router

"""The FastAPI app: ``create_api(settings, store, sink)`` builds it; nothing happens on import.

It only assembles: the middleware, the store-down handler, one router per resource, the dashboard and
the docs. Routes (OpenAPI at ``/docs``): ``POST /articles`` (:mod:`streams.api.articles`); ``GET
/events`` (the live ones; with ``archived=true`` the archived too) and ``/events/{id}`` with its
``claims``, ``contradictions`` and ``history`` (:mod:`streams.api.events`); ``GET /alerts/stream``
(server-sent events, :mod:`streams.api.alerts`); ``POST/GET/DELETE /subscriptions`` (webhooks,
:mod:`streams.api.subscriptions`); ``POST /session`` and the dashboard at ``/dashboard/``
(:mod:`streams.api.dashboard`); ``GET /healthz`` and ``GET /metrics`` (:mod:`streams.api.service`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from agents.ports import StateStore
from streams.api.access import TokenGuard, redact_access_log
from streams.api.alerts import alerts_router
from streams.api.articles import ARTICLE_IN_SCHEMA, MAX_REQUEST_BYTES, articles_router
from streams.api.bodies import BodyGuard, SecurityHeaders
from streams.api.dashboard import mount_dashboard, session_router
from streams.api.docs import mount_docs
from streams.api.events import events_router
from streams.api.exposure import ExposureGuard
from streams.api.hub import AlertHub
from streams.api.metrics import LagProbe
from streams.api.service import service_router
from streams.api.sink import ArticleSink
from streams.api.subscriptions import subscriptions_router
from streams.api.webhooks import Dispatcher
from streams.settings import Settings

MAX_OTHER_BODY_BYTES = 64 * 1024
"""Largest body of a write other than ``POST /articles`` (a subscription, a session)."""


def create_api(
    settings: Settings,
    store: StateStore,
    sink: ArticleSink,
    *,
    dispatch: bool = True,
    lag: LagProbe | None = None,
    kafka_ok: Callable[[], bool] | None = None,
    on_close: Callable[[], Any] | None = None,
) -> FastAPI:
    """The app over a store and an article sink.

    ``dispatch``: run the webhook dispatcher in this process. ``lag``: how to read the consumer lag
    for ``/metrics``. ``kafka_ok``: the broker check of ``/healthz``. ``on_close``: called at shutdown.
    """
    hub = AlertHub(store, settings.alert_poll)
    dispatcher = (
        Dispatcher(
            store,
            hub,
            settings.webhook_attempts,
            settings.webhook_backoff,
            settings.webhook_timeout,
            allow_private=settings.webhook_allow_private,
        )
        if dispatch
        else None
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await hub.start()
        if dispatcher:
            await dispatcher.start()
        try:
            yield
        finally:
            if dispatcher:
                await dispatcher.stop()
            await hub.stop()
            if on_close:
                result = on_close()
                if hasattr(result, "__await__"):
                    await result

    app = FastAPI(
        title="contraflow",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        description="Where news sources disagree about a breaking event, live. Field names follow CONTRACT.md.",
    )
    app.state.hub, app.state.store, app.state.dispatcher = hub, store, dispatcher
    secret = settings.api_token.get_secret_value() if settings.api_token else None
    read_secret = settings.api_read_token.get_secret_value() if settings.api_read_token else None
    redact_access_log()
    # outermost last: security headers, CORS, the token check, then bodies (read only once authorised)
    app.add_middleware(BodyGuard, limits={"/articles": MAX_REQUEST_BYTES}, default=MAX_OTHER_BODY_BYTES)
    if secret or read_secret:
        app.add_middleware(TokenGuard, write_token=secret, read_token=read_secret)
    if not secret:  # an open API answers only on loopback unless told otherwise (streams.api.exposure)
        app.add_middleware(ExposureGuard, api_open=settings.api_open)
    if settings.cors_origins.strip():
        app.add_middleware(
            CORSMiddleware,
            allow_origins=[o.strip() for o in settings.cors_origins.split(",")],
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RedisConnectionError)
    @app.exception_handler(RedisTimeoutError)
    async def store_down(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": f"the state store (Redis) is unavailable ({type(exc).__name__}); retry later"},
            503,
            headers={"Retry-After": "5"},
        )

    # in this order: the order of the paths in the OpenAPI document
    app.include_router(articles_router(settings, store, sink))
    app.include_router(events_router(store))
    app.include_router(alerts_router(store, hub))
    app.include_router(subscriptions_router(settings, store))
    app.include_router(session_router(settings))
    app.include_router(service_router(store, lag, kafka_ok))
    mount_dashboard(app)
    mount_docs(app)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schema.setdefault("components", {}).setdefault("schemas", {})["ArticleIn"] = ARTICLE_IN_SCHEMA
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def build_api(settings: Settings, dispatch: bool = True) -> FastAPI:
    """The app against the configured Redis and broker (``contraflow serve`` and ``up``)."""
    from streams.api.sink import KafkaSink
    from streams.store.redis import RedisStore

    if not settings.redis_url or not settings.kafka_bootstrap:
        raise ValueError("the service needs KAFKA_BOOTSTRAP and REDIS_URL")
    store = RedisStore.from_url(settings.redis_url, settings.redis_prefix)
    sink = KafkaSink(settings)
    lag = LagProbe(settings)

    async def close() -> None:
        sink.close()
        lag.close()
        await store.close()

    return create_api(settings, store, sink, dispatch=dispatch, lag=lag, kafka_ok=sink.connected, on_close=close)

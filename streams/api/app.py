"""The FastAPI app: ``create_api(settings, store, sink)`` builds it; nothing happens on import.

Routes (OpenAPI at ``/docs``): ``POST /articles``; ``GET /events`` (the live ones; with
``archived=true`` the archived too) and ``/events/{id}`` with its ``claims``, ``contradictions`` and
``history``; ``GET /alerts/stream`` (server-sent events);
``POST/GET/DELETE /subscriptions`` (webhooks); ``GET /healthz``; ``GET /metrics``; the dashboard
at ``/dashboard/``.
"""

from __future__ import annotations

import json
import logging
import secrets
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, StreamingResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, ValidationError, field_validator
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from schemas import Article, ArticleRef, Claim, Contradiction, EventState, EventSummary, HistoryEntry
from schemas.subscription import AlertFilter, DeliveryStatus, Subscription
from streams.api.access import SESSION_COOKIE, TokenGuard, allowed, redact_access_log, session_value
from streams.api.bodies import BodyGuard, SecurityHeaders
from streams.api.docs import mount_docs
from streams.api.hub import CURSOR_RE, AlertHub, follow
from streams.api.metrics import LagProbe, render
from streams.api.sink import ArticleSink, SinkUnavailable
from streams.api.targets import TargetRefused, check_target
from streams.api.webhooks import SIGNATURE_HEADER, Dispatcher
from streams.settings import Settings
from streams.store.base import StateStore
from streams.store.ledger import ledger_of
from streams.store.summary import EventQuery

STATIC = Path(__file__).resolve().parent / "static"
MAX_ARTICLES_PER_REQUEST = 1000
MAX_REQUEST_BYTES = 16 * 1024 * 1024
MAX_OTHER_BODY_BYTES = 64 * 1024
"""Largest body of a write other than ``POST /articles`` (a subscription, a session)."""
log = logging.getLogger("contraflow.api")


class Accepted(BaseModel):
    """``POST /articles`` answer: the ids of the articles published to topic ``articles``."""

    ids: list[str]
    topic: str


class FieldError(BaseModel):
    index: int | None = Field(description="Position in the list (null for a single article).")
    field: str
    message: str


class Invalid(BaseModel):
    """A 4xx answer that names the field at fault."""

    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class HistoryItem(HistoryEntry):
    """One state change of an event, with the article that caused it."""

    article: ArticleRef | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    redis: bool
    kafka: bool | None = Field(description="Whether the producer reaches the broker (null: no broker configured).")
    log_lost: str | None = Field(default=None, description="Why a worker found the broker's log lost (null: not).")


class SubscriptionIn(BaseModel):
    """A webhook to register: alerts passing ``filter`` are POSTed to ``url``, signed with ``secret``."""

    url: str = Field(
        min_length=1,
        max_length=2000,
        examples=["https://hooks.example.com/contraflow"],
        pattern=r"^https?://([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(:[1-9][0-9]{0,4})?(/[A-Za-z0-9._~/%-]*)?(\?[A-Za-z0-9._~%&=+-]*)?$",
        description="Absolute http(s) URL of the receiver (a query string is kept; no fragment, no "
        "user:password@); it must resolve to public addresses unless "
        "CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE is set.",
    )
    filter: AlertFilter = Field(default_factory=AlertFilter)
    secret: str | None = Field(
        default=None,
        min_length=8,
        max_length=256,
        description="HMAC-SHA256 key; generated (and returned once) when absent.",
    )
    from_start: bool = Field(default=False, description="Deliver the alerts already logged too.")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str) -> str:
        import httpx

        try:
            url = httpx.URL(v)
        except Exception as exc:
            raise ValueError("url is not a valid URL") from exc
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError("url must be an absolute http:// or https:// URL")
        return v


class SessionIn(BaseModel):
    """The token the dashboard exchanges for its session cookie."""

    token: str = Field(min_length=1, max_length=1024)


class SubscriptionOut(BaseModel):
    """A registered webhook (its secret is shown only in the answer to ``POST /subscriptions``)."""

    id: str
    url: str
    filter: AlertFilter
    created_at: datetime
    secret: str | None = None
    signature_header: str = SIGNATURE_HEADER
    status: DeliveryStatus

    @classmethod
    def of(cls, sub: Subscription, status: DeliveryStatus, with_secret: bool = False) -> SubscriptionOut:
        return cls(
            id=sub.id,
            url=sub.url,
            filter=sub.filter,
            created_at=sub.created_at,
            secret=sub.secret if with_secret else None,
            status=status,
        )


def _field_errors(exc: ValidationError, index: int | None) -> list[FieldError]:
    out = []
    for e in exc.errors():
        loc = ".".join(str(p) for p in e["loc"]) or "article"
        out.append(FieldError(index=index, field=loc, message=e["msg"]))
    # ``id`` is derived from the other fields: its absence is a consequence, not the cause
    derived = [f for f in out if not (f.field == "id" and f.message == "Field required")]
    return derived or out


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def parse_articles(data: Any) -> tuple[list[Article], list[FieldError]]:
    """Validate one article or a list of them; the errors name the index and field."""
    if isinstance(data, dict):
        items, single = [data], True
    elif isinstance(data, list):
        items, single = data, False
    else:
        return [], [FieldError(index=None, field="body", message="expected an article object or a list of them")]
    if not items:
        return [], [FieldError(index=None, field="body", message="the list is empty")]
    if len(items) > MAX_ARTICLES_PER_REQUEST:
        return [], [
            FieldError(index=None, field="body", message=f"at most {MAX_ARTICLES_PER_REQUEST} articles per request")
        ]
    good, errors = [], []
    for i, item in enumerate(items):
        idx = None if single else i
        if not isinstance(item, dict):
            errors.append(FieldError(index=idx, field="article", message="an article must be a JSON object"))
            continue
        try:
            article = Article.model_validate(item)
            bad = [k for k, v in article.model_dump().items() if isinstance(v, str) and not _is_unicode(v)]
            if bad:
                errors.append(FieldError(index=idx, field=bad[0], message="not valid Unicode (a lone surrogate)"))
                continue
            good.append(article)
        except ValidationError as exc:
            errors.extend(_field_errors(exc, idx))
        except (ValueError, RecursionError) as exc:
            errors.append(FieldError(index=idx, field="article", message=str(exc)))
    return good, errors


def matches_query(state: EventState, q: str) -> bool:
    """Case-insensitive text search over an event's title, sources, article titles, claim values and quotes."""
    needle = q.casefold().strip()
    if not needle:
        return True
    hay = [
        state.title,
        state.id,
        *(a.source for a in state.articles),
        *(a.title or "" for a in state.articles),
        *(c.value for c in state.claims),
        *(c.quote for c in state.claims),
        *(c.slot for c in state.claims),
    ]
    return any(needle in h.casefold() for h in hay if h)


def filter_events(
    states: list[EventState],
    since: datetime | None,
    q: str | None,
    has_contradictions: bool | None,
    archived: bool = False,
) -> list[EventState]:
    """The events updated at or after ``since``, matching ``q``, with or without contradictions;
    archived events (idle, out of matching) only when ``archived``."""
    out = []
    for s in states:
        if s.archived and not archived:
            continue
        if since is not None and s.updated_at < since:
            continue
        if has_contradictions is not None and bool(s.contradictions) != has_contradictions:
            continue
        if q and not matches_query(s, q):
            continue
        out.append(s)
    return out


def _aware(dt: datetime | None) -> datetime | None:
    if dt is not None and dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt


ARTICLE_BODY_SCHEMA: dict[str, Any] = {
    "required": True,
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [
                    {"$ref": "#/components/schemas/ArticleIn"},
                    {
                        "type": "array",
                        "items": {"$ref": "#/components/schemas/ArticleIn"},
                        "minItems": 1,
                        "maxItems": MAX_ARTICLES_PER_REQUEST,
                    },
                ],
            }
        }
    },
}
ARTICLE_IN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "ArticleIn",
    "required": ["source", "body"],
    "description": "An article (CONTRACT.md). `id` is derived from `url`, else from source + title + body.",
    "properties": {
        "body": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200_000,
            "pattern": "\\S",
            "description": "Plain text (HTML is reduced to its text); not blank.",
        },
        "source": {"type": "string", "minLength": 1, "maxLength": 2000, "pattern": "\\S", "examples": ["BBC News"]},
        "id": {
            "type": "string",
            "pattern": "^[^\\x00-\\x1f\\x7f]{1,256}$",
            "description": "Stable id: 1-256 characters, no control characters.",
        },
        "url": {"type": ["string", "null"], "maxLength": 2000},
        "title": {"type": ["string", "null"], "maxLength": 2000},
        "published_at": {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "format": "date-time"},
                {"type": "null"},
            ],
            "description": "ISO 8601 date or datetime.",
        },
    },
}


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

    async def load(event_id: str) -> EventState:
        state = await store.get_event(event_id)
        if state is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return state

    @app.post(
        "/articles",
        status_code=202,
        response_model=Accepted,
        tags=["articles"],
        openapi_extra={"requestBody": ARTICLE_BODY_SCHEMA},
        responses={
            400: {"model": Invalid},
            413: {"model": Invalid},
            415: {"model": Invalid},
            422: {"model": Invalid},
            503: {"model": Invalid},
        },
    )
    async def post_articles(request: Request) -> Any:
        """Publish one article or a list of them to topic ``articles``; 202 with their ids."""
        raw = await request.body()  # BodyGuard: JSON only, refused at MAX_REQUEST_BYTES while read
        try:
            data = json.loads(raw)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
            msg = f"body is not JSON: {exc.msg if isinstance(exc, json.JSONDecodeError) else exc}"
            return JSONResponse(
                Invalid(detail=msg, errors=[FieldError(index=None, field="body", message=msg)]).model_dump(), 400
            )
        articles, errors = parse_articles(data)
        if errors:
            first = errors[0]
            where = f"[{first.index}]." if first.index is not None else ""
            detail = f"invalid article: {where}{first.field}: {first.message}"
            return JSONResponse(Invalid(detail=detail, errors=errors[:50]).model_dump(), 422)
        records = [a.model_dump(mode="json", exclude_none=True) for a in articles]
        try:
            await sink.send(records)
        except SinkUnavailable as exc:
            return JSONResponse(Invalid(detail=str(exc)).model_dump(), 503)
        try:  # the articles are on the topic: a counter Redis cannot take now is no error of the request
            await store.bump("api_articles", len(records))
        except Exception:
            log.warning("counting %d accepted articles failed", len(records), exc_info=True)
        return Accepted(ids=[a.id for a in articles], topic=settings.topics.articles)

    @app.get("/events", response_model=list[EventSummary], tags=["events"])
    async def list_events(
        request: Request,
        response: Response,
        since: Annotated[datetime | None, Query(description="Only events updated at or after this time.")] = None,
        q: Annotated[
            str | None,
            Query(
                max_length=500,
                description="Words (all of them, whole words, any case) "
                "in the title, sources, article titles or claims.",
            ),
        ] = None,
        has_contradictions: Annotated[bool | None, Query()] = None,
        severity: Annotated[
            Literal["low", "medium", "high"] | None,
            Query(description="Only events with a contradiction of at least this severity."),
        ] = None,
        archived: Annotated[
            bool,
            Query(
                description="Include archived events (idle, no longer matched); each stays readable by id either way."
            ),
        ] = False,
        limit: Annotated[int, Query(ge=1, le=500)] = 50,
        offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    ) -> list[EventSummary]:
        """Live events, most recently updated first (``X-Total-Count`` header: how many match, estimated when
        ``X-Total-Count-Exact`` is ``false``); ``archived=true`` lists the archived ones too. Read from the
        summary index: one small record per event, never the events' states."""
        page = await store.query_events(
            EventQuery(
                q=q,
                since=_aware(since),
                has_contradictions=has_contradictions,
                severity=severity,
                archived=archived,
                limit=limit,
                offset=offset,
            )
        )
        response.headers["X-Total-Count"] = str(page.total)
        if not page.exact:
            response.headers["X-Total-Count-Exact"] = "false"
        if offset + limit < page.total:
            params = {k: v for k, v in request.query_params.items() if k not in ("offset", "limit")}
            more = "".join(f"&{k}={quote(v)}" for k, v in params.items())
            response.headers["Link"] = f'</events?offset={offset + limit}&limit={limit}{more}>; rel="next"'
        return page.rows

    @app.get("/events/{event_id}", response_model=EventState, tags=["events"], responses={404: {}})
    async def get_event(event_id: str) -> EventState:
        """One event's state (CONTRACT.md)."""
        return await load(event_id)

    @app.get("/events/{event_id}/claims", response_model=list[Claim], tags=["events"], responses={404: {}})
    async def get_claims(event_id: str, slot: str | None = None, source: str | None = None) -> list[Claim]:
        """The event's claims, optionally of one slot or one source."""
        state = await load(event_id)
        return [c for c in state.claims if (slot is None or c.slot == slot) and (source is None or c.source == source)]

    @app.get(
        "/events/{event_id}/contradictions", response_model=list[Contradiction], tags=["events"], responses={404: {}}
    )
    async def get_contradictions(event_id: str) -> list[Contradiction]:
        """The event's contradictions."""
        return (await load(event_id)).contradictions

    @app.get("/events/{event_id}/history", response_model=list[HistoryItem], tags=["events"], responses={404: {}})
    async def get_history(event_id: str) -> list[HistoryItem]:
        """Every change of the event's state, by time (ties in the order applied), with the article that caused it."""
        state = await load(event_id)
        refs = {a.id: a for a in state.articles}
        ordered = sorted(state.history, key=lambda h: (h.at, h.seq))  # news time; ties in order applied
        return [HistoryItem(**h.model_dump(), article=refs.get(h.article_id)) for h in ordered]

    @app.get(
        "/alerts/stream",
        tags=["alerts"],
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

    @app.post("/subscriptions", status_code=201, response_model=SubscriptionOut, tags=["alerts"])
    async def create_subscription(body: SubscriptionIn) -> Any:
        """Register a webhook; the answer shows the secret (the only time it is shown).

        422 when the url does not resolve to public addresses (unless private targets are allowed)."""
        try:
            await check_target(body.url, settings.webhook_allow_private)
        except TargetRefused as exc:
            raise RequestValidationError(
                [{"loc": ("body", "url"), "msg": str(exc), "type": "value_error", "input": body.url}]
            ) from None
        sub = Subscription(
            id="sub-" + uuid.uuid4().hex[:16],
            url=body.url,
            filter=body.filter,
            secret=body.secret or secrets.token_urlsafe(24),
            created_at=datetime.now(UTC),
            start="0" if body.from_start else await store.alert_head(),
        )
        await store.save_subscription(sub)
        return SubscriptionOut.of(sub, await store.delivery_status(sub.id), with_secret=True)

    @app.get("/subscriptions", response_model=list[SubscriptionOut], tags=["alerts"])
    async def list_subscriptions() -> list[SubscriptionOut]:
        """Every webhook with its delivery status."""
        return [SubscriptionOut.of(s, await store.delivery_status(s.id)) for s in await store.list_subscriptions()]

    @app.get("/subscriptions/{sub_id}", response_model=SubscriptionOut, tags=["alerts"], responses={404: {}})
    async def get_subscription(sub_id: str) -> SubscriptionOut:
        """One webhook: deliveries acknowledged, given up, and its recent failures (newest first)."""
        sub = await store.get_subscription(sub_id)
        if sub is None:
            raise HTTPException(404, f"no subscription {sub_id!r}")
        return SubscriptionOut.of(sub, await store.delivery_status(sub_id))

    @app.delete("/subscriptions/{sub_id}", status_code=204, tags=["alerts"], responses={404: {}})
    async def delete_subscription(sub_id: str) -> Response:
        """Stop a webhook and forget its deliveries."""
        if not await store.delete_subscription(sub_id):
            raise HTTPException(404, f"no subscription {sub_id!r}")
        return Response(status_code=204)

    @app.post("/session", status_code=204, tags=["service"], responses={401: {}})
    async def open_session(body: SessionIn, request: Request) -> Response:
        """Exchange the read (or write) token for a session cookie (HttpOnly, SameSite=Strict, reads only,
        ``CONTRAFLOW_SESSION_TTL`` s): how the dashboard and its EventSource authenticate, no token in a URL."""
        if read_secret is None:
            return Response(status_code=204)  # reads are open: no cookie needed
        tokens = [t.encode() for t in (read_secret, secret) if t]
        if not allowed(body.token.encode(), *tokens):
            raise HTTPException(401, "wrong token", headers={"WWW-Authenticate": "Bearer"})
        resp = Response(status_code=204)
        resp.set_cookie(
            SESSION_COOKIE,
            session_value(read_secret.encode(), settings.session_ttl),
            max_age=int(settings.session_ttl),
            httponly=True,
            samesite="strict",
            path="/",
            secure=request.url.scheme == "https",
        )
        return resp

    @app.get("/healthz", response_model=Health, tags=["service"], responses={503: {"model": Health}})
    async def healthz() -> Any:
        """``ok`` when Redis answers and (if configured) the broker is reachable; 503 otherwise."""
        try:
            await store.counters()
            redis_ok = True
        except Exception:
            redis_ok = False
        kafka: bool | None = None
        if kafka_ok is not None:
            import asyncio

            kafka = await asyncio.get_running_loop().run_in_executor(None, kafka_ok)
        lost = await ledger_of(store).lost() if redis_ok else None  # recorded by a worker (streams.logcheck)
        ok = redis_ok and kafka is not False and not lost
        body = Health(status="ok" if ok else "degraded", redis=redis_ok, kafka=kafka, log_lost=lost)
        shown = body.model_dump(exclude=None if lost else {"log_lost"})  # the field only when it says something
        return JSONResponse(shown, status_code=200 if ok else 503)

    @app.get(
        "/metrics", response_class=PlainTextResponse, tags=["service"], responses={200: {"content": {"text/plain": {}}}}
    )
    async def metrics() -> PlainTextResponse:
        """Prometheus text: articles processed, claims, contradictions, alerts, consumer lag, processing time."""
        delivered = given_up = 0
        for s in await store.list_subscriptions():
            st = await store.delivery_status(s.id)
            delivered, given_up = delivered + st.delivered, given_up + st.given_up
        text = await render(store, lag, {"delivered": delivered, "given_up": given_up})
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4; charset=utf-8")

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/dashboard/")

    app.mount("/dashboard", StaticFiles(directory=STATIC, html=True), name="dashboard")
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

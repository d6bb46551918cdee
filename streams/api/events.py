"""``GET /events`` (a page of the summary index) and ``/events/{id}`` with its claims, contradictions, history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response

from agents.core.summary import EventQuery
from agents.ports import StateStore
from schemas import ArticleRef, Claim, Contradiction, EventState, EventSummary, HistoryEntry


class HistoryItem(HistoryEntry):
    """One state change of an event, with the article that caused it."""

    article: ArticleRef | None = None


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


def events_router(store: StateStore) -> APIRouter:
    """The event routes over ``store``: lists from its summary index, one event's parts from its state."""
    router = APIRouter(tags=["events"])

    async def load(event_id: str) -> EventState:
        state = await store.get_event(event_id)
        if state is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return state

    @router.get("/events", response_model=list[EventSummary])
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

    @router.get("/events/{event_id}", response_model=EventState, responses={404: {}})
    async def get_event(event_id: str) -> EventState:
        """One event's state (CONTRACT.md)."""
        return await load(event_id)

    @router.get("/events/{event_id}/claims", response_model=list[Claim], responses={404: {}})
    async def get_claims(event_id: str, slot: str | None = None, source: str | None = None) -> list[Claim]:
        """The event's claims, optionally of one slot or one source."""
        state = await load(event_id)
        return [c for c in state.claims if (slot is None or c.slot == slot) and (source is None or c.source == source)]

    @router.get("/events/{event_id}/contradictions", response_model=list[Contradiction], responses={404: {}})
    async def get_contradictions(event_id: str) -> list[Contradiction]:
        """The event's contradictions."""
        return (await load(event_id)).contradictions

    @router.get("/events/{event_id}/history", response_model=list[HistoryItem], responses={404: {}})
    async def get_history(event_id: str) -> list[HistoryItem]:
        """Every change of the event's state, by time (ties in the order applied), with the article that caused it."""
        state = await load(event_id)
        refs = {a.id: a for a in state.articles}
        ordered = sorted(state.history, key=lambda h: (h.at, h.seq))  # news time; ties in order applied
        return [HistoryItem(**h.model_dump(), article=refs.get(h.article_id)) for h in ordered]

    return router

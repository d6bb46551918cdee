"""The dashboard: its static files at ``/dashboard/`` (``/`` redirects there) and ``POST /session``,
which trades the read token for the cookie its requests and its EventSource carry."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field

from streams.api.access import SESSION_COOKIE, allowed, session_value
from streams.settings import Settings

STATIC = Path(__file__).resolve().parent / "static"


class SessionIn(BaseModel):
    """The token the dashboard exchanges for its session cookie."""

    token: str = Field(min_length=1, max_length=1024)


def session_router(settings: Settings) -> APIRouter:
    """``POST /session`` with the tokens of ``settings`` (the cookie is signed with the read token)."""
    router = APIRouter(tags=["service"])
    secret = settings.api_token.get_secret_value() if settings.api_token else None
    read_secret = settings.api_read_token.get_secret_value() if settings.api_read_token else None

    @router.post("/session", status_code=204, responses={401: {}})
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

    return router


def mount_dashboard(app: FastAPI) -> None:
    """``/`` (a redirect, outside the OpenAPI) and the static files under ``/dashboard``."""

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/dashboard/")

    app.mount("/dashboard", StaticFiles(directory=STATIC, html=True), name="dashboard")

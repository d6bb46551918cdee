"""Access control for the HTTP API: bearer tokens (compared in constant time) and CORS.

With ``CONTRAFLOW_API_TOKEN`` set, every write (POST, PUT, PATCH, DELETE) needs
``Authorization: Bearer <token>``; with ``CONTRAFLOW_API_READ_TOKEN`` set too, every read but
``/healthz`` and the dashboard's static files needs that token or the write token (reads may
pass it as ``?access_token=``, as a browser's EventSource cannot send headers). CORS is off unless
``CONTRAFLOW_CORS_ORIGINS`` lists origins. Tokens are never logged.
"""

from __future__ import annotations

import hmac
import json
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/", "/healthz"})
OPEN_PREFIXES = ("/dashboard",)
"""The dashboard's static files hold no data; its requests for data carry the token."""


def bearer(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, token = value.partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return token.strip()
    return None


def query_token(query: bytes) -> bytes | None:
    """The ``access_token`` query parameter (for reads only: browsers' EventSource sends no headers)."""
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        if name == b"access_token" and value:
            return unquote_to_bytes(value)
    return None


def allowed(token: bytes | None, *accepted: bytes) -> bool:
    """Whether ``token`` equals one of the accepted tokens (constant time, every one compared)."""
    ok = False
    for want in accepted:
        ok |= token is not None and hmac.compare_digest(token, want)
    return ok


class TokenGuard:
    """ASGI middleware: 401 for requests without the token their method needs."""

    def __init__(self, app: ASGIApp, write_token: str | None, read_token: str | None = None) -> None:
        self.app = app
        self.write = write_token.encode() if write_token else None
        self.read = read_token.encode() if read_token else None

    def needs(self, method: str, path: str) -> tuple[bytes, ...] | None:
        """The tokens that may make this request, or ``None`` when it is open."""
        if path in OPEN_PATHS or path.startswith(OPEN_PREFIXES) or method == "OPTIONS":
            return None
        if method in WRITE_METHODS:
            return (self.write,) if self.write else None
        if self.read:
            return tuple(t for t in (self.read, self.write) if t)
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted = self.needs(scope["method"], scope["path"])
        token = bearer(scope["headers"])
        if token is None and scope["method"] not in WRITE_METHODS:
            token = query_token(scope.get("query_string", b""))
        if accepted and not allowed(token, *accepted):
            body = json.dumps({"detail": "missing or wrong bearer token"}).encode()
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"), (b"www-authenticate", b"Bearer"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

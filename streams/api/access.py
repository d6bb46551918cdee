"""Access control for the HTTP API: bearer tokens (compared in constant time) and CORS.

With ``CONTRAFLOW_API_TOKEN`` set, every write (POST, PUT, PATCH, DELETE) needs
``Authorization: Bearer <token>``; with ``CONTRAFLOW_API_READ_TOKEN`` set too, every read but
``/healthz`` and the dashboard's static files needs that token or the write token, or the session
cookie ``POST /session`` sets for a browser (its EventSource cannot send headers): HttpOnly,
SameSite=Strict, expiring, signed with the read token, good for reads only. No token is taken from a
URL, and the access log redacts any credential a URL carries. CORS is off unless
``CONTRAFLOW_CORS_ORIGINS`` lists origins.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import time

from starlette.types import ASGIApp, Receive, Scope, Send

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
OPEN_PATHS = frozenset({"/", "/healthz", "/session"})
OPEN_PREFIXES = ("/dashboard", "/docs-assets/")
"""The dashboard's and the API docs' static files hold no data; its requests for data carry the session cookie.
``/session`` checks the token it is given itself."""
SESSION_COOKIE = "cf_session"
SECRET_PARAM = re.compile(r"(?i)([?&](?:access_token|token|ticket|api_key|apikey|key|secret|password)=)[^&\s\"]*")


def bearer(headers: list[tuple[bytes, bytes]]) -> bytes | None:
    """The token of an ``Authorization: Bearer`` header, if any."""
    for name, value in headers:
        if name.lower() == b"authorization":
            scheme, _, token = value.partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return token.strip()
    return None


def session_value(key: bytes, ttl: float, now: float | None = None) -> str:
    """A session cookie's value: its expiry (unix seconds) and the HMAC of it under ``key``."""
    expires = int((time.time() if now is None else now) + ttl)
    return f"{expires}.{_session_mac(key, expires)}"


def _session_mac(key: bytes, expires: int) -> str:
    return hmac.new(key, f"contraflow-session:{expires}".encode(), hashlib.sha256).hexdigest()


def session_ok(value: bytes | None, key: bytes, now: float | None = None) -> bool:
    """Whether a session cookie's value is signed under ``key`` and not expired."""
    if not value:
        return False
    expires, _, mac = value.decode("latin-1").partition(".")
    if not expires.isdigit() or len(expires) > 12:
        return False
    fresh = int(expires) > (time.time() if now is None else now)
    return hmac.compare_digest(_session_mac(key, int(expires)), mac) and fresh


def cookie(headers: list[tuple[bytes, bytes]], name: str) -> bytes | None:
    """The value of cookie ``name`` in the request's ``Cookie`` headers, if any."""
    want = name.encode()
    for key, value in headers:
        if key.lower() == b"cookie":
            for part in value.split(b";"):
                k, _, v = part.strip().partition(b"=")
                if k == want:
                    return v.strip()
    return None


def redact(text: str) -> str:
    """``text`` with the value of any credential-like query parameter replaced by ``***``."""
    return SECRET_PARAM.sub(r"\1***", text)


class RedactSecrets(logging.Filter):
    """Logging filter: credentials in URLs of a record's message and arguments become ``***``."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def redact_access_log(name: str = "uvicorn.access") -> None:
    """Put :class:`RedactSecrets` on the access logger (once)."""
    logger = logging.getLogger(name)
    if not any(isinstance(f, RedactSecrets) for f in logger.filters):
        logger.addFilter(RedactSecrets())


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
        # the cookie grants reads only: a cross-site write can never ride on it
        session = (
            self.read is not None
            and scope["method"] not in WRITE_METHODS
            and session_ok(cookie(scope["headers"], SESSION_COOKIE), self.read)
        )
        if accepted and not session and not allowed(token, *accepted):
            body = json.dumps({"detail": "missing or wrong bearer token"}).encode()
            await send(
                {
                    "type": "http.response.start",
                    "status": 401,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"www-authenticate", b"Bearer"),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)

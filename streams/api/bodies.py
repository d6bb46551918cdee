"""Request bodies and response headers every route gets: JSON-only writes, size limits while reading, CSP.

A write (POST, PUT, PATCH) with a body must be ``Content-Type: application/json`` (415 otherwise), so
no cross-site form or ``text/plain`` post reaches a route without a CORS preflight. A body is refused
with 413 as soon as it passes its route's limit (``Content-Length`` or counted while read), never read
whole first. The dashboard gets a Content-Security-Policy that runs only its own script file.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
DASHBOARD_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
"""No inline script, no script or style from elsewhere, no framing: data on the page can run nothing."""


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key.lower() == name:
            return bytes(value)
    return None


def is_json(content_type: bytes | None) -> bool:
    """Whether a ``Content-Type`` value is ``application/json`` (parameters such as charset allowed)."""
    if content_type is None:
        return False
    return content_type.split(b";", 1)[0].strip().lower() == b"application/json"


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class BodyGuard:
    """ASGI middleware: 415 for a write that is not JSON, 413 for a body past ``limits[path]`` (else ``default``)."""

    def __init__(self, app: ASGIApp, limits: dict[str, int], default: int) -> None:
        self.app, self.limits, self.default = app, limits, default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        if not is_json(_header(scope, b"content-type")):
            await _answer(send, 415, "writes take Content-Type: application/json only")
            return
        length = _header(scope, b"content-length")
        if length is not None and length.strip().isdigit() and int(length) > limit:
            await _answer(send, 413, f"request body over {limit} bytes")
            return
        chunks: list[bytes] = []
        size = 0
        while True:  # read (at most the limit) before the route runs: a body past it is never held whole
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _answer(send, 413, f"request body over {limit} bytes")
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


class SecurityHeaders:
    """ASGI middleware: ``nosniff`` and no referrer everywhere; the CSP and no framing on the dashboard."""

    def __init__(self, app: ASGIApp, prefix: str = "/dashboard") -> None:
        self.app, self.prefix = app, prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dashboard = scope["path"] == self.prefix or scope["path"].startswith(self.prefix + "/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
                if dashboard:
                    headers += [(b"content-security-policy", DASHBOARD_CSP.encode()), (b"x-frame-options", b"DENY")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)

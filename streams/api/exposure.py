"""Whether the API may serve where it is asked to: open writes on a reachable address are refused.

Without ``CONTRAFLOW_API_TOKEN`` anyone who reaches the API may publish articles and add webhooks. On
loopback that is only this host; on any other address (``0.0.0.0``, a LAN or public IP) it is everyone
on the network, so the API refuses there unless ``CONTRAFLOW_API_OPEN=true`` says it is meant, and then
it says so loudly in the log. Two checks: :func:`check_exposure` before listening (given the address to
bind), and :class:`ExposureGuard` on every request, by the address the request actually arrived on.
"""

from __future__ import annotations

import ipaddress
import json
import logging

from starlette.types import ASGIApp, Receive, Scope, Send

from streams.settings import Settings

log = logging.getLogger("contraflow.api")

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})
REFUSAL = (
    "no CONTRAFLOW_API_TOKEN is set, so anyone on this network could publish articles and add webhooks. Set "
    "CONTRAFLOW_API_TOKEN (and CONTRAFLOW_API_READ_TOKEN to guard reads), or listen on 127.0.0.1, or set "
    "CONTRAFLOW_API_OPEN=true if an open API is meant (docs/operations.md#settings, docs/security.md)"
)


class OpenExposure(RuntimeError):
    """The API was asked to listen beyond loopback with writes open to anyone."""


def is_loopback(host: str) -> bool:
    """Whether ``host`` (an address or a name, as given to ``--host``) is reachable from this host only."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # another name may resolve anywhere: treated as reachable


def check_exposure(settings: Settings, host: str) -> str | None:
    """Refuse (raise :class:`OpenExposure`) to serve on a non-loopback ``host`` without a write token,
    unless ``api_open`` is set; then return the warning to print (also logged). ``None``: nothing to say."""
    if settings.api_token is not None or is_loopback(host):
        return None
    if not settings.api_open:
        raise OpenExposure(f"refusing to listen on {host}: {REFUSAL}")
    warning = (
        f"WARNING: the API listens on {host} with no CONTRAFLOW_API_TOKEN (CONTRAFLOW_API_OPEN=true): "
        "anyone who reaches it can publish articles and add webhooks"
    )
    log.warning(warning)
    return warning


def _arrived_beyond_loopback(scope: Scope) -> str | None:
    """The local address a request arrived on, when it is an IP address other than loopback (a test
    client's ``testserver`` or a Unix socket's path is no network address: ``None``)."""
    server = scope.get("server")
    host = str(server[0]) if server else ""
    try:
        return None if ipaddress.ip_address(host).is_loopback else host
    except ValueError:
        return None


class ExposureGuard:
    """ASGI middleware for an API without a write token: a request that arrived on a non-loopback address
    gets 403 and the way out, unless ``api_open`` (then a warning, once per address). Installed only when
    no write token is set, so it costs nothing otherwise."""

    def __init__(self, app: ASGIApp, api_open: bool) -> None:
        self.app = app
        self.api_open = api_open
        self.warned: set[str] = set()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        host = _arrived_beyond_loopback(scope) if scope["type"] == "http" else None
        if host is None:
            await self.app(scope, receive, send)
            return
        if self.api_open:
            if host not in self.warned:
                self.warned.add(host)
                log.warning(
                    "WARNING: serving on %s with no CONTRAFLOW_API_TOKEN (CONTRAFLOW_API_OPEN=true): anyone who "
                    "reaches it can publish articles and add webhooks",
                    host,
                )
            await self.app(scope, receive, send)
            return
        if host not in self.warned:
            self.warned.add(host)
            log.error("refusing requests on %s: %s", host, REFUSAL)
        body = json.dumps({"detail": f"this API refuses requests on {host}: {REFUSAL}"}).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 403,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
            }
        )
        await send({"type": "http.response.body", "body": body})

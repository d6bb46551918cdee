"""Where webhooks may go: public addresses only, checked after DNS resolution, on registration and each delivery.

Loopback (``127.0.0.1``, ``127.1``, ``0x7f000001``, ``[::1]``, ``localhost``), link-local, private,
unspecified and reserved addresses are refused unless ``webhook_allow_private`` is set. Every refusal
has the same text, so a subscriber learns nothing about what listens where. A delivery connects to the
address that was checked (the host name goes in ``Host`` and TLS SNI), so a DNS answer that changes
between check and connect cannot redirect it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket

import httpx

REFUSED = (
    "webhook target refused: the url must resolve to public addresses only. A receiver on this host or a "
    "private network: set CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE=true on the API "
    "(docs/api.md#webhooks, docs/operations.md)"
)
"""The one text of every refusal (unresolvable, loopback, private, link-local...): it names the way out, the
same for all, so it still tells nothing about what listens where."""


class TargetRefused(ValueError):
    """The webhook URL does not lead to a public address (or ``str(exc)`` is :data:`REFUSED`)."""

    def __init__(self) -> None:
        super().__init__(REFUSED)


def is_public(address: str) -> bool:
    """Whether ``address`` (an IP literal) is a global unicast address."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int, timeout: float = 3.0) -> list[str]:
    """The addresses ``host`` resolves to (``TargetRefused`` when it does not)."""
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout)
    except (OSError, TimeoutError, UnicodeError):
        raise TargetRefused() from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise TargetRefused()
    return addresses


async def check_target(url: str, allow_private: bool = False) -> str | None:
    """The address to connect to for ``url`` (``None`` when private targets are allowed: resolve as usual).

    ``TargetRefused`` unless every address the host resolves to is public."""
    if allow_private:
        return None
    try:
        parsed = httpx.URL(url)
    except Exception:
        raise TargetRefused() from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise TargetRefused()
    addresses = await resolve(parsed.host, parsed.port or (443 if parsed.scheme == "https" else 80))
    if not all(is_public(a) for a in addresses):
        raise TargetRefused()
    return addresses[0]


def pinned(url: str, address: str | None) -> tuple[httpx.URL, dict[str, str], dict[str, str]]:
    """The URL to request (host replaced by the checked address), the ``Host`` header and the request
    extensions (TLS SNI and certificate check against the original host name)."""
    parsed = httpx.URL(url)
    if address is None:
        return parsed, {}, {}
    host_header = parsed.host if parsed.port is None else f"{parsed.host}:{parsed.port}"
    if ":" in parsed.host:
        host_header = f"[{parsed.host}]" + (f":{parsed.port}" if parsed.port is not None else "")
    extensions = {"sni_hostname": parsed.host} if parsed.scheme == "https" else {}
    return parsed.copy_with(host=address), {"Host": host_header}, extensions

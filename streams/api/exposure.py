"""Whether the API may listen where it is asked to: open writes on a reachable address are refused.

Without ``CONTRAFLOW_API_TOKEN`` anyone who reaches the API may publish articles and add webhooks. On
loopback that is only this host; on any other address (``0.0.0.0``, a LAN or public IP) it is everyone
on the network, so the API refuses to start there unless ``CONTRAFLOW_API_OPEN=true`` says it is meant,
and then it says so loudly in the log.
"""

from __future__ import annotations

import ipaddress
import logging

from streams.settings import Settings

log = logging.getLogger("contraflow.api")

LOOPBACK_NAMES = frozenset({"localhost", "ip6-localhost", "ip6-loopback"})


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
        raise OpenExposure(
            f"refusing to listen on {host}: without CONTRAFLOW_API_TOKEN anyone who reaches this address can "
            "publish articles and add webhooks. Set CONTRAFLOW_API_TOKEN (and CONTRAFLOW_API_READ_TOKEN to guard "
            "reads), listen on 127.0.0.1, or set CONTRAFLOW_API_OPEN=true if an open API is meant "
            "(docs/operations.md#settings, docs/security.md)."
        )
    warning = (
        f"WARNING: the API listens on {host} with no CONTRAFLOW_API_TOKEN (CONTRAFLOW_API_OPEN=true): "
        "anyone who reaches it can publish articles and add webhooks"
    )
    log.warning(warning)
    return warning

"""Stable, deterministic identifiers (a replay must produce the same ids)."""

import hashlib


def digest(*parts: str, n: int = 16) -> str:
    """Hex digest of the parts joined by a unit separator, ``n`` characters long."""
    h = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:n]

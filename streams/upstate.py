"""Where a running ``contraflow up`` says its servers are, so the other commands find them.

``up`` writes the addresses (with the embedded Redis's password: the file is private, 0600) to
``$XDG_RUNTIME_DIR/contraflow/up.json``, else ``$XDG_CACHE_HOME`` or ``~/.cache``; it deletes the file
when it stops. A command run without ``KAFKA_BOOTSTRAP`` / ``REDIS_URL`` uses the file while the
process that wrote it lives.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path

from streams.settings import Settings


def state_file() -> Path:
    """The file ``up`` writes (``CONTRAFLOW_STATE_FILE`` overrides)."""
    given = os.environ.get("CONTRAFLOW_STATE_FILE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_RUNTIME_DIR") or os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "contraflow" / "up.json"


def write(settings: Settings, path: Path | None = None) -> Path:
    """Record the servers of a running ``up`` (this process)."""
    path = path or state_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"pid": os.getpid(), "KAFKA_BOOTSTRAP": settings.kafka_bootstrap, "REDIS_URL": settings.redis_url}, f)
    return path


def remove(path: Path | None = None) -> None:
    """Forget the servers (``up`` stopped)."""
    with contextlib.suppress(FileNotFoundError):
        (path or state_file()).unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read(path: Path | None = None) -> tuple[str, str] | None:
    """(kafka bootstrap, redis url) of a running ``up``, or ``None``."""
    try:
        data = json.loads((path or state_file()).read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not _alive(int(data.get("pid", 0) or 0)):
        return None
    return str(data.get("KAFKA_BOOTSTRAP") or ""), str(data.get("REDIS_URL") or "")


def with_up(settings: Settings, path: Path | None = None) -> Settings:
    """``settings`` with the servers of a running ``up`` where none is configured."""
    if settings.kafka_bootstrap and settings.redis_url:
        return settings
    found = read(path)
    if found is None:
        return settings
    return settings.with_servers(settings.kafka_bootstrap or found[0], settings.redis_url or found[1])

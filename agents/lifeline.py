"""A child process that dies with its parent (the NLP processes, the embedded servers)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys


def die_with_parent(parent: int | None = None) -> None:
    """Ask Linux to SIGTERM this process when its parent dies (a no-op elsewhere).

    ``parent``: the pid the parent had; if it died already (before this call: a spawned child
    takes a second to get here), exit at once rather than live on as an orphan.
    """
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if parent is not None and os.getppid() != parent:
        os._exit(0)

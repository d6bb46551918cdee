"""CPU seconds of this process's descendants, by role (worker, nlp, broker, redis), read from ``/proc``.

A figure that other load on the machine disturbs less than wall time.
"""

from __future__ import annotations

import os
from pathlib import Path


def _role(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return "other"
    if "multiprocessing" in cmd:
        return "resource_tracker" if "resource_tracker" in cmd else "nlp"
    if "streams.cli worker" in cmd:
        return "worker"
    if "redis-server" in cmd:
        return "redis"
    if " broker " in cmd or "kafka.Kafka" in cmd:
        return "broker"
    return "other"


def tree_cpu() -> dict[str, float]:
    """CPU seconds used so far by the descendants of this process, by role (worker, nlp, broker, redis)."""
    tick = os.sysconf("SC_CLK_TCK")
    stats: dict[int, tuple[int, float]] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            raw = Path(f"/proc/{d}/stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        stats[int(d)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / tick)
    me = os.getpid()
    out: dict[str, float] = {}
    for pid, (_, cpu) in stats.items():
        p = pid
        while p in stats and p not in (0, 1, me):
            p = stats[p][0]
        if p == me and pid != me:
            role = _role(pid)
            out[role] = out.get(role, 0.0) + cpu
    return out

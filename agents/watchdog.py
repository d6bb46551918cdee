"""Stall detection for the agents' consumer: pure bookkeeping, no I/O.

A partition is stalled when it has messages past its committed offset, nothing of it is in flight
(the worker passes every partition as in flight while it has any message in hand), and its committed
offset has not moved for ``stall_seconds``. A healthy consumer either commits
(every few seconds while it works) or has a message in flight (waiting on Redis, say); a stalled
one has fetched past messages it never delivered (faust drops records fetched during a rebalance;
:mod:`agents.faust_fixes` now rewinds the case that caused the CI hangs, this guards against any
other). The remedy is to seek back to the committed offset: the pipeline is idempotent, so a
message delivered twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, TypeVar

P = TypeVar("P", bound=Hashable)


@dataclass
class StallWatch(Generic[P]):
    """Tracks each partition's committed offset; ``observe`` returns the partitions stalled now."""

    stall_seconds: float
    _since: dict[P, tuple[int | None, float]] = field(default_factory=dict)

    def observe(
        self, now: float, ends: Mapping[P, int], committed: Mapping[P, int | None], in_flight: Iterable[P]
    ) -> list[P]:
        """Partitions with a backlog, nothing in flight and no commit for ``stall_seconds``.

        ``ends``: each assigned partition's end offset (the next offset the broker will write);
        ``committed``: the consumer's committed offset (None: nothing committed yet, start at 0).
        A partition returned is forgotten, so the next report on it comes ``stall_seconds`` later.
        """
        busy = set(in_flight)
        stalled: list[P] = []
        for tp, end in ends.items():
            done = committed.get(tp)
            backlog = end > (done or 0)
            if not backlog or tp in busy:
                self._since.pop(tp, None)
                continue
            first = self._since.get(tp)
            if first is None or first[0] != done:
                self._since[tp] = (done, now)
            elif now - first[1] >= self.stall_seconds:
                stalled.append(tp)
                self._since.pop(tp, None)
        for tp in [tp for tp in self._since if tp not in ends]:
            del self._since[tp]
        return stalled

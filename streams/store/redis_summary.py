"""The summary index in Redis (:mod:`agents.core.summary`): what ``GET /events`` and ``contraflow
events`` read (issue 21).

Keys (under the store's prefix)::

    sum:{id}     JSON SummaryRecord          sx:{set}    ZSET event id -> updated_at (epoch s), one per
    sq:{word}    SET of event ids (postings)              set of ``summary.ALL_SETS``
    sw:{id}      SET of the event's indexed words           sum-totals  HASH of the projection's totals

A listing is one script (:data:`QUERY`): a ``ZREVRANGE`` of the set the filters name and a ``GET`` per
record, ``ZCOUNT`` for the total. A search reads the rarest word's postings when they are few
(``SCAN_WHOLE``), else walks the ordered set newest first testing membership, so its cost follows the
page and the rarest word, not the number of events. Writes go inside the caller's transaction
(:func:`queue`), as ``EVAL`` so that a Redis that lost its script cache cannot fail half a transaction.
"""

from __future__ import annotations

import json
import math
from typing import Any

from agents.core.summary import (
    ALL_SETS,
    MAX_WORDS,
    TOTALS,
    EventPage,
    EventQuery,
    SummaryRecord,
    query_words,
    set_for,
    sets_of,
)
from streams.store import lua

SUMMARY = lua.source("summary_write")
"""Write one event's summary record (or, with an empty record, take the event out of the index). ARGV:
key prefix, event id, record JSON ("": remove), its score (update time), the JSON list of the ordered
sets it belongs to, the JSON list of every ordered set, the most words per event, then the JSON list of
its new words (each posted once: ``sw:{id}`` holds the event's words)."""

QUERY = lua.source("summary_query")
"""One page of summaries in one round trip. ARGV: key prefix, ordered set name, lowest update time
("-inf": any), offset, limit, the posting size up to which a word's events are read whole, the events
walked at least for a common word's count, then the query's words. Returns the total (estimated when
``exact`` is 0: a common word counted over the events walked), ``exact``, then the records."""
SCAN_WHOLE = 2000
"""A word posted for at most this many events is searched by reading its events (else by walking the order)."""
WALK = 1000
"""Ordered events walked at least (for the count) when every word of a query is common."""
_ALL = json.dumps(ALL_SETS)


def queue(pipe: Any, prefix: str, event_id: str, rec: SummaryRecord | None, words: list[str]) -> None:
    """Queue the write of an event's record and words (``rec`` ``None``: take the event out of the index)."""
    if rec is None:
        pipe.eval(SUMMARY, 0, prefix, event_id, "", 0, "[]", _ALL, MAX_WORDS)
        return
    pipe.eval(
        SUMMARY,
        0,
        prefix,
        event_id,
        rec.model_dump_json(),
        rec.updated_at.timestamp(),
        json.dumps(sets_of(rec)),
        _ALL,
        MAX_WORDS,
        json.dumps(words, ensure_ascii=False),
    )


async def totals(client: Any, prefix: str) -> dict[str, int]:
    """The projection's totals (:data:`agents.core.summary.TOTALS`, ``kind:<kind>``): one hash read."""
    raw: Any = await client.hgetall(prefix + "sum-totals")
    out = {(k.decode() if isinstance(k, bytes) else str(k)): int(v) for k, v in raw.items()}
    return {name: out.get(name, 0) for name in TOTALS} | {k: v for k, v in out.items() if k not in TOTALS}


def parse(raw: str | None) -> SummaryRecord | None:
    """A stored record, or ``None``."""
    return SummaryRecord.model_validate_json(raw) if raw else None


async def query(client: Any, script: Any, prefix: str, q: EventQuery) -> EventPage:
    """One page of summaries (``script``: :data:`QUERY` registered on ``client``)."""
    wanted = set_for(q)
    if wanted is None or q.limit <= 0:
        return EventPage([], 0)
    lo: str | float = "-inf" if q.since is None else q.since.timestamp()
    if isinstance(lo, float) and math.isinf(lo):
        lo = "-inf"
    out: Any = await script(args=[prefix, wanted, lo, q.offset, q.limit, SCAN_WHOLE, WALK, *query_words(q.q)])
    total, exact, *raws = out
    rows = [r.row() for raw in raws if (r := parse(raw)) is not None]
    return EventPage(rows, int(total), bool(int(exact)))

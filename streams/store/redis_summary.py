"""The summary index in Redis (:mod:`agents.core.summary`): what ``GET /events`` and ``contraflow
events`` read (issue 21).

Keys (under the store's prefix)::

    sum:{id}     JSON SummaryRecord          sx:{set}    ZSET event id -> updated_at (epoch s), one per
    sq:{word}    SET of event ids (postings)              set of ``summary.ALL_SETS``
    sw:{id}      SET of the event's indexed words

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
    EventPage,
    EventQuery,
    SummaryRecord,
    query_words,
    set_for,
    sets_of,
)

SUMMARY = """
local p, id = ARGV[1], ARGV[2]
local inset = {}
for _, s in ipairs(cjson.decode(ARGV[5])) do inset[s] = true end
for _, s in ipairs(cjson.decode(ARGV[6])) do
  if inset[s] then redis.call('ZADD', p .. 'sx:' .. s, ARGV[4], id) else redis.call('ZREM', p .. 'sx:' .. s, id) end
end
local wk = p .. 'sw:' .. id
if ARGV[3] == '' then
  for _, w in ipairs(redis.call('SMEMBERS', wk)) do redis.call('SREM', p .. 'sq:' .. w, id) end
  redis.call('DEL', p .. 'sum:' .. id, wk)
  return 0
end
redis.call('SET', p .. 'sum:' .. id, ARGV[3])
local n, most = redis.call('SCARD', wk), tonumber(ARGV[7])
for i = 8, #ARGV do
  if n >= most then break end
  if redis.call('SADD', wk, ARGV[i]) == 1 then redis.call('SADD', p .. 'sq:' .. ARGV[i], id); n = n + 1 end
end
return 0
"""
"""Write one event's summary record (or, with an empty record, take the event out of the index). ARGV:
key prefix, event id, record JSON ("": remove), its score (update time), the JSON list of the ordered
sets it belongs to, the JSON list of every ordered set, the most words per event, then its new words
(each posted once: ``sw:{id}`` holds the event's words)."""

QUERY = """
local p = ARGV[1]
local zk, lo = p .. 'sx:' .. ARGV[2], ARGV[3]
local off, lim, scan, walk = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local ws = {}
for i = 8, #ARGV do ws[#ws + 1] = p .. 'sq:' .. ARGV[i] end
local ids, total, exact = {}, 0, 1
local inrange = redis.call('ZCOUNT', zk, lo, '+inf')
if #ws == 0 then
  total = inrange
  ids = redis.call('ZREVRANGE', zk, off, off + lim - 1)
  if off + #ids > inrange then  -- past the ``since`` bound
    local keep = {}
    for i = 1, math.max(0, inrange - off) do keep[i] = ids[i] end
    ids = keep
  end
else
  local small, size = nil, nil
  for _, k in ipairs(ws) do
    local n = redis.call('SCARD', k)
    if size == nil or n < size then size, small = n, k end
  end
  local function all(e)
    for _, k in ipairs(ws) do
      if k ~= small and redis.call('SISMEMBER', k, e) == 0 then return false end
    end
    return true
  end
  if size == 0 then
    total = 0
  elseif size <= scan then  -- a rare word: every event it names, ordered here
    local found = {}
    for _, e in ipairs(redis.call('SMEMBERS', small)) do
      local s = redis.call('ZSCORE', zk, e)
      if s and tonumber(s) >= tonumber(lo) and all(e) then found[#found + 1] = {tonumber(s), e} end
    end
    table.sort(found, function(a, b) if a[1] ~= b[1] then return a[1] > b[1] end return a[2] > b[2] end)
    total = #found
    for i = off + 1, math.min(#found, off + lim) do ids[#ids + 1] = found[i][2] end
  else  -- a common word: the ordered events newest first, until the page is full and the budget spent
    local pos, matched = 0, 0
    while pos < inrange and (pos < walk or #ids < lim) and pos < walk * 25 do
      local batch = redis.call('ZREVRANGE', zk, pos, math.min(pos + 255, inrange - 1))
      if #batch == 0 then break end
      pos = pos + #batch
      for _, e in ipairs(batch) do
        if redis.call('SISMEMBER', small, e) == 1 and all(e) then
          matched = matched + 1
          if matched > off and #ids < lim then ids[#ids + 1] = e end
        end
      end
    end
    if pos < inrange then exact = 0; total = math.floor(matched * inrange / pos + 0.5) else total = matched end
  end
end
local out = {total, exact}
for _, e in ipairs(ids) do out[#out + 1] = redis.call('GET', p .. 'sum:' .. e) or '' end
return out
"""
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
        *words,
    )


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

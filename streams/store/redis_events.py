"""Event states in Redis: read, and changed atomically by one update or one article.

An event's state is kept in parts so that merging one article reads and writes only what it
touches (:class:`~agents.core.merge.EventView`, :class:`~agents.core.merge.EventDelta`): the head
(title, features, contradictions, best values), the articles, the claims per slot and the
history. One Lua script (:data:`VIEW`) reads an article's view in one round trip, sending only the
slots whose version the store does not hold (:class:`~streams.store.redis_codec.SlotCache`);
``get_event`` assembles the whole state (:data:`READ_ALL`). An archived state is one compressed value
(:data:`~streams.store.redis_codec.COLD`).

Each event update is one optimistic transaction (WATCH on the head, MULTI/EXEC) that writes the
state, its summary record (:mod:`streams.store.redis_summary`) and its alerts
(:class:`~streams.store.redis_alerts.RedisAlertLog`) together, so a crash never leaves one without the
other. Every write of any part of an event also writes its head, so watching the head guards the
whole event.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import WatchError

from agents.core import summary
from agents.core.merge import EventDelta, EventView, apply_delta, claims_delta, head_of, same_article, view_of
from agents.core.summary import EventPage, EventQuery, SummaryRecord
from agents.ports import Applied, ArticleUpdate, Update
from schemas import Alert, ArticleRef, Claim, EventState, HistoryEntry
from streams.store import lua, redis_summary
from streams.store.redis_alerts import RedisAlertLog
from streams.store.redis_batch import Batch
from streams.store.redis_codec import (
    COLD,
    Placed,
    SlotCache,
    by_position,
    freeze,
    ordered_claims,
    parse_claim,
    position,
    thaw,
    url_key,
)

VIEW = lua.source("view")
"""One article's view of an event. KEYS: head, articles, urls, history, order counter, slot versions,
summary record. ARGV: slot hash prefix, article id, its url key ("" without url), a JSON object of the
slot versions the caller holds, then the article's claims' slots. Returns ``{0}`` for no event, else
head, article count, history length, last order number, the records of the held articles with the same
id or url key, the url keys of those records with their id lists, the touched slots (sorted), the
event's summary record ("" if none), then per slot the values of its claim hash, or 0 where the caller
holds its version (an unversioned slot is always sent)."""

READ_ALL = lua.source("read_all")
"""A whole event. KEYS: head, articles, slots set, history. ARGV: slot hash prefix."""


class RedisEvents(RedisAlertLog):
    """The :class:`~agents.ports.EventStore` in Redis (with the alert log its writes append to)."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        super().__init__(client, prefix)
        self._view_script = client.register_script(VIEW)
        self._read_all_script = client.register_script(READ_ALL)
        self._query_script = client.register_script(redis_summary.QUERY)
        self._slots = SlotCache()

    async def _read_all(self, client: Any, event_id: str) -> EventState | None:
        k = self._parts(event_id)
        out: Any = await self._evalsha(client, self._read_all_script, [k["head"], k["a"], k["slots"], k["h"]], [k["s"]])
        return self._assemble(out)

    @staticmethod
    def _assemble(out: Any) -> EventState | None:
        if out == [0]:
            return None
        head, recs, history, _slots, *per_slot = out
        if head.startswith(COLD):
            return thaw(head)
        records = sorted((json.loads(r) for r in recs), key=lambda r: r["n"])
        claims = ordered_claims([raw for values in per_slot for raw in values])
        return EventState.model_validate_json(head).model_copy(
            update={
                "articles": [ArticleRef.model_validate(r["ref"]) for r in records],
                "claims": claims,
                "history": [HistoryEntry.model_validate_json(h) for h in history],
            }
        )

    async def get_event(self, event_id: str) -> EventState | None:
        return await self._read_all(self.r, event_id)

    async def list_events(self) -> list[EventState]:
        ids: Any = await self.r.zrevrange(self._k("events"), 0, -1)
        if not ids:
            return []
        async with self.r.pipeline(transaction=False) as pipe:
            for i in ids:
                k = self._parts(str(i))
                await self._read_all_script(keys=[k["head"], k["a"], k["slots"], k["h"]], args=[k["s"]], client=pipe)
            outs = await pipe.execute()
        return [s for s in (self._assemble(o) for o in outs) if s is not None]

    async def merged_into(self, event_id: str) -> str | None:
        raw: Any = await self.r.get(self._k("event", event_id))
        if not raw:
            return None
        value = thaw(raw).merged_into if raw.startswith(COLD) else json.loads(raw).get("merged_into")
        return str(value) if value is not None else None

    def _summarise(self, pipe: Any, event_id: str, head: EventState, rec: SummaryRecord, words: list[str]) -> None:
        """Queue the event's summary record and words (inside MULTI); a merged-away event leaves the index."""
        merged = head.merged_into is not None
        redis_summary.queue(pipe, self.p, event_id, None if merged else rec, [] if merged else words)

    async def query_events(self, query: EventQuery) -> EventPage:
        return await redis_summary.query(self.r, self._query_script, self.p, query)

    async def totals(self) -> dict[str, int]:
        return await redis_summary.totals(self.r, self.p)

    def _log(self, pipe: Any, event_id: str, head: EventState, fresh: list[Alert], raw: str | None = None) -> None:
        """Queue the head (``raw``: as given), the event listing and the fresh alerts (inside MULTI)."""
        pipe.set(self._k("event", event_id), raw if raw is not None else head.model_dump_json())
        if head.merged_into is None:
            pipe.zadd(self._k("events"), {event_id: head.updated_at.timestamp()})
        else:  # merged away: readable by id, no longer listed
            pipe.zrem(self._k("events"), event_id)
        self._queue_alerts(pipe, fresh)

    def _put_articles(
        self, pipe: Any, k: dict[str, str], refs: Sequence[ArticleRef], claims: Sequence[Claim], first: int
    ) -> dict[str, Placed]:
        """Queue articles with their claims, numbered from ``first`` in order (inside MULTI); return the
        claims queued, with their positions, by slot."""
        by_article: dict[str, list[Claim]] = {}
        for c in claims:
            by_article.setdefault(c.article_id, []).append(c)
        placed: dict[str, Placed] = {}
        records: dict[str, str] = {}
        fields: dict[str, dict[str, str]] = {}  # one HSET per slot, one SADD (not two commands per claim)
        for n, ref in enumerate(refs, start=first):
            mine = by_article.get(ref.id, [])
            rec = {
                "ref": ref.model_dump(mode="json"),
                "claims": [[c.id, c.slot] for c in mine],
                "n": n,
                "u": url_key(ref),
            }
            records[ref.id] = json.dumps(rec)
            for i, c in enumerate(mine):
                pos = position(n, i)
                fields.setdefault(c.slot, {})[c.id] = f"{pos}|{c.model_dump_json()}"
                placed.setdefault(c.slot, []).append((pos, c))
        if records:
            pipe.hset(k["a"], mapping=records)
        for slot, values in fields.items():
            pipe.hset(k["s"] + slot, mapping=values)
        if fields:
            pipe.sadd(k["slots"], *fields)
        return placed

    async def apply(self, event_id: str, update: Update) -> Applied:
        """Replace the whole state (merges, archiving; an article goes through :meth:`apply_article`)."""
        k = self._parts(event_id)
        while True:
            async with self.r.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(k["head"])
                    old = await self._read_all(pipe, event_id)
                    new, alerts = update(old)
                    if old is not None and new == old:
                        await pipe.unwatch()
                        return Applied(old, [], False)
                    fresh = await self._fresh(pipe, alerts)
                    slots: Any = await pipe.smembers(k["slots"])
                    pipe.multi()
                    pipe.delete(k["a"], k["u"], k["slots"], k["h"], k["n"], k["sv"], *(k["s"] + str(s) for s in slots))
                    whole = summary.record_of(new)
                    self._summarise(
                        pipe, event_id, new, whole, summary.event_words(new.title, new.id, new.articles, new.claims)
                    )
                    if new.archived:  # read rarely: one compressed value
                        self._log(pipe, event_id, new, fresh, freeze(new))
                        pipe.zadd(self._k("archived"), {event_id: new.updated_at.timestamp()})
                        await pipe.execute()
                        return Applied(new, fresh, True)
                    pipe.zrem(self._k("archived"), event_id)
                    self._log(pipe, event_id, head_of(new), fresh)
                    self._put_articles(pipe, k, new.articles, new.claims, 1)
                    urls: dict[str, list[str]] = {}
                    for ref in new.articles:
                        if ref.url:
                            urls.setdefault(url_key(ref), []).append(ref.id)
                    for u, ids in urls.items():
                        pipe.hset(k["u"], u, json.dumps(ids))
                    if new.history:
                        pipe.rpush(k["h"], *(h.model_dump_json() for h in new.history))
                    pipe.set(k["n"], len(new.articles))
                    await pipe.execute()
                    return Applied(new, fresh, True)
                except WatchError:
                    continue

    def _queue_delta(
        self,
        pipe: Any,
        k: dict[str, str],
        delta: EventDelta,
        records: list[dict[str, Any]],
        held_urls: dict[str, list[str]],
        last: int,
    ) -> dict[str, Placed]:
        """Queue an article's change of the event's parts (inside MULTI): the dropped versions out
        (with their claims and url entries), the new articles in, numbered after ``last``, history appended.
        ``records`` and ``held_urls``: what the view read of the held articles and their url keys.
        Returns the claims added, with their positions, by slot."""
        drop = set(delta.drop)
        urls = dict(held_urls)
        for rec in records:
            aid = rec["ref"]["id"]
            if aid not in drop:
                continue
            pipe.hdel(k["a"], aid)
            for cid, slot in rec["claims"]:
                pipe.hdel(k["s"] + slot, cid)
            if rec.get("u"):
                urls[rec["u"]] = [i for i in urls.get(rec["u"], []) if i != aid]
        for a in delta.articles:
            if a.url:  # the view read the article's own url key, so its list is known
                key = url_key(a)
                urls[key] = [i for i in urls.get(key, []) if i != a.id] + [a.id]
        for u, ids in urls.items():
            if ids:
                pipe.hset(k["u"], u, json.dumps(ids))
            else:
                pipe.hdel(k["u"], u)
        placed = self._put_articles(pipe, k, delta.articles, delta.claims, last + 1)
        if delta.articles:
            pipe.set(k["n"], last + len(delta.articles))
        if delta.history:
            pipe.rpush(k["h"], *(h.model_dump_json() for h in delta.history))
        return placed

    async def apply_article(
        self, event_id: str, ref: ArticleRef, slots: Iterable[str], update: ArticleUpdate
    ) -> Applied:
        k = self._parts(event_id)
        url = url_key(ref)
        wanted = sorted(set(slots))
        while True:
            offered = {s: hit for s in wanted if (hit := self._slots.get(event_id, s)) is not None}
            async with self.r.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(k["head"])
                    out: Any = await self._evalsha(
                        pipe,
                        self._view_script,
                        [k["head"], k["a"], k["u"], k["h"], k["n"], k["sv"], self._k("sum", event_id)],
                        [k["s"], ref.id, url, json.dumps({s: hit[0] for s, hit in offered.items()}), *wanted],
                    )
                    view: EventView | None = None
                    records: list[dict[str, Any]] = []
                    held_urls: dict[str, list[str]] = {}
                    held: dict[str, Placed] = {}
                    last = 0
                    old_summary: SummaryRecord | None = None
                    if out != [0] and str(out[0]).startswith(COLD):
                        await pipe.unwatch()
                        return await self._apply_article_whole(event_id, ref, slots, update)
                    if out != [0]:
                        head, n_articles, n_history, last_raw, recs, urls, touched, summary_raw, *per_slot = out
                        old_summary = redis_summary.parse(summary_raw)
                        records = [json.loads(r) for r in recs]
                        held_urls = {urls[i]: json.loads(urls[i + 1]) for i in range(0, len(urls), 2)}
                        last = int(last_raw)
                        held = {
                            s: offered[s][1] if values == 0 else sorted(map(parse_claim, values), key=by_position)
                            for s, values in zip(touched, per_slot, strict=True)
                        }
                        self._slots.hits += sum(values == 0 for values in per_slot)
                        same = [ArticleRef.model_validate(r["ref"]) for r in sorted(records, key=lambda r: r["n"])]
                        view = EventView(
                            head=EventState.model_validate_json(head),
                            articles=int(n_articles),
                            last_seq=int(n_history),
                            same=[a for a in same if same_article(a, ref)],
                            slots=frozenset(touched),
                            claims=[c for _, c in sorted(itertools.chain(*held.values()), key=by_position)],
                        )
                    delta, alerts = update(view)
                    if delta is None:
                        await pipe.unwatch()
                        return Applied(view.head if view is not None else None, [], False)
                    fresh = await self._fresh(pipe, alerts)
                    writes = Batch()  # the parts' writes as one command of the transaction
                    self._log(writes, event_id, delta.head, fresh)
                    added = self._queue_delta(writes, k, delta, records, held_urls, last)
                    token = self._slots.token()
                    written = sorted(held.keys() | added.keys())
                    if written:
                        writes.hset(k["sv"], mapping=dict.fromkeys(written, token))
                    pipe.multi()
                    writes.queue(pipe)
                    self._summarise(
                        pipe,
                        event_id,
                        delta.head,
                        summary.updated(old_summary, delta.head, delta.articles, delta.drop, claims_delta(view, delta)),
                        summary.event_words(delta.head.title, event_id, delta.articles, delta.claims),
                    )
                    await pipe.execute()
                except WatchError:
                    continue
            drop = set(delta.drop)
            for s in written:  # what this write left in each slot, as of the new version
                kept = [pc for pc in held.get(s, []) if pc[1].article_id not in drop]
                self._slots.put(event_id, s, token, kept + added.get(s, []))
            return Applied(delta.head, fresh, True)

    async def _apply_article_whole(
        self, event_id: str, ref: ArticleRef, slots: Iterable[str], update: ArticleUpdate
    ) -> Applied:
        """:meth:`apply_article` on a compact (archived) state: through the whole state."""

        def whole(state: EventState | None) -> tuple[EventState, list[Alert]]:
            assert state is not None
            delta, raised = update(view_of(state, ref, slots))
            return (apply_delta(state, delta) if delta is not None else state), raised

        applied = await self.apply(event_id, whole)
        return Applied(head_of(applied.state) if applied.state is not None else None, applied.alerts, applied.changed)

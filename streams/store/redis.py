"""Redis state store: the projection that a replay of the Kafka log rebuilds.

Keys (all under one prefix, default ``cf:``)::

    event:{id}      JSON head of an EventState  events       ZSET id -> updated_at (epoch s)
    ev:{id}:a       HASH article id -> {"ref", "claims": [[id, slot]...], "n": order}
    ev:{id}:u       HASH source + LF + url -> JSON list of article ids (versions)
    ev:{id}:s:{slot} HASH claim id -> position "|" Claim JSON   ev:{id}:slots  SET of slots
    ev:{id}:sv      HASH slot -> version token of its claim hash (new on each article's write)
    ev:{id}:h       LIST of HistoryEntry JSON   ev:{id}:n    last article order number
    article:{id}    event id of an article     card:{id}    EventCard (card_to_json; matching index)
    posting:{key}   ZSET event id -> anchor    hot          ZSET event id -> last article (epoch s)
    merged          HASH absorbed id -> survivor alerts      STREAM of alerts (field "alert")
    alert-ids       SET of logged alert ids     counters     HASH of progress counters
    sub:{id}        JSON Subscription           subs         ZSET id -> created_at (epoch s)
    sub-status:{id} HASH cursor, given_up, state  sub-delivered:{id}  SET of acknowledged alert ids
    sub-failures:{id} LIST of DeliveryFailure JSON, newest first
    lease:{name}    owner of a lease (with a TTL) page:{url}   content hash last published (feeds)
    orig:{id}       ZSET "band|article" (MinHash bands)  origfp:{id}  HASH article -> [origin, size, signature]
    archived        ZSET archived event id -> updated_at (epoch s); an archived state is kept whole,
                    compressed, in ``event:{id}`` (:data:`COLD`) and its parts are deleted

The matching index (``card:``, ``posting:``, ``hot``) holds only the events that are neither
archived nor merged away; a lookup is one Lua script (:data:`LOOKUP`) that reads at most
``MAX_PER_KEY`` events per posting list, the rarest lists first until ``MAX_FOUND`` events are found,
and returns at most ``MAX_CANDIDATES`` cards, so its cost does not grow with the number of events
(``bench/matching.py`` measures it).

An event's state is kept in parts so that merging one article reads and writes only what it
touches (:class:`~agents.core.merge.EventView`, :class:`~agents.core.merge.EventDelta`): the head
(title, features, contradictions, best values), the articles, the claims per slot and the
history. One Lua script (:data:`VIEW`) reads an article's view in one round trip; ``get_event``
assembles the whole state (:data:`READ_ALL`).

The claims of a slot grow with the event (hundreds in a big one), and every article reads those of
the slots it touches. So the store keeps the slots it last read or wrote in process memory
(:class:`SlotCache`), each with the version token that its write left in ``ev:{id}:sv``; the view
script sends a slot's claims only when the version in Redis differs from the one held. The writer of
an article's change knows the slots' new content, so a worker that places every article of an event
reads its growing slots from Redis once. A write that does not go through an article (a merge of
events, archiving) drops the versions: the next view reads those slots whole.

Each event update is one optimistic transaction (WATCH on the head, MULTI/EXEC) that writes the
state and logs its alerts together, so a crash never leaves one without the other. Every write
of any part of an event also writes its head, so watching the head guards the whole event.
"""

from __future__ import annotations

import base64
import itertools
import json
import math
import uuid
import zlib
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError, WatchError

from agents.core import summary
from agents.core.matching import (
    MAX_CANDIDATES,
    MAX_FOUND,
    MAX_PER_KEY,
    UNDATED,
    EventCard,
    anchor,
    card_from_json,
    card_keys,
    card_to_json,
    index_keys,
    posting_changes,
    window,
)
from agents.core.merge import EventDelta, EventView, apply_delta, head_of, same_article, view_of
from agents.core.summary import EventPage, EventQuery, SummaryRecord
from agents.ports import Applied, ArticleUpdate, Update
from schemas import Alert, ArticleRef, Claim, EventFeatures, EventState, HistoryEntry
from schemas.subscription import DeliveryFailure, DeliveryStatus, Subscription
from streams.settings import Settings
from streams.store import lua, redis_summary
from streams.store.origins import RedisCopies

LOOKUP = lua.source("lookup")
"""Candidate lookup in one round trip. KEYS: the article's posting lists. ARGV: lowest anchor, the
article's day, highest anchor, events read per list on each side of the day, cards returned, card
key prefix, key of the ``hot`` set (its size is N, the number of indexed events), events found after
which no further list is read, "1" to read the undated band (score 0) of each list too. Lists are read
rarest first (fewest events, then the article's order
of keys). Events are ranked by the summed rarity (log N/df) of the keys they share with the article,
ties by id (the best ``MAX_CANDIDATES`` picked one by one: no sort of all the events read, no table
per key). Card keys are built from the prefix (one Redis, not a cluster)."""


VIEW = lua.source("view")
"""One article's view of an event. KEYS: head, articles, urls, history, order counter, slot versions,
summary record.
ARGV: slot hash prefix, article id, its url key ("" without url), a JSON object of the slot versions
the caller holds, then the article's claims' slots. Returns ``{0}`` for no event, else head, article
count, history length, last order number, the records of the held articles with the same id or url
key, the url keys of those records with their id lists, the touched slots (sorted), the event's summary
record ("" if none), then per slot
the values of its claim hash, or 0 where the caller holds its version (an unversioned slot is always
sent)."""

READ_ALL = lua.source("read_all")
"""A whole event. KEYS: head, articles, slots set, history. ARGV: slot hash prefix."""


COLD = "z:"
"""Prefix of a compact state in ``event:{id}``: base64 of the zlib-compressed EventState JSON."""


def _freeze(state: EventState) -> str:
    return COLD + base64.b64encode(zlib.compress(state.model_dump_json().encode(), 6)).decode()


def _thaw(raw: str) -> EventState:
    return EventState.model_validate_json(zlib.decompress(base64.b64decode(raw[len(COLD) :])))


def _bound(x: float) -> str | float:
    """A posting score bound as Redis reads it ("-inf", "+inf" or the number)."""
    if math.isinf(x):
        return "+inf" if x > 0 else "-inf"
    return x


def _url_key(ref: ArticleRef) -> str:
    return f"{ref.source}\n{ref.url}" if ref.url else ""


def _position(n: int, i: int) -> str:
    return f"{n:012d}.{i:06d}"


_CLAIMS: dict[str, Claim] = {}
_CLAIMS_LIMIT = 100_000


def _claim(raw: str) -> tuple[str, Claim]:
    """A stored claim (position, Claim), parsed once per process: claims never change once stored."""
    pos, _, body = raw.partition("|")
    c = _CLAIMS.get(body)
    if c is None:
        if len(_CLAIMS) >= _CLAIMS_LIMIT:
            _CLAIMS.clear()
        c = _CLAIMS[body] = Claim.model_validate_json(body)
    return pos, c


def _claims(raws: list[str]) -> list[Claim]:
    """Stored claims in state order."""
    return [c for _, c in sorted((_claim(r) for r in raws), key=_pos)]


def _pos(pc: tuple[str, Claim]) -> str:
    return pc[0]


Placed = list[tuple[str, Claim]]
"""A slot's claims with their positions, in state order."""
SLOT_CACHE_SLOTS = 4096
"""Slots (of any events) whose claims a store holds in memory at most (:class:`SlotCache`)."""


class SlotCache:
    """The claims of the slots a store last read or wrote, by (event id, slot), each with the version
    token it had then (least recently used dropped first). Process memory only: a slot is used from
    here only when Redis still has the same token (:data:`VIEW`)."""

    def __init__(self, limit: int = SLOT_CACHE_SLOTS) -> None:
        self.limit = limit
        self._held: OrderedDict[tuple[str, str], tuple[str, Placed]] = OrderedDict()
        self._prefix = uuid.uuid4().hex[:12]
        self._count = itertools.count(1)
        self.hits = 0
        """Slots a view took from here instead of from Redis."""

    def token(self) -> str:
        """A version token that no other write (of any process) has used."""
        return f"{self._prefix}.{next(self._count)}"

    def get(self, event_id: str, slot: str) -> tuple[str, Placed] | None:
        """The held version and claims of a slot, if any."""
        hit = self._held.get((event_id, slot))
        if hit is not None:
            self._held.move_to_end((event_id, slot))
        return hit

    def put(self, event_id: str, slot: str, token: str, placed: Placed) -> None:
        """Hold a slot's claims as of version ``token``."""
        self._held[(event_id, slot)] = (token, placed)
        self._held.move_to_end((event_id, slot))
        while len(self._held) > self.limit:
            self._held.popitem(last=False)


DROP_MARKS = lua.source("drop_marks")
"""Delete the article marks (``article:{id}``) that still name the event ARGV[1]."""

LEASE = lua.source("lease")
"""Take or renew a lease: set it when free, renew its TTL when the owner holds it, else refuse. KEYS: the
lease. ARGV: owner, TTL in milliseconds. Returns 1 when the owner holds the lease now, else 0."""


class RedisStore(RedisCopies):
    """A :class:`~agents.ports.StateStore` in Redis."""

    def __init__(self, client: aioredis.Redis, prefix: str = "cf:") -> None:
        self.r = client
        self.p = prefix
        self._lookup = client.register_script(LOOKUP)
        self._view_script = client.register_script(VIEW)
        self._read_all_script = client.register_script(READ_ALL)
        self._query_script = client.register_script(redis_summary.QUERY)
        self._lease = client.register_script(LEASE)
        self._slots = SlotCache()

    @classmethod
    def from_url(cls, url: str, prefix: str = "cf:") -> RedisStore:
        """Connect lazily to the Redis at ``url`` (redis://, rediss:// or unix://)."""
        client = aioredis.Redis.from_url(url, decode_responses=True, health_check_interval=10, retry_on_timeout=True)
        return cls(client, prefix)

    async def _evalsha(self, client: Any, script: Any, keys: list[str], args: list[Any]) -> Any:
        """Run a registered script on ``client`` (also a connection in WATCH mode) by its SHA, loading
        it once if Redis lost it; unlike calling the script on a pipeline, adds no SCRIPT EXISTS
        round trip to the pipeline's next execute."""
        try:
            return await client.evalsha(script.sha, len(keys), *keys, *args)
        except NoScriptError:
            await self.r.script_load(script.script)
            return await client.evalsha(script.sha, len(keys), *keys, *args)

    def _k(self, *parts: str) -> str:
        return self.p + ":".join(parts)

    def _parts(self, event_id: str) -> dict[str, str]:
        ev = self._k("ev", event_id, "")
        return {
            "head": self._k("event", event_id),
            "a": ev + "a",
            "u": ev + "u",
            "slots": ev + "slots",
            "h": ev + "h",
            "n": ev + "n",
            "s": ev + "s:",
            "sv": ev + "sv",
        }

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
            return _thaw(head)
        records = sorted((json.loads(r) for r in recs), key=lambda r: r["n"])
        claims = _claims([raw for values in per_slot for raw in values])
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
        value = _thaw(raw).merged_into if raw.startswith(COLD) else json.loads(raw).get("merged_into")
        return str(value) if value is not None else None

    def _summarise(self, pipe: Any, event_id: str, head: EventState, rec: SummaryRecord, words: list[str]) -> None:
        """Queue the event's summary record and words (inside MULTI); a merged-away event leaves the index."""
        merged = head.merged_into is not None
        redis_summary.queue(pipe, self.p, event_id, None if merged else rec, [] if merged else words)

    async def query_events(self, query: EventQuery) -> EventPage:
        return await redis_summary.query(self.r, self._query_script, self.p, query)

    def _log(self, pipe: Any, event_id: str, head: EventState, fresh: list[Alert], raw: str | None = None) -> None:
        """Queue the head (``raw``: as given), the event listing and the fresh alerts (inside MULTI)."""
        pipe.set(self._k("event", event_id), raw if raw is not None else head.model_dump_json())
        if head.merged_into is None:
            pipe.zadd(self._k("events"), {event_id: head.updated_at.timestamp()})
        else:  # merged away: readable by id, no longer listed
            pipe.zrem(self._k("events"), event_id)
        for a in fresh:
            pipe.sadd(self._k("alert-ids"), a.id)
            pipe.xadd(self._k("alerts"), {"alert": a.model_dump_json()})

    async def _fresh(self, pipe: Any, alerts: list[Alert]) -> list[Alert]:
        known = await pipe.smismember(self._k("alert-ids"), [a.id for a in alerts]) if alerts else []
        return [a for a, seen in zip(alerts, known, strict=True) if not seen]

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
                "u": _url_key(ref),
            }
            records[ref.id] = json.dumps(rec)
            for i, c in enumerate(mine):
                pos = _position(n, i)
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
                        self._log(pipe, event_id, new, fresh, _freeze(new))
                        pipe.zadd(self._k("archived"), {event_id: new.updated_at.timestamp()})
                        await pipe.execute()
                        return Applied(new, fresh, True)
                    pipe.zrem(self._k("archived"), event_id)
                    self._log(pipe, event_id, head_of(new), fresh)
                    self._put_articles(pipe, k, new.articles, new.claims, 1)
                    urls: dict[str, list[str]] = {}
                    for ref in new.articles:
                        if ref.url:
                            urls.setdefault(_url_key(ref), []).append(ref.id)
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
                key = _url_key(a)
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
        url = _url_key(ref)
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
                            s: offered[s][1] if values == 0 else sorted(map(_claim, values), key=_pos)
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
                            claims=[c for _, c in sorted(itertools.chain(*held.values()), key=_pos)],
                        )
                    delta, alerts = update(view)
                    if delta is None:
                        await pipe.unwatch()
                        return Applied(view.head if view is not None else None, [], False)
                    fresh = await self._fresh(pipe, alerts)
                    pipe.multi()
                    self._log(pipe, event_id, delta.head, fresh)
                    added = self._queue_delta(pipe, k, delta, records, held_urls, last)
                    self._summarise(
                        pipe,
                        event_id,
                        delta.head,
                        summary.updated(old_summary, delta.head, delta.articles, delta.drop),
                        summary.event_words(delta.head.title, event_id, delta.articles, delta.claims),
                    )
                    token = self._slots.token()
                    written = sorted(held.keys() | added.keys())
                    if written:
                        pipe.hset(k["sv"], mapping=dict.fromkeys(written, token))
                    await pipe.execute()
                except WatchError:
                    continue
            drop = set(delta.drop)
            for s in written:  # what this write left in each slot, as of the new version
                kept = [pc for pc in held.get(s, []) if pc[1].article_id not in drop]
                self._slots.put(event_id, s, token, kept + added.get(s, []))
            return Applied(delta.head, fresh, True)

    async def assignment(self, article_id: str) -> str | None:
        value = await self.r.get(self._k("article", article_id))
        eid = str(value) if value is not None else None
        for _ in range(64):  # follow merges to the surviving event
            if eid is None:
                break
            nxt = await self.r.hget(self._k("merged"), eid)
            if nxt is None:
                break
            eid = str(nxt)
        return eid

    async def candidates(self, f: EventFeatures) -> list[EventCard]:
        keys = index_keys(f)
        if not keys:
            return []
        lo, mid, hi = window(f)
        raws: Any = await self._lookup(
            keys=[self._k("posting", k) for k in keys],
            args=[
                _bound(lo),
                _bound(mid),
                _bound(hi),
                max(1, MAX_PER_KEY // 2),
                MAX_CANDIDATES,
                self._k("card", ""),
                self._k("hot"),
                MAX_FOUND,
                "1" if lo > UNDATED else "0",
            ],
        )
        return [card_from_json(raw) for raw in raws if raw]

    def put_card(self, pipe: Any, old: EventCard | None, card: EventCard) -> None:
        """Queue the writes of a new or changed card: the card, its postings moved, its last article time."""
        gone, keep = posting_changes(old, card)
        score = anchor(card)
        pipe.set(self._k("card", card.event_id), card_to_json(card))
        for k in gone:
            pipe.zrem(self._k("posting", k), card.event_id)
        for k in keep:
            pipe.zadd(self._k("posting", k), {card.event_id: score})
        pipe.zadd(self._k("hot"), {card.event_id: card.last_seen.timestamp()})

    def _drop_card(self, pipe: Any, card: EventCard) -> None:
        for k in card_keys(card):
            pipe.zrem(self._k("posting", k), card.event_id)
        pipe.delete(self._k("card", card.event_id))
        pipe.zrem(self._k("hot"), card.event_id)

    async def assign(
        self, article_id: str, card: EventCard, old: EventCard | None = None, absorbed: Sequence[EventCard] = ()
    ) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            for gone in absorbed:
                if gone.event_id != card.event_id:
                    self._drop_card(pipe, gone)
                    pipe.hset(self._k("merged"), gone.event_id, card.event_id)
            pipe.set(self._k("article", article_id), card.event_id)
            self.put_card(pipe, old, card)
            await pipe.execute()

    async def idle_events(self, before: datetime, limit: int = 16) -> list[str]:
        ids: Any = await self.r.zrangebyscore(self._k("hot"), "-inf", f"({before.timestamp()!r}", start=0, num=limit)
        return [str(e) for e in ids or []]

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

    async def drop_archived(self, before: datetime, limit: int = 16) -> list[str]:
        ids: Any = await self.r.zrangebyscore(
            self._k("archived"), "-inf", f"({before.timestamp()!r}", start=0, num=limit
        )
        gone: list[str] = []
        for eid in map(str, ids or []):
            k = self._parts(eid)
            async with self.r.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(k["head"])
                    raw: Any = await pipe.get(k["head"])
                    state = _thaw(raw) if raw and raw.startswith(COLD) else None
                    pipe.multi()
                    if state is not None:
                        mine = sorted({a.id for a in state.articles} | {h.article_id for h in state.history})
                        if mine:
                            # an article whose mark names another event since (a merge) keeps it
                            pipe.eval(DROP_MARKS, len(mine), *(self._k("article", i) for i in mine), eid)
                        pipe.delete(k["head"])
                        pipe.zrem(self._k("events"), eid)
                        redis_summary.queue(pipe, self.p, eid, None, [])
                    pipe.zrem(self._k("archived"), eid)
                    await pipe.execute()
                    if state is not None:
                        gone.append(eid)
                except WatchError:
                    continue
        return gone

    async def archive_idle(self, before: datetime, limit: int = 16) -> list[str]:
        ids = await self.idle_events(before, limit)
        if not ids:
            return []
        raws = await self.r.mget([self._k("card", e) for e in ids])
        async with self.r.pipeline(transaction=True) as pipe:
            for e, raw in zip(ids, raws, strict=True):
                if raw:
                    self._drop_card(pipe, card_from_json(raw))
                else:
                    pipe.zrem(self._k("hot"), e)
            await pipe.execute()
        return ids

    async def alerts(self, after: str = "0", limit: int = 1000, wait: float = 0.0) -> list[tuple[str, Alert]]:
        rows: Any
        if wait > 0:  # XREAD blocks until an entry after the cursor is logged, or the time is up
            found: Any = await self.r.xread({self._k("alerts"): after}, count=limit, block=max(1, int(wait * 1000)))
            rows = found[0][1] if found else []
        else:
            rows = await self.r.xrange(self._k("alerts"), min=f"({after}" if after != "0" else "-", count=limit)
        return [(str(rid), Alert.model_validate_json(fields["alert"])) for rid, fields in rows or []]

    async def bump(self, name: str, n: int = 1) -> None:
        await self.r.hincrby(self._k("counters"), name, n)

    async def bump_many(self, counts: Mapping[str, int]) -> None:
        async with self.r.pipeline(transaction=False) as pipe:
            for name, n in counts.items():
                pipe.hincrby(self._k("counters"), name, n)
            await pipe.execute()

    async def counters(self) -> dict[str, int]:
        raw: Any = await self.r.hgetall(self._k("counters"))
        return {str(k): int(v) for k, v in raw.items()}

    async def alert_head(self) -> str:
        rows = await self.r.xrevrange(self._k("alerts"), count=1)
        return str(rows[0][0]) if rows else "0"

    async def save_subscription(self, sub: Subscription) -> None:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.set(self._k("sub", sub.id), sub.model_dump_json())
            pipe.zadd(self._k("subs"), {sub.id: sub.created_at.timestamp()})
            pipe.hsetnx(self._k("sub-status", sub.id), "cursor", sub.start)
            await pipe.execute()

    async def get_subscription(self, sub_id: str) -> Subscription | None:
        raw = await self.r.get(self._k("sub", sub_id))
        return Subscription.model_validate_json(raw) if raw else None

    async def list_subscriptions(self) -> list[Subscription]:
        ids = await self.r.zrange(self._k("subs"), 0, -1)
        if not ids:
            return []
        raws = await self.r.mget([self._k("sub", str(i)) for i in ids])
        return [Subscription.model_validate_json(r) for r in raws if r]

    async def delete_subscription(self, sub_id: str) -> bool:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.delete(self._k("sub", sub_id))
            pipe.zrem(self._k("subs"), sub_id)
            pipe.delete(
                self._k("sub-status", sub_id), self._k("sub-delivered", sub_id), self._k("sub-failures", sub_id)
            )
            existed, *_ = await pipe.execute()
        return bool(existed)

    async def delivery_status(self, sub_id: str) -> DeliveryStatus:
        async with self.r.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._k("sub-status", sub_id))
            pipe.scard(self._k("sub-delivered", sub_id))
            pipe.lrange(self._k("sub-failures", sub_id), 0, -1)
            status, delivered, failures = await pipe.execute()
        return DeliveryStatus(
            cursor=status.get("cursor", "0"),
            delivered=int(delivered),
            given_up=int(status.get("given_up", 0)),
            state=status.get("state", "ok"),
            failures=[DeliveryFailure.model_validate_json(f) for f in failures],
        )

    async def was_delivered(self, sub_id: str, alert_id: str) -> bool:
        return bool(await self.r.sismember(self._k("sub-delivered", sub_id), alert_id))

    async def record_delivery(self, sub_id: str, alert_id: str, cursor: str) -> bool:
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.sadd(self._k("sub-delivered", sub_id), alert_id)
            pipe.hset(self._k("sub-status", sub_id), mapping={"cursor": cursor, "state": "ok"})
            added, _ = await pipe.execute()
        return bool(added)

    async def record_failure(self, sub_id: str, failure: DeliveryFailure, keep: int = 50) -> None:
        key = self._k("sub-status", sub_id)
        async with self.r.pipeline(transaction=True) as pipe:
            pipe.lpush(self._k("sub-failures", sub_id), failure.model_dump_json())
            pipe.ltrim(self._k("sub-failures", sub_id), 0, keep - 1)
            pipe.hset(key, "state", "failing" if failure.final else "retrying")
            if failure.final:
                pipe.hincrby(key, "given_up", 1)
            await pipe.execute()

    async def advance_cursor(self, sub_id: str, cursor: str) -> None:
        await self.r.hset(self._k("sub-status", sub_id), "cursor", cursor)

    async def lease(self, name: str, owner: str, ttl: float) -> bool:
        """Take the lease if it is free or ``owner``'s, with a new TTL (one script: atomic)."""
        return bool(await self._lease(keys=[self._k("lease", name)], args=[owner, max(1, int(ttl * 1000))]))

    async def page_hash(self, url: str) -> str | None:
        value = await self.r.get(self._k("page", url))
        return str(value) if value is not None else None

    async def remember_page(self, url: str, content_hash: str) -> None:
        await self.r.set(self._k("page", url), content_hash)

    async def clear(self) -> None:
        cursor = 0
        while True:
            cursor, keys = await self.r.scan(cursor, match=self.p + "*", count=1000)
            if keys:
                await self.r.delete(*keys)
            if cursor == 0:
                break

    async def close(self) -> None:
        await self.r.aclose()


@asynccontextmanager
async def connected(settings: Settings, prefix: str | None = None) -> AsyncIterator[RedisStore]:
    """A :class:`RedisStore` on the configured Redis (and key prefix), closed on exit."""
    if not settings.redis_url:
        raise ValueError("REDIS_URL is not set")
    store = RedisStore.from_url(settings.redis_url, settings.redis_prefix if prefix is None else prefix)
    try:
        yield store
    finally:
        await store.close()

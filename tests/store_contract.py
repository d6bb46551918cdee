"""One test suite for every StateStore implementation (memory in unit tests, Redis in integration)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

from agents.core.card_index import LOOKUP_DAYS, MAX_CANDIDATES, MAX_FOUND, MAX_PER_KEY
from agents.core.cards import EventCard
from agents.core.merge import EventDelta, EventView, head_of, merge, merge_article
from agents.core.summary import EventQuery, record_of
from agents.ports import ArticleUpdate, StateStore, Update
from schemas import (
    Alert,
    ArticleRef,
    Claim,
    Contradiction,
    ContradictionSide,
    CountValue,
    EventFeatures,
    EventState,
    Extracted,
    PolarityValue,
)
from schemas.subscription import AlertFilter, DeliveryFailure, Subscription

T0 = datetime(2017, 2, 25, 12, tzinfo=UTC)


def state(event_id: str, n: int = 0) -> EventState:
    return EventState(id=event_id, title=f"event {event_id}", updated_at=T0 + timedelta(minutes=n))


def alert(alert_id: str, event_id: str) -> Alert:
    con = Contradiction(
        id="c1",
        slot="killed",
        detected_at=T0,
        detected_by_article="a2",
        sides=[ContradictionSide(value="32", claim_ids=["x"]), ContradictionSide(value="42", claim_ids=["y"])],
    )
    return Alert(id=alert_id, event_id=event_id, created_at=T0, article_id="a2", contradiction=con)


def card(
    event_id: str, n: int = 1, entities: tuple[str, ...] = ("homs",), day: float = 0.0, seen: float = 0.0
) -> EventCard:
    when = T0 + timedelta(days=day)
    return EventCard(
        event_id=event_id,
        features=EventFeatures(entities=list(entities), date=when),
        n_articles=n,
        last_seen=T0 + timedelta(days=seen),
        date_min=when,
        date_max=when,
    )


def article(*entities: str, day: float = 0.0) -> EventFeatures:
    return EventFeatures(entities=list(entities), date=T0 + timedelta(days=day))


def merging(x: Extracted, at: datetime) -> ArticleUpdate:
    """The change of event "ev" by article ``x`` merged at ``at``, without alerts."""

    def update(view: EventView | None) -> tuple[EventDelta | None, list[Alert]]:
        return merge_article(view, "ev", x, at)[0], []

    return update


def archiving(whole: EventState) -> Update:
    """A whole-state write that archives the event (``whole``: the state written when there is none)."""

    def update(s: EventState | None) -> tuple[EventState, list[Alert]]:
        return (s.model_copy(update={"archived": True}), []) if s else (whole, [])

    return update


def replacing(new: EventState) -> Update:
    """A whole-state write of ``new``, without alerts."""

    def update(_: EventState | None) -> tuple[EventState, list[Alert]]:
        return new, []

    return update


async def check_apply_and_get(store: StateStore) -> None:
    assert await store.get_event("e1") is None
    applied = await store.apply("e1", lambda old: (state("e1"), []))
    assert applied.changed and applied.state == state("e1")
    assert await store.get_event("e1") == state("e1")


async def check_apply_same_state_is_noop(store: StateStore) -> None:
    await store.apply("e1", lambda old: (state("e1"), [alert("al1", "e1")]))
    again = await store.apply("e1", lambda old: (old or state("e1"), [alert("al1", "e1")]))
    assert not again.changed and again.alerts == []
    assert [a.id for _, a in await store.alerts()] == ["al1"]


async def check_alerts_logged_once_in_order(store: StateStore) -> None:
    await store.apply("e1", lambda old: (state("e1", 1), [alert("al1", "e1")]))
    await store.apply("e1", lambda old: (state("e1", 2), [alert("al1", "e1"), alert("al2", "e1")]))
    logged = await store.alerts()
    assert [a.id for _, a in logged] == ["al1", "al2"]
    after_first = await store.alerts(after=logged[0][0])
    assert [a.id for _, a in after_first] == ["al2"]


async def check_list_newest_first(store: StateStore) -> None:
    await store.apply("old", lambda _: (state("old", 1), []))
    await store.apply("new", lambda _: (state("new", 5), []))
    assert [e.id for e in await store.list_events()] == ["new", "old"]


async def check_merged_events_not_listed(store: StateStore) -> None:
    await store.apply("e1", lambda _: (state("e1", 1), []))
    await store.apply("e2", lambda _: (state("e2", 2).model_copy(update={"merged_into": "e1"}), []))
    assert [e.id for e in await store.list_events()] == ["e1"]
    gone = await store.get_event("e2")
    assert gone is not None and gone.merged_into == "e1"


async def check_assign_and_candidates(store: StateStore) -> None:
    assert await store.assignment("a1") is None
    await store.assign("a1", card("e1", entities=("homs", "assad")))
    await store.assign("a2", card("e2", entities=("homs",)))
    assert await store.assignment("a1") == "e1"
    found = await store.candidates(article("homs", "assad"))
    assert [c.event_id for c in found] == ["e1", "e2"]  # rarest shared keys first
    assert found[0] == card("e1", entities=("homs", "assad"))  # the card reads back as written
    assert await store.candidates(article("nowhere")) == []
    assert await store.candidates(article("homs", day=LOOKUP_DAYS + 1)) == []  # outside the date window


async def check_candidates_bounded_and_nearest(store: StateStore) -> None:
    for i in range(12):  # one posting list of 12 events, a day apart
        await store.assign(f"a{i}", card(f"e{i:02d}", day=float(i)))
    found = [c.event_id for c in await store.candidates(article("homs", day=5.5))]
    assert len(found) == MAX_CANDIDATES
    half = max(1, MAX_PER_KEY // 2)
    near = {f"e{i:02d}" for i in range(6 - half, 6 + half)}  # nearest on each side of the day
    assert set(found) <= near and found == sorted(found)  # equal rarity: ties by id


async def check_lists_read_rarest_first_until_enough_found(store: StateStore) -> None:
    half = max(1, MAX_PER_KEY // 2)
    rare = [f"r{i}" for i in range(-(-MAX_FOUND // (2 * half)))]  # enough lists to find MAX_FOUND events
    for key in rare:  # 2 * half events a list, around day 0
        for j, day in enumerate([*range(-half, 0), *range(1, half + 1)]):
            await store.assign(f"a-{key}-{j}", card(f"{key}-{j}", entities=(key,), day=float(day)))
    await store.assign("az", card("zz", entities=(rare[0], "common"), day=0.5))  # also in the common list
    for j in range(2 * half + 2):  # the common list: more events than any rare one
        await store.assign(f"am{j}", card(f"m{j}", entities=("common",), day=5.0 + j))
    # one rare list finds too few events: the common list is read too, and zz shares both keys
    assert (await store.candidates(article(rare[0], "common")))[0].event_id == "zz"
    # all the rare lists find MAX_FOUND events before the common list would be read: zz has one key
    found = [c.event_id for c in await store.candidates(article(*rare, "common"))]
    assert len(found) == MAX_CANDIDATES and "zz" not in found


async def check_event_on_the_articles_day_counted_once(store: StateStore) -> None:
    await store.assign("a1", card("e1", entities=("homs",), day=0.0))  # on the article's day: both sides
    await store.assign("a2", card("e2", entities=("assad",), day=1.0))
    await store.assign("a3", card("e3", entities=("homs",), day=2.0))
    # idf: homs log(4/2)+0.1 ~ 0.79, assad log(4/1)+0.1 ~ 1.49; e1 counted twice would come first
    found = [c.event_id for c in await store.candidates(article("homs", "assad", day=0.0))]
    assert found == ["e2", "e1", "e3"]


async def check_card_update_moves_postings(store: StateStore) -> None:
    old = card("e1", entities=("homs", "assad"))
    await store.assign("a1", old)
    new = card("e1", n=2, entities=("homs", "putin"), day=1.0)
    await store.assign("a2", new, old)
    assert await store.candidates(article("assad")) == []
    assert [c.event_id for c in await store.candidates(article("putin"))] == ["e1"]
    assert (await store.candidates(article("homs")))[0].n_articles == 2
    await store.assign("a2", new, old)  # the same write again changes nothing
    assert [c.event_id for c in await store.candidates(article("homs"))] == ["e1"]


async def check_merge_events(store: StateStore) -> None:
    a, b = card("e1", entities=("homs", "assad")), card("e2", entities=("homs", "putin"))
    await store.assign("a1", a)
    await store.assign("a2", b)
    merged = card("e1", n=3, entities=("homs", "assad", "putin"))
    await store.assign("a3", merged, a, absorbed=[b])
    await store.assign("a3", merged, a, absorbed=[b])  # idempotent
    assert [c.event_id for c in await store.candidates(article("homs", "putin"))] == ["e1"]
    assert (await store.candidates(article("putin")))[0] == merged
    assert [await store.assignment(x) for x in ("a1", "a2", "a3")] == ["e1", "e1", "e1"]
    c = card("e3", entities=("homs",))
    await store.assign("a4", c)
    await store.assign("a5", card("e3", n=5), c, absorbed=[merged])  # a chain of merges is followed
    assert await store.assignment("a2") == "e3"
    assert [c.event_id for c in await store.candidates(article("homs", "assad"))] == ["e3"]


async def check_archive_idle(store: StateStore) -> None:
    await store.assign("a1", card("e1", seen=0.0))
    await store.assign("a2", card("e2", seen=1.0))
    await store.assign("a3", card("e3", seen=5.0))
    assert await store.archive_idle(T0) == []
    assert await store.archive_idle(T0 + timedelta(days=2), limit=1) == ["e1"]  # oldest first, bounded
    assert await store.archive_idle(T0 + timedelta(days=2)) == ["e2"]
    assert await store.archive_idle(T0 + timedelta(days=2)) == []
    assert [c.event_id for c in await store.candidates(article("homs"))] == ["e3"]
    assert await store.assignment("a1") == "e1"  # still known by id
    await store.assign("a4", card("e3", n=2, seen=9.0), card("e3", seen=5.0))  # a new article keeps it hot
    assert await store.archive_idle(T0 + timedelta(days=6)) == []


async def check_idle_events_change_nothing(store: StateStore) -> None:
    await store.assign("a1", card("e1", seen=1.0))
    await store.assign("a2", card("e2", seen=0.0))
    await store.assign("a3", card("e3", seen=5.0))
    cut = T0 + timedelta(days=2)
    assert await store.idle_events(cut) == ["e2", "e1"]  # oldest first
    assert await store.idle_events(cut, limit=1) == ["e2"]
    assert await store.idle_events(cut) == ["e2", "e1"]  # looking twice finds the same
    assert {c.event_id for c in await store.candidates(article("homs"))} == {"e1", "e2", "e3"}
    assert await store.archive_idle(cut) == ["e2", "e1"]  # what idle_events named
    assert await store.idle_events(cut) == []


async def check_counters(store: StateStore) -> None:
    await store.bump("applied")
    await store.bump("applied", 2)
    assert (await store.counters())["applied"] == 3
    await store.bump_many({"applied": 1, "processing_ms": 250})
    assert await store.counters() == {"applied": 4, "processing_ms": 250}


async def check_keys_with_odd_characters(store: StateStore) -> None:
    odd = "a b/../*?[x]:{}\\\u00e9\U0001f600"
    await store.apply(odd, lambda _: (state(odd), []))
    assert (await store.get_event(odd)) == state(odd)
    await store.assign(odd, card(odd, entities=(odd,)))
    assert await store.assignment(odd) == odd
    assert [c.event_id for c in await store.candidates(article(odd))] == [odd]


async def check_clear(store: StateStore) -> None:
    await store.apply("e1", lambda _: (state("e1"), [alert("al1", "e1")]))
    await store.clear()
    assert await store.list_events() == [] and await store.alerts() == []


async def check_alert_head(store: StateStore) -> None:
    assert await store.alert_head() == "0"
    assert await store.alerts(after=await store.alert_head()) == []
    await store.apply("e1", lambda _: (state("e1", 1), [alert("al1", "e1")]))
    head = await store.alert_head()
    assert head == (await store.alerts())[-1][0]
    assert await store.alerts(after=head) == []
    await store.apply("e1", lambda _: (state("e1", 2), [alert("al2", "e1")]))
    assert [a.id for _, a in await store.alerts(after=head)] == ["al2"]


async def check_alerts_wait_for_a_new_one(store: StateStore) -> None:
    """A waiting read returns as soon as an alert is logged after the cursor; empty when none comes."""
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    assert await store.alerts(after=await store.alert_head(), wait=0.2) == []
    assert loop.time() - t0 >= 0.15
    await store.apply("e1", lambda _: (state("e1", 1), [alert("al1", "e1")]))
    head = await store.alert_head()
    assert [a.id for _, a in await store.alerts(after="0", wait=5.0)] == ["al1"]  # one is there: no wait
    waiting = asyncio.ensure_future(store.alerts(after=head, wait=5.0))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    t1 = loop.time()
    await store.apply("e1", lambda _: (state("e1", 2), [alert("al2", "e1")]))
    assert [a.id for _, a in await asyncio.wait_for(waiting, 5.0)] == ["al2"]
    assert loop.time() - t1 < 1.0


def subscription(sub_id: str, start: str = "0") -> Subscription:
    return Subscription(
        id=sub_id,
        url="http://127.0.0.1:9/hook",
        secret="s3cret",
        created_at=T0,
        filter=AlertFilter(event_id=["e1"]),
        start=start,
    )


async def check_subscriptions(store: StateStore) -> None:
    assert await store.get_subscription("s1") is None
    await store.save_subscription(subscription("s1", start="5"))
    await store.save_subscription(subscription("s2"))
    assert await store.get_subscription("s1") == subscription("s1", start="5")
    assert [s.id for s in await store.list_subscriptions()] == ["s1", "s2"]
    status = await store.delivery_status("s1")
    assert status.cursor == "5" and status.delivered == 0 and status.failures == [] and status.state == "ok"
    assert await store.delete_subscription("s1")
    assert not await store.delete_subscription("s1")
    assert [s.id for s in await store.list_subscriptions()] == ["s2"]


async def check_deliveries_recorded_once(store: StateStore) -> None:
    await store.save_subscription(subscription("s1"))
    assert not await store.was_delivered("s1", "al1")
    assert await store.record_delivery("s1", "al1", "7")
    assert not await store.record_delivery("s1", "al1", "7")
    assert await store.was_delivered("s1", "al1") and not await store.was_delivered("s2", "al1")
    await store.record_failure("s1", DeliveryFailure(alert_id="al2", at=T0, attempt=1, error="HTTP 500"))
    assert (await store.delivery_status("s1")).state == "retrying"
    await store.record_failure("s1", DeliveryFailure(alert_id="al2", at=T0, attempt=2, error="timeout", final=True))
    await store.advance_cursor("s1", "8")
    status = await store.delivery_status("s1")
    assert (status.cursor, status.delivered, status.given_up, status.state) == ("8", 1, 1, "failing")
    assert [f.attempt for f in status.failures] == [2, 1]
    await store.record_delivery("s1", "al3", "9")
    assert (await store.delivery_status("s1")).state == "ok"
    await store.delete_subscription("s1")
    assert not await store.was_delivered("s1", "al1")


async def check_leases(store: StateStore) -> None:
    assert await store.lease("dispatch:s1", "a", 30)
    assert await store.lease("dispatch:s1", "a", 30)  # renewed by its owner
    assert not await store.lease("dispatch:s1", "b", 30)
    assert await store.lease("dispatch:s2", "b", 30)


async def check_lease_ends_with_its_ttl(store: StateStore) -> None:
    assert await store.lease("relay", "a", 30)
    assert await store.lease("relay", "a", 0.001)  # renewed to end now: handed over (the webhooks' stop)
    await asyncio.sleep(0.05)
    assert await store.lease("relay", "b", 30)
    assert not await store.lease("relay", "a", 30)


async def check_pages(store: StateStore) -> None:
    url = "http://example.test/news/1?x=a b"
    assert await store.page_hash(url) is None
    await store.remember_page(url, "h1")
    await store.remember_page(url, "h2")
    assert await store.page_hash(url) == "h2"


def _articles() -> list[Extracted]:
    """Articles on one event: conflicting counts, a claim about any group, a repeat, versions by url and by id."""

    def claim(
        aid: str,
        source: str,
        slot: str,
        low: float,
        label: str,
        hours: int,
        subject: str | None = None,
        positive: bool | None = None,
    ) -> Claim:
        typed: Any = PolarityValue(positive=positive) if positive is not None else CountValue(low=low, high=low)
        return Claim(
            id=f"{aid}-{slot}-{label}",
            article_id=aid,
            source=source,
            slot=slot,
            value=label,
            typed=typed,
            subject=subject,
            quote=f"{label} {slot}",
            published_at=T0 + timedelta(hours=hours),
        )

    def art(aid: str, source: str, claims: list[Claim], url: str | None = None, content: str = "v1") -> Extracted:
        ref = ArticleRef(id=aid, source=source, url=url, published_at=T0, content_hash=content)
        return Extracted(article=ref, features=EventFeatures(title=f"title {aid}"), claims=claims)

    return [
        art("a", "A", [claim("a", "A", "killed", 32, "32", 0), claim("a", "A", "injured", 5, "5", 0)], "http://a/1"),
        art("b", "B", [claim("b", "B", "killed", 42, "42", 0)]),
        art("c", "C", [claim("c", "C", "responsibility", 0, "claimed", 1, "isis", True)]),
        art(
            "d",
            "D",
            [claim("d", "D", "responsibility", 0, "nobody", 1, "*", False), claim("d", "D", "injured", 9, "9", 1)],
        ),
        art("b", "B", [claim("b", "B", "killed", 42, "42", 0)]),  # a repeat: no change
        art("a2", "A", [claim("a2", "A", "killed", 42, "42", 2)], "http://a/1", "v2"),  # a version by url
        art("e", "E", [claim("e", "E", "killed", 44, "44", 3)], "http://e/1"),
        art(
            "e",
            "E",
            [claim("e", "E", "killed", 44, "44", 3), claim("e", "E", "injured", 7, "7", 3)],
            "http://e/2",
            "v2",
        ),  # a version by id, with a new url
        art("f", "F", []),
    ]


async def check_apply_article_matches_the_pure_merge(store: StateStore) -> None:
    pure: EventState | None = None
    for i, x in enumerate(_articles()):
        at = T0 + timedelta(minutes=i)
        pure, want = merge(pure, "ev", x, at)

        def update(
            view: EventView | None, x: Extracted = x, at: datetime = at
        ) -> tuple[EventDelta | None, list[Alert]]:
            delta, changes = merge_article(view, "ev", x, at)
            return delta, [alert(f"al-{c.id}-{tag}-{x.article.id}", "ev") for c, tag in changes]

        applied = await store.apply_article("ev", x.article, {c.slot for c in x.claims}, update)
        assert [a.id for a in applied.alerts] == [f"al-{c.id}-{tag}-{x.article.id}" for c, tag in want]
        assert await store.get_event("ev") == pure
        assert applied.state == head_of(pure)
    assert pure is not None and [a.id for a in pure.articles] == ["b", "c", "d", "a2", "e", "f"]
    assert {c.slot for c in pure.contradictions} == {"killed", "injured", "responsibility"}
    # a whole-state write (archiving) then more articles: still the pure merge
    await store.apply("ev", archiving(pure))
    pure = pure.model_copy(update={"archived": True})
    x = _articles()[0].model_copy(update={"article": _articles()[0].article.model_copy(update={"content_hash": "v3"})})
    pure, _ = merge(pure, "ev", x, T0 + timedelta(hours=5))
    await store.apply_article(
        "ev",
        x.article,
        {c.slot for c in x.claims},
        lambda v: (merge_article(v, "ev", x, T0 + timedelta(hours=5))[0], []),
    )
    assert await store.get_event("ev") == pure
    assert await store.merged_into("ev") is None and await store.merged_into("nothing") is None
    assert [e.id for e in await store.list_events()] == ["ev"]


async def check_archived_states_kept_whole_then_dropped(store: StateStore) -> None:
    pure: EventState | None = None
    xs = _articles()
    for i, x in enumerate(xs[:4]):
        await store.assign(x.article.id, card("ev", seen=0.0))
        pure, _ = merge(pure, "ev", x, T0 + timedelta(minutes=i))
        await store.apply_article(
            "ev",
            x.article,
            {c.slot for c in x.claims},
            merging(x, T0 + timedelta(minutes=i)),
        )
    assert pure is not None
    await store.apply("ev", archiving(pure))
    pure = pure.model_copy(update={"archived": True})
    assert await store.get_event("ev") == pure  # readable by id, whole
    # a late version of an archived event's article still merges (through the whole state)
    late = xs[5]
    pure, _ = merge(pure, "ev", late, T0 + timedelta(days=1))
    applied = await store.apply_article(
        "ev",
        late.article,
        {c.slot for c in late.claims},
        lambda v: (merge_article(v, "ev", late, T0 + timedelta(days=1))[0], []),
    )
    assert applied.changed and await store.get_event("ev") == pure
    await store.apply("other", lambda _: (state("other", 1).model_copy(update={"archived": True}), []))
    assert await store.drop_archived(T0) == []  # both archived events were updated after T0
    assert await store.drop_archived(T0 + timedelta(days=2), limit=1) == ["other"]  # oldest first, bounded
    assert await store.drop_archived(T0 + timedelta(days=2)) == ["ev"]
    assert await store.get_event("ev") is None and await store.get_event("other") is None
    assert await store.assignment("a") is None and await store.assignment("b") is None
    assert await store.list_events() == [] and await store.drop_archived(T0 + timedelta(days=9)) == []


async def _totals_from_states(store: StateStore) -> dict[str, int]:
    events = await store.list_events()
    want = {
        "events": len(events),
        "claims": sum(len(e.claims) for e in events),
        "contradictions": sum(len(e.contradictions) for e in events),
    }
    for e in events:
        for c in e.contradictions:
            want["kind:" + c.kind] = want.get("kind:" + c.kind, 0) + 1
    return want


async def _totals(store: StateStore) -> dict[str, int]:
    return {k: v for k, v in (await store.totals()).items() if v or not k.startswith("kind:")}


async def check_totals_follow_every_write(store: StateStore) -> None:
    """What ``/metrics`` reads in one go equals what the states hold: after articles, versions, a repeat,
    a whole-state write, a merge into another event, and dropped archived states."""
    assert await store.totals() == {"events": 0, "claims": 0, "contradictions": 0}
    for i, x in enumerate(_articles()):
        await store.apply_article("ev", x.article, {c.slot for c in x.claims}, merging(x, T0 + timedelta(minutes=i)))
        assert await _totals(store) == await _totals_from_states(store)
    ev = await store.get_event("ev")
    assert ev is not None and (await store.totals())["contradictions"] == len(ev.contradictions) > 0
    other = _articles()[1].model_copy(update={"article": _articles()[1].article.model_copy(update={"id": "o1"})})
    await store.apply_article(
        "other", other.article, {"killed"}, lambda v: (merge_article(v, "other", other, T0)[0], [])
    )
    assert (await store.totals())["events"] == 2
    gone = await store.get_event("other")
    assert gone is not None
    await store.apply("other", replacing(gone.model_copy(update={"merged_into": "ev"})))
    assert await _totals(store) == await _totals_from_states(store) and (await store.totals())["events"] == 1
    await store.apply("ev", archiving(ev))
    assert await _totals(store) == await _totals_from_states(store)
    assert await store.drop_archived(T0 + timedelta(days=9)) == ["ev"]
    assert await _totals(store) == {"events": 0, "claims": 0, "contradictions": 0}


async def _ids(store: StateStore, **kw: Any) -> list[str]:
    return [r.id for r in (await store.query_events(EventQuery(**kw))).rows]


async def check_summary_index_follows_article_merges(store: StateStore) -> None:
    pure: EventState | None = None
    for i, x in enumerate(_articles()):
        at = T0 + timedelta(minutes=i)
        pure, _ = merge(pure, "ev", x, at)

        def update(
            view: EventView | None, x: Extracted = x, at: datetime = at
        ) -> tuple[EventDelta | None, list[Alert]]:
            return merge_article(view, "ev", x, at)[0], []

        await store.apply_article("ev", x.article, {c.slot for c in x.claims}, update)
        page = await store.query_events(EventQuery())
        assert pure is not None and page.rows == [record_of(pure).row()] and page.total == 1
    assert await _ids(store, q="42 killed") == ["ev"] and await _ids(store, q="42 missing") == []
    assert await _ids(store, q="CLAIMED Responsibility") == ["ev"]  # whole words, any case: a value and a slot
    assert await _ids(store, q="b") == ["ev"]  # a source
    assert await _ids(store, has_contradictions=True) == ["ev"]
    assert await _ids(store, has_contradictions=False) == []
    assert await _ids(store, severity="high") == ["ev"]  # a contradiction without a severity counts as high
    assert await _ids(store, severity="low", has_contradictions=False) == []


async def check_summary_index_filters_orders_and_pages(store: StateStore) -> None:
    def st(eid: str, minute: int, title: str, contradicted: bool = False, archived: bool = False) -> EventState:
        con = alert("x", eid).contradiction
        return state(eid, minute).model_copy(
            update={
                "title": title,
                "contradictions": [con] if contradicted else [],
                "archived": archived,
                "articles": [ArticleRef(id=f"{eid}-a", source="Reuters" if contradicted else "AFP", title=title)],
            }
        )

    events = [
        st("e1", 1, "Quake in Aceh"),
        st("e2", 2, "Homs bombing toll", True),
        st("e3", 3, "Aceh aftershock"),
        st("e4", 4, "Old Aceh story", archived=True),
    ]
    for e in events:
        await store.apply(e.id, replacing(e))
    assert await _ids(store) == ["e3", "e2", "e1"]
    assert await _ids(store, archived=True) == ["e4", "e3", "e2", "e1"]
    assert await _ids(store, q="aceh") == ["e3", "e1"]
    assert await _ids(store, q="aceh", archived=True) == ["e4", "e3", "e1"]
    assert await _ids(store, q="aceh quake") == ["e1"] and await _ids(store, q="nowhere") == []
    assert await _ids(store, q="reuters") == ["e2"]
    assert await _ids(store, since=T0 + timedelta(minutes=2)) == ["e3", "e2"]
    assert await _ids(store, since=T0 + timedelta(minutes=2), q="aceh") == ["e3"]
    assert await _ids(store, has_contradictions=True) == ["e2"]
    assert await _ids(store, has_contradictions=False) == ["e3", "e1"]
    page = await store.query_events(EventQuery(limit=1, offset=1))
    assert [r.id for r in page.rows] == ["e2"] and page.total == 3 and page.exact
    assert (await store.query_events(EventQuery(since=T0 + timedelta(minutes=2), offset=1))).total == 2
    assert await _ids(store, since=T0 + timedelta(minutes=2), offset=1) == ["e2"]
    # a merged-away event leaves the index; a dropped archived one too
    await store.apply("e1", lambda s: (s.model_copy(update={"merged_into": "e3"}), []) if s else (events[0], []))
    assert await _ids(store, q="aceh") == ["e3"]
    assert await store.drop_archived(T0 + timedelta(days=1)) == ["e4"]
    assert await _ids(store, archived=True, q="aceh") == ["e3"]


async def check_copies_index(store: StateStore) -> None:
    from agents.core.origin import fingerprint

    story = (
        "Flood waters rose through the night in the river town of Marlby, forcing families onto rooftops "
        "as rescue boats worked in the dark. Officials said at least 14 people had died and dozens were "
        "missing. The mayor said the levee had given way shortly after midnight."
    )
    a, b = fingerprint(story), fingerprint("Marlby floods. " + story)
    other = fingerprint("A fire destroyed a warehouse in the port of Halden on Saturday; no one was hurt.")
    assert await store.copies("e1", a.bands(), exclude="a1") == []
    await store.add_copy("e1", "a1", "AP", a)
    await store.add_copy("e1", "a1", "AP", a)  # again: no change
    await store.add_copy("e2", "x9", "Reuters", other)
    found = await store.copies("e1", b.bands(), exclude="b1")
    assert [(aid, origin) for aid, origin, _ in found] == [("a1", "AP")] and found[0][2] == a
    assert await store.copies("e1", a.bands(), exclude="a1") == []
    assert await store.copies("e1", other.bands(), exclude="o1") == []
    await store.fold_copies("e2", "e1")
    assert [x[:2] for x in await store.copies("e1", other.bands(), exclude="o1")] == [("x9", "Reuters")]
    assert await store.copies("e2", other.bands(), exclude="o1") == []
    # any article id, whatever its characters; the most shared bands first, then by id
    await store.add_copy("e5", "\u4e2d\u6587-\u00f1", "Xinhua", a)
    await store.add_copy("e5", "~tilde", "AFP", a)
    await store.add_copy("e5", "z-other", "PA", other)
    ranked = [aid for aid, _, _ in await store.copies("e5", b.bands(), exclude="b1")]
    assert ranked == ["~tilde", "\u4e2d\u6587-\u00f1"]


CHECKS = [
    check_totals_follow_every_write,
    check_summary_index_follows_article_merges,
    check_summary_index_filters_orders_and_pages,
    check_apply_article_matches_the_pure_merge,
    check_archived_states_kept_whole_then_dropped,
    check_apply_and_get,
    check_apply_same_state_is_noop,
    check_alerts_logged_once_in_order,
    check_list_newest_first,
    check_merged_events_not_listed,
    check_assign_and_candidates,
    check_lists_read_rarest_first_until_enough_found,
    check_candidates_bounded_and_nearest,
    check_event_on_the_articles_day_counted_once,
    check_card_update_moves_postings,
    check_merge_events,
    check_archive_idle,
    check_idle_events_change_nothing,
    check_counters,
    check_keys_with_odd_characters,
    check_clear,
    check_alert_head,
    check_alerts_wait_for_a_new_one,
    check_subscriptions,
    check_deliveries_recorded_once,
    check_leases,
    check_lease_ends_with_its_ttl,
    check_pages,
    check_copies_index,
]

"""The resolve and project steps over the in-memory store: archiving, merges, event features.

Hand-made articles (no NLP): features and claims are given, times are arrival times.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from agents import pipeline
from agents.core.cards import IDLE_DAYS
from schemas import ArticleRef, Claim, CountValue, EventFeatures, Extracted
from streams.store.memory import MemoryStore

T0 = datetime(2021, 3, 1, 9, tzinfo=UTC)


def killed(aid: str, n: int, when: datetime) -> Claim:
    return Claim(
        id=f"{aid}-k",
        article_id=aid,
        source=aid.upper(),
        slot="killed",
        value=str(n),
        typed=CountValue(low=n, high=n),
        quote=f"{n} killed",
        scope="main",
        published_at=when,
    )


def art(
    aid: str,
    at: datetime,
    entities: list[str],
    places: list[str],
    *,
    day: datetime | None = None,
    n: int | None = None,
    title: str = "",
) -> Extracted:
    when = day or at
    f = EventFeatures(
        entities=entities,
        places=places,
        incident=["bombing"],
        keywords=["blast", "market"],
        date=when,
        date_source="published",
        title=title or f"{entities[0]} bombing",
    )
    ref = ArticleRef(id=aid, source=aid.upper(), published_at=when, content_hash="h-" + aid, received_at=at)
    return Extracted(article=ref, features=f, claims=[killed(aid, n, when)] if n is not None else [])


async def feed(store: MemoryStore, *xs: Extracted) -> list[str]:
    out = []
    for x in xs:
        a = await pipeline.resolve(store, x)
        await pipeline.project(store, a)
        out.append(a.event_id)
    return out


def test_idle_events_are_archived_by_arrival_time_and_stay_readable() -> None:
    async def go() -> None:
        store = MemoryStore()
        (first,) = await feed(store, art("a1", T0, ["kabul police"], ["kabul"], n=5))
        later = T0 + timedelta(days=IDLE_DAYS + 1)
        # the same story named again after the idle time opens a new event: the old one left the index
        (second,) = await feed(store, art("a2", later, ["kabul police"], ["kabul"], day=T0, n=5))
        assert second != first
        old = await store.get_event(first)
        assert old is not None and old.archived and [a.id for a in old.articles] == ["a1"]
        new = await store.get_event(second)
        assert new is not None and not new.archived
        assert await store.assignment("a1") == first
        # a redelivery changes nothing
        before = await store.list_events()
        assert await feed(store, art("a1", later, ["kabul police"], ["kabul"], day=T0, n=5)) == [first]
        assert await store.list_events() == before

    asyncio.run(go())


class CrashOnArchive(MemoryStore):
    """A store that fails once when taking events out of the index (a crash mid-archiving)."""

    crash = True

    async def archive_idle(self, before: datetime, limit: int = 16) -> list[str]:
        if self.crash:
            self.crash = False
            raise RuntimeError("crash")
        return await super().archive_idle(before, limit)


def test_a_crash_while_archiving_leaves_no_event_out_of_the_index_unmarked() -> None:
    async def go() -> None:
        store = CrashOnArchive()
        (first,) = await feed(store, art("a1", T0, ["kabul police"], ["kabul"], n=5))
        later = T0 + timedelta(days=IDLE_DAYS + 1)
        x = art("a2", later, ["herat police"], ["herat"], n=3)
        with pytest.raises(RuntimeError):
            await pipeline.resolve(store, x)
        old = await store.get_event(first)
        assert old is not None and old.archived  # marked first...
        assert await store.idle_events(later - timedelta(days=IDLE_DAYS)) == [first]  # ...still indexed
        # the article is delivered again: archiving completes, marking again changes nothing
        assert await pipeline.archive(store, later) == [first]
        assert await store.idle_events(later - timedelta(days=IDLE_DAYS)) == []
        assert await store.get_event(first) == old
        assert await pipeline.archive(store, later) == []

    asyncio.run(go())


def test_an_event_fed_within_the_idle_time_stays() -> None:
    async def go() -> None:
        store = MemoryStore()
        step = timedelta(days=IDLE_DAYS * 0.6)
        xs = [art(f"a{i}", T0 + i * step, ["kabul police"], ["kabul"], day=T0) for i in range(4)]
        ids = await feed(store, *xs)
        assert len(set(ids)) == 1
        state = await store.get_event(ids[0])
        assert state is not None and not state.archived

    asyncio.run(go())


def plain(aid: str, at: datetime, entities: list[str], n: int | None = None) -> Extracted:
    f = EventFeatures(entities=entities, date=T0, date_source="published", title=" ".join(entities))
    ref = ArticleRef(id=aid, source=aid.upper(), published_at=T0, content_hash="h-" + aid, received_at=at)
    return Extracted(article=ref, features=f, claims=[killed(aid, n, T0)] if n is not None else [])


def two_events_then_evidence() -> list[Extracted]:
    """Two events opened apart (alpha; beta), then articles naming both show them to be one."""
    return [
        plain("a1", T0, ["alpha"], n=5),
        plain("a2", T0 + timedelta(minutes=1), ["beta"], n=7),
        *(plain(f"b{i}", T0 + timedelta(minutes=2 + i), ["alpha", "beta"]) for i in range(3)),
    ]


def test_events_merge_when_later_evidence_joins_them() -> None:
    async def go() -> None:
        store = MemoryStore()
        xs = two_events_then_evidence()
        ids = [(await pipeline.resolve(store, x)) for x in xs[:2]]
        assert ids[0].event_id != ids[1].event_id
        alerts = []
        for a in ids:
            alerts += await pipeline.project(store, a)
        assigned = []
        for x in xs[2:]:
            a = await pipeline.resolve(store, x)
            assigned.append(a)
            alerts += await pipeline.project(store, a)
        merges = [a for a in assigned if a.merged]
        assert len(merges) == 1, [a.event_id for a in assigned]
        keep, gone_id = merges[0].event_id, merges[0].merged[0]
        assert {keep, gone_id} == {ids[0].event_id, ids[1].event_id}
        state = await store.get_event(keep)
        gone = await store.get_event(gone_id)
        assert state is not None and gone is not None
        assert gone.merged_into == keep and [a.id for a in gone.articles]  # still readable by id
        assert {"a1", "a2"} <= {a.id for a in state.articles}
        assert {c.id for c in gone.claims} <= {c.id for c in state.claims}
        entry = [h for h in state.history if h.change == "merged"]
        assert len(entry) == 1 and entry[0].merged_from == gone_id
        assert [c.slot for c in state.contradictions] == ["killed"]  # 5 vs 7, found over the union
        assert alerts and all(al.event_id == keep for al in alerts)
        for aid in ("a1", "a2", *(x.article.id for x in xs[2:])):
            assert await store.assignment(aid) == keep
        assert [e.id for e in await store.list_events()] == [keep]  # the absorbed event is no longer listed
        # redelivery of every article changes nothing
        before = (await store.get_event(keep), await store.get_event(gone_id))
        for x in xs:
            assert await pipeline.project(store, await pipeline.resolve(store, x)) == []
        assert (await store.get_event(keep), await store.get_event(gone_id)) == before
        # the merge's assignment delivered again (project is idempotent too)
        assert await pipeline.project(store, merges[0]) == []
        assert (await store.get_event(keep), await store.get_event(gone_id)) == before

    asyncio.run(go())


def test_a_replay_gives_the_identical_state_with_merges_and_archives() -> None:
    later = T0 + timedelta(days=IDLE_DAYS + 2)
    xs = [*two_events_then_evidence(), art("c1", later, ["kabul police"], ["kabul"], n=3)]

    async def run() -> list[object]:
        store = MemoryStore()
        ids = await feed(store, *xs)
        states = [await store.get_event(e) for e in sorted(set(ids))]
        assert any(s is not None and s.merged_into for s in states) and any(s and s.archived for s in states)
        return [states, await store.list_events(), await store.alerts()]

    first, second = asyncio.run(run()), asyncio.run(run())
    assert first == second


def test_event_states_show_title_main_entities_place_and_date() -> None:
    async def go() -> None:
        store = MemoryStore()
        xs = [
            art("a1", T0, ["kabul police", "taliban"], ["kabul", "afghanistan"], n=5, title="Blast in Kabul"),
            art("a2", T0 + timedelta(hours=2), ["taliban", "kabul police"], ["kabul"], n=5, title="Kabul blast"),
        ]
        ids = await feed(store, *xs)
        assert len(set(ids)) == 1
        state = await store.get_event(ids[0])
        assert state is not None
        f = state.features
        assert state.title == f.title == "Blast in Kabul"
        assert set(f.entities) == {"kabul police", "taliban"} and f.places[0] == "kabul"
        assert f.incident == ["bombing"] and f.date == T0 and f.weights == {} and f.mentioned_dates == []

    asyncio.run(go())


def test_entities_are_shown_as_written() -> None:
    from agents.core.names import key_of, show

    text = "Greek Prime Minister George Papandreou said the International Monetary Fund and the EU would help."
    keys = [key_of("Papandreou"), key_of("International Monetary Fund"), key_of("EU"), "nobody"]
    assert show(keys, text) == ["George Papandreou", "International Monetary Fund", "EU", "nobody"]
    assert show(keys[:1], "Mr Papandreou spoke.", known=["George Papandreou"]) == ["George Papandreou"]


def test_archived_events_leave_the_store_after_the_retention_by_arrival_time() -> None:
    async def go() -> None:
        store = MemoryStore()
        policy = pipeline.archive_policy(after_days=7, retention_days=30)
        a = await pipeline.resolve(store, art("a1", T0, ["kabul police"], ["kabul"]), policy)
        await pipeline.project(store, a)
        first = a.event_id
        for day, aid in ((20, "b1"), (26, "b2")):  # archived after 7 days, kept within 30
            x = art(aid, T0 + timedelta(days=day), ["herat police"], ["herat"])
            await pipeline.project(store, await pipeline.resolve(store, x, policy))
            old = await store.get_event(first)
            assert old is not None and old.archived
        x = art("b3", T0 + timedelta(days=31), ["herat police"], ["herat"])
        await pipeline.project(store, await pipeline.resolve(store, x, policy))
        assert await store.get_event(first) is None and await store.assignment("a1") is None
        assert first not in [e.id for e in await store.list_events()]
        assert await store.assignment("b3") in [e.id for e in await store.list_events()]
        # the default policy keeps archived events forever
        assert pipeline.archive_policy(7, 0).retention_days is None

    asyncio.run(go())


def test_an_article_for_an_event_merged_away_since_goes_to_the_survivor() -> None:
    from schemas import Assignment, EventState

    async def go() -> None:
        store = MemoryStore()
        await store.apply("gone", lambda _: (EventState(id="gone", updated_at=T0, merged_into="mid"), []))
        await store.apply("mid", lambda _: (EventState(id="mid", updated_at=T0, merged_into="keep"), []))
        x = art("a1", T0, ["kabul police"], ["kabul"], n=5)
        await pipeline.project(store, Assignment(event_id="gone", extracted=x))
        kept = await store.get_event("keep")
        assert kept is not None and [a.id for a in kept.articles] == ["a1"]
        gone = await store.get_event("gone")
        assert gone is not None and gone.articles == []

    asyncio.run(go())


def test_the_placement_message_is_the_assignment_without_text_or_claims() -> None:
    """Topic ``assignments`` gets the placement; the article's text and claims are on ``claims``."""
    from schemas import Placement

    async def go() -> None:
        store = MemoryStore()
        x = art("a1", T0, ["kabul police"], ["kabul"], n=5).model_copy(update={"text": "5 killed " * 500})
        a = await pipeline.resolve(store, x)
        raw = a.placement().model_dump_json()
        back = Placement.model_validate_json(raw)
        assert back.event_id == a.event_id and back.article == x.article and back.opened
        assert back.features == a.features and "5 killed" not in raw and len(raw) < 1000

    asyncio.run(go())


def test_holds_events_reads_one_summary_and_counts_archived_events() -> None:
    """``rebuild`` asks whether Redis holds events from the summary index, not by reading every state."""
    from streams.rebuild import holds_events

    async def go() -> None:
        store = MemoryStore()
        assert not await holds_events(store)
        (first,) = await feed(store, art("a1", T0, ["kabul police"], ["kabul"], n=5))
        assert await holds_events(store)
        later = T0 + timedelta(days=IDLE_DAYS + 1)
        await feed(store, art("a2", later, ["herat police"], ["herat"], n=2))  # archives a1's event
        old = await store.get_event(first)
        assert old is not None and old.archived
        assert await holds_events(store)
        await store.clear()
        assert not await holds_events(store)

    asyncio.run(go())

"""Event matching: candidates, similarity, time gating, absorbing (issue 4)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import spacy

from agents.core.card_index import CARD_KEYS, MAX_CANDIDATES, MAX_KEYS, card_keys, index_keys, posting_changes
from agents.core.cards import (
    IDLE_DAYS,
    EventCard,
    absorb,
    card_from_json,
    card_to_json,
    date_gap,
    is_idle,
    merge_cards,
    new_event_id,
)
from agents.core.event_merges import mergeable, survivor
from agents.core.extract import reference
from agents.core.features import features_from_doc
from agents.core.matching import choose, similarity
from agents.core.nlp import MODEL
from agents.core.postings import PostingIndex
from agents.core.text import article_text
from schemas import Article, EventFeatures

T0 = datetime(2017, 8, 29, 6, 0, tzinfo=UTC)
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "articles.jsonl"
SEEDS_GOLD = Path("/work/shared/gold/seeds.gold.json")


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


def missile(when: datetime, mentions: list[datetime] | None = None, extra: str = "") -> EventFeatures:
    """An article about a missile fired by North Korea over Japan."""
    return EventFeatures(
        entities=["kim jong un", "abe", "security council"] + ([extra] if extra else []),
        places=["north korea", "japan", "hokkaido", "pacific"],
        incident=["missile"],
        keywords=["missile", "launch", "hokkaido", "ballistic", "alert"],
        date=when,
        date_source="published",
        mentioned_dates=mentions or [],
    )


def quake(when: datetime, place: str = "aceh") -> EventFeatures:
    return EventFeatures(
        entities=["usgs"],
        places=["indonesia", place],
        incident=["earthquake"],
        keywords=["quake", "magnitude", "tsunami", place],
        date=when,
        date_source="published",
    )


def card_of(*fs: EventFeatures) -> EventCard:
    card = None
    for i, f in enumerate(fs):
        card = absorb(card, "ev-1", f, (f.date or T0) + timedelta(seconds=i))
    assert card is not None
    return card


def test_same_story_same_days_joins() -> None:
    card = card_of(missile(day(0)), missile(day(1)))
    assert choose(missile(day(1.5)), [card]) == "ev-1"


def test_different_story_opens_a_new_event() -> None:
    card = card_of(missile(day(0)))
    assert choose(quake(day(0)), [card]) is None
    assert choose(quake(day(0)), []) is None


def test_same_place_other_incident_far_apart_stays_apart() -> None:
    card = card_of(missile(day(0)))
    assert similarity(missile(day(430)), card) == 0.0


def test_repeat_incident_two_weeks_later_stays_apart() -> None:
    # "North Korea fires another missile over Japan": same content, its text dates it to its own day.
    card = card_of(missile(day(0), [day(0)]), missile(day(1), [day(0)]))
    later = missile(day(16), [day(16), day(16), day(0)])
    assert choose(later, [card]) is None


def test_follow_up_naming_the_event_day_joins() -> None:
    # "Death toll in Nice attack rises to 85", three weeks on, naming "July 14".
    card = card_of(missile(day(0), [day(0)]), missile(day(1), [day(0)]))
    follow = missile(day(22), [day(0), day(0)])
    assert choose(follow, [card]) == "ev-1"
    assert absorb(card, "ev-1", follow, day(22)).date_max == card.date_max  # the span does not drift


def test_follow_up_without_a_named_day_needs_to_be_near() -> None:
    card = card_of(missile(day(0)))
    assert choose(missile(day(9)), [card]) == "ev-1"
    assert choose(missile(day(30)), [card]) is None


def test_older_article_joins_an_event_opened_by_its_follow_up() -> None:
    card = card_of(missile(day(22), [day(0), day(0)]))
    assert choose(missile(day(0), [day(0)]), [card]) == "ev-1"
    grown = absorb(card, "ev-1", missile(day(0)), day(23))
    assert grown.date_min == day(0) and date_gap(missile(day(1)), grown) == 0.0


def test_choose_prefers_the_nearer_event() -> None:
    a = card_of(missile(day(0)))
    b = card_of(missile(day(16))).model_copy(update={"event_id": "ev-2"})
    assert choose(missile(day(17)), [a, b]) == "ev-2"
    assert choose(missile(day(1)), [b, a]) == "ev-1"


def test_index_keys_are_bounded() -> None:  # candidates: check_candidates_bounded_and_nearest (both stores)
    f = EventFeatures(
        entities=[f"e{i}" for i in range(40)],
        places=[f"p{i}" for i in range(20)],
        keywords=[f"k{i}" for i in range(40)],
    )
    keys = index_keys(f)
    assert 0 < len(keys) <= MAX_KEYS and len(set(keys)) == len(keys)


def test_absorb_keeps_a_bounded_centroid_and_a_stable_id() -> None:
    card = None
    for i in range(50):
        f = EventFeatures(entities=[f"person{i}"], keywords=[f"word{i}", "missile"], date=day(0))
        card = absorb(card, "ev-1", f, day(0))
    assert card is not None and card.n_articles == 50
    assert len(card.centroid) <= 150 and "k:missile" in card.centroid
    assert card.features.keywords[0] == "missile"
    assert new_event_id("a1") == new_event_id("a1") != new_event_id("a2")


def test_card_json_round_trip() -> None:
    card = card_of(missile(day(0), [day(0)]), missile(day(1), [day(1)], extra="mattis"))
    card = absorb(card, card.event_id, missile(day(1), [day(1)]), day(1), {"clock local time": [567.0]})
    raw = card_to_json(card)
    assert card_from_json(raw) == card
    assert card_from_json(raw).marks == {"clock local time": [567.0]}
    assert len(raw) < 2500


def test_postings_follow_the_card() -> None:
    first = card_of(missile(day(0)))
    assert 0 < len(card_keys(first)) <= CARD_KEYS and "i:missile" in card_keys(first)
    grown = first
    for i in range(8):
        grown = absorb(grown, "ev-1", quake(day(0), place=f"isle{i}"), day(0))
    gone, add = posting_changes(first, grown)
    assert set(gone) == set(card_keys(first)) - set(card_keys(grown))
    assert set(add) == set(card_keys(grown)) - set(card_keys(first))
    moved = grown.model_copy(update={"date_min": day(-1)})
    assert posting_changes(grown, moved) == ([], card_keys(moved))  # a new anchor rewrites every key


def test_posting_index_is_bounded_and_finds_the_story() -> None:
    index = PostingIndex()
    for i in range(300):  # many events sharing the common keys, over a year
        f = missile(day(i), extra=f"person{i}")
        index.put(absorb(None, f"ev-{i:03d}", f, day(i)))
    query = missile(day(150.5), [day(150)], extra="person150")
    cands = index.lookup(query)
    assert len(cands) <= MAX_CANDIDATES and "ev-150" in {c.event_id for c in cands}
    assert index.match(query, "a-new", day(151)) == ("ev-150", False)
    assert index.remove("ev-150") is not None and "ev-150" not in {c.event_id for c in index.lookup(query)}
    eid, opened = index.match(quake(day(150)), "a-quake", day(151))
    assert opened and eid == new_event_id("a-quake")


def test_two_events_shown_to_be_one_merge() -> None:
    a = card_of(missile(day(0)), missile(day(0.5)))
    b = card_of(missile(day(1))).model_copy(update={"event_id": "ev-2"})
    far = card_of(missile(day(40))).model_copy(update={"event_id": "ev-3"})
    other = card_of(quake(day(0))).model_copy(update={"event_id": "ev-4"})
    assert mergeable(a, b) and not mergeable(a, far) and not mergeable(a, other) and not mergeable(a, a)
    keep, gone = survivor(b, a)
    assert (keep.event_id, gone.event_id) == ("ev-1", "ev-2")  # the bigger event survives
    merged = merge_cards(keep, gone)
    assert merged.n_articles == 3 and merged.date_min == day(0) and merged.date_max == day(1)
    index = PostingIndex()
    index.put(a)
    index.put(b)
    assert index.merge("ev-2", [a]) == [("ev-2", "ev-1")]
    assert set(index.cards) == {"ev-1"} and index.cards["ev-1"].n_articles == 3


def navy(ship: str, when: datetime) -> EventFeatures:
    """A navy ship that foiled a pirate attack in the Gulf of Aden (invented ships)."""
    return EventFeatures(
        entities=["indian navy", "pirates", ship],
        actors=[ship, "indian navy"],
        ships=[ship],
        places=["gulf of aden", "somalia"],
        incident=["piracy"],
        keywords=["pirates", "navy", "foiled", "attack", "skiffs", "merchant", "vessel"],
        date=when,
        date_source="published",
        named_days=[T0],
        weekdays=["saturday"],
        weights={
            f"e:{ship}": 1.0,
            "e:indian navy": 1.0,
            "p:gulf of aden": 2.0,
            "p:somalia": 1.0,
            "k:pirates": 2.0,
            "k:attack": 2.0,
            "k:skiffs": 1.5,
            "i:piracy": 2.0,
        },
    )


def test_events_of_two_named_ships_never_merge() -> None:
    """A merge cannot be undone: a conflict of any aspect (here the ships) blocks it, even where place and
    day agree and the texts are alike."""
    a = card_of(navy("ins marlow", day(0)), navy("ins marlow", day(0.2)))
    b = card_of(navy("ins keswick", day(0.5))).model_copy(update={"event_id": "ev-2"})
    again = card_of(navy("ins marlow", day(0.6))).model_copy(update={"event_id": "ev-3"})
    assert not mergeable(a, b) and mergeable(a, again)


def test_idle_events_leave_the_index() -> None:
    index = PostingIndex()
    old = card_of(missile(day(0)))
    index.put(old)
    index.put(card_of(quake(day(9))).model_copy(update={"event_id": "ev-2", "last_seen": day(9)}))
    assert is_idle(old, day(IDLE_DAYS + 0.5)) and not is_idle(old, day(1))
    assert index.archive_idle(day(IDLE_DAYS + 0.5)) == ["ev-1"]
    assert "ev-1" not in index.cards and all("ev-1" not in p for p in index.postings.values())
    assert index.lookup(missile(day(0.5))) == []


@pytest.mark.skipif(not SEEDS.exists() or not SEEDS_GOLD.exists(), reason="seed files not present")
def test_seeds_group_as_gold() -> None:
    nlp = spacy.load(MODEL)
    rows = [json.loads(line) for line in SEEDS.read_text().splitlines() if line.strip()]
    cards: dict[str, EventCard] = {}
    got: dict[str, str] = {}
    for i, r in enumerate(rows):
        art = Article.model_validate(r)
        at = datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=i)
        text = article_text(art.title, art.body)
        f = features_from_doc(nlp(text), reference(art, text, at), at)
        eid = choose(f, list(cards.values())) or new_event_id(art.id)
        cards[eid] = absorb(cards.get(eid), eid, f, at)
        got[art.id] = eid
    gold = json.loads(SEEDS_GOLD.read_text())
    groups = sorted(sorted(ev["articles"]) for ev in gold["events"])
    mine: dict[str, list[str]] = {}
    for aid, eid in got.items():
        mine.setdefault(eid, []).append(aid)
    assert sorted(sorted(v) for v in mine.values()) == groups

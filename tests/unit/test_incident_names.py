"""Names nobody listed tell incidents apart (issue 35): one champion, two opponents, two fights.

Every name here is invented. The pure rules are tested on sides built by hand; the sentences go through the
real NLP stage and the real resolve step over the in-memory store.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from spacy.language import Language

from agents import pipeline
from agents.core.evidence import Side, compare, distinct_mains
from agents.core.features import _role_places
from agents.core.nlp import get_nlp
from agents.core.story import is_step
from schemas import Article
from streams.store.memory import MemoryStore


def side(actors: dict[str, float], articles: int = 1) -> Side:
    return Side(
        places={},
        parents={},
        actors=actors,
        days=Counter(),
        weekdays=Counter(),
        articles=articles,
        pooled=articles > 1,
    )


def test_one_champion_two_opponents_conflict() -> None:
    article = side({"mellan": 5.0, "oskey": 4.8, "trainer": 1.0})
    event = side({"mellan": 2.4, "hanford": 2.2, "referee": 0.5}, articles=8)
    assert compare(article, event).actors == "conflict"
    assert distinct_mains(article, event)


def test_one_champion_one_opponent_agree() -> None:
    article = side({"mellan": 5.0, "oskey": 4.8, "promoter": 2.6})
    event = side({"mellan": 2.4, "oskey": 2.2, "referee": 0.5}, articles=8)
    assert compare(article, event).actors == "agree"
    assert not distinct_mains(article, event)


def test_a_new_main_name_alone_is_no_conflict() -> None:
    """A witness or a judge who leads one report, when the other side's main names are all in it: one incident."""
    article = side({"mellan": 4.0, "judge quorry": 4.0})
    event = side({"mellan": 2.4, "oskey": 0.6}, articles=8)
    assert compare(article, event).actors != "conflict"


def test_two_players_of_one_team_each_leading_its_own_reports_conflict() -> None:
    """The event is about one injured player and names a teammate in passing; the article is about the
    teammate and names the first player in passing: two placements on injured reserve."""
    event = side({"okafor": 4.8, "rivers hawks": 0.9, "tull": 0.8, "coach": 0.4}, articles=12)
    article = side({"tull": 4.4, "okafor": 1.6, "rivers hawks": 2.6, "brandt": 1.6, "wells": 1.6})
    assert compare(article, event).actors == "conflict"
    led_alike = side({"okafor": 4.4, "tull": 2.6, "rivers hawks": 2.6, "brandt": 1.6})
    assert compare(led_alike, event).actors == "agree"


def test_names_with_nothing_shared_are_left_to_the_other_rules() -> None:
    article = side({"wendry": 2.0})
    event = side({"pallister": 0.5, "okoro": 0.5}, articles=4)
    assert not distinct_mains(article, event)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def art(aid: str, title: str, body: str, published: str | None) -> Article:
    return Article.model_validate(
        {"id": aid, "source": f"Outlet {aid}", "title": title, "body": body, "published_at": published}
    )


FIGHTS = [
    (
        "dell-1",
        "Raskin stops Dell in seventh round to keep heavyweight titles",
        "Viktor Raskin stopped Marcus Dell in the seventh round on Saturday night to retain his heavyweight "
        "titles. Raskin knocked Dell down twice before the referee stopped the fight. Dell said Raskin was the "
        "better fighter on the night.",
        None,
    ),
    (
        "dell-2",
        "Raskin retains titles with win over Dell",
        "Heavyweight champion Viktor Raskin kept his belts with a seventh-round stoppage of Marcus Dell on "
        "Saturday. Dell was down twice. Raskin said Dell had been a tough challenger.",
        None,
    ),
    (
        "pollard-1",
        "Raskin beats Pollard in sixth to defend heavyweight belts",
        "Viktor Raskin stopped Andre Pollard in the sixth round on Saturday night to defend his heavyweight "
        "titles. Raskin dropped Pollard with a right hand and the referee waved the fight off. Pollard said "
        "Raskin was too strong.",
        "2021-07-10",
    ),
    (
        "pollard-2",
        "Pollard no match for Raskin",
        "Andre Pollard was stopped by heavyweight champion Viktor Raskin in the sixth round on Saturday. Raskin "
        "retained his titles. Pollard said he had no answer to Raskin's right hand.",
        "2021-07-10",
    ),
]


async def _place(nlp: Language, articles: list[Article]) -> dict[str, str]:
    store = MemoryStore()
    t0 = datetime(2021, 7, 11, tzinfo=UTC)
    items = [(a, t0 + timedelta(minutes=i)) for i, a in enumerate(articles)]
    out: dict[str, str] = {}
    for x in pipeline.extract(nlp, items):
        a = await pipeline.resolve(store, x)
        out[x.article.id] = a.event_id
    return {aid: await store.assignment(aid) or eid for aid, eid in out.items()}


def test_two_fights_of_one_champion_stay_two_events(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*row) for row in FIGHTS]))
    assert placed["dell-1"] == placed["dell-2"]
    assert placed["pollard-1"] == placed["pollard-2"]
    assert placed["dell-1"] != placed["pollard-1"]


def test_two_fights_of_one_champion_stay_two_events_without_dates(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*row[:3], None) for row in FIGHTS]))
    assert placed["dell-1"] == placed["dell-2"]
    assert placed["pollard-1"] == placed["pollard-2"]
    assert placed["dell-1"] != placed["pollard-1"]


SHOOTING = (
    "plant-1",
    "Two killed in shooting at Dunmore bakery plant",
    "A suspended worker shot dead two colleagues at the Harlow Bakeries plant in Dunmore on Thursday night, "
    "police said. Police arrested Janet Crewe, 43, at the plant. Crewe had been escorted out of the plant an "
    "hour before the shooting, police said. The victims were Lena Moss and Carla Diaz.",
    "2021-03-04",
)
TRIAL = (
    "plant-trial",
    "Trial begins for Janet Crewe in Harlow Bakeries plant shooting",
    "The murder trial of Janet Crewe, accused of shooting dead two colleagues at the Harlow Bakeries plant in "
    "Dunmore, began on Monday. Prosecutors told the jury that Crewe returned to the plant with a gun after "
    "she was suspended. Lena Moss and Carla Diaz died in the shooting. The judge said the trial would last "
    "two weeks.",
    "2022-09-12",
)
REPEAT = (
    "plant-again",
    "Shooting at Dunmore warehouse leaves one dead",
    "A man was shot dead at a warehouse in Dunmore on Sunday, police said. Police said they were looking for "
    "a gunman who fled in a grey van. The victim, Tomas Varga, 30, worked at the warehouse.",
    "2021-09-11",
)


def test_a_trial_joins_its_shooting_a_year_later(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*SHOOTING), art(*TRIAL)]))
    assert placed["plant-trial"] == placed["plant-1"]


def test_another_shooting_in_the_same_town_a_year_later_stays_apart(nlp: Language) -> None:
    placed = asyncio.run(_place(nlp, [art(*SHOOTING), art(*REPEAT), art(*TRIAL)]))
    assert placed["plant-again"] != placed["plant-1"]
    assert placed["plant-trial"] == placed["plant-1"]


def test_court_words_make_a_later_step() -> None:
    assert is_step(["trial", "plant", "shooting"])
    assert is_step(["plant", "shooting", "worker", "police", "colleague", "jury", "verdict"])
    assert not is_step(["plant", "shooting", "worker", "police", "colleague", "gun", "court"])


BUSES = [
    (
        "brindle-1",
        "Bus overturns near Brindle, 12 hurt",
        "Twelve people were hurt when a bus overturned near Brindle on Tuesday morning, police said. The bus was "
        "carrying workers to a factory near Brindle. Police said the driver lost control on a bend.",
        "2021-06-15",
    ),
    (
        "dunmore-1",
        "Bus overturns near Dunmore, 9 hurt",
        "Nine people were hurt when a bus overturned near Dunmore on Tuesday morning, police said. The bus was "
        "carrying pupils to a school near Dunmore. Police said the driver lost control on a wet road.",
        "2021-06-15",
    ),
    (
        "brindle-2",
        "Twelve injured in Brindle bus crash",
        "A bus overturned near Brindle on Tuesday, injuring twelve workers, police said. The driver lost control "
        "on a bend outside Brindle, police said.",
        "2021-06-15",
    ),
    (
        "dunmore-2",
        "Nine injured as bus overturns in Dunmore",
        "Nine pupils were injured when their bus overturned in Dunmore on Tuesday, police said. The driver lost "
        "control on a wet road in Dunmore.",
        "2021-06-15",
    ),
]


def test_two_crashes_in_towns_nobody_listed_stay_two_events(nlp: Language) -> None:
    """The parser takes "Brindle" and "Dunmore" for people; "near Brindle", "in Dunmore" make them places."""
    placed = asyncio.run(_place(nlp, [art(*row) for row in BUSES]))
    assert placed["brindle-1"] == placed["brindle-2"]
    assert placed["dunmore-1"] == placed["dunmore-2"]
    assert placed["brindle-1"] != placed["dunmore-1"]


def test_a_name_is_a_place_only_in_a_place_role_throughout(nlp: Language) -> None:
    doc = nlp(
        "Police in Kelvash said a man was stabbed. Officers in Kelvash made an arrest. Shares in Apple fell "
        "after Apple said sales slowed. Senators in Congress met on Tuesday."
    )
    places = _role_places(doc.ents)
    assert "apple" not in places
    assert "congress" not in places  # one mention in the role is not enough

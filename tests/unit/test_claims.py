"""Claim extraction, sentence by sentence, with the real spaCy model."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from spacy.language import Language

from agents.core.facts import claims_from_doc, count_value, parse_number
from agents.core.nlp import get_nlp
from agents.core.text import article_text
from schemas import ArticleRef, Claim, CountValue, PlaceValue, PolarityValue, TimeValue

REF = ArticleRef(id="t1", source="Test Wire", published_at=datetime(2020, 6, 10, 12, 0, tzinfo=UTC))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def claims(nlp: Language, text: str, title: str | None = None) -> list[Claim]:
    doc = nlp(article_text(title, text))
    out = claims_from_doc(doc, REF)
    for c in out:
        assert doc.text[c.start : c.end] == c.quote, "quote must be the exact span at its offsets"
    return out


def main(nlp: Language, text: str, slot: str, title: str | None = None) -> list[Claim]:
    return [c for c in claims(nlp, text, title) if c.slot == slot and c.scope == "main"]


def interval(c: Claim) -> tuple[float | None, float | None]:
    assert isinstance(c.typed, CountValue)
    return c.typed.low, c.typed.high


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Gunmen stormed a police station in the town, killing at least 12 people.", 12, None),
        ("More than 40 people died in the fire, officials said.", 41, None),
        ("Nearly 80 people were killed in the stampede.", 68, 80),
        ("The blast killed a police chief and at least 14 others.", 15, None),
        ("Seventeen people were killed when the bridge collapsed.", 17, 17),
        ("The ministry put the death toll at 57.", 57, 57),
        ("Up to 30 people may have been killed.", None, None),
    ],
)
def test_death_tolls(nlp: Language, text: str, low: float | None, high: float | None) -> None:
    got = main(nlp, text, "killed")
    if low is None:
        assert got == []
    else:
        assert len(got) == 1
        assert interval(got[0]) == (low, high)


def test_headline_count(nlp: Language) -> None:
    got = main(nlp, "Rescuers searched the area overnight.", "killed", title="Nine dead as storm hits coast")
    assert [interval(c) for c in got] == [(9, 9)]


def test_attribution_said_and_according_to(nlp: Language) -> None:
    (c,) = main(nlp, "More than 40 people died in the fire, officials said.", "killed")
    assert c.attributed_to == "officials"
    (c,) = main(nlp, "According to the regional governor, 23 people were killed in the attack.", "killed")
    assert c.attributed_to is not None and "governor" in c.attributed_to
    (c,) = main(nlp, "The ministry put the death toll at 57.", "killed")
    assert c.attributed_to == "The ministry"


def test_hedge(nlp: Language) -> None:
    (c,) = main(nlp, "Some reports say more than 20 people died in the crash.", "killed")
    assert c.hedge is not None


def test_injured_and_hospital(nlp: Language) -> None:
    (c,) = main(nlp, "The train crash injured 35 people on Monday.", "injured")
    assert interval(c) == (35, 35)
    (c,) = main(nlp, "Thirty people were taken to hospital after the crash.", "injured")
    assert interval(c) == (30, 30) and "hospital" in c.value
    (c,) = main(nlp, "No one was injured in the fire, the company said.", "injured")
    assert interval(c) == (0, 0)


def test_vague_and_subset_counts(nlp: Language) -> None:
    (c,) = main(nlp, "Dozens of people were wounded in the blast.", "injured")
    assert isinstance(c.typed, CountValue) and c.typed.approx and c.typed.high is None
    assert main(nlp, "Twenty people were hurt, four of whom were seriously injured.", "injured")[0].value == "20"
    assert len(main(nlp, "Twenty people were hurt, four of whom were seriously injured.", "injured")) == 1


def test_attackers(nlp: Language) -> None:
    (c,) = main(nlp, "Three attackers opened fire on the crowd.", "attackers")
    assert interval(c) == (3, 3)
    (c,) = main(nlp, "The group said four of its fighters had taken part in the raid.", "attackers")
    assert interval(c) == (4, 4)


@pytest.mark.parametrize(
    "text",
    [
        "Floods killed 200 people in the region last year.",
        "The civil war has killed more than 300,000 people.",
        "A similar attack in 2015 killed 30 people.",
    ],
)
def test_other_incidents_are_scoped_out(nlp: Language, text: str) -> None:
    got = [c for c in claims(nlp, text) if c.slot == "killed"]
    assert got and all(c.scope == "other" for c in got)


def test_hypothetical_is_no_claim(nlp: Language) -> None:
    assert main(nlp, "Officials warned that thousands of people could die if the dam failed.", "killed") == []


def test_responsibility(nlp: Language) -> None:
    (c,) = main(nlp, "The Red Hand Brigade claimed responsibility for the bombing.", "responsibility")
    assert isinstance(c.typed, PolarityValue) and c.typed.positive and c.subject
    (d,) = main(nlp, "The Red Hand Brigade said it carried out the attack.", "responsibility")
    assert isinstance(d.typed, PolarityValue) and d.typed.positive and d.subject == c.subject
    (e,) = main(
        nlp, "The Red Hand Brigade praised the bombing but stopped short of claiming responsibility.", "responsibility"
    )
    assert isinstance(e.typed, PolarityValue) and not e.typed.positive and e.subject == c.subject


def test_state_since(nlp: Language) -> None:
    got = [
        c
        for c in claims(nlp, "The town of Marlow has been under rebel control since March 2019.")
        if c.slot.endswith("since")
    ]
    assert len(got) == 1
    assert isinstance(got[0].typed, TimeValue) and got[0].typed.precision == "month"
    assert got[0].value == "March 2019"


def test_time_of_incident(nlp: Language) -> None:
    (c,) = main(nlp, "The explosion happened at 9:15 p.m. near the station.", "time of incident")
    assert isinstance(c.typed, TimeValue) and c.typed.start.hour == 21 and c.typed.start.minute == 15


def test_location_distance_and_bearing(nlp: Language) -> None:
    got = main(nlp, "The earthquake struck 40 kilometres north-west of Tula at a shallow depth.", "location")
    places = [c for c in got if isinstance(c.typed, PlaceValue)]
    assert len(places) == 1 and places[0].typed.bearing == 315  # type: ignore[union-attr]


def test_swap(nlp: Language) -> None:
    (c,) = main(nlp, "The hostages were freed in exchange for three jailed commanders.", "released in exchange")
    assert isinstance(c.typed, PolarityValue) and c.typed.positive
    (d,) = main(nlp, '"This was not a swap," the minister said of the release of the hostages.', "released in exchange")
    assert isinstance(d.typed, PolarityValue) and not d.typed.positive


def test_numbers() -> None:
    assert parse_number("1,600") == 1600
    assert parse_number("thirty-one") == 31
    assert parse_number("two hundred") == 200
    assert count_value("at least 32", "ge") == (CountValue(low=32), "at least 32")
    v, label = count_value("more than 40", "gt")  # type: ignore[misc]
    assert (v.low, v.high, label) == (41, None, "more than 40")


def test_noun_counts_and_spelled_hyphenated_numbers(nlp: Language) -> None:
    (c,) = main(nlp, "Authorities confirmed 17 deaths on Saturday.", "killed")
    assert interval(c) == (17, 17)
    (d,) = main(nlp, "Thirty-one people were killed in the collapse.", "killed")
    assert interval(d) == (31, 31)


def test_breakdown_is_no_total(nlp: Language) -> None:
    assert main(nlp, "Twenty people were killed in the north and six in the south.", "killed") == []


def test_another_incident_later_in_the_article(nlp: Language) -> None:
    lead = "A bomb exploded at a market in the city on Monday. Police sealed off the area. Shops stayed shut. "
    got = [
        c
        for c in claims(nlp, lead + "Last week, a car bomb in a nearby town killed nine people.")
        if c.slot == "killed"
    ]
    assert got and all(c.scope == "other" for c in got)


def test_no_group_claimed(nlp: Language) -> None:
    (c,) = main(nlp, "No group has claimed responsibility for the bombing.", "responsibility")
    assert c.subject == "*" and isinstance(c.typed, PolarityValue) and not c.typed.positive


def test_generic_state_since(nlp: Language) -> None:
    got = [
        c
        for c in claims(nlp, "The border crossing has been closed since March 2016, officials said.")
        if c.slot.endswith("since")
    ]
    assert [(c.slot, c.subject, c.value) for c in got] == [("closed since", "border crossing", "March 2016")]


def test_similar_incident_is_other(nlp: Language) -> None:
    got = [c for c in claims(nlp, "Nine people died in a similar crash on the same road.") if c.slot == "killed"]
    assert got and all(c.scope == "other" for c in got)


def test_ages_are_not_counts_and_arrests_are(nlp: Language) -> None:
    assert [c for c in claims(nlp, "The bus driver, 42, from Leeds, has been arrested.") if c.slot == "arrested"] == []
    (c,) = main(nlp, "Police arrested five men after the riot at the stadium.", "arrested")
    assert interval(c) == (5, 5)


def test_population(nlp: Language) -> None:
    (c,) = main(nlp, "The quake hit Aceh province, home to 4.5 million people.", "population")
    assert c.subject == "Aceh province" and isinstance(c.typed, CountValue)
    assert c.typed.low is not None and c.typed.low < 4_500_000 < (c.typed.high or 0)


def test_target_weapon_vehicle(nlp: Language) -> None:
    got = {c.slot: c.value for c in claims(nlp, "A man drove a truck into a crowd on the promenade.")}
    assert got.get("vehicle") == "truck"
    got = {c.slot: c.value for c in claims(nlp, "The attackers detonated explosive vests inside the building.")}
    assert got.get("weapon") == "explosive vest"
    got = {c.slot: c.value for c in claims(nlp, "Gunmen attacked two police stations in the north on Sunday.")}
    assert "police stations" in got.get("target", "")


@pytest.mark.parametrize(
    ("text", "hour", "minute", "subject"),
    [
        ("The attack happened shortly after 8pm on Friday.", 20, 0, "local time"),
        ("The quake struck at 06:15 GMT, some 40 km from the coast.", 6, 15, "UTC"),
        ("Dozens were hurt after the explosion at around 10.30pm last night.", 22, 25, "local time"),
    ],
)
def test_clock_times(nlp: Language, text: str, hour: int, minute: int, subject: str) -> None:
    (c,) = main(nlp, text, "time of incident")
    assert isinstance(c.typed, TimeValue) and c.subject == subject
    assert (c.typed.start.hour, c.typed.start.minute) == (hour, minute)


def test_time_of_something_else_is_no_claim(nlp: Language) -> None:
    assert main(nlp, "The minister spoke at 10:30 a.m. at a news conference.", "time of incident") == []


@pytest.mark.parametrize(
    ("text", "slot", "value"),
    [
        ("The attack claimed 32 lives.", "killed", (32, 32)),
        ("At least 20 people lost their lives in the fire.", "killed", (20, None)),
        ("Twelve people suffered injuries in the crash.", "injured", (12, 12)),
        ("Officials said 40 people are still missing.", "missing", (40, 40)),
        ("The number of dead rose to 23 overnight.", "killed", (23, 23)),
        ("Fatalities stood at 19 by Tuesday evening.", "killed", (19, 19)),
    ],
)
def test_more_frames(nlp: Language, text: str, slot: str, value: tuple[float, float | None]) -> None:
    (c,) = main(nlp, text, slot)
    assert interval(c) == value


def test_severity_subset_is_apart(nlp: Language) -> None:
    (c,) = main(nlp, "The blast left 14 people injured, three of them seriously.", "injured")
    assert c.subject is None and interval(c) == (14, 14)
    (d,) = main(nlp, "Four people were taken to hospital with serious injuries.", "injured")
    assert d.subject == "seriously"


def test_counted_noun_with_a_participle(nlp: Language) -> None:
    (c,) = main(nlp, "He opened fire from a window and killed 12 people attending a concert nearby.", "killed")
    assert interval(c) == (12, 12)


def test_swap_needs_captives_in_the_article(nlp: Language) -> None:
    text = "The two hostages were handed over at the border. They were exchanged for four jailed fighters."
    assert [c.typed.positive for c in main(nlp, text, "released in exchange")] == [True]  # type: ignore[union-attr]
    assert main(nlp, "The bank got a loan in exchange for deep budget cuts.", "released in exchange") == []


def test_unknown_time_zone_is_its_own_basis(nlp: Language) -> None:
    (c,) = main(nlp, "The attack happened at 4:30 p.m. ET on Sunday.", "time of incident")
    assert c.subject == "ET"

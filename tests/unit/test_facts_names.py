"""Names, homes and ages of people, names of things, colours, ship types, charges and days (invented sentences)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from agents.core.compare import compatible, similar, spelling
from agents.core.nlp import get_nlp
from schemas import CategoryValue, DayValue
from tests.facts import UNDATED, claims, main


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def _cat(nlp: Language, text: str, slot: str, title: str | None = None) -> list[CategoryValue]:
    out = []
    for c in main(nlp, text, slot, title, ref=UNDATED):
        assert isinstance(c.typed, CategoryValue)
        out.append(c.typed)
    return out


def test_home_and_age_of_a_named_person(nlp: Language) -> None:
    got = main(nlp, "The driver, Marcus Ellery Tolliver, 41, of Brookvale, was arrested two blocks away.", ref=UNDATED)
    home = [c for c in got if c.slot == "home"]
    age = [c for c in got if c.slot == "age"]
    assert [(c.subject, c.value) for c in home] == [("marcus tolliver", "Brookvale")]
    assert [c.value for c in age] == ["41"]


def test_home_by_surname_takes_the_article_s_full_name(nlp: Language) -> None:
    text = (
        "Marcus Tolliver was driving north when the crash happened. "
        "Police stopped Tolliver, of Linwood Heights, a mile from the scene."
    )
    (home,) = main(nlp, text, "home", ref=UNDATED)
    assert home.subject == "marcus tolliver" and home.value == "Linwood Heights"


def test_who_lived_in(nlp: Language) -> None:
    (home,) = main(nlp, "Dana Whitcombe, who lived in East Marlow, was walking home.", "home", ref=UNDATED)
    assert home.value == "East Marlow"


def test_places_agree_when_one_holds_the_other_or_is_a_spelling(nlp: Language) -> None:
    a = CategoryValue(label="Marlow", canonical="marlow", rule="place")
    b = CategoryValue(label="East Marlow", canonical="east marlow", rule="place")
    c = CategoryValue(label="Brookvale", canonical="brookvale", rule="place")
    d = CategoryValue(label="Brookvaile", canonical="brookvaile", rule="place")
    assert compatible(a, b) and compatible(c, d) and not compatible(a, c)


def test_spellings_of_one_name_are_a_finding_not_two_people(nlp: Language) -> None:
    assert similar("Marcus Tolliver", "Marcus Toliver") and similar("LaToyah Brand", "Latoya Brand")
    assert not similar("Ravi Brand", "Manpreet Brand") and not similar("Mark Jones", "Mary Jones")
    (a,) = _cat(nlp, "The dredger, a small boat, was named Seawhistler by its owner.", "name of vessel")
    (b,) = _cat(nlp, "A boat called Seawhistle was found drifting.", "name of vessel")
    assert spelling(a, b) and not compatible(a, b)
    (c,) = _cat(nlp, "A boat named Morning Star was seen nearby.", "name of vessel")
    assert compatible(a, c), "two different names are two boats"


def test_colour_of_a_vehicle(nlp: Language) -> None:
    (a,) = _cat(nlp, "Witnesses said she was struck by a grey Honda Accord.", "colour of accord")
    (b,) = _cat(nlp, "The woman was hit by a silver Honda Accord.", "colour of accord")
    (c,) = _cat(nlp, "A gray Honda Accord sped away.", "colour of accord")
    assert not compatible(a, b) and compatible(a, c)
    assert _cat(nlp, "The White House said the black car was stopped.", "colour of house") == []


def test_type_of_a_named_ship(nlp: Language) -> None:
    (a,) = _cat(nlp, "The frigate HMS Larkspur escorted the convoy.", "type")
    (b,) = _cat(nlp, "Patrol vessel HMS Larkspur escorted the convoy.", "type")
    (c,) = _cat(nlp, "The British warship HMS Larkspur escorted the convoy.", "type")
    assert not compatible(a, b)
    assert compatible(a, c) and compatible(b, c), "a warship is any of them"


def test_grades_of_a_homicide_charge(nlp: Language) -> None:
    (a,) = _cat(nlp, "Tolliver has been charged with second-degree murder.", "charges")
    (b,) = _cat(nlp, "He was charged with manslaughter and leaving the scene.", "charges")
    (c,) = _cat(nlp, "He faces charges including murder and drunk driving.", "charges")
    assert not compatible(a, b) and compatible(a, c)
    assert _cat(nlp, "He is expected to be charged with murder on Monday.", "charges") == []


def _days(nlp: Language, text: str) -> list[DayValue]:
    out = []
    for c in main(nlp, text, "day of incident", ref=UNDATED):
        assert isinstance(c.typed, DayValue)
        out.append(c.typed)
    return out


def test_day_of_the_incident(nlp: Language) -> None:
    (a,) = _days(nlp, "Gunmen attacked the convoy on Tuesday near the border.")
    (b,) = _days(nlp, "The coast guard on Wednesday foiled an attack on the convoy.")
    (c,) = _days(nlp, "The navy thwarted the attack on 12 Mar 2019.")
    assert not compatible(a, b)
    assert compatible(a, c), "12 March 2019 was a Tuesday"
    assert _days(nlp, "Police said on Friday that the attack had been planned for weeks.") == []
    assert _days(nlp, "The suspect is expected to appear in court on Monday.") == []


def test_quotes_are_exact(nlp: Language) -> None:
    claims(
        nlp,
        "Marcus Tolliver, 41, of Brookvale, drove a grey Honda Accord into the frigate HMS Larkspur "
        "on Tuesday and was charged with murder.",
        ref=UNDATED,
    )


def test_what_a_quake_hit_is_no_target(nlp: Language) -> None:
    assert main(nlp, "A strong earthquake hit the island of Corvena on Tuesday.", "target", ref=UNDATED) == []
    assert [c.value for c in main(nlp, "Gunmen attacked a police station in Corvena.", "target", ref=UNDATED)] == [
        "a police station"
    ]

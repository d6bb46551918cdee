"""Measures, magnitudes, sums of money and positions from a place (invented sentences)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from agents.core.compare import compatible
from agents.core.nlp import get_nlp
from schemas import CountValue, PlaceValue
from tests.facts import UNDATED, main, slots


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def _one(nlp: Language, text: str, slot: str) -> CountValue:
    (c,) = main(nlp, text, slot)
    assert isinstance(c.typed, CountValue)
    return c.typed


def test_depth_in_any_unit_and_wording(nlp: Language) -> None:
    miles = _one(nlp, "The tremor had a depth of 3.1 miles, the survey said.", "depth")
    km = _one(nlp, "It struck at a depth of 5 kilometres.", "depth")
    below = _one(nlp, "The rupture began about three miles below the surface.", "depth")
    deep = _one(nlp, "The quake was 30 miles deep.", "depth")
    assert compatible(miles, km)  # 3.1 miles = 5.0 km
    assert compatible(miles, below)
    assert not compatible(miles, deep)


def test_size_of_a_thing_from_a_measured_modifier(nlp: Language) -> None:
    metres = _one(nlp, "Divers found a 12-metre trawler on the seabed.", "size of trawler")
    feet = _one(nlp, "It was described as a 20- to 25-foot trawler.", "size of trawler")
    assert not compatible(metres, feet)  # 12 m against 6.1-7.6 m


def test_magnitudes_to_one_decimal(nlp: Language) -> None:
    a = _one(nlp, "A magnitude-5.8 earthquake struck the valley.", "magnitude")
    b = _one(nlp, "A 5.6 quake rattled the valley on Monday.", "magnitude")
    c = _one(nlp, "The quake had a preliminary magnitude of 5.8, the agency said.", "magnitude")
    assert not compatible(a, b) and compatible(a, c)


def test_magnitude_revised_takes_the_figure_not_revised(nlp: Language) -> None:
    got = main(nlp, "The 5.6-magnitude quake was felt widely; the agency had initially rated it 5.9.", "magnitude")
    assert [c.value for c in got] == ["5.6"]


@pytest.mark.parametrize(
    "text",
    [
        "Aftershocks of magnitude 3.2 followed within the hour.",
        "The largest quake ever recorded there was 6.9.",
        "Experts put the maximum magnitude for the fault at 7.1.",
    ],
)
def test_magnitudes_of_other_quakes_are_apart(nlp: Language, text: str) -> None:
    assert main(nlp, text, "magnitude") == []


def test_sums_by_currency_and_by_what_they_are(nlp: Language) -> None:
    got = slots(nlp, "Thieves stole paintings worth 12 million euros ($13 million) from the museum.")
    assert set(got) >= {"stolen (EUR)", "stolen (USD)"}
    ransom = slots(nlp, "The kidnappers demanded a ransom of $400,000 for the engineer.")
    assert "ransom (USD)" in ransom
    none = slots(nlp, "The museum's annual budget is $3 million.")
    assert not any(k.startswith(("stolen", "ransom")) for k in none)


def test_rounded_sums_that_differ_disagree(nlp: Language) -> None:
    a = _one(nlp, "Robbers made off with $4.5 million in watches.", "stolen (USD)")
    b = _one(nlp, "The gang snatched $4.6 million worth of watches.", "stolen (USD)")
    c = _one(nlp, "The gang snatched watches worth more than $4.5 million.", "stolen (USD)")
    assert not compatible(a, b) and compatible(b, c)


def test_a_sum_from_another_incident_is_background(nlp: Language) -> None:
    got = main(nlp, "Last year, thieves in Lisbon stole $20 million in diamonds.", "stolen (USD)")
    assert got == []


def test_positions_from_a_place(nlp: Language) -> None:
    a = main(nlp, "The tanker was attacked about 80 nautical miles south of Port Elmer.", "location", ref=UNDATED)
    b = main(nlp, "Pirates fired on the tanker 80 nautical miles north of Port Elmer.", "location", ref=UNDATED)
    assert a and b and isinstance(a[0].typed, PlaceValue)
    assert not compatible(a[0].typed, b[0].typed)
    near = main(nlp, "The quake struck about 20 miles north of Tarnow.", "location", ref=UNDATED)
    far = main(nlp, "The quake was centred 26 miles north of Tarnow.", "location", ref=UNDATED)
    assert not compatible(near[0].typed, far[0].typed)


def test_the_position_of_a_town_is_not_the_incident_s(nlp: Language) -> None:
    got = main(
        nlp, "Residents of Amberley, a small town 4 miles east of Tarnow, felt the quake.", "location", ref=UNDATED
    )
    assert got == []


def test_a_place_name_in_a_hyphened_modifier_is_not_where_it_happened(nlp: Language) -> None:
    text = (
        "Pirates attacked the trawler Marla in the Gulf of Sarel on Saturday, the navy said.\n"
        "The Gulf of Sarel, off Port Elmer, is patrolled by warships from many navies.\n"
        "Eleven pirates were arrested.\nTheir skiff was sunk.\nThe crew of the Marla was unhurt.\n"
        "The drama began at 11am when the 6,000-tonne Lisbon-class missile frigate Valiant Tern received a distress "
        "call from the merchant ship Marla that it was under attack by a pirate skiff around 60 nautical miles "
        "south of Port Elmer."
    )
    got = main(nlp, text, "location", ref=UNDATED)
    assert got and isinstance(got[0].typed, PlaceValue) and got[0].typed.bearing == 180.0

"""Open counts: numbers tied to what they count and the relation it stands in (invented sentences)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from agents.core.compare import compatible
from agents.core.nlp import get_nlp
from tests.facts import main, slots


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def test_one_key_for_the_wordings_of_one_quantity(nlp: Language) -> None:
    a = main(nlp, "Coast guards seized nine M-16 rifles from the smugglers' boat.", "m16 (seized)")
    b = main(nlp, "Eleven M 16 guns were confiscated from the vessel.", "m16 (seized)")
    c = main(nlp, "Officers recovered eleven M-16s after the chase.", "m16 (seized)")
    assert [x.value for x in a] == ["9 M-16"] and len(b) == 1 and len(c) == 1
    assert not compatible(a[0].typed, b[0].typed) and compatible(b[0].typed, c[0].typed)


def test_a_list_gives_each_figure_its_key_and_quote(nlp: Language) -> None:
    got = slots(nlp, "Customs officers confiscated 40 crates, 12 laptops and 300 phones from the warehouse.")
    assert got["crate (seized)"] == ["40 crate"]
    assert got["laptop (seized)"] == ["12 laptop"]
    assert got["phone (seized)"] == ["300 phone"]
    (phones,) = main(
        nlp, "Customs officers confiscated 40 crates, 12 laptops and 300 phones from the warehouse.", "phone (seized)"
    )
    assert "300 phones" in phones.quote and "laptops" in phones.quote  # the figure's own words, with the verb


def test_other_things_counted_apart(nlp: Language) -> None:
    got = slots(nlp, "The police seized four shotguns and two other rifles in the raid on the farm.")
    assert got.get("other rifle (seized)") == ["2 other rifle"]


def test_nationalities_of_people_taken_into_custody(nlp: Language) -> None:
    got = slots(nlp, "Border guards arrested 14 Moldovan smugglers near the crossing.")
    assert "moldov (arrested)" in got
    breakdown = slots(nlp, "Those detained included nine Moldovans and five Ukrainians.")
    assert breakdown.get("moldov (arrested)") == ["9 Moldovans"]
    assert "ukrain (arrested)" in breakdown


def test_a_measure_is_no_count(nlp: Language) -> None:
    got = main(nlp, "An earthquake measuring 5.4 shook three provinces.")
    assert [c.value for c in got if c.slot.endswith(")")] == ["3 province"]


def test_one_preposition_class_for_vessels(nlp: Language) -> None:
    a = slots(nlp, "The smugglers, in three skiffs, tried to reach the shore.")
    b = slots(nlp, "The smugglers on four skiffs tried to reach the shore.")
    assert a.get("skiff (in)") == ["3 skiff"] and b.get("skiff (in)") == ["4 skiff"]


@pytest.mark.parametrize(
    "text",
    [
        "The ferry could carry 300 passengers on a calm day.",  # a capacity, not a report
        "So far this year, the coast guard has seized 140 boats.",  # a total over a period
        "In their six operations so far, the crews have recovered 31 rifles.",  # over several incidents
        "Rescuers worked through the night to free five people trapped in the wreck.",  # a purpose, not a result
        "One of the boats sank near the harbour.",  # a part of a group
        "He drove along Route 66 towards the border.",  # a name
    ],
)
def test_numbers_that_are_no_count_of_this_incident(nlp: Language, text: str) -> None:
    assert [c for c in main(nlp, text) if c.slot.endswith(")")] == []

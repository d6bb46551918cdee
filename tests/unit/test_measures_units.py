"""A figure and its unit, spaced, hyphened or written against each other, read alike (invented sentences).

Written for docs/libraries.md: the measurement found that a unit written against its number ("2km", "40mph")
was not read, while the spaced form was.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from agents.core.compare import compatible
from agents.core.nlp import get_nlp
from schemas import CountValue
from tests.facts import main


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def _value(nlp: Language, text: str, slot: str) -> CountValue:
    (c,) = main(nlp, text, slot)
    assert isinstance(c.typed, CountValue)
    return c.typed


@pytest.mark.parametrize(
    ("text", "slot", "km"),
    [
        # sentence -> slot and the value in the canonical unit (km, km/h)
        ("The tremor struck at a depth of 8km, the agency said.", "depth", 8.0),
        ("The tremor struck at a depth of 8 km, the agency said.", "depth", 8.0),
        ("The tremor struck at a depth of 8 kilometres, the agency said.", "depth", 8.0),
        ("The quake's focus lay 8km below the surface.", "depth", 8.0),
        ("The epicentre was about 5 miles deep.", "depth", 8.05),
        ("The plane was flying at an altitude of 2.4km when it lost power.", "altitude of plane", 2.4),
        ("The plane was flying at an altitude of 2.4 km when it lost power.", "altitude of plane", 2.4),
        ("The cyclist was hit at speeds of 70km/h on the ring road.", "speed of cyclist", 70.0),
        ("The cyclist was hit at speeds of 70 km/h on the ring road.", "speed of cyclist", 70.0),
        ("The van was travelling at 45mph when it left the road.", "speed of van", 72.4),
        ("The van was travelling at 45 mph when it left the road.", "speed of van", 72.4),
    ],
)
def test_a_unit_against_its_number_reads_as_a_spaced_one(nlp: Language, text: str, slot: str, km: float) -> None:
    v = _value(nlp, text, slot)
    assert v.low is not None and v.high is not None
    assert v.low <= km <= v.high * 1.001


def test_attached_and_spaced_units_agree_and_differ_as_figures(nlp: Language) -> None:
    attached = _value(nlp, "The boat sank at a depth of 12km.", "depth")
    spaced = _value(nlp, "The boat sank at a depth of 12 kilometres.", "depth")
    miles = _value(nlp, "The boat sank at a depth of about 7.5 miles.", "depth")
    other = _value(nlp, "The boat sank at a depth of 20km.", "depth")
    assert compatible(attached, spaced) and compatible(attached, miles)
    assert not compatible(attached, other)


@pytest.mark.parametrize(
    "text",
    [
        "The company paid 40m for the site and a further 12m in fees.",  # millions, not metres
        "The new chip, the X40M, runs cooler than its predecessor.",
    ],
)
def test_what_is_no_measure_stays_out(nlp: Language, text: str) -> None:
    assert [c for c in main(nlp, text) if c.slot in ("depth", "length", "distance", "size", "height")] == []

"""Places apart: two sides whose main towns no hierarchy relates, and what does not make them apart."""

from __future__ import annotations

from collections import Counter

from agents.core.evidence import Side, compare


def side(places: dict[str, float], articles: int = 1) -> Side:
    return Side(places=places, parents={}, actors={}, days=Counter(), weekdays=Counter(), articles=articles)


def test_two_towns_no_hierarchy_relates_are_apart() -> None:
    """A warehouse fire in Marlby against one in Oskton (invented towns): nothing relates the two."""
    assert compare(side({"marlby": 3.0}), side({"oskton": 3.0, "brenn valley": 1.0})).place == "apart"


def test_a_town_one_side_names_prominently_and_the_other_names_at_all_relates_them() -> None:
    """ "A quake near Oskton and Marlby" against an event about Brenn Valley that also mentions Marlby."""
    article = side({"oskton": 3.0, "marlby": 1.6})
    event = side({"brenn valley": 3.0, "kessa": 2.5, "tarrow": 2.5, "marlby": 0.2}, articles=3)
    assert compare(article, event).place == "unknown"


def test_a_passing_name_below_country_level_is_no_main_place() -> None:
    """An article about countries whose one town-like name is a passing mention (or a name tagged as a
    place in error, "Sean") has no main place to be apart from the event's towns."""
    article = side({"somalia": 2.6, "yemen": 2.6, "india": 1.6, "bahrain": 1.6, "united states": 2.8, "sean": 1.6})
    event = side({"aden": 3.0, "djibouti": 1.2, "yemen": 4.0}, articles=5)
    assert compare(article, event).place != "apart"

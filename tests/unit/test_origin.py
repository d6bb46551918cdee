"""Origins: credits in datelines, closing lines and URLs; copies found by MinHash (invented texts)."""

from __future__ import annotations

import pytest

from agents.core.origin import SAME_STORY, credited, fingerprint, origin_of, shared

STORY = (
    "Flood waters rose through the night in the river town of Marlby, forcing hundreds of families onto "
    "rooftops as rescue boats worked in the dark. Officials said at least 14 people had died and dozens were "
    "missing. The mayor, speaking at a school turned shelter, said the levee had given way shortly after "
    "midnight. Power was cut across the district and the main bridge was closed. Forecasters warned that more "
    "rain was expected on Sunday, and the army sent two helicopters to lift people from the worst streets. "
    "Aid groups set up kitchens in three churches and asked for blankets and clean water."
)


@pytest.mark.parametrize(
    ("body", "url", "wire"),
    [
        ("MARLBY (AP) - Flood waters rose through the night.", None, "AP"),
        ("MARLBY, Oct 3 (Reuters) - Flood waters rose.", None, "Reuters"),
        ("Floods in Marlby Updated: 2020-10-03 06:50 (Xinhua) MARLBY - Waters rose.", None, "Xinhua"),
        (
            "Waters rose through the night. Aid arrived on Sunday. (Reporting by Ann Lee; Editing by Tom Ray)",
            None,
            "Reuters",
        ),
        ("Waters rose through the night. Aid arrived on Sunday. - AFP", None, "AFP"),
        ("Waters rose through the night.", "https://www.example.com/wires/pa/article-1/Floods.html", "PA"),
        ("Waters rose through the night.", "https://www.example.com/aponline/2020/10/03/ap-eu-floods.html", "AP"),
    ],
)
def test_credited_origins(body: str, url: str | None, wire: str) -> None:
    assert credited(body, url) == wire


@pytest.mark.parametrize(
    ("outlet", "wire"),
    [
        ("Reuters", "Reuters"),
        ("Associated Press", "AP"),
        ("Yahoo News (AFP)", "AFP"),
        ("Marlby Post", None),
        ("Apex Daily", None),
    ],
)
def test_an_outlet_named_after_a_wire_carries_it(outlet: str, wire: str | None) -> None:
    assert credited("Waters rose through the night.", None, outlet) == wire


@pytest.mark.parametrize(
    "body",
    [
        "Waters rose through the night, an official told AFP. Aid arrived on Sunday.",  # attribution
        "Waters rose, Reuters reported, citing officials. Aid arrived on Sunday.",  # one fact's source
        "Waters rose through the night. A man wades through a street. Jon Smith/AP",  # a photo credit
        "Waters rose through the night. A street under water (c) Jon Smith (AFP)",  # a photo credit
        "Waters rose through the night. Aid arrived on Sunday.\nab/cd (AFP, Reuters)",  # the outlet's compilation
    ],
)
def test_attributions_and_photo_credits_are_no_origin(body: str) -> None:
    assert credited(body, None) is None


def test_copies_of_one_story_are_found_and_other_stories_not() -> None:
    original = fingerprint("Rooftops and rescue boats in Marlby\n\n" + STORY)
    trimmed = fingerprint(
        "Marlby floods: families on rooftops\n\nA night of rising water in Marlby. "
        + STORY[STORY.index("Officials") : STORY.index("Forecasters")]
    )
    other = fingerprint(
        "Fire in a warehouse\n\nA fire destroyed a warehouse in the port of Halden on Saturday, "
        "and firefighters said the roof collapsed shortly after midnight. No one was hurt."
    )
    assert shared(original, trimmed) >= SAME_STORY
    assert shared(original, other) < SAME_STORY
    assert origin_of("Marlby Post", None, [("a1", "AP", original)], trimmed) == ("AP", "a1")
    assert origin_of("Halden News", None, [("a1", "AP", original)], other) == ("Halden News", None)
    assert origin_of("Marlby Post", "Reuters", [("a1", "AP", original)], trimmed) == ("Reuters", "a1")


def test_fingerprints_are_stable_and_banded() -> None:
    a, b = fingerprint(STORY), fingerprint(STORY)
    assert a == b and len(a.bands()) == 32 and shared(a, b) == 1.0

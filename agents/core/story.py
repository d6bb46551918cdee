"""A story's later steps: whether an article (or an event) reports the arrest, charge, trial, verdict or
sentence that follows an incident (issue 35).

A follow-up is one event with its incident: the user following a shooting sees its trial, and what the
trial coverage says about the shooting is compared with what the first reports said. Such an article
names its own, later day (the day of the verdict), which would keep it apart from the incident; when it
is about the same place and the same people and its words are those of the court, :mod:`agents.core.matching`
lets it join. The words are in ``story_steps.txt`` (read once).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

STEP_WORDS = 2
"""Court words among an article's keywords for it to be a later step of a story (one is often background:
"police said the suspect will appear in court")..."""
LEADING = 5
"""... or one among its first keywords (its title's: "Trial begins for ...")."""
STORY_DAYS = 1100.0
"""A later step is looked up and joined this many days after its incident (a trial a year or two later)."""


@functools.cache
def step_words() -> frozenset[str]:
    """The nouns of a story's later steps (``story_steps.txt``)."""
    text = (Path(__file__).parent / "story_steps.txt").read_text(encoding="utf-8")
    return frozenset(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))


def steps(keywords: Iterable[str]) -> int:
    """How many of ``keywords`` are words of a story's later steps."""
    words = step_words()
    return sum(k in words for k in keywords)


def is_step(keywords: Iterable[str]) -> bool:
    """Whether keywords (an article's, or an event's, most weighted first) are those of a later step:
    ``STEP_WORDS`` court words, or one among the first ``LEADING``."""
    words = list(keywords)
    return steps(words) >= STEP_WORDS or steps(words[:LEADING]) >= 1


def centroid_keywords(centroid: Mapping[str, float]) -> list[str]:
    """The keywords of an event's centroid (its ``k:`` terms), most weighted first."""
    return [t[2:] for t, _ in sorted(centroid.items(), key=lambda x: -x[1]) if t.startswith("k:")]

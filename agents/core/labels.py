"""What a fact is about, in a reader's words: "age of Robert Buckley", "number of boats (in …)", "killed".

Slots are keys made from an article's words (``boat (in)``, ``rebound (stolen)``, ``other worker (hide
(by))``); a key is for matching, a label is for reading. The label is made from the same words: the
counted thing in the plural, the relation after it, the agent or person the fact is about.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"^(?P<thing>.+?) \((?P<rel>.+)\)$")
_PREPOSITIONS = frozenset(
    {"in", "on", "at", "with", "for", "to", "from", "along", "after", "aboard", "by", "into", "near", "over"}
)


def _plural(noun: str) -> str:
    if noun.endswith("man"):
        return noun[:-3] + "men"
    if noun.endswith(("ss", "x", "ch", "sh")):
        return noun + "es"
    if noun.endswith("s"):
        return noun
    if noun.endswith("y") and noun[-2:-1] not in "aeiou":
        return noun[:-1] + "ies"
    return noun + "s"


def _person(subject: str) -> str:
    """A person's key as a name: "robert buckley" -> "Robert Buckley" (a name as written stays)."""
    return subject.title() if subject.islower() else subject


def label_of(slot: str, subject: str | None) -> str:
    """The reader's words for a slot and subject."""
    if slot == "name":
        return f"name of {subject}" if subject else "a name"
    if slot in ("age", "home") and subject:
        return f"{slot} of {_person(subject)}"
    m = _OPEN.match(slot)
    if m is None:
        words = slot
        if subject and not subject.startswith("other: "):
            words = f"{slot} ({_person(subject)})"
        return words
    thing, rel = m.group("thing"), m.group("rel")
    things = _plural(thing)
    if rel.endswith("(by)"):
        text = f"number of {things} that {rel[:-4].strip()}"
    elif rel in _PREPOSITIONS:
        text = f"number of {things} ({rel} …)"
    else:
        text = f"number of {things} {rel}"
    if subject and not subject.startswith("other: "):
        text += f", by {_person(subject)}"
    return text

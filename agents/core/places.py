"""Where an article's places lie: a containment hierarchy learned from its own text (issue 21).

An article says where its places are: "Woodburn, Oregon", "Bloomington, Minn.", "Indonesia's Aceh
province", "the Indonesian province of Aceh", "Athens, the Greek capital", "Aceh province in
Indonesia". :func:`learn_parents` reads those patterns around the parsed place entities and
returns child -> parent; :mod:`agents.core.gazetteer` adds countries, capitals and regions.
Matching (:mod:`agents.core.evidence`) resolves each place up this hierarchy, so "Aceh" and
"Indonesia" agree and "Indonesia" and "Iran" do not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from agents.core import gazetteer

MAX_PARENTS = 24
"""Child -> parent links kept per article."""
_SUFFIX = re.compile(r"\s+(?:province|region|prefecture|governorate|state|island|islands|oblast|municipality)$")
_KIND = r"(?:province|state|region|city|town|village|capital|county|district|island|port|prefecture|governorate)"
_OF_DEMONYM = re.compile(rf"^\s*(?:the\s+)?([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+{_KIND}\s+of\s*$")
_APPOSITION = re.compile(rf"^,\s+(?:the|a|an)\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+{_KIND}\b")
_REGION_ABBR = re.compile(r"^,\s+((?:[A-Z][a-z]{1,4}\.)(?:\s?[A-Z][a-z]?\.)?|[A-Z]\.[A-Z]\.)")

_DIRECTIONS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northern",
        "southern",
        "eastern",
        "western",
        "central",
        "upper",
        "lower",
        "greater",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "northeastern",
        "northwestern",
        "southeastern",
        "southwestern",
    }
)
Ent = tuple[int, int, str, str]
"""A place mention: (start char, end char, key, label)."""


def place_key(key: str) -> str:
    """The canonical key of a place key: administrative suffixes dropped ("aceh province" -> "aceh"),
    country aliases resolved ("u.s." -> "united states")."""
    k = _SUFFIX.sub("", key)
    if len(k) < 3:
        k = key
    if len(k) >= 3 and (region := gazetteer.region_key(k + ".")):  # "Ore." -> "oregon"
        return region
    return gazetteer.country_of_name(k) or k


def _link(out: dict[str, str], child: str, parent: str) -> None:
    if child and parent and child != parent and not gazetteer.is_country(child) and len(out) < MAX_PARENTS:
        out.setdefault(child, parent)


def learn_parents(text: str, places: Sequence[Ent]) -> dict[str, str]:
    """Child -> parent links that the text states about its places (in text order, first link kept).

    ``places``: the place mentions in text order. A comma list ("Paris, London and Berlin") is not
    read as containment: "X, Y" counts only when Y is not itself followed by ", Z" or "and Z".
    """
    out: dict[str, str] = {}
    ents = sorted(places)
    for i, (start, end, key, _label) in enumerate(ents):
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        after = text[end : end + 60]
        before = text[max(0, start - 60) : start]
        if nxt is not None:
            gap = text[end : nxt[0]]
            if gap in (", ", ","):
                third = ents[i + 2] if i + 2 < len(ents) else None
                listed = third is not None and re.fullmatch(r",\s*|\s+and\s+|\s+or\s+", text[nxt[1] : third[0]])
                if not listed:
                    _link(out, key, nxt[2])
            elif gap in ("'s ", "\u2019s "):  # "Indonesia's Aceh province"
                _link(out, nxt[2], key)
            elif re.fullmatch(rf"\s+{_KIND}\s+(?:in|of)\s+(?:the\s+)?", gap):  # "Aceh province in Indonesia"
                _link(out, key, nxt[2])
        m = _OF_DEMONYM.search(before[-40:]) if before else None
        if m and (country := gazetteer.country_of_demonym(m.group(1))):  # "the Indonesian province of Aceh"
            _link(out, key, country)
        m = _APPOSITION.match(after)
        if m and (country := gazetteer.country_of_demonym(m.group(1))):  # "Athens, the Greek capital"
            _link(out, key, country)
        m = _REGION_ABBR.match(after)
        if m and (region := gazetteer.region_key(m.group(1))):  # "Bloomington, Minn."
            _link(out, key, region)
    keys = {k for _, _, k, _ in ents}
    for k in sorted(keys):  # "central aceh" lies in "aceh", "northern california" in "california"
        first, _, rest = k.partition(" ")
        if first in _DIRECTIONS and rest in keys | gazetteer.region_names() and not gazetteer.is_country(k):
            _link(out, k, rest)
    return out


def ancestors(key: str, parents: Mapping[str, str], limit: int = 6) -> list[str]:
    """The places ``key`` lies in, nearest first: from ``parents`` (learned), then the gazetteer."""
    out: list[str] = []
    seen = {key}
    k = key
    for _ in range(limit):
        p = parents.get(k) or gazetteer.known_parent(k)
        if p is None or p in seen:
            break
        out.append(p)
        seen.add(p)
        k = p
    return out


def country(key: str, parents: Mapping[str, str]) -> str | None:
    """The country a place lies in (itself when it is one), or ``None`` when unknown."""
    if gazetteer.is_country(key):
        return key
    for a in ancestors(key, parents):
        if gazetteer.is_country(a):
            return a
    return None

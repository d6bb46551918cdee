"""The people of an event: the names its articles give, resolved into one entity per person.

Each article names people as written ("Duncan Rait", "Duncan Raite"; "Anthony Calamita", "Anthony
LaCalamita"); an entity is a set of names linked by two spellings of one name (``compare.name_spelling``). Names are
only compared within blocks that share a first or a last name, so the cost stays near linear in the
event's distinct names, and at most :data:`MAX_NAMES` of them are resolved.
"""

from __future__ import annotations

from collections import defaultdict

from agents.core.compare import name_spelling
from schemas import CategoryValue, Claim

MAX_NAMES = 400
"""Distinct names resolved per event; later ones stay entities of their own (bounded cost)."""


def _is_name(c: Claim) -> bool:
    return c.slot == "name" and c.subject is None and isinstance(c.typed, CategoryValue) and c.typed.rule == "name"


def name_entities(claims: list[Claim]) -> dict[str, str]:
    """Canonical name -> the canonical name that stands for its entity (the first written in the event)."""
    order: list[str] = []
    for c in claims:
        if _is_name(c):
            key = c.typed.canonical  # type: ignore[union-attr]
            if key not in order:
                order.append(key)
    order = order[:MAX_NAMES]
    rank = {k: i for i, k in enumerate(order)}
    parent = {k: k for k in order}

    def root(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    blocks: dict[str, list[str]] = defaultdict(list)
    for k in order:
        parts = k.split()
        for part in {f"f:{parts[0]}", f"l:{parts[-1]}"}:
            for other in blocks[part]:
                if name_spelling(k, other):
                    a, b = root(k), root(other)
                    if a != b:
                        first, second = (a, b) if rank[a] < rank[b] else (b, a)
                        parent[second] = first
            blocks[part].append(k)
    return {k: root(k) for k in order}


def subject_of(c: Claim, entities: dict[str, str]) -> str | None:
    """The subject a claim is compared under: a name's entity, else its own subject."""
    if _is_name(c):
        return entities.get(c.typed.canonical, c.typed.canonical)  # type: ignore[union-attr]
    return c.subject

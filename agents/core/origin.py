"""Origins: whose reporting an article carries, from its own text and URL, and from copies of it.

An article's origin is the wire service or outlet whose story it prints:

- **credited**: the outlet's own name when it is a wire's ("Reuters", "Yahoo News (AFP)"), a dateline credit
  ("BERLIN (AP) -", "SEOUL (Reuters) -", "Updated: ... (Xinhua)"), a credit
  at the end ("- AP", "(AFP)", Reuters' "Editing by" line), or a syndicating outlet's URL path
  ("/wires/afp/", "/aponline/", an AP slug "ap-eu-..."). "told AFP" and "Reuters reported" attribute one
  fact, a photo credit ("Name/AP", "(c) Name (AFP)") credits a picture, and a list of agencies at the end
  ("jm/dm (AFP, dpa)") credits the sources of the outlet's own compiled story: none is an origin;
- **copied**: near-duplicate text of an article already in the event (MinHash of word 5-grams, found through
  banded signature buckets, so the cost per article does not grow with the event): the copy shares the
  earlier article's origin, whose first article is the origin's root;
- otherwise the article's own outlet. A source that names no outlet ("unknown (story.txt)") is never an
  independent origin (``agents.core.contradictions.by_origin`` leaves it out), nor the origin of a known outlet
  that copies it.

The MinHash is a few lines of numpy (128 hash functions over 32-bit shingle hashes) rather than a
library dependency: nothing else of one would be used.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy

from agents.core.lexicon import WIRES
from schemas.article import source_unknown

PERMUTATIONS = 128
ROWS = 4
"""Signature rows per band: 32 bands of 4 rows make a copy (Jaccard similarity above about 0.5) a candidate
almost surely; :data:`SAME_STORY` decides."""
SAME_STORY = 0.45
"""Estimated share of the shorter text's shingles found in the other, from which two articles are copies of
one story (a copy with a new headline, a rewritten first line and its last paragraphs cut stays above it)."""
MAX_CANDIDATES = 8
"""Candidates compared per article at most (the ones sharing the most bands)."""
SHINGLE = 5
_PRIME = (1 << 31) - 1
_P = numpy.uint64(_PRIME)
_RNG = numpy.random.default_rng(20261202)
_A = _RNG.integers(1, _PRIME, PERMUTATIONS, dtype=numpy.uint64)[:, None]
_B = _RNG.integers(0, _PRIME, PERMUTATIONS, dtype=numpy.uint64)[:, None]
"""Hash functions (a*h + b) mod p, p = 2**31 - 1, over 32-bit shingle hashes: a*h + b stays below 2**64 and
wraps around p many times, so each function orders the shingles anew."""
_WORD = re.compile(r"[a-z0-9]+")

_WIRE_ALT = "|".join(sorted((re.escape(k) for k in WIRES), key=len, reverse=True))
_DATELINE = re.compile(
    rf"\((?P<w>{_WIRE_ALT})\)\s*[-\u2013\u2014:]|\b(?P<w2>{_WIRE_ALT})\s*\|\s*Updated\b"
    rf"|Updated:[^()]{{0,40}}\((?P<w3>{_WIRE_ALT})\)",
    re.I,
)
_END = re.compile(
    rf"(?:[-\u2013\u2014]\s*(?P<w>{_WIRE_ALT})|\(\s*(?P<w2>{_WIRE_ALT})\s*\))\s*$"
    r"|\(?(?:Additional )?[Rr]eporting by [^;)]{2,80};\s*[Ee]diting by [^)]{2,80}\)?\s*$",
    re.I,
)
_PHOTO = re.compile(r"(?:\u00a9|\(c\)|[A-Z][\w.-]+(?:\s+[A-Z][\w.-]+){0,2}\s*/\s*)\s*[\w .-]{0,40}$")
_URL = re.compile(rf"/(?:wires?|agencies|agency|feeds?)/(?P<w>{_WIRE_ALT})/|/(?P<ap>aponline)/|/ap-[a-z]{{2}}-", re.I)
_OUTLET = re.compile(rf"^\s*(?P<w>{_WIRE_ALT})\s*$|\(\s*(?P<w2>{_WIRE_ALT})\s*\)\s*$", re.I)
LEAD = 320
"""Characters of the body read for a dateline credit."""
TAIL = 320
"""Characters of the end read for a closing credit."""


def _wire(name: str) -> str:
    return WIRES[name.lower()]


def credited(body: str, url: str | None = None, outlet: str | None = None) -> str | None:
    """The wire service that an article credits as its origin, from its outlet's name ("Reuters", "Yahoo News
    (AFP)"), its URL, dateline or closing credit."""
    m = _OUTLET.search(outlet[-80:]) if outlet else None
    if m:
        return _wire(m.group("w") or m.group("w2"))
    if url:
        m = _URL.search(url)
        if m:
            return _wire(m.group("w")) if m.group("w") else "AP"
    m = _DATELINE.search(body[:LEAD])
    if m:
        return _wire(m.group("w") or m.group("w2") or m.group("w3"))
    tail = body[-TAIL:].rstrip()
    m = _END.search(tail)
    if m and not _PHOTO.search(tail[: m.start()][-60:]):
        name = m.group("w") or m.group("w2")
        return _wire(name) if name else "Reuters"  # "Reporting by ...; Editing by ...": Reuters' closing line
    return None


def _shingles(text: str) -> numpy.ndarray:
    words = _WORD.findall(text.lower())
    grams = {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))}
    blake2b = hashlib.blake2b
    raw = b"".join([blake2b(g.encode(), digest_size=4).digest() for g in grams])  # any order: a signature is minima
    return numpy.frombuffer(raw, dtype=numpy.uint32).astype(numpy.uint64)


@dataclass(frozen=True)
class Fingerprint:
    """What finding copies of an article needs: its MinHash signature and how many shingles it has."""

    signature: tuple[int, ...]
    size: int

    def bands(self) -> list[str]:
        """The band keys under which the article is indexed and looked up."""
        return list(_bands(self.signature))


@lru_cache(maxsize=64)  # an article's bands are looked up, then indexed
def _bands(s: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(
        f"{k}:{hashlib.blake2b(repr(s[k * ROWS : (k + 1) * ROWS]).encode(), digest_size=6).hexdigest()}"
        for k in range(len(s) // ROWS)
    )


def fingerprint(text: str) -> Fingerprint:
    """The MinHash fingerprint of a text (its word 5-grams)."""
    h = _shingles(text)
    if not len(h):
        return Fingerprint(signature=(0,) * PERMUTATIONS, size=0)
    x = _A * h[None, :]
    x += _B
    mins = numpy.remainder(x, _P, out=x).min(axis=1)
    return Fingerprint(signature=tuple(mins.tolist()), size=len(h))  # each below p < 2**31


def shared(a: Fingerprint, b: Fingerprint) -> float:
    """The estimated share of the smaller text's shingles that the other holds (containment)."""
    if not a.size or not b.size:
        return 0.0
    j = sum(x == y for x, y in zip(a.signature, b.signature, strict=True)) / len(a.signature)
    inter = j * (a.size + b.size) / (1 + j)
    return min(1.0, inter / min(a.size, b.size))


def origin_of(
    own_outlet: str, credit: str | None, copies: list[tuple[str, str, Fingerprint]], mine: Fingerprint
) -> tuple[str, str | None]:
    """(origin, the id of the article it copies or ``None``): its credit first, then the closest copy of it
    among ``copies`` ((article id, origin, fingerprint) of articles already in the event), else its outlet."""
    best = max(
        ((shared(mine, fp), -k, aid, origin) for k, (aid, origin, fp) in enumerate(copies)), default=(0.0, 0, "", "")
    )
    copy_of = best[2] if best[0] >= SAME_STORY else None
    if credit is not None:
        return credit, copy_of
    if copy_of is not None and source_unknown(best[3]) and not source_unknown(own_outlet):
        # copies an article that names no outlet: which printed it first is unknown, so the known outlet
        # keeps its own origin (the unknown one is never an origin: ``contradictions.by_origin``)
        return own_outlet, copy_of
    return (best[3], copy_of) if copy_of is not None else (own_outlet, None)

"""Alias resolution: one key per real-world name, so that a spelling difference is never a contradiction.

A name's key (:func:`canonical`) is, in order:

1. its entry in a small gazetteer of widely used alternative names and acronyms of groups and
   agencies that often appear in conflict and disaster news (``Islamic State``/``ISIS``/``ISIL``/
   ``Daesh``, ``Tahrir al-Sham``/``HTS``/``Levant Liberation Committee``, ...);
2. otherwise a *spelling skeleton*: ASCII-folded, lower-case, without articles ("the", "al-", "el-"),
   titles ("Gen", "Maj", "President") and generic group words, vowels dropped and doubled letters
   collapsed. Transliteration variants (Daabul/Daeboul, al-Mahatta/al-Mahata, Ikhbariya/Ekhbariya,
   Staffan/Steffan) share a skeleton.

:func:`learn` reads appositions in a text ("X, known as Y", "X, formerly known as Y", "X (ACR)") and
returns extra name → key pairs that :func:`canonical` uses for that article. :func:`same` also
accepts an acronym against the initials of a full name (SOHR / Syrian Observatory for Human Rights).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_GAZETTEER: dict[str, list[str]] = {
    "islamic state": [
        "islamic state",
        "isis",
        "isil",
        "is",
        "daesh",
        "islamic state group",
        "islamic state of iraq and the levant",
        "islamic state of iraq and syria",
    ],
    "tahrir al-sham": [
        "tahrir al-sham",
        "tahrir al sham",
        "hayat tahrir al-sham",
        "hay'at tahrir al-sham",
        "hts",
        "levant liberation committee",
        "organisation for the liberation of the levant",
        "organization for the liberation of the levant",
    ],
    "nusra front": [
        "nusra front",
        "al-nusra front",
        "al-nusra",
        "jabhat al-nusra",
        "jabhat fateh al-sham",
        "jabhat fatah al-sham",
        "nusra",
        "jfs",
    ],
    "al-qaeda": ["al-qaeda", "al-qaida", "al qaeda", "al qaida", "alqaeda"],
    "syrian observatory for human rights": [
        "syrian observatory for human rights",
        "sohr",
        "syrian observatory",
        "the observatory",
    ],
    "us geological survey": [
        "us geological survey",
        "u.s. geological survey",
        "usgs",
        "united states geological survey",
    ],
    "associated press": ["associated press", "ap", "the associated press"],
    "agence france-presse": ["agence france-presse", "afp", "agence france presse"],
    "boko haram": ["boko haram"],
    "fbi": ["fbi", "federal bureau of investigation"],
}
_LOOKUP: dict[str, str] = {}
for _key, _names in _GAZETTEER.items():
    for _n in _names:
        _LOOKUP[_n] = _key

_DROP_WORDS = {
    "the",
    "al",
    "el",
    "gen",
    "general",
    "maj",
    "major",
    "brig",
    "brigadier",
    "col",
    "colonel",
    "lt",
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "group",
    "militant",
    "militants",
    "jihadist",
    "rebel",
    "alliance",
    "coalition",
    "town",
    "city",
    "village",
    "province",
    "district",
    "of",
}
_VOWELS = re.compile(r"[aeiouy]")
_REPEAT = re.compile(r"(.)\1+")
# "X, known as Y" and "Full Name (ACR)", read in linear time: a run of name words (``_RUN``, possessive, so
# never backtracked into) is matched once, and the words after it (``_KNOWN_AS_TAIL``, ``_ACRONYM_TAIL``)
# are tried only where it ends. One regex over the whole text restarted inside every run of capitalised
# words and retried it to its end: quadratic (8,000 characters of capitals took 2 s). Same matches: the
# words after a name start with "," or a space then a lower-case word or "(", which no name word takes
# ("of", "for", "the", "and" count as name words only as whole words: "for" of "formerly" ends no name).
_RUN = re.compile(r"(?:[A-Z][\w'-]*+|al-[A-Z][\w'-]*+)(?:\s++(?:[A-Z][\w'-]*+|al-[\w'-]++|(?:of|for|the)(?![\w'-])))*+")
_ACRONYM_RUN = re.compile(r"[A-Z][\w'-]*+(?:\s++(?:[A-Z][\w'-]*+|(?:of|for|the|and)(?![\w'-])))*+")
_KNOWN_AS_TAIL = re.compile(
    r",?\s+(?:which (?:was|is) )?(?:also |formerly |previously |better |widely )?known as\s+(?:the\s+)?"
    r"(?P<b>[A-Z][\w'-]*+(?:\s++(?:[A-Z][\w'-]*+|al-[\w'-]++|of|for|the))*+)"
)
_ACRONYM_TAIL = re.compile(r"\s+\((?P<b>[A-Z]{2,8})\)")


def fold(name: str) -> str:
    """ASCII-folded, lower-case name with straight apostrophes and single spaces."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("\u2019", "'").replace("\u2018", "'").lower()
    text = re.sub(r"[^a-z0-9' .-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .")


def skeleton(name: str) -> str:
    """The spelling skeleton of a name (see the module docstring)."""
    words = re.split(r"[\s'.-]+", fold(name))
    kept = [w for w in words if w and w not in _DROP_WORDS]
    out = []
    for w in kept or words:
        if not w:  # a name with no Latin letters folds to nothing
            continue
        s = _REPEAT.sub(r"\1", w)
        core = w[0] + _VOWELS.sub("", s[1:]) if w[0] in "aeiouy" else _VOWELS.sub("", s)
        out.append(_REPEAT.sub(r"\1", core.lstrip("aeiouy") or core))
    key = " ".join(out)
    return key if len(key.replace(" ", "")) >= 3 else " ".join(kept or words)


def primary(name: str, extra: dict[str, str] | None = None) -> str:
    """The name to show for ``name``: the first name of a "X, known as Y" learned from the article, else itself."""
    if extra:
        f = fold(name)
        for cand in (f, re.sub(r"^(?:the|a|an)\s+", "", f)):
            if cand in extra:
                return extra[cand]
    return name


def canonical(name: str, extra: dict[str, str] | None = None) -> str:
    """The alias-resolved key of a name; ``extra`` holds aliases learned from the article."""
    return _canonical(primary(name, extra))


@lru_cache(maxsize=8192)
def _canonical(name: str) -> str:
    key = _latin_key(name)
    return key if key.strip() else re.sub(r"\s+", " ", name.casefold()).strip()  # non-Latin names: as written


def _latin_key(name: str) -> str:
    f = fold(name)
    f_noart = re.sub(r"^(?:the|a|an)\s+", "", f)
    for cand in (f, f_noart):
        if cand in _LOOKUP:
            return _LOOKUP[cand]
    for key, names in _GAZETTEER.items():
        for n in names:
            if len(n) > 6 and (f_noart.endswith(" " + n) or f_noart == n):
                return key
    return skeleton(f_noart)


def _initials(name: str) -> str:
    return "".join(w[0] for w in fold(name).split() if w not in ("of", "for", "the", "and", "al"))


def same(a: str, b: str) -> bool:
    """True when two names denote the same entity (gazetteer, skeleton or acronym)."""
    if canonical(a) == canonical(b):
        return True
    fa, fb = fold(a), fold(b)
    short, long_ = (fa, fb) if len(fa) < len(fb) else (fb, fa)
    if " " not in short and 2 <= len(short) <= 8 and _initials(long_) == short:
        return True
    ka, kb = canonical(a), canonical(b)
    return bool(ka and kb) and (ka.endswith(" " + kb) or kb.endswith(" " + ka))


def _known_as(text: str) -> list[tuple[str, str]]:
    """``(X, Y)`` of every "X, ... known as Y", as a left-to-right scan for non-overlapping matches finds them."""
    out, pos = [], 0
    while (run := _RUN.search(text, pos)) is not None:
        tail = _KNOWN_AS_TAIL.match(text, run.end())
        if tail is None:
            pos = run.end()  # a start inside this run ends where it ends: no match there either
            continue
        out.append((run.group(0), tail.group("b")))
        pos = tail.end()
    return out


def _acronyms(text: str) -> list[tuple[str, str]]:
    """``(Full Name, ACR)`` of every "Full Name (ACR)": a name of two words or more before the brackets."""
    out, pos = [], 0
    while (run := _ACRONYM_RUN.search(text, pos)) is not None:
        tail = _ACRONYM_TAIL.match(text, run.end())
        if tail is None or not any(c.isspace() for c in run.group(0)):  # one word: no full name
            pos = max(run.end(), run.start() + 1)
            continue
        out.append((run.group(0), tail.group("b")))
        pos = tail.end()
    return out


def learn(text: str) -> dict[str, str]:
    """Aliases stated in a text, as folded alias -> first name: "X, (also/formerly) known as Y", "Full Name (ACR)"."""
    out: dict[str, str] = {}
    for a, b in _known_as(text):
        out.setdefault(fold(b), a)
        out.setdefault(re.sub(r"^the\s+", "", fold(b)), a)
    for a, b in _acronyms(text):
        if _initials(a).startswith(b.lower()[:2]):
            out.setdefault(fold(b), a)
    return out

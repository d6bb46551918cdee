"""Descriptors: the weapon or vehicle used and the target of an attack (kept, never alerted on), the colour of
a vehicle or garment, the type of a named ship, and the grade of a homicide charge."""

from __future__ import annotations

import re

from spacy.attrs import LEMMA
from spacy.tokens import Span, Token

from agents.core import aliases
from agents.core.facts.doc import clause_head, clause_span, has_word, np_text, sent_text, tokens_lemma_in, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import scope_of, sentence_scope
from agents.core.lexicon import (
    COLOURED_THINGS,
    COLOURS,
    DAMAGE_NOUNS,
    DEGREES,
    GENERIC_TYPES,
    HOMICIDE_GRADES,
    NATURAL_HAZARDS,
    NON_PEOPLE,
    SHIP_PREFIXES,
    TARGET_VERBS,
    WEAPON_CUES,
    WEAPONS,
)
from schemas import CategoryValue, EntityValue

_WT_LEMMAS = frozenset(WEAPONS) | frozenset(TARGET_VERBS)
"""The lemmas without which a sentence names no weapon and no attack on a target (the entry test)."""


def weapons_and_targets(ctx: Ctx, sent: Span) -> None:
    """What was hit and with what: weapon or vehicle class and the target of an attack verb (descriptive slots)."""
    if not has_word(sent, _WT_LEMMAS, LEMMA):
        return
    seen: set[tuple[str, str]] = set()
    for tok in tokens_lemma_in(sent, _WT_LEMMAS):
        lem = tok.lemma_.lower()
        if (
            tok.pos_ == "NOUN"
            and lem in WEAPONS
            and (
                tok.head.lemma_.lower() in WEAPON_CUES
                or tok.head.lower_ in WEAPON_CUES
                or (tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in WEAPON_CUES | TARGET_VERBS)
            )
        ):
            cls = WEAPONS[lem]
            slot = "vehicle" if cls in ("vehicle", "vessel", "aircraft") else "weapon"
            if (slot, cls) in seen:
                continue
            seen.add((slot, cls))
            clause = clause_head(tok.head)
            start, end = clause_span(clause, sent)
            mods = [c.text.lower() for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
            name = " ".join([*mods, tok.lemma_.lower()])
            add_claim(
                ctx,
                slot,
                name,
                EntityValue(name=name, canonical=cls),
                sent,
                start,
                end,
                key=str(tok.idx),
                attributed_to=attribution(clause, sent),
                scope=scope_of(ctx, clause, None, "", sent, keep=tok),
            )
        elif tok.pos_ == "VERB" and lem in TARGET_VERBS:
            if any(
                c.dep_ == "aux" and c.lower_ in ("can", "could", "would", "might", "may", "will", "to")
                for c in tok.children
            ) or tok.dep_ in ("xcomp",):
                continue  # threats and abilities ("could hit the mainland"), not what was hit
            subj = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None and subj.lemma_.lower() in NATURAL_HAZARDS:
                continue  # "the quake hit Sumatra": where a disaster struck, not the target of an attack
            obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
            if (
                obj is None
                or obj.lemma_.lower() in WEAPONS
                or obj.lemma_.lower()
                in NON_PEOPLE - DAMAGE_NOUNS - {"building", "office", "house", "home", "car", "bus", "tram", "truck"}
            ):
                continue
            name = np_text(obj, sent, 6).strip()
            clause = clause_head(tok)
            start, end = clause_span(clause, sent)
            add_claim(
                ctx,
                "target",
                name,
                EntityValue(name=name, canonical=aliases.canonical(obj.lemma_)),
                sent,
                start,
                end,
                key=str(obj.idx),
                attributed_to=attribution(clause, sent),
                scope=scope_of(ctx, clause, tok, "", sent, keep=obj),
            )


_ADJ_ENDINGS = ("al", "an", "ese", "ish", "ic", "ive", "ous", "ful", "ed", "ing", "ian", "ly")
_TYPE_STOP = {
    "the",
    "a",
    "an",
    "its",
    "their",
    "his",
    "her",
    "of",
    "by",
    "and",
    "or",
    "to",
    "from",
    "on",
    "in",
    "with",
    "as",
    "at",
    "for",
    "that",
    "which",
    "said",
    "says",
    "when",
    "while",
    "aboard",
    "board",
    "onboard",
    "abroad",
    "into",
    "onto",
    "near",
    "off",
}


_COLOUR_WORDS = frozenset(COLOURS)
_SHIP_HINT = re.compile(
    r"\b(?=["
    + "".join(sorted({p[0] for p in SHIP_PREFIXES}))
    + r"])(?:"
    + "|".join(sorted(SHIP_PREFIXES))
    + r")\s+[A-Z]"
)


def colours(ctx: Ctx, sent: Span) -> None:
    """The colour of a vehicle or a garment: "a silver Toyota Camry", "a dark blue pickup truck"."""
    if not has_word(sent, _COLOUR_WORDS):
        return
    for tok in sent:
        colour = COLOURS.get(tok.lower_)
        if (
            colour is None
            or (tok.text[0].isupper() and tok.i != sent.start)
            or (tok.dep_ in ("compound",) and tok.pos_ == "PROPN")
        ):
            continue
        prev = ctx.doc[tok.i - 1] if tok.i > sent.start else None
        if prev is not None and (prev.lower_ in COLOURS or prev.lower_ in ("and", "or", "-")):
            continue  # "black and white": no one colour
        run: list[Token] = []
        for t in ctx.doc[tok.i + 1 : min(sent.end, tok.i + 6)]:
            if t.lower_ in COLOURS or (t.lower_ in ("and", "or") and not run):
                run = []  # "black and white": no one colour
                break
            if t.pos_ in ("NOUN", "PROPN", "NUM") or (t.text == "-" and run):
                run.append(t)
            elif run or t.pos_ not in ("ADJ",):
                break
        nouns = [t for t in run if t.pos_ in ("NOUN", "PROPN")]
        if not nouns:
            continue
        thing = nouns[-1]
        lem = thing.lemma_.lower()
        branded = any(t.ent_type_ in ("ORG", "PRODUCT") for t in nouns)
        if lem not in COLOURED_THINGS and not branded:
            continue
        key = lem if lem in COLOURED_THINGS else thing.lower_
        slot = f"colour of {key}"
        ctx.open_slots.add(slot)
        start, end = trim(ctx.doc, tok.idx, thing.idx + len(thing.text))
        add_claim(
            ctx,
            slot,
            tok.lower_,
            CategoryValue(label=tok.lower_, canonical=colour),
            sent,
            start,
            end,
            key=f"colour:{tok.idx}",
            attributed_to=attribution(sent.root, sent),
            scope=sentence_scope(ctx, sent, tok.idx),
        )


def ship_types(ctx: Ctx, sent: Span) -> None:
    """The type of a named ship, from the words before its name: "frigate INS Sukanya", "patrol vessel INS X"."""
    if not _SHIP_HINT.search(sent_text(sent)):
        return
    for tok in sent:
        if tok.text not in SHIP_PREFIXES or tok.i + 1 >= sent.end or not ctx.doc[tok.i + 1].text[:1].isupper():
            continue
        words: list[Token] = []
        for t in reversed(ctx.doc[max(sent.start, tok.i - 3) : tok.i]):
            if (
                not t.is_alpha
                or t.lower_ in _TYPE_STOP
                or t.tag_.startswith("VB")
                or (t.ent_type_ in ("PERSON", "GPE", "ORG") and t.lower_ not in GENERIC_TYPES)
            ):
                break
            words.insert(0, t)
        if not words or words[-1].lower_.endswith(_ADJ_ENDINGS) or words[-1].tag_ == "RB":
            continue  # "the deadly INS Mysore": a description, not a type
        name_end = tok.i + 1
        while name_end + 1 < sent.end and ctx.doc[name_end + 1].text[:1].isupper() and ctx.doc[name_end + 1].is_alpha:
            name_end += 1
        name = ctx.doc[tok.i : name_end + 1].text
        low = [w.lower_ for w in words]
        head = low[-1][:-1] if low[-1].endswith("s") and not low[-1].endswith("ss") else low[-1]
        specific = [w for w in low[:-1] if w not in GENERIC_TYPES and not w.endswith(_ADJ_ENDINGS)]
        generic = head in GENERIC_TYPES and not specific
        label = " ".join(low)
        ctx.open_slots.add("type")
        start, end = trim(ctx.doc, words[0].idx, ctx.doc[name_end].idx + len(ctx.doc[name_end].text))
        add_claim(
            ctx,
            "type",
            label,
            CategoryValue(
                label=label,
                canonical=" ".join([*specific, head]),
                rule="type",
                terms=[head, *(["generic"] if generic else [])],
            ),
            sent,
            start,
            end,
            subject=name.lower(),
            key=f"type:{tok.idx}",
            attributed_to=attribution(sent.root, sent),
            scope=sentence_scope(ctx, sent, tok.idx),
        )


_HELD = re.compile(r"(?=[abhi])(?:arrested|held|booked|indicted)", re.I)
_CHARGES = re.compile(
    r"\b(?:charged\s+(?:with|in)|charges?\s+(?:of|including)|(?:arrested|held|booked|indicted)\s+(?:on suspicion of|"
    r"for|on)|faces?\s+(?:[a-z-]+\s+){0,2}charges?,?\s+(?:of|including))\s+(?P<list>[^.;]{3,160})",
    re.I,
)
_NOT_YET = re.compile(r"\b(?:expected to|could|may|might|will|would|plans? to|likely to|not|no)\b[^.;]{0,30}$", re.I)


def charges(ctx: Ctx, sent: Span) -> None:
    """The grade of a homicide charge: "charged in her murder" and "charged with vehicular manslaughter" disagree,
    "murder" and "third-degree murder" do not; charges expected, not yet laid, are left out."""
    text = sent_text(sent)
    if "charge" not in text.lower() and not _HELD.search(text):
        return
    for m in _CHARGES.finditer(text):
        if _NOT_YET.search(text[max(0, m.start() - 40) : m.start()]):
            continue
        listed = m.group("list")
        grades = set()
        for g in re.finditer(
            r"\b(?:(?P<deg>first|second|third)[- ]degree\s+)?(?P<w>murder(?:ing)?|manslaughter)\b", listed, re.I
        ):
            grade = HOMICIDE_GRADES[g.group("w").lower()]
            deg = DEGREES.get(f"{g.group('deg').lower()}-degree") if g.group("deg") else None
            grades.add(f"{grade}:{deg}" if deg else grade)
        if not grades:
            continue
        label = ", ".join(sorted(grades)).replace(":", " degree ")
        ctx.open_slots.add("charges")
        last = max(g.end() for g in re.finditer(r"murder(?:ing)?|manslaughter", listed, re.I))
        verb = ctx.doc.char_span(sent.start_char + m.start(), sent.start_char + m.start() + 1, alignment_mode="expand")
        begin = (
            verb.root.left_edge.idx
            if verb is not None and verb.root.left_edge.idx >= sent.start_char
            else sent.start_char + m.start()
        )
        q0, q1 = trim(ctx.doc, begin, sent.start_char + m.start("list") + last)
        add_claim(
            ctx,
            "charges",
            label,
            CategoryValue(label=label, canonical=",".join(sorted(grades)), rule="grades", terms=sorted(grades)),
            sent,
            q0,
            q1,
            key=f"charges:{m.start()}",
            attributed_to=attribution(sent.root, sent),
            scope=sentence_scope(ctx, sent, sent.start_char + m.start()),
        )

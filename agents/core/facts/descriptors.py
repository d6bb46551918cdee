"""Descriptors: the weapon or vehicle used and the target of an attack (kept, never alerted on)."""

from __future__ import annotations

import re

from spacy.tokens import Span

from agents.core import aliases
from agents.core.facts.doc import clause_head, clause_span, np_text, sent_text
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import scope_of
from agents.core.lexicon import DAMAGE_NOUNS, NON_PEOPLE, TARGET_VERBS, WEAPON_CUES, WEAPONS
from schemas import EntityValue

_WT_RE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in sorted(WEAPONS, key=len, reverse=True))
                    + r"|attack|storm|target|bomb|raid|hit|struck|strik|ram|torch|besieg)", re.I)


def weapons_and_targets(ctx: Ctx, sent: Span) -> None:
    """What was hit and with what: weapon or vehicle class and the target of an attack verb (descriptive slots)."""
    if not _WT_RE.search(sent_text(sent)):
        return
    seen: set[tuple[str, str]] = set()
    for tok in sent:
        lem = tok.lemma_.lower()
        if tok.pos_ == "NOUN" and lem in WEAPONS and (
                tok.head.lemma_.lower() in WEAPON_CUES or tok.head.lower_ in WEAPON_CUES
                or (tok.dep_ == "pobj" and tok.head.head.lemma_.lower() in WEAPON_CUES | TARGET_VERBS)):
            cls = WEAPONS[lem]
            slot = "vehicle" if cls in ("vehicle", "vessel", "aircraft") else "weapon"
            if (slot, cls) in seen:
                continue
            seen.add((slot, cls))
            clause = clause_head(tok.head)
            start, end = clause_span(clause, sent)
            mods = [c.text.lower() for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
            name = " ".join([*mods, tok.lemma_.lower()])
            add_claim(ctx, slot, name, EntityValue(name=name, canonical=cls), sent, start, end,
                 key=str(tok.idx), attributed_to=attribution(clause, sent),
                 scope=scope_of(ctx, clause, None, "", sent, keep=tok))
        elif tok.pos_ == "VERB" and lem in TARGET_VERBS:
            if any(c.dep_ == "aux" and c.lower_ in ("can", "could", "would", "might", "may", "will", "to")
                   for c in tok.children) or tok.dep_ in ("xcomp",):
                continue  # threats and abilities ("could hit the mainland"), not what was hit
            obj = next((c for c in tok.children if c.dep_ == "dobj" and c.pos_ in ("NOUN", "PROPN")), None)
            if obj is None or obj.lemma_.lower() in WEAPONS or obj.lemma_.lower() in NON_PEOPLE - DAMAGE_NOUNS - {
                    "building", "office", "house", "home", "car", "bus", "tram", "truck"}:
                continue
            name = np_text(obj, sent, 6).strip()
            clause = clause_head(tok)
            start, end = clause_span(clause, sent)
            add_claim(ctx, "target", name, EntityValue(name=name, canonical=aliases.canonical(obj.lemma_)), sent, start,
                 end, key=str(obj.idx), attributed_to=attribution(clause, sent),
                 scope=scope_of(ctx, clause, tok, "", sent, keep=obj))

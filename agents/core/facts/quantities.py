"""Open counts: any number tied through the parse to the thing it counts and the relation it stands in.

The casualty frames (:mod:`agents.core.facts.counts`) take the numbers of killed, injured, missing,
arrested and attackers; every other number that counts a thing becomes a claim whose slot is made
from the text itself: the counted thing (its lemma, a model name such as "AK-47", a nationality, "other"
when it is counted apart) and its relation (the governing verb's class from
:data:`~agents.core.lexicon.RELATIONS`, the verb's own lemma, or a preposition). "The navy seized seven
AK-47s", "seven AK-47 rifles were recovered" and "confiscated 12 AK 47 guns" all land on
``ak47 (seized)``; "three other rifles" on ``other rifle (seized)``; "23 Somali pirates were arrested" and
"the apprehended included 12 Somalis" on ``somali (arrested)``.

Numbers that are not reports of this incident are no claims or are kept with scope ``other``: parts of
names ("AK 47", "Route 91", "Highway 175"), questions, ages, hypotheticals ("could carry 300"), totals
over several incidents or a period ("in their five operations so far", "this year"), records and
limits ("the largest ever recorded"), and whatever :func:`~agents.core.facts.scope.scope_of` finds.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from agents.core.facts.doc import clause_head, clause_span, doc_ents, doc_text, figure_span, sent_of
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import count_value
from agents.core.facts.scope import scope_of
from agents.core.lexicon import (
    AGENT_RELATIONS,
    BACKGROUND_RE,
    COMPOUND_HEADS,
    CUMULATIVE_RE,
    CURRENCIES,
    CUSTODY_OF_THINGS,
    GENERIC_PEOPLE_NOUNS,
    GENERIC_VERBS,
    INCLUDE_VERBS,
    INTENT_VERBS,
    MODALS,
    OTHER_WORDS,
    PEOPLE_NOUNS,
    PREP_CLASSES,
    RELATIONS,
    SEIZED_NOUNS,
    SPEECH,
    UNCOUNTED,
    UNITS,
)

_MODEL = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]+(?:-[a-z0-9]+)*$", re.I)
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "s")


def demonym_key(text: str) -> str:
    """One key for the forms of a nationality ("Somali", "Somalis", "Somalian" -> "somal")."""
    low = text.lower().strip()
    for suf in _DEMONYM_SUFFIXES:
        if low.endswith(suf) and len(low) - len(suf) >= 4:
            return low[: -len(suf)]
    return low


def model_key(text: str) -> str:
    """One key for the spellings of a model name ("AK-47", "AK 47", "AK-47s" -> "ak47")."""
    low = re.sub(r"[\s-]+", "", text.lower())
    return low[:-1] if low.endswith("s") and low[-2:-1].isdigit() else low


def _model(noun: Token) -> str | None:
    """A model name in the counted noun phrase ("AK-47 rifles", "AK 47 guns", "AK-47s")."""
    if _MODEL.match(noun.text):
        return noun.text
    toks = [t for t in noun.lefts if t.dep_ in ("compound", "nmod", "nummod", "amod", "npadvmod")]
    for k, t in enumerate(toks):
        if _MODEL.match(t.text):
            return t.text
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        if t.is_alpha and t.is_upper and len(t) <= 4 and nxt is not None and nxt.like_num and nxt.i == t.i + 1:
            return f"{t.text}-{nxt.text}"
    return None


_DEMONYM_ENDINGS = ("an", "ian", "ese", "i", "ish", "ic")


def _demonym(t: Token, people: Token) -> bool:
    """A nationality word: tagged NORP, or a capitalised modifier of a people noun with a demonym's ending
    ("Moldovan smugglers", which the tagger may take for a person's name)."""
    if t.ent_type_ == "NORP":
        return True
    return (
        t.text[:1].isupper()
        and t.is_alpha
        and t.lower_.endswith(_DEMONYM_ENDINGS)
        and people.lemma_.lower() in PEOPLE_NOUNS
        and t.i < people.i
    )


def _nationality(noun: Token, num: Token | None = None) -> str | None:
    if noun.ent_type_ == "NORP":
        return noun.text
    nxt = num.doc[num.i + 1] if num is not None and num.i + 1 < len(num.doc) else None
    if nxt is not None and nxt.i < noun.i and _demonym(nxt, noun):
        return nxt.text  # "12 Somali and 11 Yemeni pirates": each number's own
    lefts = [c for c in noun.lefts if c.dep_ in ("amod", "compound", "nmod") and _demonym(c, noun)]
    if len(lefts) > 1 or any(c.dep_ == "conj" for t in lefts for c in t.children):
        return "*"  # "23 Somali and Yemeni pirates": a total of several nationalities
    return lefts[0].text if lefts else None


def nationality_of(num: Token) -> str | None:
    """The nationality of the people a number counts ("23 Somali pirates"), if one (not "Somali and Yemeni")."""
    noun = _counted(num)[1]
    if noun is None:
        return None
    nation = _nationality(noun, num)
    return None if nation == "*" else nation


def in_sum(num: Token) -> bool:
    """A number that is (part of) a sum of money ("$137-million", "85 million euros")."""
    doc = num.doc
    if num.ent_type_ == "MONEY" or num.lower_ in ("million", "billion", "thousand", "hundred"):
        return True
    prev = doc[num.i - 1] if num.i > 0 else None
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    return (prev is not None and (prev.is_currency or prev.lower_ in CURRENCIES)) or (
        nxt is not None and (nxt.is_currency or nxt.lower_ in CURRENCIES or nxt.lower_ in ("million", "billion"))
    )


def in_name(num: Token) -> bool:
    """A number that is part of a name or a model ("AK 47", "Route 91", "Flight 370", "Highway 175")."""
    doc = num.doc
    prev = doc[num.i - 1] if num.i > 0 else None
    if prev is not None and not prev.whitespace_ and prev.text == "-" and num.i > 1 and doc[num.i - 2].is_alpha:
        return True
    return (
        prev is not None
        and (prev.pos_ == "PROPN" or (prev.is_upper and prev.is_alpha))
        and (prev.ent_type_ not in ("CARDINAL", "QUANTITY", "MONEY"))
        and num.dep_ in ("nummod", "compound", "appos", "npadvmod", "pobj", "dobj")
    )


def thing_key(noun: Token, num: Token | None = None) -> tuple[str, str] | None:
    """(key, label) of a counted thing, or ``None`` for a noun that is no countable thing of the incident."""
    model = _model(noun)
    nation = _nationality(noun, num)
    lem = noun.lemma_.lower()
    if model is not None:
        key, label = model_key(model), model
    elif nation == "*":
        return None
    elif nation is not None:
        key, label = demonym_key(nation), nation
    else:
        if (
            lem in UNCOUNTED
            or lem in UNITS
            or noun.lower_ in UNITS
            or lem in CURRENCIES
            or not noun.is_alpha
            or noun.pos_ != "NOUN"
        ):
            return None
        key = next((h for h in COMPOUND_HEADS if lem.endswith(h) and len(lem) >= len(h) + 3), lem)
        label = lem
    if any(c.lower_ in OTHER_WORDS for c in noun.children if c.dep_ in ("amod", "advmod", "det")):
        key, label = f"other {key}", f"other {label}"
    return key, label


def _people(noun: Token) -> bool:
    return (
        noun.ent_type_ == "NORP"
        or noun.lemma_.lower() in PEOPLE_NOUNS
        or (any(c.ent_type_ == "NORP" for c in noun.lefts) and noun.lemma_.lower() in PEOPLE_NOUNS)
    )


def _verb_class(verb: Token, people: bool) -> str:
    lem = verb.lemma_.lower()
    cls = RELATIONS.get(lem, lem)
    return cls if people else CUSTODY_OF_THINGS.get(cls, cls)


def relation(anchor: Token, noun: Token) -> tuple[str, Token] | None:
    """The relation a counted noun stands in, with the token that holds it (a verb or preposition)."""
    x = anchor
    for _ in range(4):
        if x.dep_ in ("conj", "appos") and x.head.pos_ in ("NOUN", "PROPN", "NUM"):
            x = x.head
        else:
            break
    dep, head = x.dep_, x.head
    people = _people(noun)
    if dep in ("dobj", "nsubjpass") and head.pos_ in ("VERB", "AUX"):
        if head.lemma_.lower() in INCLUDE_VERBS:
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                return None
            if subj.lemma_.lower() in RELATIONS:  # "the apprehended included 12 Somalis"
                return _verb_class(subj, people), head
            if subj.lemma_.lower() in SEIZED_NOUNS:  # "the cache included seven rifles"
                return SEIZED_NOUNS[subj.lemma_.lower()], head
            taken = next(
                (c for c in subj.children if c.dep_ in ("amod", "acl") and c.lemma_.lower() in RELATIONS), None
            )
            if taken is not None:  # "the confiscated arms included seven AK-47s"
                return _verb_class(taken, people), head
            inner = relation(subj, subj)
            return (inner[0], head) if inner is not None else None
        if head.lemma_.lower() in SPEECH or head.lemma_.lower() in GENERIC_VERBS:
            return None
        return _verb_class(head, people), head
    if (
        dep == "nsubj"
        and head.pos_ == "VERB"
        and head.dep_ not in ("amod", "compound")
        and head.lemma_.lower() not in SPEECH | GENERIC_VERBS
        and not (noun.lower_ in GENERIC_PEOPLE_NOUNS and head.lemma_.lower() not in RELATIONS)
    ):
        lem = head.lemma_.lower()
        return AGENT_RELATIONS.get(lem, f"{lem} (by)"), head
    if dep == "pobj" and head.lower_ in ("including", "includes", "include") and head.head.pos_ == "NOUN":
        owner = head.head  # "seized a cache of arms, including seven rifles"
        if owner.lemma_.lower() in SEIZED_NOUNS:
            return SEIZED_NOUNS[owner.lemma_.lower()], head
        inner = relation(owner, owner)
        return (inner[0], head) if inner is not None else None
    if (
        dep == "pobj"
        and head.pos_ == "ADP"
        and head.lower_ not in ("of", "than", "among", "between", "including", "besides", "except", "like", "per")
    ):
        return PREP_CLASSES.get(head.lower_, head.lower_), head
    return None


def agent_of(pred: Token) -> str | None:
    """Who did what a count is counted by: the named subject of the governing verb ("Wayne caught five
    passes", "he caught 3 passes" after "Reggie Wayne"), as its last name in lower case.

    Two counts of one key are one fact only when they are counts of one agent's act: "Wayne caught five
    passes" and "Clark caught three passes" are two facts. A common-noun subject ("the navy", "police") or
    none leaves the agent open."""
    v = pred
    for _ in range(3):
        if v.pos_ in ("VERB", "AUX") or v.head is v:
            break
        v = v.head
    subj = next((c for c in v.children if c.dep_ == "nsubj"), None)
    if subj is None:
        return None
    if subj.lower_ in ("he", "she"):
        sent = sent_of(subj)
        people = [
            e for e in doc_ents(subj.doc) if e.label_ == "PERSON" and e.end <= subj.i and e.start >= sent.start - 150
        ]
        return people[-1].text.split()[-1].lower() if people else None
    if subj.pos_ == "PROPN" and subj.ent_type_ == "PERSON":
        return subj.text.lower()
    return None


def _hypothetical(pred: Token) -> bool:
    """What could, would, might or is striven to happen: "could carry 300", "working to free two people"."""
    if pred.dep_ == "xcomp" and pred.head.lemma_.lower() in INTENT_VERBS:
        return True
    if pred.dep_ in ("advcl", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in pred.children):
        return True  # "labored for hours to free five people": a purpose, not a result
    for t in (pred, pred.head):
        if any(c.dep_ == "aux" and c.lower_ in MODALS for c in t.children) or t.lemma_.lower() in MODALS:
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in t.children):
            return True
    return False


def open_counts(ctx: Ctx) -> None:
    """Claims for the numbers the casualty frames left (:attr:`Ctx.unframed`)."""
    seen: set[int] = set()
    for q, num in [*ctx.unframed, *_misread(ctx)]:
        if num.i in ctx.framed or num.i in seen:
            continue
        seen.add(num.i)
        if in_name(num) or in_sum(num) or not num.like_num:
            continue
        if num.i + 1 < len(ctx.doc) and ctx.doc[num.i + 1].lower_ in ("-", "%"):
            continue
        anchor, noun = _counted(num)
        if noun is None:
            continue
        thing = thing_key(noun, num)
        if thing is None:
            continue
        rel = relation(anchor, noun)
        if rel is None:
            continue
        cls, pred = rel
        if _hypothetical(pred):
            continue
        cv = count_value(q.text, q.label_)
        if cv is None or (cv[0].approx and cv[0].high is None):
            continue
        typed, label = cv
        if typed.low is not None and typed.low != int(typed.low):
            continue  # "measuring 4.6": a measure, not a count of things
        sent = sent_of(num)
        clause = clause_head(pred)
        region = doc_text(ctx.doc)[slice(*clause_span(clause, sent))]
        start, end = figure_span(num, noun, pred, sent)
        scope = (
            "other"
            if CUMULATIVE_RE.search(region) or BACKGROUND_RE.search(region)
            else scope_of(ctx, clause, pred, q.label_, sent, keep=num)
        )
        key, thing_label = thing
        slot = f"{key} ({cls})"
        ctx.open_slots.add(slot)
        add_claim(
            ctx,
            slot,
            f"{label} {thing_label}",
            typed,
            sent,
            start,
            end,
            scope=scope,
            subject=agent_of(pred),
            attributed_to=attribution(clause, sent),
            key=f"open:{q.start_char}",
        )


def _misread(ctx: Ctx) -> list[tuple[Span, Token]]:
    """Numbers the entity recogniser took for a sum or a share ("Seven AK-47s" as PERCENT): counts after all."""
    doc = ctx.doc
    out = []
    for e in doc_ents(doc):
        if e.label_ not in ("PERCENT", "MONEY"):
            continue
        for t in e:
            if not t.like_num:
                continue
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if nxt is not None and (nxt.lower_ in ("%", "percent", "per", "million", "billion") or nxt.is_currency):
                continue
            if t.i > 0 and doc[t.i - 1].is_currency:
                continue
            out.append((doc[t.i : t.i + 1], t))
    return out


def _counted(num: Token) -> tuple[Token, Token | None]:
    """(syntactic anchor, counted noun) of a number: "seven AK-47s", "two of the boats"."""
    if num.dep_ in ("nummod", "quantmod", "compound") and num.head.pos_ in ("NOUN", "PROPN"):
        h = num.head
        if h.dep_ in ("nummod", "compound", "nmod") and h.head.pos_ == "NOUN" and h.pos_ in ("PROPN", "NUM"):
            return h.head, h.head  # "seven AK-47 rifles", "eleven M 16 guns": the rifles, of a make or model
        return h, h
    if num.dep_ == "nummod" and num.head.like_num:  # "six AK 47 rifles" parsed as 6 -> 47 -> rifles
        return _counted(num.head)
    for ch in num.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            objs = [c for c in ch.children if c.dep_ == "pobj"]
            if objs and not any(
                d.lower_ in ("the", "these", "those", "them", "its", "their", "his", "her")
                for d in [*objs[0].children, objs[0]]
            ):
                return num, objs[0]  # "dozens of boats", but not "one of the girls" (a part of a group)
    return num, None

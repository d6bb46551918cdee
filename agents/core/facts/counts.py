"""Casualty and people counts: a number tied through the parse to its counted noun and verb frame."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from agents.core.components import QUANT_KEY
from agents.core.facts.doc import clause_head, clause_span, sent_of, trim
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.numbers import count_value
from agents.core.facts.quantities import demonym_key, nationality_of
from agents.core.facts.scope import scope_of
from agents.core.lexicon import (
    ATTACK_VERBS,
    ATTACKER_NOUNS,
    DAMAGE_NOUNS,
    DAMAGE_VERBS,
    FRAMES,
    GENERIC_PEOPLE,
    HOSPITAL_VERBS,
    LIGHT_RE,
    NON_PEOPLE,
    SEVERE_RE,
    STRICT_ATTACKERS,
    SUBGROUPS,
    SUBSET_WORDS,
    TALLY_NOUNS,
    TOLL_NOUNS,
    TOLL_VERBS,
    VAGUE,
)
from schemas import CountValue


def _counted(num: Token) -> tuple[Token, Token | None]:
    """(syntactic anchor, counted noun) of a number token."""
    if num.dep_ in ("nummod", "quantmod", "amod", "compound") and num.head.pos_ in ("NOUN", "PROPN"):
        return num.head, num.head
    for ch in num.children:
        if ch.dep_ == "prep" and ch.lower_ == "of":
            objs = [c for c in ch.children if c.dep_ == "pobj"]
            if objs:
                return num, objs[0]
    return num, None


def _complement_slot(v: Token) -> str | None:
    for ch in v.children:
        if ch.dep_ in ("ccomp", "advcl") and any(c.dep_ in ("nsubj", "nsubjpass", "mark") for c in ch.children):
            continue
        if ch.dep_ in ("ccomp", "advcl") and ch.i < v.i:
            continue
        if (
            ch.dep_ in ("acomp", "oprd", "xcomp", "ccomp", "attr", "advcl", "amod", "dobj")
            and (ch.lower_ in FRAMES or ch.lemma_.lower() in FRAMES)
            and ch.pos_ in ("ADJ", "VERB", "NOUN")
        ):
            slot = FRAMES.get(ch.lower_) or FRAMES.get(ch.lemma_.lower())
            if slot and ch.lemma_.lower() not in ("death", "injury", "fatality"):
                return slot
    return None


def _has_hospital(v: Token) -> bool:
    for ch in v.children:
        if ch.dep_ in ("prep", "advmod", "dobj"):
            if ch.lemma_.lower() in ("hospital", "hospitals"):
                return True
            for g in ch.children:
                if g.lemma_.lower() in ("hospital", "hospitals"):
                    return True
    return False


def _toll_slot(v: Token) -> str | None:
    """The slot of a tally that a verb moves or states: "the toll rose to", "fatalities stood at",
    "the number of injured reached", "put the death toll at"."""
    for c in v.children:
        if c.dep_ not in ("nsubj", "nsubjpass", "dobj", "attr"):
            continue
        lem = c.lemma_.lower()
        if lem in TOLL_NOUNS:
            return "killed" if not any(g.lemma_.lower() in ("injury", "casualty") for g in c.children) else None
        if lem in ("death", "fatality", "injury"):
            return FRAMES[lem]
        if lem in TALLY_NOUNS:
            for p in c.children:
                if p.dep_ == "prep" and p.lower_ == "of":
                    for o in p.children:
                        slot = FRAMES.get(o.lower_) or FRAMES.get(o.lemma_.lower())
                        if slot and slot in ("killed", "injured", "missing", "arrested"):
                            return slot
    return None


def _has_toll(v: Token) -> bool:
    return _toll_slot(v) is not None


def frame(anchor: Token, noun: Token | None) -> tuple[str, Token] | None:
    """The slot a counted noun's verb frame gives, with the predicate token; ``None`` if none applies."""
    lem = noun.lemma_.lower() if noun is not None else ""
    low = noun.lower_ if noun is not None else ""
    # "58 killed", "24 dead": a complement hanging on the count itself
    for ch in anchor.children:
        if ch.dep_ in ("acl", "amod") and ch.i > anchor.i and ch.pos_ in ("VERB", "ADJ"):
            if (ch.lower_ in FRAMES or ch.lemma_ in FRAMES) and not any(c.dep_ == "dobj" for c in ch.children):
                return FRAMES.get(ch.lower_) or FRAMES[ch.lemma_], ch
            if ch.pos_ == "VERB" and ch.tag_ == "VBN" and ch.i == anchor.i + 1:
                return None  # the count has a predicate of its own ("12 arrested")
    x = anchor
    for _ in range(3):
        if (
            x.dep_ in ("conj", "appos")
            and x.head.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
            and (anchor.lemma_.lower() in ("other", "more") or x.dep_ == "appos")
        ):
            x = x.head
        else:
            break
    dep, head = x.dep_, x.head
    if lem in ("death", "fatality", "injury") and noun == anchor:
        return FRAMES[lem], head if head != x else x
    if dep == "pobj":
        prep = head
        if prep.lower_ in ("among", "including", "of", "from", "between", "besides", "than"):
            return None
        v = prep.head
        if v.lemma_.lower() in TOLL_NOUNS:
            return "killed", v
        if v.lemma_.lower() in TOLL_VERBS and _has_toll(v):
            return _toll_slot(v) or "killed", v
        return None
    if head == x and dep == "ROOT":
        slot = _complement_slot(x)
        return (slot, x) if slot else None
    if dep not in (
        "nsubj",
        "nsubjpass",
        "dobj",
        "attr",
        "oprd",
        "dative",
        "npadvmod",
        "appos",
        "ROOT",
        "conj",
        "ccomp",
        "acomp",
        "advcl",
    ):
        return None
    v = head
    vl = v.lemma_.lower()
    vw = v.lower_
    # an adjective or participle complement as head ("dozens dead", "five people are dead")
    if vw in FRAMES and v.pos_ in ("ADJ",) and dep in ("nsubj", "npadvmod"):
        return FRAMES[vw], v
    if vl in FRAMES and v.pos_ in ("VERB",):
        slot = FRAMES[vl]
        if dep == "nsubj" and vl not in ("die", "perish") and any(c.dep_ == "dobj" for c in v.children):
            if lem in ATTACKER_NOUNS:
                return "attackers", v
            return None  # the killers, not the killed
        if dep in ("dobj", "nsubjpass", "nsubj", "attr", "oprd", "conj", "ccomp", "npadvmod", "advcl"):
            if lem in ATTACKER_NOUNS and slot == "killed":
                return None  # attackers killed: not the toll
            return slot, v
    if vl in HOSPITAL_VERBS and _has_hospital(v) and dep in ("nsubjpass", "dobj", "nsubj"):
        return "hospitalised", v
    if vl in DAMAGE_VERBS and lem in DAMAGE_NOUNS and dep in ("dobj", "nsubjpass"):
        return f"{DAMAGE_VERBS[vl]}:{lem}", v
    slot = _complement_slot(v)
    if slot and dep in ("nsubj", "dobj", "nsubjpass", "attr"):
        return slot, v
    if vl in TOLL_VERBS and _has_toll(v) and dep in ("attr", "npadvmod", "dobj") and noun is None:
        return _toll_slot(v) or "killed", v
    if lem == "life" and (
        vl in ("claim", "take", "cost", "lose", "sacrifice")
        or (dep == "pobj" and v.head.lemma_.lower() in ("claim", "take", "cost"))
    ):
        return "killed", v  # "claimed 32 lives"
    lives = next((c for c in v.children if c.dep_ == "dobj" and c.lemma_.lower() in ("life", "injury")), None)
    if lives is not None and vl in ("lose", "suffer", "sustain", "receive") and dep in ("nsubj",):
        return ("killed" if lives.lemma_.lower() == "life" else "injured"), v  # "20 people lost their lives"
    if (
        vw in FRAMES
        and v.pos_ == "VERB"
        and dep in ("nsubj", "nsubjpass")
        and vw in ("missing", "dead", "injured", "wounded")
    ):
        return FRAMES[vw], v  # "40 people are still missing"
    if (
        (lem in ATTACKER_NOUNS or low in ATTACKER_NOUNS)
        and vl in ATTACK_VERBS
        and dep in ("nsubj", "nsubjpass", "attr")
        and (lem in STRICT_ATTACKERS or vl not in ("be",))
    ):
        return "attackers", v
    return None


def _extra_from_conj(anchor: Token) -> tuple[int, Token | None]:
    """ "a senior officer and at least 31 others": one per singular noun conjoined before "others"."""
    if anchor.lemma_.lower() not in ("other", "others", "more") or anchor.dep_ != "conj":
        return 0, None
    h = anchor.head
    if h.pos_ in ("VERB",):
        h = next((c for c in h.children if c.dep_ == "dobj" and c.i < anchor.i), h)
    if (
        h.pos_ in ("NOUN", "PROPN")
        and h.tag_ in ("NN", "NNP")
        and any(c.lower_ in ("a", "an", "one", "the") for c in h.children)
    ):
        n = 1 + sum(1 for c in h.children if c.dep_ == "conj" and c != anchor and c.tag_ in ("NN", "NNP"))
        return n, h
    return 0, None


def _severity(pred: Token, sent: Span) -> str | None:
    """ "18 are critically injured", "in a serious condition": a subset of the injured, compared apart."""
    lo, hi = max(sent.start, pred.i - 2), min(sent.end, pred.i + 3)
    window = pred.doc[lo:hi].text
    window += " " + " ".join(
        g.text for c in pred.children if c.dep_ == "prep" and c.i < hi + 1 for g in c.subtree if g.i < c.i + 5
    )
    if SEVERE_RE.search(window) or re.search(r"\bcondition\b", window):
        return "seriously"
    if LIGHT_RE.search(window):
        return "slightly"
    return None


def _either_or(pred: Token) -> bool:
    """ "killing or wounding 20": a figure shared by two different frames is no claim on either."""
    for c in [*pred.children, pred.head]:
        if c.dep_ == "conj" or pred.dep_ == "conj":
            other = c if c.dep_ == "conj" and c.head == pred else pred.head
            if other == pred:
                continue
            if any(x.lower_ == "or" and x.dep_ == "cc" for x in [*pred.children, *other.children]):
                a = FRAMES.get(other.lemma_.lower())
                b = FRAMES.get(pred.lemma_.lower())
                if a and b and a != b:
                    return True
    return False


def _subject_of(noun: Token | None, slot: str) -> str | None:
    if noun is None or slot not in ("killed", "injured", "hospitalised", "missing"):
        return None
    lem = noun.lemma_.lower()
    if lem in GENERIC_PEOPLE or noun.lower_ in GENERIC_PEOPLE:
        return None
    if lem in SUBGROUPS or noun.lower_ in SUBGROUPS:
        mods = [c.lower_ for c in noun.children if c.dep_ in ("amod", "compound") and c.lower_ in ("police",)]
        return " ".join([*mods, lem])
    return lem


PARTITIVE_DETS = frozenset({"the", "those", "these", "them"})
_MODAL = frozenset({"would", "could", "might", "may", "should"})


def _unreal(pred: Token) -> bool:
    """A figure of what could be, or of any such case: a modal on the predicate or the verb it hangs from
    ("there might have been two people killed"), a condition ("if", "unless"), or a generic "when" in the
    present ("when one is killed, all of us lose")."""
    t = pred
    for _ in range(3):
        kids = list(t.children)
        if any(c.dep_ == "aux" and c.lower_ in _MODAL for c in kids):
            return True
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless", "whether") for c in kids):
            return True
        if any(c.dep_ == "advmod" and c.lower_ == "when" for c in kids) and any(
            c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in kids
        ):
            return True
        if t.head is t or t.dep_ in ("ccomp", "advcl", "relcl", "xcomp", "conj"):
            break  # the clause ends here: a modal above it is another clause's
        t = t.head
    return False


def count_claims(ctx: Ctx) -> None:
    doc = ctx.doc
    spans = doc.spans.get(QUANT_KEY, [])
    found: list[tuple[Span, Span, str, CountValue, str, str | None, Token, str]] = []
    orphans: list[Token] = []
    for q in spans:
        num = next(
            (t for t in reversed(q) if t.like_num or t.lower_ in VAGUE or t.lower_ in ("none", "nobody")), q.root
        )
        anchor, noun = _counted(num)
        if noun is not None and noun is not anchor and noun.pos_ == "PROPN":
            ctx.unframed.append((q, num))
            noun = None  # "another 40 Steve Parsons/PA": a photo credit, not the counted noun
        elif noun is not None and noun.pos_ == "PROPN":
            ctx.unframed.append((q, num))
            continue
        if (num.i > 0 and doc[num.i - 1].lower_ in ("how", "many")) or (
            q.start > 0 and doc[q.start - 1].lower_ == "how"
        ):
            continue  # "how many have died": a question, no figure
        if (noun is not None and noun.lower_ in SUBSET_WORDS) or doc[max(0, q.start - 2) : q.start].text.lower() in (
            "of whom",
            "of which",
            "of them",
            "of those",
            "of these",
        ):
            continue  # "four of whom were seriously injured": a part of another figure
        if (
            noun is None
            and num.dep_ in ("appos", "npadvmod", "amod", "nummod")
            and (num.head.ent_type_ == "PERSON" or num.head.pos_ == "PROPN")
        ):
            continue  # "Martin Bamford, 30, from Croydon": an age
        if (
            noun is None
            and 0 < num.i < len(doc) - 1
            and doc[num.i - 1].text == ","
            and doc[num.i + 1].text in (",", "-")
            and doc[num.i - 2].pos_ in ("NOUN", "PROPN")
        ):
            continue  # "The tram driver, 42, from Beckenham": an age
        if (
            noun is not None
            and (noun.lemma_.lower() in NON_PEOPLE or noun.lower_ in NON_PEOPLE)
            and noun.lemma_.lower() not in DAMAGE_NOUNS
        ):
            ctx.unframed.append((q, num))
            continue
        fr = frame(anchor, noun)
        if fr is None:
            if anchor.dep_ == "conj" or num.dep_ == "conj":
                orphans.append(anchor)
            ctx.unframed.append((q, num))
            continue
        slot, pred = fr
        ctx.framed.add(num.i)
        if _unreal(pred):
            continue  # hypothetical: "thousands of people would die", "there might have been two killed"
        if num.i + 2 < len(doc) and doc[num.i + 1].lower_ == "of" and doc[num.i + 2].lower_ in PARTITIVE_DETS:
            continue  # "one of the wives ... confirmed his arrest": a part of a group, not a count
        if slot.startswith("damaged") is False and noun is not None and noun.lemma_.lower() in DAMAGE_NOUNS:
            continue
        extra, sibling = _extra_from_conj(anchor)
        cv = count_value(q.text, q.label_, extra)
        if cv is None:
            continue
        typed, label = cv
        if sibling is not None:
            label = f"{doc[sibling.left_edge.i : sibling.i + 1].text} and {q.text} {anchor.text}"
        if _either_or(pred):
            continue
        sent = sent_of(num)
        if slot == "hospitalised":
            slot, label = "injured", f"{label} taken to hospital"
        subject = _subject_of(noun, slot)
        severity = _severity(pred, sent)
        if severity and slot in ("injured", "hospitalised"):
            subject = f"{severity}{' ' + subject if subject else ''}"
        partial = (
            q.label_ == "another"
            or (
                noun is not None
                and any(c.lower_ in ("other", "more", "further", "additional", "another") for c in noun.children)
            )
            or any(c.lower_ == "also" and c.dep_ == "advmod" for c in pred.children)
        )
        found.append((q, sent, slot, typed, label, subject, pred, "another" if partial else q.label_))
    per_sent: dict[int, int] = {}
    for item in found:
        per_sent[item[1].start] = per_sent.get(item[1].start, 0) + 1
    slots_in_sent: dict[tuple[int, str], int] = {}
    for item in found:
        slots_in_sent[(item[1].start, item[2])] = slots_in_sent.get((item[1].start, item[2]), 0) + 1
    preds: dict[tuple[int, str], int] = {}
    for f in found:
        preds[(f[6].i, f[2])] = preds.get((f[6].i, f[2]), 0) + 1
        if any(f[6].left_edge.i <= o.i <= f[6].right_edge.i and o.i > f[0].end for o in orphans):
            preds[(f[6].i, f[2])] += 1
    # "41 were killed at one mosque and seven at the other": a breakdown, no total
    found = [f for f in found if preds[(f[6].i, f[2])] == 1]
    found = [
        f
        for f in found
        if not (
            f[7] == "another"
            and any(
                g[2] == f[2]
                and g[3] is not f[3]
                and not (g[3].approx and g[3].high is None)
                and 0 < f[0].start_char - g[0].start_char < 400
                for g in found
            )
        )
    ]
    found = [
        f
        for f in found
        if not (
            f[4].split()[-1:] in (["others"],)
            or " others" in f[1].text[f[0].end_char - f[1].start_char : f[0].end_char - f[1].start_char + 8]
        )
        or "and " in f[4]
        or slots_in_sent[(f[1].start, f[2])] == 1
    ]
    for q, sent, slot, typed, label, subject, pred, qlabel in found:
        clause = clause_head(pred)
        scope = scope_of(ctx, clause, pred, qlabel, sent)
        if per_sent[sent.start] == 1:
            start, end = trim(doc, sent.start_char, sent.end_char)
        else:
            start, end = clause_span(clause, sent)
        add_claim(
            ctx,
            slot,
            label,
            typed,
            sent,
            start,
            end,
            subject=subject,
            scope=scope,
            attributed_to=attribution(clause, sent),
            key=str(q.start_char),
        )
        if slot == "arrested":  # "arrested 23 Somali pirates": also a count of Somalis in custody
            num = next((t for t in reversed(q) if t.like_num), q.root)
            nation = nationality_of(num)
            if nation is not None:
                key = f"{demonym_key(nation)} (arrested)"
                ctx.open_slots.add(key)
                add_claim(
                    ctx,
                    key,
                    f"{label} {nation}",
                    typed,
                    sent,
                    start,
                    end,
                    scope=scope,
                    attributed_to=attribution(clause, sent),
                    key=f"open:{q.start_char}",
                )

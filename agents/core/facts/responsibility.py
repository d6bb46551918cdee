"""Claims of responsibility, named perpetrators, and releases in exchange (swaps)."""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from agents.core import aliases
from agents.core.facts.doc import (
    antecedent,
    clause_head,
    clause_span,
    doc_ents,
    ent_at,
    head_np,
    np_text,
    sent_ents,
    sent_text,
    trim,
)
from agents.core.facts.evidence import Ctx, add_claim, attribution
from agents.core.facts.scope import scope_of
from agents.core.lexicon import ATTACK_NOUNS, SPEECH
from schemas import EntityValue, PolarityValue

_GROUP_LABELS = ("ORG", "NORP", "PERSON", "GPE")


ANY_GROUP = "*"
"""Subject of "no group has claimed responsibility": compared with the claims about every group."""


_PRONOUNS = {"it", "they", "he", "she", "we", "its", "their", "group", "which", "who"}


_EMBEDDING = {"relcl", "acl", "appos", "pobj", "conj", "dobj", "poss"}


def salient_group(sent: Span, before: int | None = None) -> str | None:
    """The group a sentence is about: a named organisation not inside a relative clause or apposition."""
    for e in sent_ents(sent):
        if e.label_ != "ORG" or (before is not None and e.start >= before):
            continue
        t = e.root
        embedded = False
        for _ in range(8):
            if t.dep_ in _EMBEDDING:
                embedded = True
                break
            if t.head == t or t.dep_ in ("nsubj", "nsubjpass"):
                break
            t = t.head
        if not embedded:
            return e.text
    return None


def _group_name(t: Token, sent: Span, ctx: Ctx, prev: list[str]) -> str | None:
    """The named group a subject token stands for (entities, then the last named group before it)."""
    t = antecedent(t)
    sub = t.doc[t.left_edge.i : t.right_edge.i + 1].text
    m = re.search(r"known as (?:the )?((?:[A-Z][\w'-]*|al-[\w'-]+)(?:\s+(?:[A-Z][\w'-]*|al-[\w'-]+|of|for|the))*)", sub)
    if m:
        return m.group(1)
    if t.lower_ in _PRONOUNS and t.head.pos_ in ("VERB", "AUX"):
        main = salient_group(sent, before=t.i)
        if main is not None:
            return main
    if t.ent_type_ in _GROUP_LABELS:
        ent = ent_at(t.doc, t.i)
        if ent is not None:
            return ent.text
    for c in head_np(t):
        if c.ent_type_ in ("ORG", "NORP", "PERSON") and sent.start <= c.i < sent.end:
            ent = ent_at(t.doc, c.i)
            if ent is not None:
                return ent.text
    if t.pos_ == "PROPN":
        return np_text(t, sent, 6)
    if t.lower_ in _PRONOUNS or t.lemma_.lower() in ("group", "alliance", "militant", "jihadist", "organisation"):
        for e in reversed([e for e in doc_ents(t.doc) if e.end <= t.i and e.start >= max(0, sent.start - 80)]):
            if e.label_ in ("ORG", "NORP"):
                return e.text
        return prev[-1] if prev else None
    return None


_CLAIM_NEG = re.compile(
    r"\b(?:no (?:group|one|organi[sz]ation)\b[^.]{0,40}\bclaim|(?:did|does|has|have|had)(?: not|n't)(?: yet)?"
    r"(?: immediately| explicitly| officially| formally)? (?:claim|make any (?:immediate )?claims?)|"
    r"stopped short of (?:explicitly |formally |officially )?claiming|not (?:yet )?(?:been )?claimed|"
    r"there (?:was|has been|were) no (?:immediate )?claim|without (?:explicitly )?claiming|"
    r"den(?:y|ied|ies) (?:any )?(?:responsibility|involvement|any role|being behind|carrying out))",
    re.I,
)


_NO_LINK = re.compile(
    r"\b(?:no|any) (?:'|\")?(?:connection|link|links|ties|affiliation)(?:'|\")?\s+(?:to|with)\b", re.I
)


def _nobody(t: Token) -> bool:
    """ "no group", "nobody", "no one", "none": a subject that denies every group."""
    return t.lower_ in ("nobody", "noone", "none") or any(d.lower_ == "no" for d in t.children)


def responsibility(ctx: Ctx, sent: Span, prev_groups: list[str]) -> None:
    text = sent_text(sent)
    low = text.lower()
    if not re.search(r"claim|responsib|carried out|behind the|den(?:y|ied|ies)|connection|link", low):
        return
    for tok in sent:
        lem = tok.lemma_.lower()
        group_override: str | None = None
        positive: bool | None = None
        subj_tok: Token | None = None
        node = tok
        if lem == "claim" and tok.pos_ == "VERB":
            objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
            if not objs or not (
                objs[0].lemma_.lower() == "responsibility"
                or objs[0].lower_ in ATTACK_NOUNS
                or objs[0].lemma_.lower() in ATTACK_NOUNS
            ):
                if tok.tag_ == "VBN" and any(c.dep_ == "agent" for c in tok.children):
                    objs = [c for c in tok.children if c.dep_ == "nsubjpass"]
                    if not objs or objs[0].lemma_.lower() not in ATTACK_NOUNS:
                        continue
                else:
                    continue
            agent = [c for c in tok.children if c.dep_ == "agent"]
            if agent and list(agent[0].children):
                subj_tok = next(iter(agent[0].children))
            else:
                subjs = [c for c in tok.children if c.dep_ in ("nsubj",)]
                head = tok
                hops = 0
                while (
                    not subjs
                    and head.dep_ in ("xcomp", "pcomp", "conj", "advcl", "prep", "advmod", "acomp")
                    and head.head != head
                    and hops < 6
                ):
                    head, hops = head.head, hops + 1
                    subjs = [c for c in head.children if c.dep_ == "nsubj"]
                subj_tok = subjs[0] if subjs else None
            negated = any(c.dep_ == "neg" for c in tok.children) or (
                tok.head.lemma_ in ("stop", "refuse", "fail", "decline") and tok.head.pos_ == "VERB"
            )
            span_txt = low[max(0, tok.idx - sent.start_char - 60) : tok.idx - sent.start_char + 40]
            if _CLAIM_NEG.search(span_txt) or (subj_tok is not None and _nobody(subj_tok)):
                negated = True
            positive = not negated
            node = tok
        elif (
            lem == "claim"
            and tok.pos_ == "NOUN"
            and tok.head.lemma_ in ("make", "be")
            and any(c.lower_ in ("no",) or c.dep_ == "neg" for c in [*tok.children, *tok.head.children])
            and any(
                g.lemma_.lower() in ATTACK_NOUNS or g.lemma_.lower() == "responsibility"
                for c in tok.children
                if c.dep_ == "prep"
                for g in c.children
            )
        ):
            subjs = [c for c in tok.head.children if c.dep_ == "nsubj"]
            subj_tok = subjs[0] if subjs else None
            positive = False
            node = tok.head
        elif lem == "carry" and any(c.lower_ == "out" for c in tok.children) and tok.head.lemma_ in ("say", "claim"):
            objs = [c for c in tok.children if c.dep_ == "dobj" and c.lemma_.lower() in ATTACK_NOUNS]
            subjs = [c for c in tok.children if c.dep_ == "nsubj"]
            if not objs or not subjs or subjs[0].lower_ not in ("it", "they", "we"):
                continue
            speaker = [c for c in tok.head.children if c.dep_ == "nsubj"]
            subj_tok = speaker[0] if speaker else None
            positive = not any(c.dep_ == "neg" for c in tok.children)
            node = tok.head
        elif lem in ("deny", "reject") and tok.pos_ == "VERB":
            objs = [c for c in tok.subtree if c.lemma_.lower() in ("responsibility", "involvement", "role")]
            if not objs:
                continue
            subjs = [c for c in tok.children if c.dep_ == "nsubj"]
            subj_tok = subjs[0] if subjs else None
            positive, node = False, tok
        elif lem in ("connection", "link", "tie", "affiliation") and _NO_LINK.search(text):
            if (
                not any(c.lower_ in ("no",) or c.dep_ == "neg" for c in [*tok.children, *tok.head.children])
                and "no" not in low[max(0, tok.idx - sent.start_char - 6) : tok.idx - sent.start_char]
            ):
                continue
            pobj = [g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
            if not pobj:
                continue
            node = clause_head(tok)
            said_verb = node.head if node.head.lemma_ in SPEECH else None
            speakers = {c.i for c in said_verb.children if c.dep_ == "nsubj"} if said_verb is not None else set()
            named = [
                e
                for e in sent_ents(sent)
                if e.label_ == "ORG"
                and e.root.i not in speakers
                and not (pobj[0].left_edge.i <= e.start <= pobj[0].i and False)
            ]
            if pobj[0].pos_ == "PROPN" or pobj[0].ent_type_ == "ORG":
                link_group = np_text(pobj[0], sent, 6)
            elif named:
                link_group = named[0].text
            else:
                continue
            group_override = link_group
            subj_tok = pobj[0]
            positive = False
        else:
            continue
        group = group_override or (_group_name(subj_tok, sent, ctx, prev_groups) if subj_tok is not None else None)
        if group is None and positive is False and (subj_tok is None or _nobody(subj_tok)):
            group = ANY_GROUP
        if group is None and subj_tok is not None and positive is False:
            # "no connection to terrorist group": the group named in the same sentence
            names = [e.text for e in sent_ents(sent) if e.label_ in ("ORG",) and aliases.canonical(e.text) != "fbi"]
            group = names[0] if names else (prev_groups[-1] if prev_groups else None)
        if group is None:
            continue
        key = ANY_GROUP if group == ANY_GROUP else aliases.primary(group, ctx.learned)
        clause = clause_head(node)
        start, end = clause_span(clause, sent)
        value = "claimed" if positive else "not claimed"
        if positive is False and re.search(r"den(?:y|ied|ies)|connection|link|ties", low):
            value = "denied"
        if positive is False and "stopped short" in low:
            value = "not explicitly claimed"
        if positive is False and re.search(r"explicitly claim", low):
            value = "not explicitly claimed"
        add_claim(
            ctx,
            "responsibility",
            value,
            PolarityValue(positive=bool(positive), label=value),
            sent,
            start,
            end,
            subject=key,
            attributed_to=attribution(clause, sent),
            key=str(node.idx),
            scope=scope_of(ctx, clause, None, "", sent, keep=node),
        )


def perpetrators(ctx: Ctx, sent: Span) -> None:
    """ "X carried out the attack", "the attack was carried out by X", "X was behind the attack"."""
    low = sent_text(sent).lower()
    if "carried out" not in low and "behind the" not in low and "carry out" not in low:
        return
    for tok in sent:
        if tok.lemma_ != "carry" or not any(c.lower_ == "out" for c in tok.children):
            continue
        objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass") and c.lemma_.lower() in ATTACK_NOUNS]
        if not objs:
            continue
        agent = [g for c in tok.children if c.dep_ == "agent" for g in c.children]
        subj = agent[0] if agent else next((c for c in tok.children if c.dep_ == "nsubj"), None)
        if subj is None:
            h = tok
            while h.dep_ in ("xcomp", "ccomp") and h.head is not h and subj is None:
                h = h.head
                subj = next((c for c in h.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is None:
            continue
        subj = antecedent(subj)
        if subj.lower_ in ("it", "they", "we") and tok.head.lemma_ == "say":
            speaker = next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
            subj = speaker if speaker is not None else subj
        ent = ent_at(ctx.doc, subj.i)
        if ent is not None and ent.label_ not in ("ORG", "NORP", "PERSON"):
            ent = None
        if ent is None:
            np_ids = {x.i for x in head_np(subj)}
            ent = next((e for e in sent_ents(sent) if e.label_ in ("ORG", "PERSON") and e.start in np_ids), None)
        if ent is None:
            continue
        if any(c.dep_ == "neg" for c in tok.children) or not any(x.pos_ == "PROPN" for x in ent):
            continue
        clause = clause_head(tok)
        start, end = clause_span(clause, sent)
        key = aliases.canonical(ent.text, ctx.learned)
        add_claim(
            ctx,
            "perpetrator",
            ent.text,
            EntityValue(name=ent.text, canonical=key),
            sent,
            start,
            end,
            attributed_to=attribution(clause, sent),
            key=str(tok.idx),
            scope=scope_of(ctx, clause, tok, "", sent),
        )


_SWAP_HINT = re.compile(r"(?=[eist])(?:swap|exchange|traded|in return for)", re.I)
_SWAP_POS = re.compile(
    r"\b(?:in exchange for|exchanged for|swapped for|traded for|in return for|"
    r"as part of an? [\w\s-]{0,30}?(?:swap|exchange|trade)|"
    r"in an? [\w\s-]{0,30}?(?:swap|exchange))\b",
    re.I,
)


_SWAP_NEG = re.compile(
    r"\b(?:not an? (?:prisoner |hostage )?(?:swap|exchange)|no (?:swap|exchange|prisoners?|"
    r"[\w\s-]{0,30}?(?:fighters|militants|detainees|prisoners|commanders) were (?:released|freed|"
    r"exchanged|swapped))|den(?:y|ied|ies)[^.]{0,40}(?:swap|exchange)|without (?:any )?"
    r"(?:swap|exchange))\b",
    re.I,
)


_MODAL = re.compile(r"\b(?:would|could|might|may|should|if|whatever)\b", re.I)


_UNCERTAIN = re.compile(r"\b(?:whether|if|unclear|not clear|speculat|rumou?r|may|might|could|would|question)\b", re.I)


def swap(ctx: Ctx, sent: Span) -> None:
    """A release in exchange for prisoners (positive) or explicitly not (negative)."""
    text = sent_text(sent)
    if not _SWAP_HINT.search(text):
        return
    neg = _SWAP_NEG.search(text)
    pos = _SWAP_POS.search(text)
    if not neg and not pos:
        return
    if not ctx.captives:
        return  # the article is not about captives or hostages: "in exchange for" is about something else
    if (
        pos
        and not neg
        and not re.search(
            r"releas|\bfreed?\b|\bfrees\b|hostage|prisoner|captive|detainee|kidnap|abduct|exchanged for|swapped for|"
            r"traded for",
            text,
            re.I,
        )
    ):
        return
    m = neg or pos
    assert m is not None
    if not neg and (_UNCERTAIN.search(text[: m.start()][-60:]) or _MODAL.search(text)):
        return
    if not neg and re.search(
        r"\b(?:talks|negotiat|demand|offer|seek|want|propos|call)\w*\b[^.]{0,30}$", text[: m.start()], re.I
    ):
        return
    positive = neg is None
    start, end = trim(ctx.doc, sent.start_char, sent.end_char)
    root = sent.root
    value = "exchange" if positive else "no exchange"
    add_claim(
        ctx,
        "released in exchange",
        value,
        PolarityValue(positive=positive, label=value),
        sent,
        start,
        end,
        attributed_to=attribution(root, sent)
        if root.lemma_ not in SPEECH
        else attribution(next((c for c in root.children if c.dep_ == "ccomp"), root), sent),
    )

"""Claim extraction: a pure function from a parsed article to typed claims with evidence.

Counts come from one general rule: a number expression found by the ``contraflow_quantities``
matcher ("at least 32", "more than 40", "nearly 80", "dozens", "no one", "thirty-one") is tied through
the dependency parse to its *counted noun* ("32 people", "five of their fighters") and to its *verb
frame*: the predicate it is subject or object of ("killing 32", "51 were taken to hospital"), an
adjectival complement ("24 dead", "leaving 14 missing"), or a tally noun moved by a verb ("put the toll
at 42", "the number of dead rose to 23"). The slot is looked up from the frame's lemma in
:data:`FRAMES`; a new kind of figure is a new row there, not new code. Groups within the total ("six
children", "four seriously injured") get a ``subject`` and are only compared with the same group.

Slots (value type; examples):

- ``killed``: count interval; "killing at least 32", "more than 40 died", "put the toll at 42",
  "claimed 32 lives", "the number of dead rose to 23".
- ``injured``: count interval, labelled "taken to hospital" when so; "wounding more than 20",
  "51 were taken to hospital", "suffered injuries".
- ``missing``, ``arrested``: count interval; "leaving two others missing", "police arrested five men".
- ``attackers``: count interval; "five suicide bombers had carried out the attack", "at least six
  assailants attacked", "five of their fighters had taken part".
- ``responsibility`` (subject: the group; ``*`` for "no group has claimed"): polarity, labelled claimed /
  not claimed / not explicitly claimed / denied; "X claimed responsibility", "X said it carried out the
  attacks", "stopped short of claiming", "did not make any claims for the assault", "no connection to".
- ``perpetrator``: named entity; "X carried out the attack", "the attack was carried out by X".
- ``released in exchange``: polarity; "exchanged for four militants", "this is not a swap" (only in
  articles about captives or hostages).
- ``time of incident`` (subject: "local time" or "UTC"): minute precision, widened for "around",
  "shortly after", "just before"; "the quake struck at 06:15 GMT", "around 10:45 p.m.".
- ``location``: offshore / inland polarity, or distance and bearing from a named place (compared only
  from the same place, bearings more than 45 degrees apart conflict); "struck off the coast",
  "55 km west of Bireun".
- ``magnitude``: interval of ±0.15; "a magnitude-6.1 earthquake" (not when the lead tells of a series).
- ``population`` (subject: the place): interval of ±10 %; "home to 4.5 million people".
- ``<state> since`` (subject: the place or thing): time at year or month precision; "under government
  control since May 2014", "has been closed since 2015".
- ``damaged:<thing>``, ``target``, ``weapon``, ``vehicle``: descriptive, kept for the best values and never
  alerted on (tallies of damage vary by area and hour; an attack can have several targets and weapons).

Counts are intervals: "at least N" = [N, ∞), "more than N" = [N+1, ∞), "nearly N" = [0.85·N, N],
"up to N" = [0, N], "about N" = N ± 5 %, "dozens" = [24, ∞) (vague: never a side of a contradiction),
"a senior officer and at least 31 others" = [32, ∞), "none" = [0, 0].

Every claim carries ``attributed_to`` (the subject of a governing "said"/"told"/"reported"/"put",
or "according to X"), ``hedge`` ("reportedly", "believed to", "some reports say", ...), ``scope``
and ``quote`` with character offsets into ``doc.text`` (the sentence, or the clause when a sentence
holds several claims). ``scope`` is ``other`` for figures about other incidents: an earlier year or
month, "last week", "a similar attack", another place than the lead's (when no lead place is in the
clause), a war's or campaign's total, the wider riots/violence, "another 13 killed" by another actor,
an indefinite "a/an <incident>" introduced after the lead, "Label: N killed" lists of past incidents.
Embedded clauses that do not hold the figure are left out of these checks. Hypotheticals ("could
die"), questions ("how many"), subsets ("four of whom"), breakdowns ("41 at one mosque and seven at
the other") and ages ("the driver, 42,") are no claims.
"""

from __future__ import annotations

from spacy.tokens import Doc

from agents.core import aliases
from agents.core.facts.consistency import (
    SINGLE_FACTS,
    dated_background,
    first_statements,
    headline_end,
    one_per_value,
)
from agents.core.facts.counts import count_claims
from agents.core.facts.descriptors import charges, colours, ship_types, weapons_and_targets
from agents.core.facts.doc import LEAD_SENTENCES, doc_sents, doc_text
from agents.core.facts.entities import entity_claims
from agents.core.facts.evidence import Ctx
from agents.core.facts.measures import dimensions, magnitude, population
from agents.core.facts.money import sums
from agents.core.facts.names import name_claims, people
from agents.core.facts.numbers import count_value, parse_number
from agents.core.facts.places import places
from agents.core.facts.quantities import open_counts
from agents.core.facts.responsibility import perpetrators, responsibility, salient_group, swap
from agents.core.facts.scope import list_lines, main_places
from agents.core.facts.times import clock_times, incident_day, state_since
from agents.core.lexicon import CAPTIVES_RE, SERIES_RE
from schemas import ArticleRef, Claim

__all__ = ["claims_from_doc", "count_value", "parse_number"]


def claims_from_doc(doc: Doc, ref: ArticleRef) -> list[Claim]:
    """Extract claims from a parsed article whose text is ``doc_text(doc)``."""
    year = ref.published_at.year if ref.published_at else None
    ctx = Ctx(
        doc=doc,
        ref=ref,
        main_places=main_places(doc),
        year=year,
        learned=aliases.learn(doc_text(doc)),
        list_lines=list_lines(doc_text(doc)),
    )
    sents = doc_sents(doc)
    lead = sents[:LEAD_SENTENCES]
    ctx.lead_end_token = lead[-1].end if lead else 0
    ctx.series = bool(SERIES_RE.search(doc_text(doc)[: lead[-1].end_char])) if lead else False
    ctx.captives = bool(CAPTIVES_RE.search(doc_text(doc)))
    count_claims(ctx)
    open_counts(ctx)
    name_claims(ctx)
    entity_claims(ctx)
    prev_groups: list[str] = []
    for sent in doc_sents(doc):
        responsibility(ctx, sent, prev_groups)
        perpetrators(ctx, sent)
        swap(ctx, sent)
        clock_times(ctx, sent)
        incident_day(ctx, sent)
        places(ctx, sent)
        magnitude(ctx, sent)
        dimensions(ctx, sent)
        sums(ctx, sent)
        people(ctx, sent)
        colours(ctx, sent)
        ship_types(ctx, sent)
        charges(ctx, sent)
        state_since(ctx, sent)
        population(ctx, sent)
        weapons_and_targets(ctx, sent)
        main = salient_group(sent)
        if main is not None:
            prev_groups.append(main)
    seen: set[str] = set()
    out: list[Claim] = []
    keys = ctx.open_slots | SINGLE_FACTS
    title_end = headline_end(doc_text(doc))
    for c in dated_background(first_statements(one_per_value(ctx.claims, keys, title_end), keys)):
        if c.id not in seen:
            seen.add(c.id)
            out.append(c)
    return out

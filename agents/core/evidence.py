"""What makes an incident itself: where, who and when, compared between an article and an event (issue 21).

Each side (an article, or an event's card) is a :class:`Side`: the weights of its places, resolved
up a containment hierarchy (:mod:`agents.core.places`); of its actors (people, organisations,
groups, ships); the days its articles' leads name; and the weekday names they use. :func:`compare`
gives a :class:`Verdict` per aspect: ``agree``, ``conflict`` or ``unknown``. Shared generic words
(killed, police, fire, quake) make the content score; a clear conflict of place, of actors or of
named days vetoes it (:mod:`agents.core.matching`).

Overlaps are histogram intersections of the two sides' normalised weights, so a place that one
side names in passing (a background mention of an earlier quake elsewhere) adds little.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping
from datetime import datetime

from agents.core import gazetteer
from agents.core.places import ancestors

PLACE_CONFLICT = 0.12
"""Below this overlap of places under country level (both sides naming some), the places conflict."""
COUNTRY_CONFLICT = 0.2
"""Below this overlap of countries (both sides placing themselves in one), the countries conflict."""
PLACE_AGREE = 0.3
BELOW_SHARE = 0.2
"""Share of a side's place weight under country level for it to have a main place there (:func:`_clear_place`)."""
NAMED_SHARE = 0.25
"""A place this prominent on one side, named by the other side at all, relates the two (not apart)."""
ACTOR_CONFLICT = 0.06
"""Below this overlap of actors (both sides with a main actor), the actors conflict."""
ACTOR_AGREE = 0.2
MAIN_ACTOR_WEIGHT = 2.5
"""An article's actor of at least this weight (named about three times, or in the title) is a main actor."""
MAIN_ACTOR_SHARE = 0.3
"""An event's actor holding this share of an article's weight per article is a main actor."""
POOLED_MAIN_SHARE = 0.15
"""An event's actor holding this share of its articles' actors per article is one of its main actors (two
boxers, a suspect and a victim: several hold it)."""
LEADING_SHARE = 0.5
"""A main actor named at least this share as much as a side's most named one leads it (two boxers)."""
LEAD_MARGIN = 1.5
"""A side's most named actor leads it when named this many times as much as the next."""
MINOR_SHARE = 0.15
"""A side's leading actor holding less than this share of the other side's actors is only in passing there."""
ABSENT_SHARE = 0.04
"""An actor holding less than this share of a side's actors (counting last words) is absent from it."""
LAST_WORD_SHARE = 0.5
"""Share of an actor's weight credited to its last word (a surname, "winston")."""
FOCUS = 0.5
"""A side whose first country holds this share of its countries is placed in one country."""
REGION_MASS = 0.2
MINOR_REGION = 0.4
"""A region holding less than this share of a side's regions is a passing mention there (an earlier quake)."""
"""Share of a side's places under country level that must resolve into regions for regions to conflict."""
DAY_SLACK = 1.0
"""Days this close agree (time zones, "overnight")."""
WEEKDAY_SHARE = 0.3
"""A weekday holding this share of the other side's weekday names agrees with it."""
ESTABLISHED_WEEKDAY = 5.0
"""Weight of an event's first weekday past which it is settled (the first weekday of two articles: 3 + 2)."""
STRONG_ACTORS = 0.45
"""Actor overlap past which a conflict of days does not veto (it lowers the score)."""
NAMED_WEEKDAY = 3
"""Weight that a side's most named day adds to its weekday (as much as a weekday named first)."""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WHEN_PENALTY = 0.5
"""The score's share kept when the days conflict but place and actors agree."""
UP_SHARE = 0.7
"""Share of a place's weight that also counts for the places it lies in."""


@dataclasses.dataclass(frozen=True)
class Side:
    """One side of a comparison."""

    places: Mapping[str, float]
    parents: Mapping[str, str]
    actors: Mapping[str, float]
    days: Counter[datetime]
    weekdays: Counter[str]
    loose_years: bool = False
    """Its named days got their year from no real date (an undated article): compare month and day only."""
    articles: int = 1
    """How many articles it stands for."""
    ships: frozenset[str] = frozenset()
    """The ships it names: a ship is an incident's identity (two navy actions, two ferry fires)."""
    pooled: bool = False
    """Its weights are sums of its articles' shares (an event's card), not one article's raw weights."""


@dataclasses.dataclass(frozen=True)
class Verdict:
    """Where, who and when: ``agree``, ``conflict`` or ``unknown`` each, with the overlaps behind them."""

    place: str
    """``agree``, ``conflict`` (resolved to different countries or regions), ``apart`` (different names
    that no hierarchy relates) or ``unknown``. Either of the two vetoes unless the actors agree."""
    actors: str
    when: str
    place_overlap: float | None = None
    country_overlap: float | None = None
    actor_overlap: float | None = None

    @property
    def vetoed(self) -> str | None:
        """The aspect whose conflict rules the match out, if any: a conflict of place (or places apart)
        stands unless the actors agree; of actors, unless place and day agree; of days, unless place and
        actors agree clearly (then it only lowers the score, :data:`WHEN_PENALTY`). Sharing the day
        alone rescues nothing: on a busy day every incident shares it."""
        if self.place == "conflict" and self.actors != "agree":
            return "place"
        if self.place == "apart" and self.actors != "agree":
            return "place"
        if self.actors == "conflict" and not (self.place == "agree" and self.when == "agree"):
            return "actors"
        if self.when == "conflict" and not (self.place == "agree" and self.same_actors):
            return "when"
        return None

    @property
    def same_actors(self) -> bool:
        """The actors agree clearly (most of their weight shared)."""
        return self.actors == "agree" and (self.actor_overlap or 0.0) >= STRONG_ACTORS

    @property
    def agreeing(self) -> int:
        """How many aspects agree."""
        return sum(getattr(self, n) == "agree" for n in ("place", "actors", "when"))

    def text(self) -> str:
        """A short reading: "place agree 0.62 (country 1.00), actors unknown, when conflict"."""

        def f(x: float | None) -> str:
            return "" if x is None else f" {x:.2f}"

        return (
            f"place {self.place}{f(self.place_overlap)} (country{f(self.country_overlap) or ' -'}), "
            f"actors {self.actors}{f(self.actor_overlap)}, when {self.when}"
        )


def _norm(d: Mapping[str, float]) -> dict[str, float]:
    total = sum(d.values())
    return {k: v / total for k, v in d.items()} if total > 0 else {}


def _overlap(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    return min(1.0, sum(min(x, b.get(k, 0.0)) for k, x in a.items()))


@dataclasses.dataclass(frozen=True)
class Geography:
    """A side's places resolved up the hierarchy (one walk up per place)."""

    countries: dict[str, float]
    """Normalised weights of the countries its places lie in."""
    below: dict[str, float]
    """Places under country level, normalised; a place's weight also counts, in part, for the places it
    lies in ("bener meriah" for "aceh")."""
    regions: dict[str, dict[str, float]]
    """Per country, the weights of the first-level places under it that its places resolve to
    ("bener meriah" -> "aceh" -> "indonesia": "aceh")."""
    below_mass: float
    """Total weight of its places under country level."""
    mass: float = 0.0
    """Total weight of all its places."""


def geography(places: Mapping[str, float], parents: Mapping[str, str]) -> Geography:
    """Resolve a side's places (see :class:`Geography`); seas and continents count for no place below a country."""
    countries: dict[str, float] = {}
    below: dict[str, float] = {}
    regions: dict[str, dict[str, float]] = {}
    direct = 0.0
    for p, w in places.items():
        chain = [p, *ancestors(p, parents)]
        top = next((i for i, a in enumerate(chain) if gazetteer.is_country(a)), None)
        if top is not None:
            countries[chain[top]] = countries.get(chain[top], 0.0) + w
        if top == 0 or gazetteer.is_macro(p):
            continue
        direct += w
        share = w
        for a in chain[:top]:
            below[a] = below.get(a, 0.0) + share
            share *= UP_SHARE
        if top is not None:
            per = regions.setdefault(chain[top], {})
            per[chain[top - 1]] = per.get(chain[top - 1], 0.0) + w
    below_n = {k: v / direct for k, v in below.items()} if direct > 0 else {}
    return Geography(_norm(countries), below_n, regions, direct, sum(places.values()))


def _focused(d: Mapping[str, float]) -> bool:
    return bool(d) and max(d.values()) >= FOCUS


def _region_conflict(ga: Geography, gb: Geography) -> bool:
    """Both sides resolve most of their places into one shared country, to different regions of it."""
    for c in set(ga.regions) & set(gb.regions):
        ra, rb = ga.regions[c], gb.regions[c]
        if not (
            ga.below_mass
            and gb.below_mass
            and sum(ra.values()) >= REGION_MASS * ga.below_mass
            and sum(rb.values()) >= REGION_MASS * gb.below_mass
        ):
            continue
        na, nb = _norm(ra), _norm(rb)
        if _overlap(na, nb) < PLACE_CONFLICT:
            return True
        ta, tb = _top_key(na), _top_key(nb)  # each side's main region is absent, or minor, in the other
        if ta != tb and na.get(tb, 0.0) < MINOR_REGION and nb.get(ta, 0.0) < MINOR_REGION:
            return True
    return False


def _place(a: Side, b: Side) -> tuple[str, float | None, float | None]:
    parents = {**b.parents, **a.parents} if b.parents else a.parents
    ga, gb = geography(a.places, parents), geography(b.places, parents)
    ca, pa, cb, pb = ga.countries, ga.below, gb.countries, gb.below
    country_ov = _overlap(ca, cb) if ca and cb else None
    place_ov = _overlap(pa, pb) if pa and pb else None
    if country_ov is not None and country_ov < COUNTRY_CONFLICT and _focused(ca) and _focused(cb):
        return "conflict", place_ov, country_ov
    if (place_ov or 0.0) >= PLACE_AGREE:
        return "agree", place_ov, country_ov
    if _region_conflict(ga, gb):
        return "conflict", place_ov, country_ov
    if (
        place_ov is not None
        and place_ov < PLACE_CONFLICT
        and _clear_place(ga, a)
        and _clear_place(gb, b)
        and not _named_by_other(pa, pb)
    ):
        return "apart", place_ov, country_ov  # names that no hierarchy relates: weaker than a conflict
    if place_ov is None and (country_ov or 0.0) >= 0.5:
        return "agree", place_ov, country_ov
    return "unknown", place_ov, country_ov


def _clear_place(g: Geography, side: Side) -> bool:
    """Whether a side has a main place under country level: one holding ``FOCUS`` of those places, which
    themselves hold ``BELOW_SHARE`` of all its places (a passing town, or a name tagged as a place in
    error, is no main place of an article about countries)."""
    below = g.below
    return (
        bool(below)
        and max(below.values()) >= FOCUS * (1.0 if side.articles <= 1 else 0.6)
        and g.below_mass >= BELOW_SHARE * g.mass
    )


def _named_by_other(pa: Mapping[str, float], pb: Mapping[str, float]) -> bool:
    """A place holding ``NAMED_SHARE`` of one side's places under country level is named by the other too:
    the two sets of names are related (a town both name), not apart."""
    return any(w >= NAMED_SHARE and k in pb for k, w in pa.items()) or any(
        w >= NAMED_SHARE and k in pa for k, w in pb.items()
    )


def _expanded(actors: Mapping[str, float]) -> dict[str, float]:
    """Actor weights, each also credited in part to its last word ("harry winston" to "winston")."""
    out: dict[str, float] = {}
    for k, w in _norm(actors).items():
        out[k] = out.get(k, 0.0) + w
        words = k.split()
        if len(words) > 1:
            out[words[-1]] = out.get(words[-1], 0.0) + w * LAST_WORD_SHARE
    return out


def _actors(a: Side, b: Side) -> tuple[str, float | None]:
    if not a.actors or not b.actors:
        return "unknown", None
    ea, eb = _expanded(a.actors), _expanded(b.actors)
    ov = _overlap(ea, eb)
    if a.ships and b.ships and not a.ships & b.ships:
        return "conflict", ov  # each names its ships, none shared
    if _main_actor(a) and _main_actor(b) and _top_key(a.actors) not in eb and _top_key(b.actors) not in ea:
        return "conflict", ov  # each side's main actor (a ship, a suspect, a group) is absent from the other
    if _missing_main(a, eb) and _missing_main(b, ea) and _shared_main(a, b, ea, eb):
        return "conflict", ov  # a shared champion or team, each side with its own opponent, victim or suspect
    if ov >= ACTOR_AGREE and _swapped(a, b, ea, eb):
        return "conflict", ov  # much in common, but each side about its own player, naming the other's in passing
    if ov >= ACTOR_AGREE:
        return "agree", ov
    return ("conflict" if ov < ACTOR_CONFLICT and _main_actor(a) and _main_actor(b) else "unknown"), ov


def _mains(side: Side) -> list[str]:
    """A side's main actors: named repeatedly or in the title (an article), or by a good share of its articles
    (an event)."""
    top = max(side.actors.values(), default=0.0)
    need = MAIN_ACTOR_WEIGHT if not side.pooled else POOLED_MAIN_SHARE * side.articles
    return [k for k, w in side.actors.items() if w >= need and w >= LEADING_SHARE * top]


def _missing_main(side: Side, other: Mapping[str, float], single: bool = False) -> bool:
    """Whether a main actor of ``side`` is absent from the other side's expanded actors: a name nobody listed
    is still evidence, since the people at the centre of one incident are named by every report of it. An
    event of one article has no weights to tell its main actors by (unless ``single``: a merge, stricter)."""
    if side.pooled and side.articles < 2 and not single:
        return False
    return any(other.get(k, 0.0) < ABSENT_SHARE for k in _mains(side))


def _shared_main(a: Side, b: Side, ea: Mapping[str, float], eb: Mapping[str, float]) -> bool:
    """Whether the two sides share a main actor (a champion, a team, a company), by its name or its last word."""
    ma, mb = _mains(a), _mains(b)
    return any(k in mb or (k in eb and any(k in _expanded({m: 1.0}) for m in mb)) for k in ma) or any(
        k in ma or (k in ea and any(k in _expanded({m: 1.0}) for m in ma)) for k in mb
    )


def _lead(side: Side) -> str | None:
    """A side's leading actor: a main actor named clearly more than any other (``LEAD_MARGIN``)."""
    ranked = sorted(side.actors.items(), key=lambda x: (-x[1], x[0]))
    if not ranked or ranked[0][0] not in _mains(side):
        return None
    if len(ranked) > 1 and ranked[0][1] < LEAD_MARGIN * ranked[1][1]:
        return None
    return ranked[0][0]


def _swapped(a: Side, b: Side, ea: Mapping[str, float], eb: Mapping[str, float]) -> bool:
    """Each side led by its own actor, which the other names only in passing (under ``MINOR_SHARE``): two
    players of one team placed on injured reserve, two deaths of one circle."""
    la, lb = _lead(a), _lead(b)
    if la is None or lb is None or la == lb:
        return False
    return eb.get(la, 0.0) < MINOR_SHARE and ea.get(lb, 0.0) < MINOR_SHARE


def distinct_mains(a: Side, b: Side) -> bool:
    """Two sides that share a main actor and each have a main actor the other does not name (one champion, two
    opponents): two incidents, even where one side stands for a single article."""
    if not a.actors or not b.actors:
        return False
    ea, eb = _expanded(a.actors), _expanded(b.actors)
    return _missing_main(a, eb, True) and _missing_main(b, ea, True) and _shared_main(a, b, ea, eb)


def _top_key(d: Mapping[str, float]) -> str:
    return max(d.items(), key=lambda x: (x[1], x[0]))[0]


def _main_actor(side: Side) -> bool:
    """Whether a side has a clear main actor: named repeatedly (an article), or by several of its articles
    (an event)."""
    top = max(side.actors.values())
    if side.articles <= 1:
        return top >= MAIN_ACTOR_WEIGHT
    return top >= MAIN_ACTOR_SHARE * side.articles


def _gap(x: datetime, y: datetime, loose: bool) -> float:
    d = abs((x - y).total_seconds()) / 86400.0
    if loose:  # the year is a guess: the distance of month and day, around the year
        d = d % 365.2425
        d = min(d, 365.2425 - d)
    return d


def _top(days: Counter[datetime]) -> list[datetime]:
    if not days:
        return []
    most = max(days.values())
    return [d for d, c in days.items() if c == most]


def _near(d: datetime, others: Counter[datetime] | list[datetime], loose: bool) -> bool:
    return any(_gap(d, o, loose) <= DAY_SLACK for o in others)


def _strong(days: Counter[datetime]) -> bool:
    return max(days.values()) >= 2


def _named(a: Side, b: Side) -> str:
    """Days named outright: ``agree`` when the most named are within a day (one named twice), ``conflict`` when
    no day of
    either side is near the other's most named and both name their days more than once."""
    if not a.days or not b.days:
        return "unknown"
    loose = a.loose_years or b.loose_years
    ta, tb = _top(a.days), _top(b.days)
    if any(_near(d, tb, loose) for d in ta) or any(_near(d, ta, loose) for d in tb):
        return "agree" if _strong(a.days) or _strong(b.days) else "unknown"  # two passing mentions: no evidence
    apart = not any(_near(d, b.days, loose) for d in ta) and not any(_near(d, a.days, loose) for d in tb)
    return "conflict" if apart and _strong(a.days) and _strong(b.days) else "unknown"


def _weekday(a: Side, b: Side) -> str:
    """Weekday names, which need no date: ``agree`` when the most used is shared, ``conflict`` when
    neither side uses the other's and the event's is used by more than one of its articles."""
    wda, wdb = _weekdays(a), _weekdays(b)
    if not wda or not wdb:
        return "unknown"
    (wa, na), (wb, nb) = wda.most_common(1)[0], wdb.most_common(1)[0]
    if wa == wb or wdb[wa] >= WEEKDAY_SHARE * sum(wdb.values()):
        return "agree"
    settled = max(na, nb) >= ESTABLISHED_WEEKDAY
    return "conflict" if wa not in wdb and wb not in wda and settled else "unknown"


def _weekdays(side: Side) -> Counter[str]:
    """A side's weekday names, with the weekday of the day it names most (with a real year, named more than
    once or named with that weekday) counted too: "Thursday, March 14, 2013" settles Thursday."""
    out: Counter[str] = Counter(dict(side.weekdays))
    if side.days and not side.loose_years:
        for d in _top(side.days)[:1]:
            name = WEEKDAYS[d.weekday()]
            if _strong(side.days) or name in side.weekdays:  # named twice, or once and its weekday too
                out[name] += NAMED_WEEKDAY
    return out


def _when(a: Side, b: Side) -> str:
    found = {_named(a, b), _weekday(a, b)} - {"unknown"}
    return found.pop() if len(found) == 1 else "unknown"


def compare(a: Side, b: Side) -> Verdict:
    """Where, who and when of two sides."""
    place, place_ov, country_ov = _place(a, b)
    actors, actor_ov = _actors(a, b)
    return Verdict(
        place=place,
        actors=actors,
        when=_when(a, b),
        place_overlap=place_ov,
        country_overlap=country_ov,
        actor_overlap=actor_ov,
    )

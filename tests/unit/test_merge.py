"""The state merge: contradictions with sides, kinds, versions, idempotence, best values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agents.core.merge import merge
from schemas import ArticleRef, Claim, CountValue, EventFeatures, Extracted, PolarityValue

T0 = datetime(2020, 6, 10, 8, 0, tzinfo=UTC)


def count(
    aid: str, source: str, low: float, high: float | None, label: str, when: datetime, scope: str = "main"
) -> Claim:
    return Claim(
        id=f"{aid}-{label}",
        article_id=aid,
        source=source,
        slot="killed",
        value=label,
        typed=CountValue(low=low, high=high),
        quote=f"{label} killed",
        scope=scope,
        published_at=when,
    )


def article(
    aid: str, source: str, claims: list[Claim], when: datetime, url: str | None = None, content: str = "v1"
) -> Extracted:
    ref = ArticleRef(id=aid, source=source, url=url, published_at=when, content_hash=content)
    return Extracted(article=ref, features=EventFeatures(title="t"), claims=claims)


def test_conflict_with_two_sides_and_compatible_values_left_out() -> None:
    s, ch = merge(None, "e1", article("a", "A", [count("a", "A", 32, 32, "32", T0)], T0), T0)
    assert ch == []
    s, ch = merge(s, "e1", article("b", "B", [count("b", "B", 32, None, "at least 32", T0)], T0), T0)
    assert ch == []
    s, ch = merge(s, "e1", article("c", "C", [count("c", "C", 42, 42, "42", T0)], T0), T0)
    assert [(c.slot, tag, c.kind) for c, tag in ch] == [("killed", "new", "conflict")]
    sides = sorted(side.value for side in s.contradictions[0].sides)
    assert sides == ["32", "42"]
    s, ch = merge(s, "e1", article("d", "D", [count("d", "D", 41, None, "more than 40", T0)], T0), T0)
    assert [tag for _, tag in ch] == ["new_side"]
    assert len(s.contradictions) == 1 and len(s.contradictions[0].sides) == 2


def test_evolving_count_needs_later_report() -> None:
    later = T0 + timedelta(hours=8)
    s, _ = merge(None, "e1", article("a", "A", [count("a", "A", 5, None, "at least 5", T0)], T0), T0)
    s, ch = merge(s, "e1", article("b", "B", [count("b", "B", 7, 7, "7", later)], later), later)
    assert [c.kind for c, _ in ch] == ["evolving"]
    # the same two reports at the same time are compatible (at least 5 admits 7)
    s2, _ = merge(None, "e2", article("a", "A", [count("a", "A", 5, None, "at least 5", T0)], T0), T0)
    s2, ch2 = merge(s2, "e2", article("b", "B", [count("b", "B", 7, 7, "7", T0)], T0), T0)
    assert ch2 == [] and s2.contradictions == []


def test_other_scope_never_compared() -> None:
    s, _ = merge(None, "e1", article("a", "A", [count("a", "A", 32, 32, "32", T0)], T0), T0)
    s, ch = merge(s, "e1", article("b", "B", [count("b", "B", 64, 64, "64", T0, scope="other")], T0), T0)
    assert ch == [] and s.contradictions == []


def test_idempotent_and_versions_replace() -> None:
    x = article("a", "A", [count("a", "A", 3, 3, "3", T0)], T0, url="http://x/1")
    s, _ = merge(None, "e1", x, T0)
    again, ch = merge(s, "e1", x, T0 + timedelta(minutes=1))
    assert ch == [] and again == s
    v2 = article("a2", "A", [count("a2", "A", 5, 5, "5", T0)], T0, url="http://x/1", content="v2")
    s, ch = merge(s, "e1", v2, T0 + timedelta(hours=1))
    assert ch == [] and s.contradictions == []
    assert [c.value for c in s.claims] == ["5"]
    assert s.history[-1].change == "version"


def test_polarity_conflict_and_best_values() -> None:
    def resp(aid: str, positive: bool) -> Claim:
        return Claim(
            id=f"{aid}-r",
            article_id=aid,
            source=aid.upper(),
            slot="responsibility",
            subject="red hand",
            value="claimed" if positive else "not claimed",
            typed=PolarityValue(positive=positive),
            quote="q",
            published_at=T0,
        )

    s, _ = merge(None, "e1", article("a", "A", [resp("a", True), count("a", "A", 3, 3, "3", T0)], T0), T0)
    s, _ = merge(s, "e1", article("b", "B", [count("b", "B", 3, 3, "3", T0)], T0), T0)
    s, ch = merge(s, "e1", article("c", "C", [resp("c", False)], T0), T0)
    assert [(c.slot, c.subject) for c, _ in ch] == [("responsibility", "red hand")]
    best = {b.slot: b for b in s.best}
    assert best["killed"].value == "3" and best["killed"].sources == ["A", "B"]


def test_no_group_claimed_meets_every_group() -> None:
    def resp(aid: str, subject: str, positive: bool, when: datetime) -> Claim:
        return Claim(
            id=f"{aid}-r",
            article_id=aid,
            source=aid.upper(),
            slot="responsibility",
            subject=subject,
            value="claimed" if positive else "not claimed",
            typed=PolarityValue(positive=positive),
            quote="q",
            published_at=when,
        )

    s, _ = merge(None, "e1", article("a", "A", [resp("a", "*", False, T0)], T0), T0)
    later = T0 + timedelta(days=2)
    s, ch = merge(s, "e1", article("b", "B", [resp("b", "red hand", True, later)], later), later)
    assert [(c.slot, c.subject) for c, _ in ch] == [("responsibility", "red hand")]


def test_merge_events_unites_claims_and_is_idempotent() -> None:
    from agents.core.merge import merge_events

    later = T0 + timedelta(hours=1)
    keep, _ = merge(None, "e1", article("a", "A", [count("a", "A", 32, 32, "32", T0)], T0), T0)
    gone, _ = merge(None, "e2", article("b", "B", [count("b", "B", 40, 40, "40", T0)], T0), T0)
    gone, ch = merge(gone, "e2", article("c", "C", [count("c", "C", 42, 42, "42", T0)], T0), T0)
    assert [tag for _, tag in ch] == ["new"]
    s, ch = merge_events(keep, "e1", gone, later, "z")
    assert [a.id for a in s.articles] == ["a", "b", "c"]
    assert {c.id for c in s.claims} == {c.id for c in keep.claims + gone.claims}
    assert s.history[-1].change == "merged" and s.history[-1].merged_from == "e2"
    assert s.history[-1].article_id == "z" and s.history[-1].seq == 2 and s.history[-1].claims_added == 2
    assert len(s.contradictions) == 1 and s.contradictions[0].id != gone.contradictions[0].id
    con = s.contradictions[0]
    assert [c.id for c, _ in ch] == [con.id] and ch[0][1] == "new"  # named by the survivor
    assert sorted(side.value for side in con.sides) == ["32", "40", "42"]
    # the absorbed event found it first: its detection is kept
    assert (con.detected_at, con.detected_by_article) == (T0, "c")
    again, ch2 = merge_events(s, "e1", gone, later + timedelta(hours=1), "z2")
    assert again == s and ch2 == []
    # no state yet for the survivor: the absorbed event's whole content, under the survivor's id
    fresh, _ = merge_events(None, "e9", gone, later, "z")
    assert fresh.id == "e9" and [a.id for a in fresh.articles] == ["b", "c"]
    assert [h.change for h in fresh.history] == ["merged"]


def test_incremental_merge_finds_what_a_merge_of_everything_finds() -> None:
    """Per article, only the touched slots are found anew: the result equals finding everything again."""
    import random

    from agents.core.contradictions import best_values, contradictions_of

    for seed in range(40):
        rnd = random.Random(seed)
        s = None
        for i in range(12):
            aid, src = f"a{rnd.randrange(8)}", f"S{rnd.randrange(4)}"
            when = T0 + timedelta(hours=rnd.randrange(4))
            claims: list[Claim] = []
            for j in range(rnd.randrange(4)):
                slot = rnd.choice(["killed", "injured", "responsibility"])
                if slot == "responsibility":
                    claims.append(
                        Claim(
                            id=f"{aid}-{i}-{j}",
                            article_id=aid,
                            source=src,
                            slot=slot,
                            value="r",
                            typed=PolarityValue(positive=rnd.random() < 0.5),
                            subject=rnd.choice(["isis", "*", "pkk"]),
                            quote="q",
                            published_at=when,
                        )
                    )
                else:
                    low = rnd.choice([3, 5, 7])
                    claims.append(
                        Claim(
                            id=f"{aid}-{i}-{j}",
                            article_id=aid,
                            source=src,
                            slot=slot,
                            value=str(low),
                            typed=CountValue(low=low, high=rnd.choice([low, None]), approx=rnd.random() < 0.2),
                            quote="q",
                            published_at=when,
                        )
                    )
            x = article(aid, src, claims, when, url=rnd.choice([None, f"http://{src}/{aid}"]), content=f"v{i}")
            s, _ = merge(s, "e1", x, when)
            anew, _ = contradictions_of("e1", s.contradictions, s.claims, when, aid, set())
            assert s.contradictions == anew, seed
            assert s.best == best_values(s.claims), seed


def test_tension_in_linear_time_is_the_pairwise_rule() -> None:
    import random

    from agents.core.compare import compatible
    from agents.core.contradictions import evolves, tension

    rnd = random.Random(3)
    for _ in range(400):

        def group(low: float, high: float | None) -> list[Claim]:
            return [
                Claim(
                    id=f"c{k}",
                    article_id="a",
                    source="s",
                    slot="killed",
                    value="v",
                    typed=CountValue(low=low, high=high, approx=rnd.random() < 0.3),
                    quote="q",
                    published_at=rnd.choice([None, T0, T0 + timedelta(hours=1), T0 + timedelta(hours=2)]),
                )
                for k in range(rnd.randrange(1, 4))
            ]

        g = group(rnd.choice([3, 5]), rnd.choice([None, 5]))
        h = group(rnd.choice([4, 5, 7]), rnd.choice([None, 7]))
        pairwise = not compatible(g[0].typed, h[0].typed) or any(evolves(a, b) for a in g for b in h)
        assert tension(g, h) == pairwise

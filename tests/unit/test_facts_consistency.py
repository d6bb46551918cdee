"""One statement per fact per article; kinds and severities of the open facts' contradictions."""

from __future__ import annotations

from datetime import UTC, datetime

from agents.core.facts.consistency import first_statements, headline_end, one_per_value
from agents.core.merge import merge
from agents.core.severity import at_least, severity_of
from schemas import ArticleRef, CategoryValue, Claim, CountValue, EventFeatures, Extracted

T0 = datetime(2020, 6, 10, 8, 0, tzinfo=UTC)


def _claim(
    aid: str, slot: str, value: str, typed: CountValue | CategoryValue, start: int, subject: str | None = None
) -> Claim:
    return Claim(
        id=f"{aid}-{slot}-{start}",
        article_id=aid,
        source=aid.upper(),
        slot=slot,
        value=value,
        typed=typed,
        quote=value,
        start=start,
        end=start + len(value),
        subject=subject,
        published_at=T0,
    )


def test_a_later_statement_that_contradicts_the_first_is_set_apart() -> None:
    first = _claim("a", "depth", "2.7 miles", CountValue(low=4.3, high=4.4), 10)
    foreshock = _claim("a", "depth", "1.4 miles", CountValue(low=2.2, high=2.3), 300)
    again = _claim("a", "depth", "4.4 km", CountValue(low=4.35, high=4.45), 500)
    out = first_statements([foreshock, again, first], {"depth"})
    assert [(c.value, c.scope) for c in out] == [("1.4 miles", "other"), ("4.4 km", "main"), ("2.7 miles", "main")]


def test_a_headline_gives_way_to_the_text_that_states_the_same() -> None:
    text = "Quake of 5.1 shakes valley\n\nA magnitude 5.1 quake shook the valley."
    end = headline_end(text)
    assert text[:end] == "Quake of 5.1 shakes valley"
    head = _claim("a", "magnitude", "5.1", CountValue(low=5.05, high=5.15), 9)
    body = _claim("a", "magnitude", "5.1", CountValue(low=5.05, high=5.15), 40)
    assert one_per_value([head, body], {"magnitude"}, end) == [body]


def _article(aid: str, claims: list[Claim]) -> Extracted:
    return Extracted(
        article=ArticleRef(id=aid, source=aid.upper(), published_at=T0, content_hash="h"),
        features=EventFeatures(title="t"),
        claims=claims,
    )


def test_two_spellings_of_one_name_are_a_spelling_finding_of_low_severity() -> None:
    a = _claim(
        "a",
        "name of vessel",
        "Seawhistler",
        CategoryValue(label="Seawhistler", canonical="seawhistler", rule="name"),
        5,
    )
    b = _claim(
        "b", "name of vessel", "Seawhistle", CategoryValue(label="Seawhistle", canonical="seawhistle", rule="name"), 5
    )
    s, _ = merge(None, "e1", _article("a", [a]), T0)
    s, changes = merge(s, "e1", _article("b", [b]), T0)
    (con,) = s.contradictions
    assert con.kind == "spelling" and con.severity == "low"
    assert [c.kind for c, _ in changes] == ["spelling"]


def test_severity_of_what_a_disagreement_is_about() -> None:
    assert severity_of("killed", None, "conflict") == "high"
    assert severity_of("day of incident", None, "conflict") == "high"
    assert severity_of("ak47 (seized)", None, "conflict") == "medium"
    assert severity_of("colour of car", None, "conflict") == "low"
    assert severity_of("name", "a. b.", "spelling") == "low"
    assert at_least("medium", "medium") and not at_least("low", "medium") and at_least(None, "high")


def test_a_dated_background_figure_is_compared_with_reports_of_that_incident() -> None:
    from agents.core.facts.consistency import dated_background

    a = _claim("a", "killed", "3", CountValue(low=3, high=3), 5).model_copy(
        update={"scope": "other", "quote": "In March 2011, a quake there killed 3 people."}
    )
    b = _claim("b", "killed", "5", CountValue(low=5, high=5), 5).model_copy(
        update={"scope": "other", "quote": "the March 2011 quake killed 5"}
    )
    c = _claim("c", "killed", "9", CountValue(low=9, high=9), 5).model_copy(
        update={"scope": "other", "quote": "a quake in 1999 killed 9"}
    )
    a, b, c = dated_background([a, b, c])
    assert a.subject == b.subject == "other: mar 2011" and c.subject is None
    s, _ = merge(None, "e1", _article("a", [a]), T0)
    s, _ = merge(s, "e1", _article("b", [b]), T0)
    s, _ = merge(s, "e1", _article("c", [c]), T0)
    (con,) = s.contradictions
    assert con.subject == "other: mar 2011" and con.severity == "low"

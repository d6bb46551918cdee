"""The alert filter of SSE and webhooks: severity and independent origins (invented alerts)."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import Alert, Contradiction, ContradictionSide
from schemas.subscription import AlertFilter

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)


def alert(sides: list[ContradictionSide], severity: str | None = "high") -> Alert:
    con = Contradiction(
        id="x1", slot="killed", severity=severity, detected_at=T0, detected_by_article="a3", sides=sides
    )
    return Alert(id="al-1", event_id="ev-1", created_at=T0, article_id="a3", contradiction=con)


ONE_WIRE = [
    ContradictionSide(
        value="12",
        claim_ids=["c1", "c2"],
        sources=["Marlby Post", "Valley Courier"],
        origins=1,
        by_origin={"AP": ["Marlby Post", "Valley Courier"]},
    ),
    ContradictionSide(
        value="14", claim_ids=["c3"], sources=["Harbour Gazette"], origins=1, by_origin={"AP": ["Harbour Gazette"]}
    ),
]
TWO_WIRES = [
    ONE_WIRE[0],
    ContradictionSide(
        value="14", claim_ids=["c3"], sources=["Harbour Gazette"], origins=1, by_origin={"Reuters": ["Harbour Gazette"]}
    ),
]


def test_min_origins_counts_copies_of_one_wire_once() -> None:
    assert alert(ONE_WIRE).contradiction.independent_origins() == 1
    assert alert(TWO_WIRES).contradiction.independent_origins() == 2
    assert not AlertFilter(min_origins=2).matches(alert(ONE_WIRE))
    assert AlertFilter(min_origins=2).matches(alert(TWO_WIRES))
    assert AlertFilter(min_origins=1).matches(alert(ONE_WIRE))


def test_sides_without_origins_count_their_outlets() -> None:
    sides = [
        ContradictionSide(value="12", claim_ids=["c1"], sources=["Marlby Post"]),
        ContradictionSide(value="14", claim_ids=["c2"], sources=["Harbour Gazette"]),
    ]
    assert AlertFilter(min_origins=2).matches(alert(sides))


def test_severity_is_a_minimum_and_absent_counts_as_high() -> None:
    assert AlertFilter(severity="medium").matches(alert(TWO_WIRES, "high"))
    assert AlertFilter(severity="medium").matches(alert(TWO_WIRES, "medium"))
    assert not AlertFilter(severity="medium").matches(alert(TWO_WIRES, "low"))
    assert AlertFilter(severity="high").matches(alert(TWO_WIRES, None))

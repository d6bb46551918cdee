"""Terminal output: alert lines name attributions; event tables keep whole quotes, wrapped, most severe first."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from schemas import Alert, Claim, Contradiction, ContradictionSide, CountValue, EventState
from streams.render import alert_line, print_events

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
LONG = (
    "The provincial governor, speaking to reporters outside the hospital late on Saturday evening after "
    "visiting the wounded, said that 32 people had been killed in the twin blasts"
)


def claim(cid: str, value: str, who: str, quote: str, slot: str = "killed") -> Claim:
    return Claim(
        id=cid,
        article_id="a-" + cid,
        source="Marlby Post",
        slot=slot,
        value=value,
        typed=CountValue(low=float(value), high=float(value)),
        quote=quote,
        attributed_to=who,
        published_at=T0,
    )


def contradiction(slot: str, severity: str, a: Claim, b: Claim) -> Contradiction:
    return Contradiction(
        id="x-" + slot,
        slot=slot,
        severity=severity,
        detected_at=T0,
        detected_by_article="a2",
        sides=[
            ContradictionSide(
                value=a.value, claim_ids=[a.id], sources=[a.source], claims=[a], origins=1, by_origin={"AP": [a.source]}
            ),
            ContradictionSide(
                value=b.value,
                claim_ids=[b.id],
                sources=[b.source],
                claims=[b],
                origins=1,
                by_origin={"Reuters": [b.source]},
            ),
        ],
    )


def test_alert_line_names_who_said_each_value() -> None:
    a, b = claim("c1", "32", "the governor", LONG), claim("c2", "42", "SOHR", "SOHR said 42 were killed")
    line = alert_line(
        Alert(
            id="al",
            event_id="ev-1",
            created_at=T0,
            article_id="a2",
            contradiction=contradiction("killed", "high", a, b),
        )
    )
    assert "32 (Marlby Post, per the governor) vs 42 (Marlby Post, per SOHR)" in line


def test_event_table_wraps_whole_quotes_and_puts_severe_first() -> None:
    a, b = claim("c1", "32", "the governor", LONG), claim("c2", "42", "SOHR", "SOHR said 42 were killed")
    c, d = claim("c3", "3", "", "three cars", "car (burn)"), claim("c4", "5", "", "five cars", "car (burn)")
    state = EventState(
        id="ev-1",
        title="Twin blasts in Marlby",
        updated_at=T0,
        claims=[a, b, c, d],
        contradictions=[contradiction("car (burn)", "medium", c, d), contradiction("killed", "high", a, b)],
    )
    out = io.StringIO()
    print_events(Console(file=out, width=80, color_system=None), [state])
    text = " ".join(out.getvalue().replace("│", " ").split())
    assert "32 people had been killed in the twin blasts" in text, "the whole quote, wrapped"
    assert text.index("killed") < text.index("car (burn)"), "high severity first"
    wide = io.StringIO()
    print_events(Console(file=wide, width=200, color_system=None), [state])
    assert "1 outlet, 1 origin (AP)" in wide.getvalue()

"""Terminal output: alert lines name attributions; event tables keep whole quotes, wrapped, most severe first;
piped output is plain lines; a date without a time stays a date."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime

import pytest
from rich.console import Console

from agents.core.extract import reference
from schemas import Alert, Article, Claim, Contradiction, ContradictionSide, CountValue, EventState
from streams.cli.common import show_events
from streams.render import alert_line, plain_events, print_events

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


def test_plain_layout_for_a_pipe_keeps_each_quote_whole_on_one_line() -> None:
    """Piped output (a file, a CI log): no table cut to 80 columns, each report one line with its whole quote."""
    a, b = claim("c1", "32", "the governor", LONG), claim("c2", "42", "SOHR", "SOHR said 42 were killed")
    state = EventState(
        id="ev-1",
        title="Twin blasts in Marlby",
        updated_at=T0,
        claims=[a, b],
        contradictions=[contradiction("killed", "high", a, b)],
    )
    text = plain_events([state, EventState(id="ev-2", title="A quiet day", updated_at=T0)])
    lines = text.splitlines()
    assert f"    Marlby Post (per the governor), 2026-03-01 12:00: “{LONG}”" in lines, "the whole quote on one line"
    assert "  32  (1 outlet, 1 origin (AP))" in lines
    assert "killed: conflict, high" in lines
    assert "== A quiet day" in lines and "  no contradictions" in lines
    assert not any(ch in text for ch in "│┃━─"), "no table rules"
    assert "\x1b" not in text, "no colour codes"


def test_a_date_without_a_time_is_shown_as_a_date() -> None:
    """published_at "2017-02-25" reads as that date, not "2017-02-25 00:00"; a time the source gave is kept."""
    day = Article.model_validate({"source": "Euronews", "body": "text", "published_at": "2017-02-25"})
    timed = Article.model_validate({"source": "BBC", "body": "text", "published_at": "2017-02-25T00:00:00Z"})
    assert day.published_date_only and not timed.published_date_only
    assert day.model_dump(mode="json")["published_at"] == "2017-02-25", "re-published, it stays a date"
    assert Article.model_validate(day.model_dump(mode="json")).published_date_only
    refs = [reference(art, "text", T0) for art in (day, timed)]
    assert refs[0].published_date_only and not refs[1].published_date_only
    claims = [
        claim("c1", "32", "", "32 were killed").model_copy(
            update={"article_id": refs[0].id, "published_at": day.published_at}
        ),
        claim("c2", "42", "", "42 were killed").model_copy(
            update={"article_id": refs[1].id, "published_at": timed.published_at, "source": "BBC"}
        ),
    ]
    state = EventState(
        id="ev-1",
        updated_at=T0,
        articles=refs,
        claims=claims,
        contradictions=[contradiction("killed", "high", *claims)],
    )
    plain = plain_events([state])
    assert "Marlby Post, 2017-02-25: “32 were killed”" in plain
    assert "BBC, 2017-02-25 00:00: “42 were killed”" in plain
    wide = io.StringIO()
    print_events(Console(file=wide, width=200, color_system=None), [state])
    assert "2017-02-25: “32 were killed”" in wide.getvalue()
    assert "2017-02-25 00:00: “42 were killed”" in wide.getvalue()


def test_the_cli_prints_a_table_on_a_terminal_and_plain_lines_into_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = claim("c1", "32", "the governor", LONG), claim("c2", "42", "SOHR", "SOHR said 42 were killed")
    state = EventState(id="ev-1", updated_at=T0, claims=[a, b], contradictions=[contradiction("killed", "high", a, b)])

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    monkeypatch.setattr(sys, "stdout", terminal)
    show_events([state])
    monkeypatch.setattr(sys, "stdout", pipe)
    show_events([state])
    assert "┃" in terminal.getvalue(), "a table on a terminal"
    assert pipe.getvalue() == plain_events([state]), "plain lines into a pipe or file"

"""CLI readers skip a malformed record with a warning instead of crashing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from schemas import Alert, Contradiction
from streams.cli import valid_alerts


def _alert() -> Alert:
    con = Contradiction.model_validate(
        {
            "id": "c1",
            "slot": "people killed",
            "kind": "conflict",
            "sides": [],
            "detected_at": "2026-01-01T00:00:00Z",
            "detected_by_article": "a1",
        }
    )
    return Alert(
        id="al-1", event_id="ev-1", created_at=datetime(2026, 1, 1, tzinfo=UTC), article_id="a1", contradiction=con
    )


def test_malformed_alert_records_are_skipped_with_a_warning(capsys: pytest.CaptureFixture[str]) -> None:
    good = _alert().model_dump_json().encode()
    got = list(valid_alerts([b"not json", good, b'{"id": 3}', b"\\xff\\xfe", good]))
    assert [a.id for a in got] == ["al-1", "al-1"]
    warned = capsys.readouterr().err
    assert warned.count("skipped malformed record") == 3
    assert "#1" in warned and "#3" in warned and "#4" in warned

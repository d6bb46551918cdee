"""Articles that name no outlet: a source the user recognises ("unknown (story.txt)"), a warning that says
how to name it, and never an independent origin (sides, alert filters, copies, the readable output)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agents.core.origin import fingerprint, origin_of
from schemas import Alert, Contradiction, ContradictionSide
from schemas.article import source_unknown
from schemas.subscription import AlertFilter
from streams.files import read_articles, unnamed_warning
from streams.offline import run
from streams.render import support
from tests.conftest import SEEDS

T0 = datetime(2026, 3, 1, 12, tzinfo=UTC)
STORY = (
    "Flood waters rose through the night in the river town of Marlby, forcing hundreds of families onto "
    "rooftops as rescue boats worked in the dark. Officials said at least 14 people had died and dozens were "
    "missing. The mayor, speaking at a school turned shelter, said the levee had given way shortly after midnight."
)


def test_a_text_file_without_a_source_is_labelled_by_its_file_name_and_warned_about(tmp_path: Path) -> None:
    (tmp_path / "story.txt").write_text("Floods in Marlby leave families on rooftops\n\n" + STORY, encoding="utf-8")
    (tmp_path / "named.txt").write_text("Source: Marlby Post\nFloods in Marlby, four words\n\n" + STORY)
    records = list(read_articles([tmp_path]))
    assert sorted(r["source"] for r in records if isinstance(r, dict)) == ["Marlby Post", "unknown (story.txt)"]
    assert all(source_unknown(s) for s in ("unknown", "Unknown", "unknown (story.txt)"))
    assert not any(source_unknown(s) for s in ("Marlby Post", "Unknown Worlds Weekly", "unknownnews.com"))
    warning = unnamed_warning(records, option=True)
    assert warning is not None and "unknown (story.txt)" in warning
    assert (
        "--source NAME" in warning and "`Source: NAME`" in warning and "never count as an independent origin" in warning
    )
    assert unnamed_warning(list(read_articles([tmp_path], source="Given")), option=True) is None


def test_an_unknown_source_is_never_an_origin_of_a_known_outlet_that_copies_it() -> None:
    original, copy = fingerprint("Floods\n\n" + STORY), fingerprint("Marlby floods\n\n" + STORY)
    assert origin_of("Marlby Post", None, [("a1", "unknown (story.txt)", original)], copy) == ("Marlby Post", "a1")
    assert origin_of("unknown (b.txt)", None, [("a1", "unknown (a.txt)", original)], copy) == ("unknown (a.txt)", "a1")


def test_alert_filters_do_not_count_an_unknown_source_as_an_independent_origin() -> None:
    con = Contradiction(
        id="x",
        slot="killed",
        detected_at=T0,
        detected_by_article="a2",
        sides=[
            ContradictionSide(
                value="14",
                claim_ids=["c1"],
                sources=["Coastal Herald"],
                by_origin={"Coastal Herald": ["Coastal Herald"]},
            ),
            ContradictionSide(value="20", claim_ids=["c2"], sources=["unknown (story.txt)"], origins=0, by_origin={}),
        ],
    )
    assert con.independent_origins() == 1
    old = con.model_copy(update={"sides": [s.model_copy(update={"by_origin": None}) for s in con.sides]})
    assert old.independent_origins() == 1, "nor where sides carry no origins (state written before origins)"
    alert = Alert(id="al", event_id="ev-1", created_at=T0, article_id="a2", contradiction=con)
    assert AlertFilter(min_origins=1).matches(alert) and not AlertFilter(min_origins=2).matches(alert)
    assert support(con.sides[1]) == "1 outlet, no known origin"


def test_a_story_published_without_a_source_counts_as_no_origin_in_the_event(tmp_path: Path) -> None:
    """Al Jazeera's report (a known outlet) and the BBC's text as `story.txt` with no source: one event, the
    BBC text is listed as "unknown (story.txt)", sits on sides as a source, and is no side's origin."""
    seeds = [json.loads(line) for line in SEEDS.read_text(encoding="utf-8").splitlines()]
    bbc, aljazeera = seeds[1], seeds[2]
    (tmp_path / "known.jsonl").write_text(json.dumps(aljazeera) + "\n", encoding="utf-8")
    (tmp_path / "story.txt").write_text(f"{bbc['title']}\n\n{bbc['body']}", encoding="utf-8")
    events: list[dict[str, Any]] = asyncio.run(run([tmp_path]))["events"]  # type: ignore[assignment]
    (event,) = events
    assert sorted(a["source"] for a in event["articles"]) == ["Al Jazeera", "unknown (story.txt)"]
    sides = [s for c in event["contradictions"] for s in c["sides"]]
    assert any("unknown (story.txt)" in s["sources"] for s in sides), "it still takes part as an outlet"
    for s in sides:
        assert not any(source_unknown(o) for o in s["by_origin"]), s
        assert s["origins"] == len(s["by_origin"])
    assert all(not any(source_unknown(o) for o in b["by_origin"]) for b in event["best"])

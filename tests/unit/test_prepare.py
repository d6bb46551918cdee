"""The worker's share of extraction (text and fingerprint) gives the messages the NLP process gives alone."""

from __future__ import annotations

from datetime import UTC, datetime

from agents.core.extract import analyse, prepare
from agents.core.nlp import get_nlp
from agents.core.origin import fingerprint
from agents.core.text import article_text
from schemas import Article

ARTICLES = [
    Article(
        id="p1",
        source="Harbour Gazette",
        title="Ferry fire off Marlby",
        body="MARLBY (AP) - A fire broke out on a ferry off Marlby on Tuesday, killing 3 people, police said.\n\n"
        "Share this article\n\nAbout 40 passengers were rescued by fishing boats, the coast guard said.",
        published_at=datetime(2026, 3, 3, 9, tzinfo=UTC),
    ),
    Article(id="p2", source="Valley Courier", body="Two people were hurt when a bus hit a wall in Halden."),
]


def test_prepare_is_the_normalised_text_and_its_fingerprint() -> None:
    p = prepare(ARTICLES[0])
    assert p.text == article_text(ARTICLES[0].title, ARTICLES[0].body)
    assert "Share this article" not in p.text
    assert p.fingerprint == fingerprint(p.text)


def test_analyse_with_prepared_gives_the_same_messages() -> None:
    nlp = get_nlp()
    at = datetime(2026, 3, 3, 10, tzinfo=UTC)
    items = [(a, at) for a in ARTICLES]
    alone = [x.model_dump_json() for x in analyse(nlp, items)]
    given = [x.model_dump_json() for x in analyse(nlp, items, prepared=[prepare(a) for a in ARTICLES])]
    assert given == alone

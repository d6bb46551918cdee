"""Event features of one article: dates, entities, places, incident types (issue 4)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import spacy
from spacy.language import Language

from agents.core.features import choose_title, features_from_doc, headline_like
from agents.core.nlp import MODEL
from agents.core.text import article_text
from agents.core.when import article_date, mentioned_dates, url_date
from schemas import ArticleRef

ARRIVAL = datetime(2026, 11, 21, 6, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def nlp() -> Language:
    # Features need only the base model's entities, lemmas and tags.
    return spacy.load(MODEL)


def _ref(**kw: object) -> ArticleRef:
    return ArticleRef(id="a1", source="Test", **kw)


def test_date_prefers_published() -> None:
    pub = datetime(2017, 2, 25, 14, 0, tzinfo=UTC)
    assert article_date("Homs, 3 March 2016", _ref(published_at=pub), ARRIVAL) == (pub, "published")


def test_date_from_url_then_text_then_arrival() -> None:
    url = "https://www.theguardian.com/world/2017/feb/25/dozens-killed-homs"
    assert url_date(url) == datetime(2017, 2, 25, tzinfo=UTC)
    assert url_date("http://usa.chinadaily.com.cn/world/2017-10/03/content_1.htm") == datetime(2017, 10, 3, tzinfo=UTC)
    assert url_date("https://www.rt.com/usa/405409-isis-vegas/") is None
    assert article_date("body", _ref(url=url), ARRIVAL) == (datetime(2017, 2, 25, tzinfo=UTC), "url")
    text = "Quake strikes Aceh\n\nAFP, Tuesday 2 Jul 2013 A strong quake struck on Tuesday."
    assert article_date(text, _ref(), ARRIVAL) == (datetime(2013, 7, 2, tzinfo=UTC), "text")
    assert article_date("A bomb exploded on Friday.", _ref(), ARRIVAL) == (ARRIVAL, "arrival")


def test_date_in_text_that_names_a_url() -> None:
    text = "You can find it at https://www.theguardian.com/world/2017/feb/25/homs-attack and more."
    assert article_date(text, _ref(), ARRIVAL) == (datetime(2017, 2, 25, tzinfo=UTC), "url")


def test_weekdays_resolve_against_the_publication_date() -> None:
    pub = datetime(2017, 2, 27, 9, 0, tzinfo=UTC)  # a Monday
    days = mentioned_dates("Saturday's bombings in Homs killed dozens.", pub, resolve_weekdays=True)
    assert days == [datetime(2017, 2, 25, tzinfo=UTC)]
    assert mentioned_dates("Saturday's bombings.", pub, resolve_weekdays=False) == []


def test_month_days_and_holidays_take_the_nearest_past_year() -> None:
    pub = datetime(2016, 1, 22, tzinfo=UTC)
    days = mentioned_dates("Assaults on New Year's Eve; police met on Jan. 5.", pub, resolve_weekdays=False)
    assert set(days) == {datetime(2015, 12, 31, tzinfo=UTC), datetime(2016, 1, 5, tzinfo=UTC)}
    pub = datetime(2016, 8, 5, tzinfo=UTC)
    assert mentioned_dates("the attack on July 14", pub, False) == [datetime(2016, 7, 14, tzinfo=UTC)]


def test_features_of_a_short_article(nlp: Language) -> None:
    title = "Suicide bombers attack security offices in Homs"
    body = (
        "Gunmen and suicide bombers attacked two security offices in Homs, Syria, on Saturday, killing "
        "at least 32 people. Tahrir al-Sham said it carried out the attacks. Bashar al-Jaafari, the UN "
        "ambassador, spoke in Geneva."
    )
    text = article_text(title, body)
    pub = datetime(2017, 2, 25, 18, 0, tzinfo=UTC)
    f = features_from_doc(nlp(text), _ref(title=title, published_at=pub), ARRIVAL)
    assert "homs" in f.places and "syria" in f.places
    assert "bombing" in f.incident
    assert f.date == pub and f.date_source == "published"
    assert datetime(2017, 2, 25, tzinfo=UTC) in f.mentioned_dates
    assert f.title == title
    assert any(k.startswith("e:") for k in f.weights) and "p:homs" in f.weights
    assert len(f.entities) <= 15 and len(f.keywords) <= 25


def test_features_without_title_or_date(nlp: Language) -> None:
    text = "A bomb exploded Friday at a bank in Woodburn, Oregon, killing a police officer."
    f = features_from_doc(nlp(text), _ref(), ARRIVAL)
    assert f.date == ARRIVAL and f.date_source == "arrival"
    assert f.mentioned_dates == []  # weekdays are not resolved against an arrival time
    assert f.title.startswith("A bomb exploded")
    assert "woodburn" in f.places


PAGE = (
    "clear\n\nCreating new perspectives since 2009\n\n3 dead as Syria regime launches assault on Homs, Hama\n\n"
    "April 16, 2018 at 2:18 pm\n\nSmoke rises after air strikes in eastern Ghouta."
)


def test_title_skips_page_furniture() -> None:
    for junk in ("clear", "Share this articleComments", "By Euronews", "April 16, 2018 at 2:18 pm", "12:30", ""):
        assert not headline_like(junk), junk
    assert headline_like("Syria: Twin attacks on Homs security bases kill dozens")
    # the first line naming the article's main places wins over a slogan
    headline = "3 dead as Syria regime launches assault on Homs, Hama"
    assert choose_title(None, PAGE, ["assad", "syria", "homs"]) == headline
    # without names, the first headline-like line
    assert choose_title(None, PAGE, []) == "Creating new perspectives since 2009"
    # the article's own title when it is one; a junk one is passed over
    assert choose_title("Regime assault on Homs", PAGE, ["homs"]) == "Regime assault on Homs"
    assert choose_title("clear", "clear\n\n" + PAGE, ["homs"]).startswith("3 dead as Syria")
    # nothing headline-like: the first line, as before
    assert choose_title(None, "Homs\n\nx", []) == "Homs"
    assert len(choose_title(None, "word " * 29 + "x" * 300, [])) == 160


def test_features_title_of_a_page_starting_with_junk(nlp: Language) -> None:
    f = features_from_doc(nlp(PAGE), _ref(published_at=datetime(2018, 4, 16, tzinfo=UTC)), ARRIVAL)
    assert f.title == "3 dead as Syria regime launches assault on Homs, Hama"

"""People read from the whole text, their ages, and their names resolved across an event (invented sentences)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from spacy.language import Language

from agents.core.compare import name_spelling
from agents.core.contradictions import ambiguous_keys, find_contradictions
from agents.core.entity_groups import name_entities
from agents.core.labels import label_of
from agents.core.nlp import get_nlp
from schemas import CategoryValue, Claim, CountValue
from tests.facts import UNDATED, claims


@pytest.fixture(scope="module")
def nlp() -> Language:
    return get_nlp()


def _people(nlp: Language, text: str, title: str | None = None) -> list[str]:
    return [c.value for c in claims(nlp, text, title, ref=UNDATED) if c.slot == "name"]


def _ages(nlp: Language, text: str) -> list[tuple[str | None, str]]:
    return [(c.subject, c.value) for c in claims(nlp, text, ref=UNDATED) if c.slot == "age" and c.scope == "main"]


@pytest.mark.parametrize(
    ("text", "who", "age"),
    [
        ("Marta Quellhorst, 54, was pulled from the river by a passer-by.", "Marta Quellhorst", "54"),
        ("Rescuers reached 54-year-old Marta Quellhorst before dawn.", "Marta Quellhorst", "54"),
        ("Fifty-four-year-old Marta Quellhorst was pulled from the river.", "Marta Quellhorst", "54"),
        ("The kayaker, Marta Ilse Quellhorst, 54, of Dunmere, was rescued.", "Marta Quellhorst", "54"),
        ("Officer Jack R. Tellman, 44, reached her first.", "Jack Tellman", "44"),
        (
            "A 54-year-old German, Marta Quellhorst, was rescued. Quellhorst, 54, is recovering.",
            "Marta Quellhorst",
            "54",
        ),
    ],
)
def test_an_age_before_or_after_a_name_is_that_person_s(nlp: Language, text: str, who: str, age: str) -> None:
    assert (who, age) in _ages(nlp, text)


def test_a_surname_alone_with_an_age_is_the_person_named_in_full(nlp: Language) -> None:
    text = "Officer Dmitri Kallas led the search. Hours later, Kallas, 39, found the boat."
    assert _ages(nlp, text) == [("Dmitri Kallas", "39")]


def test_ages_of_unnamed_people_are_no_person_s_age(nlp: Language) -> None:
    assert _ages(nlp, "A 54-year-old kayaker was pulled from the river by a passer-by.") == []


@pytest.mark.parametrize(
    "text",
    [
        "Police Inspector Halvard Rusk said the road would stay closed.",
        "The road will stay closed, Halvard Rusk told reporters.",
        "Halvard Rusk, 61, runs the ferry.",
        "The ferryman's name is Halvard Rusk and he has worked there for years.",
    ],
)
def test_a_person_is_named_when_the_text_says_so(nlp: Language, text: str) -> None:
    assert "Halvard Rusk" in _people(nlp, text)


@pytest.mark.parametrize(
    "text",
    [
        "North Korean state media said nothing about the launch on Monday.",
        "The Tar Heels won again, and the Tony Awards went ahead as planned.",
        "Japan Self-Defense Forces took part in the drill, officials said.",
    ],
)
def test_words_that_are_no_person_are_no_name(nlp: Language, text: str) -> None:
    assert _people(nlp, text) == []


def test_a_headline_in_title_case_names_no_one(nlp: Language) -> None:
    got = _people(nlp, "The actress entered the clinic on Monday, her lawyer said.", "Brenda Lorne Checks Into Clinic")
    assert got == []


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("duncan fairlie", "duncan fairley"),
        ("ilse wolfe", "ilse wolff"),
        ("anthony marcato", "anthony lamarcato"),
        ("latonya briggs", "latoya briggs"),
        ("gregor haupmann", "gregor hauptmann"),
    ],
)
def test_two_spellings_of_one_name(a: str, b: str) -> None:
    assert name_spelling(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("mark jones", "mary jones"),
        ("phil sorensen", "philip sorensen"),
        ("paul okafor", "paula okafor"),
        ("charlie kafeel", "charlene kafeel"),
        ("mark vintner", "miles vintner"),
        ("anna lindqvist", "peter lindqvist"),
    ],
)
def test_two_people_or_a_short_form_are_no_spelling(a: str, b: str) -> None:
    assert not name_spelling(a, b)


def _claim(article: str, slot: str, value: str, typed: CategoryValue | CountValue, **kw: object) -> Claim:
    return Claim.model_validate(
        {
            "id": f"{article}-{slot}-{value}-{kw.get('start', 0)}",
            "article_id": article,
            "source": f"Outlet {article}",
            "slot": slot,
            "value": value,
            "typed": typed.model_dump(),
            "quote": value,
            "published_at": datetime(2021, 3, 1, tzinfo=UTC),
            **kw,
        }
    )


def _name(article: str, shown: str) -> Claim:
    return _claim(article, "name", shown, CategoryValue(label=shown, canonical=shown.lower(), rule="name"))


def test_names_of_an_event_resolve_into_one_entity_per_person() -> None:
    names = [
        _name("a", "Duncan Fairlie"),
        _name("b", "Duncan Fairley"),
        _name("c", "Ilse Wolfe"),
        _name("d", "Ilse Wolff"),
        _name("d", "Mark Vintner"),
        _name("e", "Miles Vintner"),
    ]
    ents = name_entities(names)
    assert ents["duncan fairley"] == ents["duncan fairlie"] == "duncan fairlie"
    assert ents["ilse wolff"] == "ilse wolfe"
    assert ents["miles vintner"] != ents["mark vintner"]
    found = find_contradictions("ev", names)
    assert sorted(str(subject) for _slot, subject, _sides in found.values()) == ["duncan fairlie", "ilse wolfe"]


def test_a_key_one_article_states_twice_outside_its_lead_says_nothing() -> None:
    def size(article: str, n: int, start: int) -> Claim:
        return _claim(article, "size of kick", f"{n}-yard", CountValue(low=n, high=n), start=start)

    two_kicks = [size("a", 36, 900), size("a", 45, 1400), size("b", 47, 950)]
    assert ambiguous_keys(two_kicks) == {("size of kick", None)}
    assert find_contradictions("ev", two_kicks) == {}
    # a first value in the lead is the article's report of the incident: the key stays sure
    lead = [size("a", 36, 100), size("a", 45, 1400), size("b", 47, 950)]
    assert ambiguous_keys(lead) == set()
    assert len(find_contradictions("ev", lead)) == 1


@pytest.mark.parametrize(
    ("slot", "subject", "label"),
    [
        ("age", "Marta Quellhorst", "age of Marta Quellhorst"),
        ("name", "Duncan Fairlie", "name of Duncan Fairlie"),
        ("boat (in)", None, "number of boats (in …)"),
        ("rifle (seized)", None, "number of rifles seized"),
        ("other worker (hide (by))", None, "number of other workers that hide"),
        ("pass (caught)", "wayne", "number of passes caught, by Wayne"),
        ("woman (with)", None, "number of women (with …)"),
        ("killed", None, "killed"),
    ],
)
def test_a_fact_is_labelled_in_a_reader_s_words(slot: str, subject: str | None, label: str) -> None:
    assert label_of(slot, subject) == label


@pytest.mark.parametrize(
    "text",
    [
        '"There might have been three people hurt," the driver said.',
        "When one worker is killed, the whole town mourns.",
        "If the dam fails, thousands could die.",
        "One of the passengers confirmed her arrest at the border.",
    ],
)
def test_figures_of_what_could_be_or_of_a_part_are_no_counts(nlp: Language, text: str) -> None:
    got = [c for c in claims(nlp, text, ref=UNDATED) if c.slot in ("killed", "injured", "arrested")]
    assert got == []


def test_an_age_years_later_is_the_same_person_older() -> None:
    def age(article: str, n: int, year: int) -> Claim:
        c = _claim(article, "age", str(n), CountValue(low=n, high=n), subject="Tomas Verhoek")
        return c.model_copy(update={"published_at": datetime(year, 5, 1, tzinfo=UTC)})

    assert find_contradictions("ev", [age("a", 27, 2005), age("b", 29, 2007)]) == {}
    assert len(find_contradictions("ev", [age("a", 27, 2005), age("b", 29, 2005)])) == 1


def test_a_count_no_one_is_named_for_is_no_fact_when_several_people_share_its_key() -> None:
    def carries(article: str, n: int, who: str | None) -> Claim:
        return _claim(article, "carry (in)", f"{n} carry", CountValue(low=n, high=n), subject=who, start=100)

    crowded = [carries("a", 22, "hallam"), carries("b", 147, "ostrow"), carries("c", 83, None), carries("d", 9, None)]
    assert find_contradictions("ev", crowded) == {}
    alone = [carries("c", 83, None), carries("d", 9, None)]
    assert len(find_contradictions("ev", alone)) == 1

"""Articles from plain-text files: ids that do not collide, headlines and outlets from raw scraped text."""

from __future__ import annotations

from pathlib import Path

from streams.files import read_articles, txt_source, txt_title

SCRAPED = (
    "This article is from the source 'harbour-gazette' and was first published or seen on 2020-06-10.\n"
    "Ferry fire forces evacuation of 200 passengers\n"
    "A fire broke out on a ferry near the port on Tuesday, and 200 passengers were taken ashore.\n"
)


def test_two_files_of_one_name_in_two_folders_are_two_articles(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "story.txt").write_text(SCRAPED, encoding="utf-8")
    got = [a for a in read_articles([tmp_path]) if isinstance(a, dict)]
    assert len(got) == 2 and got[0]["id"] != got[1]["id"] and all(g["id"].startswith("story-") for g in got)
    again = [a for a in read_articles([tmp_path / "a" / "story.txt"]) if isinstance(a, dict)]
    assert again[0]["id"] == got[0]["id"]  # the same file again: a new version of one article


def test_headline_and_outlet_from_scraped_text() -> None:
    assert txt_title(SCRAPED) == "Ferry fire forces evacuation of 200 passengers"
    assert txt_source(SCRAPED) == "harbour-gazette"
    assert txt_source("Read more at https://www.example-news.com/world/1 about the fire.") == "example-news.com"
    assert txt_source("No outlet here.") is None
    embedded = "Watch: https://t.co/Kjw5apEZWKpic.twitter.com/Xu9UGJq7S9 and https://www.youtube.com/watch?v=1"
    assert txt_source(embedded) is None, "a shortened link or a social post is not the outlet"
    assert txt_source(embedded + " Read more at https://www.example-news.com/world/1") == "example-news.com"


def test_a_given_source_wins(tmp_path: Path) -> None:
    f = tmp_path / "x.txt"
    f.write_text(SCRAPED, encoding="utf-8")
    (art,) = read_articles([f], source="Given Outlet")
    assert isinstance(art, dict) and art["source"] == "Given Outlet"

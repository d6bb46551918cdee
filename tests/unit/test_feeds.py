"""Feed parsing and page reduction on local RSS, Atom and HTML files (no network)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.feeds import Feed, content_hash, html_to_text, page_text, parse_feed, read_feeds_file

DATA = Path(__file__).resolve().parent.parent / "data" / "feeds"


def test_rss_items_with_absolute_links_dates_and_text_summaries() -> None:
    title, items = parse_feed((DATA / "world.rss").read_bytes(), "http://127.0.0.1:8123/world.rss")
    assert title == "Northern Ledger - World"
    assert [i.url for i in items] == [
        "http://127.0.0.1:8123/news/homs-bombings.html",
        "http://127.0.0.1:8123/news/ferry.html",
    ]
    assert items[0].published_at == datetime(2017, 2, 25, 12, 30, tzinfo=UTC)
    assert items[0].summary == "Suicide bombers attacked two security offices in Homs on Saturday."
    assert "&" in items[1].summary and "&amp;" not in items[1].summary


def test_atom_entries() -> None:
    title, items = parse_feed((DATA / "world.atom").read_bytes(), "http://127.0.0.1:8123/world.atom")
    assert title == "Harbour Post"
    assert len(items) == 1
    assert items[0].url == "http://127.0.0.1:8123/news/homs-toll.html"
    assert items[0].title == "Homs attacks: death toll rises to 42, monitor says"
    assert items[0].published_at == datetime(2017, 2, 25, 14, 45, tzinfo=UTC)


def test_not_a_feed_is_an_error() -> None:
    with pytest.raises(ValueError, match="not a feed"):
        parse_feed(b"<html><body>hello</body></html>")


def test_page_reduced_to_the_article_text() -> None:
    title, text = page_text((DATA / "homs-bombings.html").read_text(), "http://127.0.0.1/news/homs-bombings.html")
    assert title == "Twin bombings hit security offices in Homs"
    assert text is not None
    assert "killing at least 32 people, Syrian state TV said." in text
    for chrome in ("cookies", "Most read", "All rights reserved", "Sport"):
        assert chrome not in text


def test_empty_page_gives_no_text() -> None:
    assert page_text("<html><body></body></html>")[1] is None


def test_html_to_text() -> None:
    assert html_to_text("<p>A &amp; <b>B</b></p><script>x()</script>") == "A & B"


def test_content_hash_ignores_whitespace_only() -> None:
    assert content_hash("S", "T", "a  b\nc") == content_hash("S", "T", "a b c")
    assert content_hash("S", "T", "a b c") != content_hash("S", "T", "a b d")


def test_feeds_file(tmp_path: Path) -> None:
    f = tmp_path / "feeds.txt"
    f.write_text("# my feeds\nhttp://127.0.0.1/world.rss Northern Ledger\n\nhttps://x.test/a.atom\n")
    assert read_feeds_file(f) == [
        Feed("http://127.0.0.1/world.rss", "Northern Ledger"),
        Feed("https://x.test/a.atom", None),
    ]
    f.write_text("ftp://nope\n")
    with pytest.raises(ValueError, match="1: not an http"):
        read_feeds_file(f)


def test_a_page_reads_the_same_every_time() -> None:
    """A page's text does not depend on what the process read before (a re-poll gives the same content)."""
    html = (DATA / "homs-bombings.html").read_text()
    first = page_text(html, "http://127.0.0.1/news/homs-bombings.html")
    assert first[1] is not None
    assert all(page_text(html, "http://127.0.0.1/news/homs-bombings.html") == first for _ in range(4))

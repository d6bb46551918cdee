"""Text normalisation: Unicode, whitespace, HTML and boilerplate lines."""

from __future__ import annotations

from agents.core.text import article_text, normalise


def test_unicode_quotes_dashes_and_spaces() -> None:
    assert normalise("\u201cHe\u2019s here\u201d \u2013 at\u00a0least\u2009five") == '"He\'s here" - at least five'


def test_blank_lines_collapse() -> None:
    assert normalise("a\n\n\n\nb\r\nc") == "a\n\nb\nc"


def test_html_reduced_to_text() -> None:
    out = normalise("<p>One &amp; two</p><script>var x=1;</script><div>three<br>four</div>")
    assert "One & two" in out and "var x" not in out and "three\nfour" in out


def test_boilerplate_lines_dropped() -> None:
    body = "\n".join(
        [
            "A bus overturned on a mountain road on Monday, killing nine people.",
            "Share this article",
            "ADVERTISEMENT",
            "Image copyright",
            "Image caption",
            "Rescuers at the scene of the crash",
            "Media captionFootage from the road",
            "Read: Earlier crash on the same road",
            "READ MORE: Another story",
            "Look at this pic.twitter.com/abc123",
            "- Some Person (@someone) 3 May 2020",
            "Police said the driver survived.",
            "You might also like",
            "A headline about something else",
            "Another unrelated headline",
        ]
    )
    out = article_text("Bus crash kills nine", body)
    assert out.startswith("Bus crash kills nine\n\nA bus overturned")
    for gone in (
        "Share this",
        "ADVERTISEMENT",
        "Image",
        "Rescuers at the scene",
        "Footage",
        "Read:",
        "READ MORE",
        "pic.twitter",
        "@someone",
        "You might also like",
        "unrelated headline",
    ):
        assert gone not in out, gone
    assert "Police said the driver survived." in out


def test_repeated_title_and_paragraph_dropped() -> None:
    para = "The storm brought down power lines across the whole northern coast on Friday."
    out = article_text("Storm hits coast", f"Storm hits coast\n\n{para}\n\n{para}")
    assert out.count(para) == 1
    assert out.count("Storm hits coast") == 1

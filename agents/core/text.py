"""Text normalisation done before any extraction.

The normalised text is what claim offsets and quotes refer to: ``title + "\\n\\n" + body``.

Rules, in order:

1. **HTML to text**: when the body carries markup, ``<script>``/``<style>``/``<noscript>``/``<template>``
   blocks are dropped, block tags (``p``, ``div``, ``br``, ``li``, headings, ...) become line breaks,
   other tags are removed and entities are unescaped.
2. **Unicode**: NFKC; curly single and double quotes become ``'`` and ``"``; en and em dashes,
   minus signs and non-breaking hyphens become ``-``; zero-width characters are removed;
   non-breaking and other Unicode spaces become a plain space; ``\\r\\n`` and ``\\r`` become ``\\n``.
3. **Whitespace**: runs of spaces collapse to one; lines are stripped; at most one blank line in a row.
4. **Boilerplate lines** are dropped from the body (whole lines only, never parts of sentences):
   share and comment bars ("Share this article", "Read or Share this story: ..."), advertisement
   markers ("ADVERTISEMENT", "Advertisement Continue reading the main story"), video-embed prompts,
   image and media captions ("Image copyright", "Image caption" and the caption line after it,
   "Media caption..."), link lines ("Read: ...", "READ MORE: ...", "Related: ...", "See also: ..."),
   "You might also like" / "Related articles" / "More from ..." and the link titles listed after them
   (lines without closing punctuation), video-player text ("JUST WATCHED", "MUST WATCH", "Replay More
   Videos"), embedded Instagram posts ("A post shared by ..."), embedded tweets (lines with
   ``pic.twitter.com`` or ``t.co/`` links and their "— Name (@handle) date" signature line), and a body
   line repeating the title or an earlier line word for word (pages that print the headline or a
   paragraph twice).
"""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")
_TAG = re.compile(r"<[^>]+>")
_DROP_OPEN = re.compile(r"<(script|style|noscript|template)\b", re.I)
_DROP_CLOSE = {name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript", "template")}
_BLOCK_TAG = re.compile(
    r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|header|footer)\b[^>]*>", re.I
)
_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u2033": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",
}
_QUOTE_TABLE = str.maketrans(_QUOTES)

_BOILERPLATE = re.compile(
    r"^(?:share (?:this|on|article)\b.*|share$|comments?$|advertisement\b.*|copy/paste the article.*"
    r"|image copyright.*|media caption.*|(?:read|read more|related|see also|more|watch|listen)\s*:.*"
    r"|read or share this story\b.*|click here to\b.*|sign up (?:for|to)\b.*|a post shared by\b.*)$",
    re.I,
)
"""Boilerplate told by how the line starts (one try, at its start)."""
_BOILERPLATE_ANYWHERE = re.compile(
    r"^(?:.*image (?:copyright|caption)|.*\b(?:just watched|must watch|replay more videos)\b.*)$", re.I
)
"""Boilerplate told by words anywhere in the line: tried only on lines that hold them (:data:`_BOILERPLATE_WORDS`),
as ``.*`` backtracks over the whole line."""
_BOILERPLATE_WORDS = re.compile(
    r"(?=[ijmr])(?:image (?:copyright|caption)|just watched|must watch|replay more videos)", re.I
)
_CAPTION_LABEL = re.compile(r"^image caption\s*$", re.I)
_LINK_LIST = re.compile(
    r"^(?:you (?:might|may) also like|related (?:articles|stories|coverage)|more from\b.*"
    r"|most read|recommended(?: for you)?)\s*:?$",
    re.I,
)
_TWEET = re.compile(r"(?=[ph])(?:pic\.twitter\.com/|\bhttps?://t\.co/)", re.I)
_TWEET_SIGNATURE = re.compile(r"^-\s*[^()\n]{0,80}\(@\w+\)\s.{0,40}$")
_SENTENCE_END = re.compile(r"[.!?\"')\]]$")


def _boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line) or (_BOILERPLATE_WORDS.search(line) and _BOILERPLATE_ANYWHERE.match(line)))


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup worth reducing."""
    return bool(re.search(r"<(p|div|br|html|body|span|a|script|article)\b", text, re.I))


def _drop_blocks(text: str) -> str:
    """``<script ...>...</script>`` (and style, noscript, template blocks) replaced by a space, in linear time.

    The same as ``re.sub(r"<(script|style|noscript|template)\\b[^>]*>.*?</\\1\\s*>", " ", text, flags=re.S | re.I)``,
    which rescans to the end of the text for every unclosed tag (quadratic): an opening's ``>`` is the
    first one after it (found once for all the openings before it), and a name that has no closing tag
    after one of its openings has none after any later one.
    """
    out: list[str] = []
    pos = start = 0
    gt = -1  # the first ">" at or after the last opening's name
    dead: set[str] = set()
    while len(dead) < len(_DROP_CLOSE) and (m := _DROP_OPEN.search(text, start)) is not None:
        start = m.end()
        name = m.group(1).lower()
        if name in dead:
            continue
        if gt < m.end():
            gt = text.find(">", m.end())
            if gt < 0:
                break  # no opening tag is ever closed from here on
        close = _DROP_CLOSE[name].search(text, gt + 1)
        if close is None:
            dead.add(name)
            continue
        out.append(text[pos : m.start()])
        out.append(" ")
        pos = start = close.end()
    out.append(text[pos:])
    return "".join(out)


def _sub_tags(pattern: re.Pattern[str], repl: str, text: str) -> str:
    """``pattern.sub(repl, text)`` for a tag pattern (ending in ``>``): only up to the last ``>``, where a tag can
    end, so that a ``<`` with no ``>`` after it is never scanned to the end of the text again (quadratic)."""
    end = text.rfind(">") + 1
    return pattern.sub(repl, text[:end]) + text[end:] if end else text


def html_to_text(text: str) -> str:
    """Reduce HTML to plain text: drop scripts and styles, keep block structure as line breaks."""
    text = _drop_blocks(text)
    text = _sub_tags(_BLOCK_TAG, "\n", text)
    text = _sub_tags(_TAG, "", text)
    return html.unescape(text)


def _unicode_and_spaces(text: str) -> list[str]:
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTE_TABLE)
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [_SPACES.sub(" ", line).strip() for line in text.split("\n")]


def _join(lines: list[str]) -> str:
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def normalise(text: str) -> str:
    """Unicode NFKC, straight quotes and dashes, single spaces, at most one blank line in a row."""
    return _join(_unicode_and_spaces(text))


def strip_boilerplate(lines: list[str], seen: set[str] | None = None) -> list[str]:
    """Drop boilerplate lines (see the module docstring); ``seen`` holds lines already printed."""
    seen = set() if seen is None else seen
    out: list[str] = []
    drop_caption = False
    in_link_list = False
    for line in lines:
        if not line:
            out.append(line)
            continue
        if in_link_list:
            if not _SENTENCE_END.search(line) and len(line) < 160:
                continue
            in_link_list = False
        if drop_caption:
            drop_caption = False
            if not _CAPTION_LABEL.match(line):
                continue
        if _CAPTION_LABEL.match(line):
            drop_caption = True
            continue
        if _LINK_LIST.match(line):
            in_link_list = True
            continue
        if _boilerplate(line) or _TWEET.search(line) or _TWEET_SIGNATURE.match(line):
            continue
        key = line.lower()
        if len(key) > 12 and key in seen:
            continue
        seen.add(key)
        out.append(line)
    return out


def article_text(title: str | None, body: str) -> str:
    """The normalised text of an article: its title, a blank line, its body without boilerplate."""
    title_n = normalise(title) if title else ""
    seen = {title_n.lower()} if title_n else set()
    body_n = _join(strip_boilerplate(_unicode_and_spaces(body), seen))
    return f"{title_n}\n\n{body_n}" if title_n else body_n

"""Text normalisation done before any extraction (documented in the README).

The normalised text is what claim offsets and quotes refer to: ``title + "\\n\\n" + body``.
"""

from __future__ import annotations

import html
import re
import unicodedata

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_BLANK_LINES = re.compile(r"\n\s*\n\s*(\n\s*)+")
_TAG = re.compile(r"<[^>]+>")
_DROP_BLOCK = re.compile(r"<(script|style|noscript|template)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_BLOCK_TAG = re.compile(r"</?(p|div|br|li|ul|ol|h[1-6]|tr|table|section|article|blockquote|header|footer)\b[^>]*>",
                        re.I)
_QUOTES = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-",
}
_QUOTE_TABLE = str.maketrans(_QUOTES)


def looks_like_html(text: str) -> bool:
    """True when the text carries HTML markup worth reducing."""
    return bool(re.search(r"<(p|div|br|html|body|span|a|script|article)\b", text, re.I))


def html_to_text(text: str) -> str:
    """Reduce HTML to plain text: drop scripts and styles, keep block structure as line breaks."""
    text = _DROP_BLOCK.sub(" ", text)
    text = _BLOCK_TAG.sub("\n", text)
    text = _TAG.sub("", text)
    return html.unescape(text)


def normalise(text: str) -> str:
    """Unicode NFKC, straight quotes and dashes, single spaces, at most one blank line in a row."""
    if looks_like_html(text):
        text = html_to_text(text)
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_QUOTE_TABLE)
    text = _ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


def article_text(title: str | None, body: str) -> str:
    """The normalised text of an article: its title, a blank line, its body."""
    body_n = normalise(body)
    title_n = normalise(title) if title else ""
    return f"{title_n}\n\n{body_n}" if title_n else body_n

"""Live feeds: poll RSS and Atom feeds, fetch each item's page, reduce it to text, publish what is new.

A page is published again only when its text changed (same URL, other content hash): the
article keeps its URL, so its id is the same and the pipeline takes it as a new *version*.
What was published is remembered in the store (``page_hash``), so a restart skips it.

The feeds file lists one feed a line: ``URL [source name]``; blank lines and ``#`` comments are
ignored. Without a name, the feed's own title is the source.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import feedparser
import httpx

from agents.ports import StateStore
from streams.api.sink import ArticleSink

log = logging.getLogger("contraflow.feeds")
USER_AGENT = "contraflow-feeds/1 (+https://example.invalid/contraflow)"
MAX_PAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Feed:
    """One line of the feeds file."""

    url: str
    source: str | None = None


@dataclass(frozen=True)
class Item:
    """One entry of a feed."""

    url: str
    title: str | None
    published_at: datetime | None
    summary: str


@dataclass
class PollReport:
    """What one poll did."""

    feeds: int = 0
    items: int = 0
    published: int = 0
    versions: int = 0
    unchanged: int = 0
    failed: int = 0


def read_feeds_file(path: Path) -> list[Feed]:
    """The feeds listed in a file (``URL [source name]`` per line)."""
    feeds = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        url, _, name = line.partition(" ")
        if not re.match(r"^https?://", url):
            raise ValueError(f"{path}:{n}: not an http(s) URL: {url!r}")
        feeds.append(Feed(url=url, source=name.strip() or None))
    return feeds


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        st = entry.get(key)
        if st:
            year, month, day, hour, minute, second = st[:6]
            return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    return None


def parse_feed(content: bytes, base_url: str = "") -> tuple[str | None, list[Item]]:
    """The feed's title and its entries (RSS 0.9x/1.0/2.0 or Atom), links made absolute."""
    parsed = feedparser.parse(content, response_headers={"content-location": base_url} if base_url else None)
    if not parsed.entries and (parsed.bozo or not parsed.get("version")):
        raise ValueError(f"not a feed: {parsed.get('bozo_exception') or 'no RSS or Atom found'}")
    title = parsed.feed.get("title") or None
    items = []
    for e in parsed.entries:
        link = e.get("link")
        if not link:
            continue
        link = str(httpx.URL(base_url).join(link)) if base_url else link
        if not re.match(r"^https?://[^/?#\s]", link, re.IGNORECASE):
            continue  # only http(s) pages are fetched and published: a javascript: link is no article
        items.append(
            Item(
                url=link,
                title=e.get("title") or None,
                published_at=_when(e),
                summary=html_to_text(e.get("summary", "") or ""),
            )
        )
    return title, items


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment (tags dropped, entities decoded, whitespace folded)."""
    import html as htmllib

    text = re.sub(r"(?is)<(script|style)[^>]*>.*?</\1>", " ", html)
    text = re.sub(r"(?s)<[^>]+>", " ", text)
    return " ".join(htmllib.unescape(text).split())


def page_text(html: str, url: str | None = None) -> tuple[str | None, str | None]:
    """The article's title and main text of an HTML page (trafilatura), or ``(None, None)``."""
    import trafilatura

    # no deduplicate: trafilatura's cache of seen text is process-wide, so a page read a second or third time
    # (a re-poll, another worker's feed) came out empty, fell back to its summary and looked like a new version
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, deduplicate=False
    )
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = meta.title if meta is not None and meta.title else None
    return title, (text.strip() if text and text.strip() else None)


def content_hash(source: str, title: str | None, body: str) -> str:
    """What decides whether a page changed."""
    return hashlib.sha256("\x1f".join([source, title or "", " ".join(body.split())]).encode()).hexdigest()[:32]


class FeedPoller:
    """Polls feeds and publishes new or changed pages through a sink."""

    def __init__(self, store: StateStore, sink: ArticleSink, client: httpx.AsyncClient | None = None) -> None:
        self.store = store
        self.sink = sink
        self.client = client or httpx.AsyncClient(
            timeout=20.0, follow_redirects=True, headers={"User-Agent": USER_AGENT}
        )

    async def close(self) -> None:
        await self.client.aclose()

    async def _get(self, url: str) -> httpx.Response:
        resp = await self.client.get(url)
        resp.raise_for_status()
        if len(resp.content) > MAX_PAGE_BYTES:
            raise ValueError(f"{url}: page over {MAX_PAGE_BYTES} bytes")
        return resp

    async def article(self, feed: Feed, feed_title: str | None, item: Item) -> dict[str, Any] | None:
        """The article for one item (its page's text, else the feed's summary), or ``None`` if empty."""
        title, body = None, None
        try:
            resp = await self._get(item.url)
            title, body = await asyncio.get_running_loop().run_in_executor(None, page_text, resp.text, str(resp.url))
        except Exception as exc:
            log.warning("page %s not fetched (%s); using the feed's summary", item.url, exc)
        body = body or item.summary
        if not body:
            return None
        source = feed.source or feed_title or httpx.URL(feed.url).host
        art: dict[str, Any] = {"url": item.url, "source": source, "title": item.title or title, "body": body}
        if item.published_at:
            art["published_at"] = item.published_at.isoformat()
        return art

    async def poll(self, feeds: list[Feed]) -> PollReport:
        """One pass over every feed."""
        report = PollReport()
        for feed in feeds:
            try:
                resp = await self._get(feed.url)
                feed_title, items = parse_feed(resp.content, str(resp.url))
            except Exception as exc:
                log.warning("feed %s failed: %s", feed.url, exc)
                report.failed += 1
                continue
            report.feeds += 1
            for item in items:
                report.items += 1
                art = await self.article(feed, feed_title, item)
                if art is None:
                    report.failed += 1
                    continue
                digest = content_hash(art["source"], art["title"], art["body"])
                known = await self.store.page_hash(item.url)
                if known == digest:
                    report.unchanged += 1
                    continue
                await self.sink.send([_with_id(art)])
                await self.store.remember_page(item.url, digest)
                await self.store.bump("feed_published")
                report.published += 1
                if known is not None:
                    report.versions += 1
                log.info("published %s%s", item.url, " (new version)" if known else "")
        return report


def _with_id(art: dict[str, Any]) -> dict[str, Any]:
    """The article as published, with the id the worker would derive (the key of its message)."""
    from schemas import Article

    return Article.model_validate(art).model_dump(mode="json", exclude_none=True)


async def run_feeds(
    poller: FeedPoller, feeds: list[Feed], interval: float, once: bool = False, on_report: Any = None
) -> None:
    """Poll every ``interval`` seconds (once with ``once``) until cancelled."""
    while True:
        started = time.monotonic()
        report = await poller.poll(feeds)
        if on_report:
            on_report(report)
        if once:
            return
        await asyncio.sleep(max(0.0, interval - (time.monotonic() - started)))

"""Issue 25 in a real headless Chromium: hostile data runs nothing, the read token stays out of URLs and logs."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from schemas import Claim, Contradiction, ContradictionSide, CountValue, EventState, HistoryEntry
from schemas.article import ArticleRef
from streams.api.app import create_api
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store.memory import MemoryStore
from tests.e2e.test_service import _chromium
from tests.http_helpers import ApiServer, wait_for

pytestmark = pytest.mark.e2e
T0 = datetime(2017, 2, 25, 12, tzinfo=UTC)
READ_TOKEN = "r-token-7f3a9c1e5b"
PWN = "window.__pwned = (window.__pwned || []).concat(['{}'])"


def hostile_event() -> EventState:
    """An event whose every shown string is script: url (as older data may hold), title, source, quote, value."""
    src = f'"><svg onload="{PWN.format("source")}">'
    quote = f'"><img src=x onerror="{PWN.format("quote")}">'
    value = f"<script>{PWN.format('value')}</script>7"
    claims = [
        Claim(
            id=f"c{i}",
            article_id=f"a{i}",
            source=s,
            slot="killed",
            value=v,
            typed=CountValue(low=n, high=n),
            quote=quote,
        )
        for i, (s, v, n) in enumerate([(src, value, 7.0), ("Reuters", "12", 12.0)], 1)
    ]
    con = Contradiction(
        id="x1",
        slot="killed",
        detected_at=T0,
        detected_by_article="a2",
        sides=[
            ContradictionSide(value=value, claim_ids=["c1"], sources=[src]),
            ContradictionSide(value="12", claim_ids=["c2"], sources=["Reuters"]),
        ],
    )
    urls = [
        f"javascript:{PWN.format('url')}",
        f" JavaScript:{PWN.format('url2')}",
        f"data:text/html,<script>{PWN.format('data')}</script>",
    ]
    arts = [
        ArticleRef(id=f"a{i}", source=src if i == 1 else "Reuters", url=u, title=f"click me {i}")
        for i, u in enumerate(urls, 1)
    ]
    history = [
        HistoryEntry(seq=i, at=T0, article_id=f"a{i}", change="opened" if i == 1 else "article", claims_added=1)
        for i in range(1, 4)
    ]
    return EventState(
        id="ev-hostile",
        title=f'<img src=x onerror="{PWN.format("title")}">Hostile',
        updated_at=T0,
        articles=arts,
        claims=claims,
        contradictions=[con],
        history=history,
    )


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def served() -> Iterator[tuple[str, Lines]]:
    """The API over an in-memory store holding the hostile event, with a read token, access log captured."""
    store = MemoryStore()
    asyncio.run(store.apply("ev-hostile", lambda _: (hostile_event(), [])))
    settings = Settings(alert_poll=0.02, api_token="w-token-0b1d", api_read_token=READ_TOKEN)
    api = ApiServer(create_api(settings, store, ListSink(), dispatch=False))
    api.server.config.access_log = True
    lines = Lines()
    access = logging.getLogger("uvicorn.access")
    level = access.level
    with api:
        access.setLevel(logging.INFO)  # uvicorn set it up at start: record every request from here on
        access.addHandler(lines)
        try:
            yield api.url, lines
        finally:
            access.removeHandler(lines)
            access.setLevel(level)


def test_hostile_url_title_source_quote_run_nothing_and_the_token_stays_out_of_logs(served: tuple[str, Lines]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, log = served
    driver = _chromium()
    try:
        driver.get(f"{url}/dashboard/")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.ID, "token"))
        driver.find_element(By.ID, "token").send_keys(READ_TOKEN)
        driver.find_element(By.CSS_SELECTOR, "#login button").click()
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.event-row"))
        WebDriverWait(driver, 20).until(lambda d: "live" in d.find_element(By.ID, "live").text)
        assert driver.execute_script("return document.cookie") == "", "the session cookie is HttpOnly"
        assert READ_TOKEN not in driver.current_url
        driver.execute_script("document.querySelector('tr.event-row a').click();")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "ol.history li"))
        page = driver.execute_script("""
            document.querySelectorAll('details.val summary').forEach(s => s.click());
            return {links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
                    title: document.getElementById('event-title').textContent,
                    history: document.querySelector('ol.history').textContent,
                    quote: document.querySelector('details.val .quote').textContent};""")
        assert all(h.startswith("#") for h in page["links"]), page["links"]
        assert "<img" in page["title"] and "click me 1" in page["history"] and "onerror" in page["quote"]
        for el in driver.find_elements(By.CSS_SELECTOR, "ol.history li, details.val summary, #event-title"):
            driver.execute_script(
                "arguments[0].dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));arguments[0].click();", el
            )
        # were anything injected, the CSP would still stop inline handlers
        driver.execute_script(
            "document.body.insertAdjacentHTML('beforeend', '<img src=\"x\" onerror=\"window.__csp = 1\">');"
        )
        time.sleep(1.0)
        assert driver.execute_script("return window.__pwned;") is None
        assert driver.execute_script("return window.__csp;") is None, "inline handlers blocked by the CSP"
        assert "javascript" not in driver.current_url
    finally:
        driver.quit()
    # a program that still puts the token in the query string: refused, and redacted in the log
    assert httpx.get(f"{url}/events?access_token={READ_TOKEN}").status_code == 401
    wait_for(lambda: any("/alerts/stream" in line for line in log.lines), timeout=10, what="SSE in the access log")
    assert any("access_token=***" in line for line in log.lines), log.lines
    assert not [line for line in log.lines if READ_TOKEN in line], "no token in the access log"


def test_sse_with_the_session_cookie(served: tuple[str, Lines]) -> None:
    url, log = served
    with httpx.Client(base_url=url) as c:
        assert c.get("/alerts/stream?limit=1", timeout=5).status_code == 401
        assert c.post("/session", json={"token": READ_TOKEN}).status_code == 204
        with c.stream("GET", "/alerts/stream", timeout=5) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            first: Any = next(r.iter_lines())
            assert first.startswith("retry:")
    assert not [line for line in log.lines if READ_TOKEN in line]


def test_a_chunked_body_is_cut_at_the_limit_while_it_is_sent() -> None:
    """Over a real socket: 413 arrives while the client is still sending, long before 64 MiB are taken."""
    import contextlib
    import select
    import socket

    from streams.api.articles import MAX_REQUEST_BYTES

    chunk = b" " * (1024 * 1024)
    with ApiServer(create_api(Settings(alert_poll=0.05), MemoryStore(), ListSink(), dispatch=False)) as api:
        sock = socket.create_connection(("127.0.0.1", api.port), timeout=10)
        sock.sendall(
            b"POST /articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n"
        )
        sent, answer = 0, b""
        try:
            while sent < 64 * 1024 * 1024:
                sock.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
                sent += len(chunk)
                if select.select([sock], [], [], 0.01)[0]:
                    break
        except OSError:
            pass  # the server closed the connection after answering
        with contextlib.suppress(OSError):
            answer = sock.recv(4096)
        sock.close()
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert sent < MAX_REQUEST_BYTES + 8 * len(chunk), f"stopped at the limit, not after reading all ({sent} B)"


def test_a_token_link_opens_a_session_and_leaves_the_address(served: tuple[str, Lines]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    url, log = served
    driver = _chromium()
    try:
        driver.get(f"{url}/dashboard/#token={READ_TOKEN}")
        WebDriverWait(driver, 20).until(lambda d: d.find_elements(By.CSS_SELECTOR, "tr.event-row"))
        WebDriverWait(driver, 20).until(lambda d: "live" in d.find_element(By.ID, "live").text)
        assert READ_TOKEN not in driver.current_url and driver.execute_script("return sessionStorage.length") == 0
    finally:
        driver.quit()
    assert not [line for line in log.lines if READ_TOKEN in line]

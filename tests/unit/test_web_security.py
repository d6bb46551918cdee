"""Issue 25 in-process: http(s)-only URLs, webhook targets, JSON-only writes, body limits, CSP, Redis down."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from redis.exceptions import ConnectionError as RedisConnectionError

from agents.decode import BadMessage, decode_article
from schemas import Article
from streams.api.app import create_api
from streams.api.articles import MAX_REQUEST_BYTES
from streams.api.bodies import DASHBOARD_CSP
from streams.api.sink import ListSink
from streams.api.targets import REFUSED, is_public, pinned
from streams.feeds import parse_feed
from streams.settings import Settings
from streams.store.memory import MemoryStore
from tests.conftest import ROOT

HOSTILE_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "http://",
    "http:///x",
    "ftp://x/y",
    "http:\\\\x",
]
LOOPBACK = ["127.0.0.1", "127.1", "0x7f000001", "[::1]", "localhost"]


@pytest.fixture
def client() -> Any:
    with TestClient(create_api(Settings(alert_poll=0.01), MemoryStore(), ListSink(), dispatch=False)) as c:
        yield c


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_only_http_urls_at_the_api_and_the_decoder(client: TestClient, url: str) -> None:
    r = client.post("/articles", json={"source": "S", "body": "b", "url": url})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "url", r.text
    with pytest.raises(BadMessage, match="url"):
        decode_article(json.dumps({"source": "S", "body": "b", "url": url}))


def test_http_urls_and_no_url_still_accepted() -> None:
    for url in ("http://x/1", "https://news.example/a?b=1#c", "HTTPS://X.EXAMPLE/", None, ""):
        assert Article.model_validate({"source": "S", "body": "b", "url": url}).url == url


def test_feed_items_with_other_schemes_are_skipped() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
      <item><title>bad</title><link>javascript:alert(1)</link></item>
      <item><title>bad2</title><link>data:text/html,x</link></item>
      <item><title>good</title><link>/news/1.html</link></item></channel></rss>"""
    _, items = parse_feed(rss, "http://127.0.0.1:8123/feed.xml")
    assert [i.url for i in items] == ["http://127.0.0.1:8123/news/1.html"]


@pytest.mark.parametrize(
    "host",
    [
        *LOOPBACK,
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "0.0.0.0",
        "[fe80::1]",
        "[::ffff:127.0.0.1]",
        "no-such-host.invalid",
    ],
)
def test_webhooks_to_loopback_private_link_local_refused_by_default(client: TestClient, host: str) -> None:
    r = client.post("/subscriptions", json={"url": f"http://{host}:6379/hook"})
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["msg"] == REFUSED, "one text for every refusal"
    assert client.get("/subscriptions").json() == []


def test_the_refusal_names_the_setting_that_allows_it_and_where_it_is_documented(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refused webhook says the way out: the setting, and the docs that describe it (which do)."""
    r = client.post("/subscriptions", json={"url": "http://127.0.0.1:8080/hook"})
    msg = r.json()["detail"][0]["msg"]
    assert "the url must resolve to public addresses only" in msg
    assert "CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE=true" in msg and "docs/api.md#webhooks" in msg
    api = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    webhooks = api[api.index("\n## Webhooks\n") :].split("\n## ", 2)[1]
    assert "CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE=true" in webhooks, "docs/api.md#webhooks names it"
    assert "CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE" in (ROOT / "README.md").read_text(encoding="utf-8")
    monkeypatch.setenv("CONTRAFLOW_WEBHOOK_ALLOW_PRIVATE", "true")
    assert Settings().webhook_allow_private, "the setting named is the one read"


def test_webhooks_to_loopback_allowed_by_the_setting() -> None:
    settings = Settings(alert_poll=0.01, webhook_allow_private=True)
    with TestClient(create_api(settings, MemoryStore(), ListSink(), dispatch=False)) as c:
        assert c.post("/subscriptions", json={"url": "http://127.0.0.1:9/hook"}).status_code == 201


def test_public_address_check_and_pinning() -> None:
    assert is_public("8.8.8.8") and is_public("2001:4860:4860::8888")
    assert not any(is_public(a) for a in ("127.0.0.1", "::1", "10.1.1.1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1"))
    url, host, ext = pinned("https://hooks.example:8443/x?y=1", "93.184.216.34")
    assert str(url) == "https://93.184.216.34:8443/x?y=1" and host == {"Host": "hooks.example:8443"}
    assert ext == {"sni_hostname": "hooks.example"}
    url, host, ext = pinned("http://hooks.example/x", "2001:db8::1")
    assert url.host == "2001:db8::1" and host == {"Host": "hooks.example"} and ext == {}


@pytest.mark.parametrize(
    "ctype", [None, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "application/jsonx"]
)
def test_writes_take_json_only(client: TestClient, ctype: str | None) -> None:
    headers = {"Content-Type": ctype} if ctype else {}
    body = json.dumps({"source": "S", "body": "b"}).encode()
    for path in ("/articles", "/subscriptions"):
        r = client.post(path, content=body, headers=headers)
        assert r.status_code == 415, (path, ctype, r.text)
    ok = client.post("/articles", content=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert ok.status_code == 202


def test_bodies_refused_at_the_limit_while_read(client: TestClient) -> None:
    declared = client.post(
        "/articles",
        content=b"{}",
        headers={"Content-Type": "application/json", "Content-Length": str(MAX_REQUEST_BYTES + 1)},
    )
    assert declared.status_code == 413
    r = client.post(
        "/articles", content=(b" " * (1024 * 1024) for _ in range(17)), headers={"Content-Type": "application/json"}
    )  # chunked: counted while read
    assert r.status_code == 413 and "16777216" in r.json()["detail"]
    small = client.post(
        "/subscriptions", content=b" " * (65 * 1024) + b"{}", headers={"Content-Type": "application/json"}
    )
    assert small.status_code == 413


def test_dashboard_has_a_csp_without_inline_script(client: TestClient) -> None:
    page = client.get("/dashboard/")
    assert page.headers["content-security-policy"] == DASHBOARD_CSP
    assert "script-src 'self'" in DASHBOARD_CSP and "unsafe-inline" not in DASHBOARD_CSP
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text and "<script src=" in page.text
    assert "safeUrl" in client.get("/dashboard/app.js").text
    assert client.get("/events").headers["x-content-type-options"] == "nosniff"


class DownStore(MemoryStore):
    """Redis gone: every read raises what redis-py raises."""

    def __getattribute__(self, name: str) -> Any:
        attr = super().__getattribute__(name)
        if name in {
            "query_events",
            "get_event",
            "alert_head",
            "alerts",
            "bump",
            "list_subscriptions",
            "counters",
            "save_subscription",
        } and object.__getattribute__(self, "down"):

            async def fail(*a: Any, **k: Any) -> Any:
                raise RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

            return fail
        return attr


def test_redis_down_503_with_a_reason_and_never_500_after_publishing() -> None:
    store, sink = DownStore(), ListSink()
    store.down = False  # type: ignore[attr-defined]
    with TestClient(
        create_api(Settings(alert_poll=0.01), store, sink, dispatch=False), raise_server_exceptions=False
    ) as c:
        store.down = True  # type: ignore[attr-defined]
        r = c.post("/articles", json={"source": "S", "body": "b"})
        assert r.status_code == 202 and len(sink.sent) == 1, "on the topic: accepted, whatever Redis does"
        for path in ("/events", "/events/x", "/alerts/stream", "/subscriptions", "/metrics"):
            got = c.get(path)
            assert got.status_code == 503, (path, got.status_code, got.text)
            assert "Redis" in got.json()["detail"] and "127.0.0.1" not in got.text
        assert c.get("/healthz").status_code == 503
    asyncio.run(asyncio.sleep(0))


def test_dashboard_session_cookie_from_the_read_token() -> None:
    settings = Settings(alert_poll=0.01, api_token="w-token", api_read_token="r-token", session_ttl=600)
    with TestClient(create_api(settings, MemoryStore(), ListSink(), dispatch=False)) as c:
        assert c.get("/events").status_code == 401
        assert c.post("/session", json={"token": "nope"}).status_code == 401
        r = c.post("/session", json={"token": "r-token"})
        assert r.status_code == 204
        set_cookie = r.headers["set-cookie"]
        assert "HttpOnly" in set_cookie and "SameSite=strict" in set_cookie and "Max-Age=600" in set_cookie
        assert "r-token" not in set_cookie
        assert c.get("/events").status_code == 200, "the cookie authenticates reads"
        assert c.post("/articles", json={"source": "S", "body": "b"}).status_code == 401, "not writes"
        text = c.get("/dashboard/app.js").text
        assert "access_token" not in text and "sessionStorage" not in text and "localStorage" not in text


def test_each_delivery_checks_the_target_again() -> None:
    """A subscription stored before (or a name that now resolves to loopback): refused at delivery, one text."""
    from datetime import UTC, datetime

    import httpx

    from schemas import Alert, Contradiction, ContradictionSide
    from schemas.subscription import Subscription
    from streams.api.hub import AlertHub
    from streams.api.webhooks import Dispatcher

    async def go() -> Any:
        store = MemoryStore()
        dispatcher = Dispatcher(store, AlertHub(store), attempts=2, base_delay=0.0, allow_private=False)
        dispatcher._client = httpx.AsyncClient()
        sub = Subscription(id="sub-1", url="http://localhost:6379/x", secret="s" * 16, created_at=datetime.now(UTC))
        con = Contradiction(
            id="c",
            slot="killed",
            detected_at=datetime.now(UTC),
            detected_by_article="a",
            sides=[
                ContradictionSide(value="1", claim_ids=["x"], sources=["A"]),
                ContradictionSide(value="2", claim_ids=["y"], sources=["B"]),
            ],
        )
        alert = Alert(id="al-1", event_id="ev", created_at=datetime.now(UTC), article_id="a", contradiction=con)
        try:
            acked = await dispatcher.deliver(sub, alert, "webhook:sub-1")
        finally:
            await dispatcher._client.aclose()
        return acked, await store.delivery_status("sub-1")

    acked, status = asyncio.run(go())
    assert acked is False
    assert [f.error for f in status.failures] == [REFUSED, REFUSED]

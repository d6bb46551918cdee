"""The HTTP API in-process over the in-memory store (no network): validation, queries, SSE, signing, metrics."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from agents.core.summary import EventQuery
from schemas import Alert, Claim, Contradiction, ContradictionSide, CountValue, EventState, EventSummary, HistoryEntry
from schemas.article import ArticleRef
from schemas.subscription import AlertFilter
from streams.api.app import create_api
from streams.api.articles import parse_articles
from streams.api.events import filter_events
from streams.api.metrics import Histogram, Snapshot, alert_latencies, exposition, quantile
from streams.api.sink import ListSink
from streams.api.webhooks import backoff, sign, verify
from streams.settings import Settings
from streams.store.memory import MemoryStore

T0 = datetime(2017, 2, 25, 12, tzinfo=UTC)


def claim(cid: str, source: str, value: str, article: str) -> Claim:
    low = float(value)
    return Claim(
        id=cid,
        article_id=article,
        source=source,
        slot="killed",
        value=value,
        typed=CountValue(low=low, high=low),
        quote=f"{value} people were killed",
    )


def homs(minutes: int = 0) -> EventState:
    c1, c2 = claim("c1", "BBC News", "32", "a1"), claim("c2", "Reuters", "42", "a2")
    con = Contradiction(
        id="x1",
        slot="killed",
        detected_at=T0,
        detected_by_article="a2",
        sides=[
            ContradictionSide(value="32", claim_ids=["c1"], sources=["BBC News"]),
            ContradictionSide(value="42", claim_ids=["c2"], sources=["Reuters"]),
        ],
    )
    return EventState(
        id="ev-homs",
        title="Twin attacks on Homs security bases",
        updated_at=T0 + timedelta(minutes=minutes),
        articles=[ArticleRef(id="a1", source="BBC News", title="Homs attacks"), ArticleRef(id="a2", source="Reuters")],
        claims=[c1, c2],
        contradictions=[con],
        history=[
            HistoryEntry(seq=1, at=T0, article_id="a1", change="opened", claims_added=1),
            HistoryEntry(seq=2, at=T0, article_id="a2", change="article", claims_added=1, new_contradictions=["x1"]),
        ],
    )


def quiet() -> EventState:
    return EventState(
        id="ev-quiet",
        title="Flood in Jakarta",
        updated_at=T0 - timedelta(days=1),
        articles=[ArticleRef(id="a9", source="AP")],
    )


def alert(state: EventState, alert_id: str = "al-1", kind: str = "conflict") -> Alert:
    con = state.contradictions[0].model_copy(update={"kind": kind})
    return Alert(id=alert_id, event_id=state.id, created_at=T0, article_id="a2", contradiction=con)


@pytest.fixture
def store() -> MemoryStore:
    s = MemoryStore()

    async def fill() -> None:
        await s.apply("ev-homs", lambda _: (homs(), []))
        await s.apply("ev-quiet", lambda _: (quiet(), []))

    asyncio.run(fill())
    return s


@pytest.fixture
def sink() -> ListSink:
    return ListSink()


@pytest.fixture
def client(store: MemoryStore, sink: ListSink) -> Iterator[TestClient]:
    app = create_api(Settings(alert_poll=0.01), store, sink, dispatch=False)
    with TestClient(app) as c:
        yield c


def test_post_one_article_returns_its_id(client: TestClient, sink: ListSink) -> None:
    r = client.post("/articles", json={"source": "BBC News", "body": "Twelve people died.", "url": "http://x/1"})
    assert r.status_code == 202
    ids = r.json()["ids"]
    assert len(ids) == 1 and ids[0].startswith("u-")
    assert sink.sent[0]["id"] == ids[0] and sink.sent[0]["source"] == "BBC News"


def test_post_a_list(client: TestClient, sink: ListSink) -> None:
    arts = [{"id": f"a{i}", "source": "S", "body": "text", "published_at": "2017-02-25"} for i in range(3)]
    r = client.post("/articles", json=arts)
    assert r.status_code == 202 and r.json()["ids"] == ["a0", "a1", "a2"]
    assert sink.sent[0]["published_at"] == "2017-02-25", "a date without a time stays a date on the topic"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "S"}, "body"),
        ({"body": "x"}, "source"),
        ({"source": "S", "body": "x", "published_at": "last tuesday"}, "published_at"),
        ({"source": "S", "body": "   "}, "body"),
        ({"source": 3, "body": "x"}, "source"),
        ({"source": "S", "body": "x", "published_at": "0001-01-01T00:00:00+05:00"}, "published_at"),
        ({"source": "S", "body": "x", "published_at": "9999-12-31T23:59:59-05:00"}, "published_at"),
    ],
)
def test_invalid_article_names_the_field(
    client: TestClient, sink: ListSink, body: dict[str, object], field: str
) -> None:
    r = client.post("/articles", json=body)
    assert r.status_code == 422, r.text
    assert field in r.json()["detail"]
    assert r.json()["errors"][0]["field"] == field
    assert sink.sent == []


def test_invalid_item_in_a_list_names_index_and_field(client: TestClient, sink: ListSink) -> None:
    r = client.post("/articles", json=[{"source": "S", "body": "ok"}, {"source": "S"}])
    assert r.status_code == 422
    assert r.json()["detail"] == "invalid article: [1].body: Field required"
    assert sink.sent == [], "nothing is published when any article is invalid"


@pytest.mark.parametrize("raw", [b"not json", b"[]", b"42", b'["x"]'])
def test_bad_bodies_are_4xx(client: TestClient, raw: bytes) -> None:
    r = client.post("/articles", content=raw, headers={"Content-Type": "application/json"})
    assert 400 <= r.status_code < 500
    assert r.json()["detail"]


def test_parse_articles_pure() -> None:
    good, errors = parse_articles({"source": "S", "body": "b"})
    assert len(good) == 1 and errors == []


def test_events_newest_first_and_filters(client: TestClient) -> None:
    rows = client.get("/events").json()
    assert [r["id"] for r in rows] == ["ev-homs", "ev-quiet"]
    assert set(rows[0]) == {"id", "title", "updated_at", "article_ids", "sources", "contradiction_count"}
    assert rows[0]["contradiction_count"] == 1
    assert [r["id"] for r in client.get("/events?has_contradictions=true").json()] == ["ev-homs"]
    assert [r["id"] for r in client.get("/events?has_contradictions=false").json()] == ["ev-quiet"]
    assert [r["id"] for r in client.get("/events?q=jakarta").json()] == ["ev-quiet"]
    assert [r["id"] for r in client.get("/events?q=reuters").json()] == ["ev-homs"]
    assert [r["id"] for r in client.get("/events?q=42%20people").json()] == ["ev-homs"]
    assert [r["id"] for r in client.get("/events?since=2017-02-25T00:00:00Z").json()] == ["ev-homs"]
    page = client.get("/events?limit=1&offset=1")
    assert [r["id"] for r in page.json()] == ["ev-quiet"] and page.headers["X-Total-Count"] == "2"
    assert 'rel="next"' in client.get("/events?limit=1").headers["Link"]


def test_archived_events_listed_only_on_request_and_readable_by_id(client: TestClient, store: MemoryStore) -> None:
    old = quiet().model_copy(update={"id": "ev-old", "archived": True})
    asyncio.run(store.apply("ev-old", lambda _: (old, [])))
    assert [r["id"] for r in client.get("/events").json()] == ["ev-homs", "ev-quiet"]
    assert client.get("/events").headers["X-Total-Count"] == "2"
    assert [r["id"] for r in client.get("/events?archived=true").json()] == ["ev-homs", "ev-quiet", "ev-old"]
    assert [r["id"] for r in client.get("/events?archived=false").json()] == ["ev-homs", "ev-quiet"]
    assert [r["id"] for r in client.get("/events?archived=true&q=jakarta").json()] == ["ev-quiet", "ev-old"]
    assert "archived=true" in client.get("/events?archived=true&limit=1").headers["Link"]
    r = client.get("/events/ev-old")
    assert r.status_code == 200 and r.json()["archived"] is True


def test_events_cli_lists_live_events_unless_archived_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from streams import cli
    from streams.cli import reading

    old = quiet().model_copy(update={"id": "ev-old", "archived": True})
    held = MemoryStore()

    def put(state: EventState) -> None:
        asyncio.run(held.apply(state.id, lambda _: (state, [])))

    for st in (homs(), quiet(), old):
        put(st)

    def summaries(settings: object, query: EventQuery, everything: bool) -> list[EventSummary]:
        return asyncio.run(held.query_events(query)).rows  # the summary index, as in Redis

    monkeypatch.setattr(reading, "_load_summaries", summaries)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    runner = CliRunner()
    live = runner.invoke(cli.main, ["events", "--json"])
    assert live.exit_code == 0, live.output
    assert [r["id"] for r in json.loads(live.output)] == ["ev-homs", "ev-quiet"]
    every = runner.invoke(cli.main, ["events", "--json", "--archived"])
    assert [r["id"] for r in json.loads(every.output)] == ["ev-homs", "ev-quiet", "ev-old"]
    monkeypatch.setattr(reading, "_load_event", lambda settings, eid: old if eid == "ev-old" else None)
    one = runner.invoke(cli.main, ["event", "ev-old", "--json"])
    assert one.exit_code == 0 and json.loads(one.output)["archived"] is True


def test_filter_events_naive_since() -> None:
    assert filter_events([homs()], T0 + timedelta(hours=1), None, None) == []


def test_event_and_its_parts(client: TestClient) -> None:
    ev = client.get("/events/ev-homs").json()
    assert {"id", "title", "updated_at", "articles", "claims", "contradictions"} <= set(ev)
    assert [c["id"] for c in client.get("/events/ev-homs/claims").json()] == ["c1", "c2"]
    assert [c["id"] for c in client.get("/events/ev-homs/claims?source=Reuters").json()] == ["c2"]
    assert client.get("/events/ev-homs/contradictions").json()[0]["slot"] == "killed"
    hist = client.get("/events/ev-homs/history").json()
    assert [h["seq"] for h in hist] == [1, 2]
    assert hist[1]["article"]["source"] == "Reuters" and hist[1]["new_contradictions"] == ["x1"]
    for path in ("", "/claims", "/contradictions", "/history"):
        r = client.get("/events/nope" + path)
        assert r.status_code == 404 and "nope" in r.json()["detail"]


def test_alert_stream_from_start_with_filters_and_resume(client: TestClient, store: MemoryStore) -> None:
    state = homs()

    async def log() -> None:
        await store.apply("ev-homs", lambda _: (homs(1), [alert(state, "al-1")]))
        await store.apply("ev-homs", lambda _: (homs(2), [alert(state, "al-2", kind="evolving")]))
        await store.apply("ev-homs", lambda _: (homs(3), [alert(state, "al-3")]))

    asyncio.run(log())

    def read(url: str, headers: dict[str, str] | None = None) -> list[tuple[str, str]]:
        out = []
        with client.stream("GET", url, headers=headers or {}) as r:
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
            cur = ""
            for line in r.iter_lines():
                if line.startswith("id: "):
                    cur = line[4:]
                elif line.startswith("data: "):
                    out.append((cur, Alert.model_validate_json(line[6:]).id))
        return out

    got = read("/alerts/stream?after=0&limit=3")
    assert [a for _, a in got] == ["al-1", "al-2", "al-3"]
    assert [a for _, a in read("/alerts/stream?after=0&limit=2&kind=conflict")] == ["al-1", "al-3"]
    assert [a for _, a in read("/alerts/stream?limit=2", {"Last-Event-ID": got[0][0]})] == ["al-2", "al-3"]
    assert client.get("/alerts/stream?after=bogus").status_code == 400


def test_subscriptions_crud(store: MemoryStore, sink: ListSink) -> None:
    # a receiver on 127.0.0.1 needs the setting (the default refuses it: tests/unit/test_web_security.py)
    settings = Settings(alert_poll=0.01, webhook_allow_private=True)
    with TestClient(create_api(settings, store, sink, dispatch=False)) as client:
        _crud(client)


def _crud(client: TestClient) -> None:
    r = client.post("/subscriptions", json={"url": "http://127.0.0.1:45678/hook", "filter": {"kind": ["conflict"]}})
    assert r.status_code == 201
    sub = r.json()
    assert sub["secret"] and sub["status"]["delivered"] == 0
    got = client.get(f"/subscriptions/{sub['id']}").json()
    assert got["secret"] is None and got["filter"]["kind"] == ["conflict"]
    assert [s["id"] for s in client.get("/subscriptions").json()] == [sub["id"]]
    assert client.delete(f"/subscriptions/{sub['id']}").status_code == 204
    assert client.get(f"/subscriptions/{sub['id']}").status_code == 404
    bad = client.post("/subscriptions", json={"url": "ftp://x/y"})
    assert bad.status_code == 422 and "url" in bad.text


def test_healthz_and_metrics(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "redis": True, "kafka": None}
    text = client.get("/metrics").text
    assert "contraflow_contradictions 1" in text
    assert "contraflow_claims 2" in text
    assert "contraflow_events 2" in text
    # the TYPE line names the samples' own name (the hand-made page wrote it without _total, which the
    # Prometheus text parser takes for another, untyped, metric)
    assert "# TYPE contraflow_articles_processed_total counter\ncontraflow_articles_processed_total 0.0\n" in text


def test_dashboard_is_served(client: TestClient) -> None:
    r = client.get("/", follow_redirects=False)
    assert r.status_code in (302, 307) and r.headers["location"] == "/dashboard/"
    page = client.get("/dashboard/")
    assert page.status_code == 200 and "app.js" in page.text
    assert "EventSource" in client.get("/dashboard/app.js").text


def test_openapi_documents_the_article_body(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "ArticleIn" in spec["components"]["schemas"]
    assert "requestBody" in spec["paths"]["/articles"]["post"]


def test_signature_is_hmac_sha256_of_the_body() -> None:
    # echo -n '{"a":1}' | openssl dgst -sha256 -hmac key
    assert sign("key", b'{"a":1}') == "sha256=" + __import__("hmac").new(b"key", b'{"a":1}', "sha256").hexdigest()
    assert verify("key", b"body", sign("key", b"body"))
    assert not verify("key", b"body2", sign("key", b"body"))
    assert not verify("other", b"body", sign("key", b"body"))


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [backoff(i, 0.5) for i in range(1, 5)] == [0.5, 1.0, 2.0, 4.0]
    assert backoff(20, 0.5) == 30.0


def test_alert_filter() -> None:
    a = alert(homs())
    assert AlertFilter().matches(a)
    assert AlertFilter(event_id=["ev-homs"], kind=["conflict"], slot=["killed"], change=["new"]).matches(a)
    assert not AlertFilter(event_id=["other"]).matches(a)
    assert not AlertFilter(kind=["evolving"]).matches(a)
    assert not AlertFilter(change=["new_side"]).matches(a)


def test_metrics_helpers() -> None:
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.0
    assert quantile([1.0, 2.0, 3.0, 4.0], 0.95) == 4.0
    a = alert(homs())
    ms = int(T0.timestamp() * 1000) + 250
    assert alert_latencies([(f"{ms}-0", a), ("7", a)]) == [0.25]
    # counters get their _total sample, label values are escaped and read back whole
    page = exposition(snap(counters={"applied": 3}, lag={'a"b': 1}))[0].decode()
    assert "\ncontraflow_articles_processed_total 3.0\n" in page
    assert 'contraflow_consumer_lag{topic="a\\"b"} 1.0' in page
    assert parsed(page)["contraflow_consumer_lag"] == {(("topic", 'a"b'),): 1.0}


def test_api_token_guards_writes_and_optionally_reads(store: MemoryStore, sink: ListSink) -> None:
    settings = Settings(alert_poll=0.01, api_token="w-token", api_read_token="r-token")
    with TestClient(create_api(settings, store, sink, dispatch=False)) as c:
        body = {"source": "BBC News", "body": "Twelve people died."}
        assert c.post("/articles", json=body).status_code == 401
        assert c.post("/articles", json=body, headers={"Authorization": "Bearer r-token"}).status_code == 401
        assert c.post("/articles", json=body, headers={"Authorization": "Bearer w-token"}).status_code == 202
        assert c.get("/events").status_code == 401
        assert c.get("/events", headers={"Authorization": "Bearer r-token"}).status_code == 200
        assert c.get("/healthz").status_code in (200, 503)
    assert len(sink.sent) == 1


def test_cors_off_by_default_and_on_when_configured(store: MemoryStore, sink: ListSink) -> None:
    with TestClient(create_api(Settings(alert_poll=0.01), store, sink, dispatch=False)) as c:
        r = c.get("/events", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in r.headers
    settings = Settings(alert_poll=0.01, cors_origins="https://news.example")
    with TestClient(create_api(settings, store, sink, dispatch=False)) as c:
        r = c.get("/events", headers={"Origin": "https://news.example"})
        assert r.headers["access-control-allow-origin"] == "https://news.example"


def test_metric_values_keep_every_digit() -> None:
    page = exposition(snap(at=1796190123.25, counters={"applied": 123456789012}))[0].decode()
    values = parsed(page)
    assert values["contraflow_scrape_timestamp_seconds"] == {(): 1796190123.25}
    assert values["contraflow_articles_processed"] == {(): 123456789012.0}


def snap(
    counters: dict[str, int] | None = None, lag: dict[str, int] | None = None, at: float = 1796190123.0
) -> Snapshot:
    """A scrape's snapshot with the given counters and lag, everything else empty."""
    return Snapshot(
        counters=counters or {},
        totals={},
        alerts=0,
        alert_latency=Histogram((1.0,)),
        lag=lag,
        webhooks={},
        at=at,
    )


def parsed(page: str) -> dict[str, dict[tuple[tuple[str, str], ...], float]]:
    """Each family's samples by sorted labels, read with prometheus-client's own parser."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        f.name: {tuple(sorted(s.labels.items())): s.value for s in f.samples}
        for f in text_string_to_metric_families(page)
    }


def test_history_is_in_time_order(store: MemoryStore, client: TestClient) -> None:
    state = homs()
    late = state.history[0].model_copy(update={"at": T0 + timedelta(minutes=5)})
    asyncio.run(store.apply(state.id, lambda old: (state.model_copy(update={"history": [late, state.history[1]]}), [])))
    times = [h["at"] for h in client.get(f"/events/{state.id}/history").json()]
    assert times == sorted(times)


def test_webhook_urls_may_carry_a_query_string(store: MemoryStore, sink: ListSink) -> None:
    from streams.api.targets import pinned

    settings = Settings(alert_poll=0.01, webhook_allow_private=True)
    with TestClient(create_api(settings, store, sink, dispatch=False)) as client:
        r = client.post("/subscriptions", json={"url": "http://127.0.0.1:45678/hook?team=news&key=a1"})
        assert r.status_code == 201, r.text
        assert client.post("/subscriptions", json={"url": "http://127.0.0.1:45678/hook#frag"}).status_code == 422
    url, headers, _ = pinned("http://hooks.example.com/in?team=news", "93.184.216.34")
    assert str(url) == "http://93.184.216.34/in?team=news" and headers == {"Host": "hooks.example.com"}

"""API access control: which requests need which token; constant-time comparison."""

import logging

from fastapi import FastAPI
from fastapi.testclient import TestClient

from streams.api.access import (
    SESSION_COOKIE,
    RedactSecrets,
    TokenGuard,
    allowed,
    bearer,
    redact,
    session_ok,
    session_value,
)


def app_with(write: str | None, read: str | None = None) -> TestClient:
    app = FastAPI()

    @app.get("/events")
    def events() -> list[str]:
        return []

    @app.get("/healthz")
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/articles")
    def post() -> dict[str, str]:
        return {"ok": "yes"}

    app.add_middleware(TokenGuard, write_token=write, read_token=read)
    return TestClient(app)


def test_no_token_configured_everything_open() -> None:
    c = app_with(None)
    assert c.get("/events").status_code == 200 and c.post("/articles").status_code == 200


def test_writes_need_the_token() -> None:
    c = app_with("s3cret")
    assert c.post("/articles").status_code == 401
    assert c.post("/articles", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = c.post("/articles", headers={"Authorization": "Bearer s3cret"})
    assert r.status_code == 200
    assert c.get("/events").status_code == 200, "reads stay open without a read token"
    denied = c.post("/articles")
    assert denied.headers["www-authenticate"] == "Bearer" and "s3cret" not in denied.text


def test_reads_protected_when_a_read_token_is_set() -> None:
    c = app_with("w", read="r")
    assert c.get("/events").status_code == 401
    assert c.get("/events", headers={"Authorization": "Bearer r"}).status_code == 200
    assert c.get("/events", headers={"Authorization": "Bearer w"}).status_code == 200
    assert c.post("/articles", headers={"Authorization": "Bearer r"}).status_code == 401
    assert c.get("/healthz").status_code == 200


def test_helpers() -> None:
    assert bearer([(b"authorization", b"Bearer abc")]) == b"abc"
    assert bearer([(b"authorization", b"Basic abc")]) is None
    assert allowed(b"abc", b"x", b"abc") and not allowed(None, b"abc") and not allowed(b"ab", b"abc")


def test_no_token_is_taken_from_a_url() -> None:
    c = app_with("w", read="r")
    assert c.get("/events?access_token=r").status_code == 401, "tokens in URLs end up in logs: refused"
    assert c.post("/articles?access_token=w").status_code == 401


def test_session_cookie_grants_reads_only_until_it_expires() -> None:
    c = app_with("w", read="r")
    good = session_value(b"r", 60)
    c.cookies.set(SESSION_COOKIE, good)
    assert c.get("/events").status_code == 200
    assert c.post("/articles").status_code == 401, "the cookie never authorises a write (no CSRF)"
    c.cookies.set(SESSION_COOKIE, session_value(b"r", -1))
    assert c.get("/events").status_code == 401, "expired"
    c.cookies.set(SESSION_COOKIE, session_value(b"other-key", 60))
    assert c.get("/events").status_code == 401, "signed with another token"
    expires = good.split(".")[0]
    c.cookies.set(SESSION_COOKIE, f"{int(expires) + 999}.{good.split('.')[1]}")
    assert c.get("/events").status_code == 401, "expiry cannot be pushed back"
    assert not session_ok(b"garbage", b"r") and not session_ok(None, b"r")


def test_redaction_of_credentials_in_urls() -> None:
    line = "GET /alerts/stream?kind=conflict&access_token=s3cr%2Bt&x=1 HTTP/1.1 and /dashboard/?token=abc"
    assert redact(line) == "GET /alerts/stream?kind=conflict&access_token=***&x=1 HTTP/1.1 and /dashboard/?token=***"
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5", "GET", "/events?access_token=zz", "1.1", 200),
        None,
    )
    RedactSecrets().filter(record)
    assert "zz" not in record.getMessage() and "access_token=***" in record.getMessage()

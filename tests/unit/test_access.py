"""API access control: which requests need which token; constant-time comparison."""

from fastapi import FastAPI
from fastapi.testclient import TestClient

from streams.api.access import TokenGuard, allowed, bearer


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


def test_reads_may_pass_the_token_as_a_query_parameter() -> None:
    c = app_with("w", read="r")
    assert c.get("/events?access_token=r").status_code == 200
    assert c.get("/events?access_token=x").status_code == 401
    assert c.post("/articles?access_token=w").status_code == 401, "writes need the header"

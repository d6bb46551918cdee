"""Issue 37 point 9: the API without a write token serves loopback only, unless told it is meant to be open."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest

from streams.api.app import create_api
from streams.api.exposure import OpenExposure, check_exposure
from streams.api.sink import ListSink
from streams.settings import Settings
from streams.store.memory import MemoryStore


@pytest.mark.parametrize("host", ["127.0.0.1", "::1", "[::1]", "localhost", "127.0.0.2"])
def test_the_api_may_listen_on_loopback_without_a_token(host: str) -> None:
    assert check_exposure(Settings(), host) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "203.0.113.5", "api.example.org"])
def test_the_api_refuses_a_reachable_address_without_a_write_token(host: str) -> None:
    with pytest.raises(OpenExposure) as refused:
        check_exposure(Settings(), host)
    message = str(refused.value)
    assert host in message and "CONTRAFLOW_API_TOKEN" in message and "CONTRAFLOW_API_OPEN=true" in message


def test_the_api_on_a_reachable_address_with_a_token_or_an_explicit_opt_out(caplog: pytest.LogCaptureFixture) -> None:
    assert check_exposure(Settings(api_token="w" * 16), "0.0.0.0") is None
    with caplog.at_level("WARNING", logger="contraflow.api"):
        warning = check_exposure(Settings(api_open=True), "0.0.0.0")
    assert warning and "no CONTRAFLOW_API_TOKEN" in warning and "anyone" in warning
    assert warning in caplog.text, "said loudly: in the log too"


def get(settings: Settings, address: str, path: str = "/events") -> httpx.Response:
    """``path`` as a request that arrived on the local ``address`` (the ASGI scope's ``server``)."""

    async def go() -> httpx.Response:
        app = create_api(settings, MemoryStore(), ListSink(), dispatch=False)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{address}:8000") as client:
            return await client.get(path)

    return asyncio.run(go())


@pytest.mark.parametrize("address", ["192.168.1.20", "203.0.113.5", "[2001:db8::1]"])
def test_an_open_api_refuses_requests_that_arrive_beyond_loopback(address: str) -> None:
    r = get(Settings(alert_poll=0.01), address)
    assert r.status_code == 403
    detail = r.json()["detail"]
    assert "CONTRAFLOW_API_TOKEN" in detail and "CONTRAFLOW_API_OPEN=true" in detail and "127.0.0.1" in detail


@pytest.mark.parametrize("address", ["127.0.0.1", "[::1]"])
def test_an_open_api_serves_loopback(address: str) -> None:
    assert get(Settings(alert_poll=0.01), address).status_code == 200


def test_with_a_write_token_or_the_opt_out_it_serves_everywhere(caplog: pytest.LogCaptureFixture) -> None:
    assert get(Settings(alert_poll=0.01, api_token="w" * 16), "192.168.1.20").status_code == 200
    with caplog.at_level(logging.WARNING, logger="contraflow.api"):
        assert get(Settings(alert_poll=0.01, api_open=True), "192.168.1.20").status_code == 200
    assert "192.168.1.20 with no CONTRAFLOW_API_TOKEN" in caplog.text, "said loudly"


def test_serve_refuses_to_start_beyond_loopback_without_a_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from streams import cli

    for name in ("CONTRAFLOW_API_TOKEN", "CONTRAFLOW_API_OPEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAFKA_BOOTSTRAP", "127.0.0.1:1")
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:1/0")
    got = CliRunner().invoke(cli.main, ["serve", "--host", "0.0.0.0"])
    assert got.exit_code == 2
    assert "CONTRAFLOW_API_TOKEN" in got.output and "CONTRAFLOW_API_OPEN" in got.output
